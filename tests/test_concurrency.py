"""Two tabs on one visit: saving the same stage at the same moment stays whole and single."""

import threading

import pytest
from django.db import connection

from decisionaid.models import Answer
from tests.clients import Client
from tests.conftest import CALM_ANSWERS, Journey, stage_url

ROUNDS = 40


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (set DATABASE_URL): SQLite lets one writer in at a time, "
            "so two tabs can never race there"
        )


def post_in_step(client, data, barrier, statuses):
    """One tab: wait for the other, then both press Continue at once; ROUNDS times."""
    try:
        for _ in range(ROUNDS):
            barrier.wait(timeout=30)
            statuses.append(client.post(stage_url("values"), data).status_code)
    finally:
        connection.close()  # this thread's own connection


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_a_stage_at_once_leave_exactly_one_whole_answer_per_item(
    shipped_topic,
):
    needs_postgresql()
    first_tab = Client(raise_request_exception=False)
    visit = Journey(first_tab, shipped_topic).through("values")
    second_tab = Client(raise_request_exception=False)
    second_tab.cookies = first_tab.cookies  # the same browser: one session cookie
    answers_before = Answer.objects.filter(visit=visit).count()

    low = dict.fromkeys(CALM_ANSWERS["values"], "1")
    high = dict.fromkeys(CALM_ANSWERS["values"], "5")
    barrier = threading.Barrier(2)
    statuses = {"low": [], "high": []}
    tabs = [
        threading.Thread(target=post_in_step, args=(first_tab, low, barrier, statuses["low"])),
        threading.Thread(target=post_in_step, args=(second_tab, high, barrier, statuses["high"])),
    ]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=120)

    assert statuses == {"low": [302] * ROUNDS, "high": [302] * ROUNDS}
    rows = list(Answer.objects.filter(visit=visit, stage="values").values_list("item", "value"))
    items = [item for item, _ in rows]
    assert sorted(items) == sorted(f"values:{key}" for key in CALM_ANSWERS["values"])
    assert {value for _, value in rows} in ({"1"}, {"5"}), "a mix of both tabs was stored"
    assert Answer.objects.filter(visit=visit).count() == answers_before
