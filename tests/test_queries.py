"""Every patient page runs a small, constant number of SQL queries (no N+1)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_pack
from tests.visits import CALM_ANSWERS, Journey, stage_url

# Reads (session, visit, answers, the stage's content), the stage's writes (in a transaction),
# and the session's own save on every request. In tests, each transaction also counts its two
# savepoint statements.
BUDGET = 14


@pytest.mark.parametrize("stage", list(CALM_ANSWERS))
def test_each_stage_stays_within_the_query_budget(
    client, journey, stage, django_assert_max_num_queries
):
    journey.through(stage)  # answered once, so the page shows saved answers too
    # Learn's first page after a content change also renders the cached comparison: that
    # count is the next tests' (count_learn_queries). Here, every page as patients meet it.
    client.get(stage_url(stage))
    with django_assert_max_num_queries(BUDGET):
        assert client.get(stage_url(stage)).status_code == 200
    with django_assert_max_num_queries(BUDGET):
        assert client.post(stage_url(stage), CALM_ANSWERS[stage]).status_code == 302


@pytest.mark.parametrize(
    "url_name", ["journey:review", "journey:feedback", "journey:safety_alert", "journey:resume"]
)
def test_the_in_between_pages_stay_within_the_query_budget(
    client, journey, url_name, django_assert_max_num_queries
):
    journey.through("questions", {"safety": {"flags": ["fever"]}})
    with django_assert_max_num_queries(BUDGET):
        assert client.get(reverse(url_name)).status_code in (200, 302)


def test_finishing_and_the_finished_page_stay_within_the_query_budget(
    client, journey, django_assert_max_num_queries
):
    journey.through("questions")
    with django_assert_max_num_queries(BUDGET):
        client.post(reverse("journey:review"))
    with django_assert_max_num_queries(BUDGET):
        assert client.get(reverse("journey:finished")).status_code == 200


def test_welcome_and_start_stay_within_the_query_budget(
    client, shipped_topic, django_assert_max_num_queries
):
    with django_assert_max_num_queries(BUDGET):
        client.get("/")
    with django_assert_max_num_queries(BUDGET):
        client.post(reverse("journey:start", kwargs={"slug": shipped_topic.slug}))


def count_learn_queries(client, topic, history):
    """(queries for the first Learn page, which renders the cached comparison, then the most
    for any Learn screen once it is cached)."""
    journey = Journey(client, topic)
    journey.start()
    client.post(stage_url("safety"), {"flags": ["none"]})
    client.post(stage_url("history"), history)
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(stage_url("learn")).status_code == 200
    warm = []
    for screen in range(1, topic.options.count() + 4):
        url = reverse("journey:stage_screen", kwargs={"stage": "learn", "screen": screen})
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        warm.append(len(ctx.captured_queries))
    return len(cold.captured_queries), max(warm)


def test_the_learn_pages_query_count_does_not_grow_with_the_options(client, make_topic):
    small = make_topic()
    small_counts = count_learn_queries(client, small, {"tried-exercise": "no"})
    client.logout()
    base = make_pack()
    extra = [dict(base["options"][0], key=f"treat-{i}", title=f"Treatment {i}") for i in range(5)]
    big = make_topic(slug="big-topic", options=[*base["options"], *extra])
    big_counts = count_learn_queries(client, big, {"tried-exercise": "yes"})
    assert big.options.count() == 7
    assert big_counts == small_counts
    assert small_counts[1] <= BUDGET
