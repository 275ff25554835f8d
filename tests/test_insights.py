"""Clinic insights: daily tallies written when visits finish or are purged, and the staff page
that reads them, with counts under 5 hidden."""

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from decisionaid import services, stages, tallies
from decisionaid.models import DailyTally, Visit
from tests.conftest import SHIPPED_SLUG
from tests.visits import Visits
from topics.models import Topic

INSIGHTS = reverse("staff:insights")
INSIGHTS_CSV = reverse("staff:insights_csv")


def text(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def table_row(page_text, label):
    """The words after a row label in the page's text, e.g. "Started 11"."""
    match = re.search(re.escape(label) + r" (fewer than 5|\d+)", page_text)
    return match.group(1) if match else None


def tally(metric, key=""):
    return sum(DailyTally.objects.filter(metric=metric, key=key).values_list("count", flat=True))


def visit_started_on(topic, day, *, stop_before=None):
    """A visit started on `day` and answered with the calm answers, finished unless it stops
    before the stage named."""
    visits = Visits(topic)
    visit = visits.start()
    started = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    Visit.objects.filter(pk=visit.pk).update(started_at=started)
    for stage in stages.STAGES:
        if stage.slug == stop_before:
            return visit
        visits.answer(visit, stage)
    services.finish_visit(visit=visit)
    return visit


def expire_all():
    Visit.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))


def week_query(topic, start, end):
    return {"topic": topic.pk, "start": start.isoformat(), "end": end.isoformat()}


# --- the tallies ---


def test_finishing_a_visit_counts_it_without_keeping_its_answers_or_code(visits):
    visit = visits.finish({"questions": {"own": "My secret worry"}})
    assert tally(tallies.STARTED) == tally(tallies.FINISHED) == 1
    assert tally(tallies.LEANING, "exercise-or-manipulation") == 1
    assert tally(tallies.READINESS, "4") == 1
    assert tally("knowledge-correct", "shots-alone") == 1
    stored = " ".join(f"{t.metric} {t.key} {t.day}" for t in DailyTally.objects.all())
    assert visit.code not in stored and visit.token not in stored
    assert "secret" not in stored
    assert set(DailyTally.objects.values_list("day", flat=True)) == {
        timezone.localdate(visit.started_at)
    }


def test_wrong_and_unsure_knowledge_answers_and_red_flags_are_counted(visits):
    visits.finish(
        {
            "safety": {"flags": ["fever", "night-pain"]},
            "understanding": {"shots-alone": "true", "slow-improvement": "not-sure"},
            "leaning": {"choice": "not-sure", "ready-settled": "no"},
        }
    )
    assert tally(tallies.RED_FLAG, "flag") == 1  # one visit, however many signs it ticked
    assert tally("knowledge-wrong", "shots-alone") == 1
    assert tally("knowledge-unsure", "slow-improvement") == 1
    assert tally(tallies.LEANING, "not-sure") == 1
    assert tally(tallies.READINESS, "3") == 1


def test_purging_an_unfinished_visit_counts_it_and_where_it_stopped(visits):
    visits.through("history", {"safety": {"flags": ["fever"]}})
    expire_all()
    call_command("purge_visits", stdout=io.StringIO())
    assert not Visit.objects.exists()
    assert tally(tallies.STARTED) == 1
    assert tally(tallies.FINISHED) == 0
    assert tally(tallies.STOPPED, "learn") == 1
    assert tally(tallies.RED_FLAG, "flag") == 1
    assert tally(tallies.LEANING, "exercise-or-manipulation") == 0


def test_purging_keeps_the_tallies_and_does_not_count_finished_visits_again(visits):
    visits.finish()
    before = sorted(DailyTally.objects.values_list("metric", "key", "count"))
    expire_all()
    call_command("purge_visits", stdout=io.StringIO())
    assert not Visit.objects.exists()
    assert sorted(DailyTally.objects.values_list("metric", "key", "count")) == before


def test_a_visit_that_stopped_at_check_your_answers_is_counted_there(visits):
    visits.through("questions")
    expire_all()
    call_command("purge_visits", stdout=io.StringIO())
    assert tally(tallies.STOPPED, tallies.REVIEW) == 1


