"""Clinic insights in a real browser, at tablet and desktop sizes: the charts draw, the tables
beside them read, axe finds nothing, and the page works without JavaScript."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User
from django.utils import timezone

from decisionaid import tallies
from decisionaid.models import DailyTally
from tests.conftest import DESKTOP, TABLET
from tests.test_browser_journey import audit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("staff_groups"),
]

PASSWORD = "a-long-test-password-for-staff"


@pytest.fixture
def clinician(staff_groups):
    """A clinician; the insights permission comes from a later data migration than the groups."""
    migration = importlib.import_module(
        "decisionaid.migrations.0007_insights_and_content_history_permissions"
    )
    migration.grant(django_apps, schema_editor=None)
    user = User.objects.create_user("clinician", password=PASSWORD)
    user.groups.add(Group.objects.get(name="clinician"))
    return user


@pytest.fixture
def a_month_of_tallies(shipped_topic):
    """Tallies as a month of visits would leave them, some counts under 5."""
    today = timezone.localdate()
    counts = {
        (tallies.STARTED, ""): 9,
        (tallies.FINISHED, ""): 7,
        (tallies.STOPPED, "history"): 1,
        (tallies.STOPPED, "learn"): 1,
        (tallies.RED_FLAG, "flag"): 2,
        (tallies.LEANING, "exercise-or-manipulation"): 4,
        (tallies.LEANING, "prolo-plus-exercise"): 2,
        (tallies.LEANING, "not-sure"): 1,
        (tallies.READINESS, "4"): 3,
        (tallies.READINESS, "2"): 4,
        ("knowledge-wrong", "injections-alone"): 3,
        ("knowledge-unsure", "injections-alone"): 2,
        ("knowledge-correct", "usual-course"): 6,
    }
    for day in range(3):
        for (metric, key), count in counts.items():
            DailyTally.objects.create(
                day=today - datetime.timedelta(days=day),
                topic=shipped_topic,
                metric=metric,
                key=key,
                count=count,
            )


def sign_in(page, base_url):
    page.goto(f"{base_url}/staff/insights/")
    page.wait_for_url("**/login/**")
    page.get_by_label("Username").fill("clinician")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/insights/")


@pytest.mark.parametrize("size", [TABLET, DESKTOP], ids=["tablet", "desktop"])
def test_a_clinician_reads_the_insights_at_tablet_and_desktop_size(
    live_server, page, clinician, a_month_of_tallies, size
):
    page.set_viewport_size(size)
    sign_in(page, live_server.url)
    started = page.get_by_role("row", name="Started")
    assert started.get_by_role("cell").inner_text() == "27"
    assert (
        page.get_by_role("row", name="Where are you leaning?").inner_text().endswith("fewer than 5")
    )
    bars = page.locator("svg.bar-chart rect.bar")
    assert bars.count() >= 6
    assert bars.first.bounding_box()["width"] > 100  # the longest bar really is drawn
    audit(page, f"30-staff-insights-{size['width']}")


def test_the_insights_form_works_without_javascript(
    live_server, browser, clinician, a_month_of_tallies
):
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, live_server.url)
    today = timezone.localdate()
    page.locator("#id_start").fill(today.isoformat())
    page.locator("#id_end").fill(today.isoformat())
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/staff/insights/?topic=*")
    assert page.get_by_role("row", name="Started").get_by_role("cell").inner_text() == "9"
    context.close()