# --- the page ---


@pytest.fixture(scope="class")
def week_of_visits(django_db_setup, django_db_blocker):
    """Seven finished and five unfinished visits started over one week, then all purged.

    Made once for the tests of TestAPurgedWeek, which only read what is left (each in a
    transaction of its own, rolled back after it), and rolled back after the last of them. The
    class must hold no transactional or live-server test: those need the database to themselves."""
    monday = timezone.localdate() - datetime.timedelta(days=14)
    with django_db_blocker.unblock(), transaction.atomic():
        topic = Topic.objects.get(slug=SHIPPED_SLUG, translation_of=None)
        for i in range(7):
            visit_started_on(topic, monday + datetime.timedelta(days=i))
        for i in range(5):
            visit_started_on(
                topic, monday + datetime.timedelta(days=i), stop_before="understanding"
            )
        expire_all()
        call_command("purge_visits", stdout=io.StringIO())
        assert not Visit.objects.exists()
        yield monday
        transaction.set_rollback(True)


class TestAPurgedWeek:
    """The page and its download, over a week of visits made once for the class."""

    def test_after_purging_a_week_of_visits_the_insights_still_show_its_counts(
        self, make_staff, shipped_topic, week_of_visits
    ):
        monday = week_of_visits
        week = week_query(shipped_topic, monday, monday + datetime.timedelta(days=6))
        page = text(make_staff("clinician").get(INSIGHTS, week))
        assert "Prolotherapy for chronic low back pain" in page
        assert table_row(page, "Started") == "12"
        assert table_row(page, "Finished") == "7"
        assert table_row(page, "Check your understanding") == "5"  # where the unfinished stopped
        assert table_row(page, "Exercise or spinal manipulation, without shots") == "7"
        assert table_row(page, "4 of 4") == "7"
        assert table_row(page, "About your back pain") == "fewer than 5"

    def test_days_outside_the_range_are_left_out(self, make_staff, shipped_topic, week_of_visits):
        monday = week_of_visits
        week = week_query(
            shipped_topic, monday + datetime.timedelta(days=2), monday + datetime.timedelta(days=5)
        )
        page = text(make_staff("clinician").get(INSIGHTS, week))
        assert table_row(page, "Started") == "7"  # 4 finished and 3 unfinished on those days
        assert table_row(page, "Finished") == "fewer than 5"

    def test_each_chart_is_an_svg_with_a_table_beside_it_and_no_inline_style(
        self, make_staff, shipped_topic, week_of_visits
    ):
        monday = week_of_visits
        week = week_query(shipped_topic, monday, monday + datetime.timedelta(days=6))
        html = make_staff("content editor").get(INSIGHTS, week).content.decode()
        charts = re.findall(r'<section class="insight".*?</section>', html, re.S)
        assert len(charts) == 7
        for chart in charts:
            assert re.search(r'<svg class="bar-chart"[^>]*aria-hidden="true"', chart)
            assert "<table" in chart and "<caption>" in chart
        assert re.search(r'<rect class="bar" x="0" y="\d+" width="75(\.0)?%"', html)
        assert " style=" not in html
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/staff.js" defer>']
        assert "Does the leaning fit" in html

    def test_the_csv_has_the_page_numbers_with_small_counts_hidden(
        self, make_staff, shipped_topic, week_of_visits
    ):
        monday = week_of_visits
        week = week_query(shipped_topic, monday, monday + datetime.timedelta(days=6))
        response = make_staff("clinician").get(INSIGHTS_CSV, week)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        started = next(r for r in rows if r["section"] == "Visits" and r["item"] == "Started")
        assert started["count"] == "12"
        assert started["from"] == monday.isoformat()
        counts = {r["count"] for r in rows}
        assert counts <= {"fewer than 5"} | {str(n) for n in range(5, 100)}

    def test_the_insights_page_reads_a_constant_number_of_queries(
        self, make_staff, shipped_topic, week_of_visits, django_assert_max_num_queries
    ):
        staff = make_staff("clinician")
        monday = week_of_visits
        counts = []
        for days in (0, 6):
            week = week_query(shipped_topic, monday, monday + datetime.timedelta(days=days))
            for url in (INSIGHTS, INSIGHTS_CSV):
                with django_assert_max_num_queries(14) as queries:
                    assert staff.get(url, week).status_code == 200
                counts.append(len(queries))
        assert counts[0] == counts[2]  # the page: as many queries for a day as for a week
        assert counts[1] == counts[3]  # the CSV


def test_counts_under_five_show_as_fewer_than_five_everywhere(journey, make_staff):
    for _ in range(4):
        visit_started_on(journey.topic, timezone.localdate())
    response = make_staff("clinician").get(INSIGHTS)
    page = text(response)
    assert table_row(page, "Started") == "fewer than 5"
    assert table_row(page, "Finished") == "fewer than 5"
    assert not re.search(
        r"\b[1-4]\b(?! of 4)",
        " ".join(re.findall(r"<td[^>]*>([^<]*)</td>", response.content.decode())),
    )
    svg = re.search(r"<svg .*?</svg>", response.content.decode(), re.S).group(0)
    assert "<rect" not in svg  # no bar gives a small count away by its length
    assert "fewer than 5" in svg


def test_finishing_counts_whether_the_leaning_fits_what_matters_most(visits):
    visits.finish()  # leans to exercise; rated "following guideline advice" highest
    visits.finish({"leaning": {"choice": "prolo-alone"}})
    visits.finish({"leaning": {"choice": "not-sure"}})  # nothing to tell
    assert tally(tallies.LEANING_FIT, tallies.FITS) == 1
    assert tally(tallies.LEANING_FIT, tallies.DOES_NOT_FIT) == 1


def test_the_leaning_fit_shows_once_it_is_counted(make_staff, shipped_topic):
    today = timezone.localdate()
    DailyTally.objects.create(day=today, topic=shipped_topic, metric=tallies.STARTED, count=9)
    for key, count in ((tallies.FITS, 6), (tallies.DOES_NOT_FIT, 3)):
        DailyTally.objects.create(
            day=today, topic=shipped_topic, metric=tallies.LEANING_FIT, key=key, count=count
        )
    page = text(make_staff("clinician").get(INSIGHTS))
    assert "Does the leaning fit what matters most?" in page
    assert table_row(page, "Fits what the patient said matters most") == "6"
    assert table_row(page, "Does not fit") == "fewer than 5"


def test_a_topic_without_visits_says_so(make_staff, shipped_topic):
    page = text(make_staff("clinician").get(INSIGHTS))
    assert "No visits were counted for this topic on these days." in page


def test_a_range_that_ends_before_it_starts_is_explained(make_staff, shipped_topic):
    query = {"topic": shipped_topic.pk, "start": "2026-05-02", "end": "2026-05-01"}
    page = text(make_staff("clinician").get(INSIGHTS, query))
    assert "Choose a day on or after the first day." in page


# --- who may see them ---


def test_clinicians_and_content_editors_may_see_insights(make_staff, shipped_topic):
    assert make_staff("clinician").get(INSIGHTS).status_code == 200
    assert make_staff("content editor").get(INSIGHTS).status_code == 200
    assert make_staff("content editor").get(INSIGHTS_CSV).status_code == 200


def test_the_front_desk_gets_a_403_that_says_why(make_staff, shipped_topic):
    for url in (INSIGHTS, INSIGHTS_CSV):
        response = make_staff("front desk").get(url)
        assert response.status_code == 403
        assert "Clinic insights are for the clinic's clinicians and content editors." in text(
            response
        )


def test_anonymous_users_are_sent_to_sign_in(client, shipped_topic):
    response = client.get(INSIGHTS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_staff_menu_links_to_insights_only_for_those_allowed(make_staff, visits):
    visit = visits.finish()
    assert 'href="/staff/insights/"' in make_staff("clinician").get(visit.get_absolute_url()).text
    assert (
        'href="/staff/insights/"' not in make_staff("front desk").get(visit.get_absolute_url()).text
    )
