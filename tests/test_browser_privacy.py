"""The shared tablet in a real browser: idle warning, reset, and the Back button afterwards."""

import pytest

from decisionaid.models import Answer
from tests.conftest import TABLET, go_on

# The live server needs committed data, so each test runs in real transactions.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("staff_groups"),
]

SECRET = "My private worry about my job"
IDLE_SECONDS = 5


def start_visit(page, base_url):
    page.goto(base_url + "/")
    page.get_by_role("button", name="Start").click()
    page.get_by_text("None of these", exact=True).click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/visit/history/")


def fill_history(page):
    """Answer every question of one history screen, with its first answer."""
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("label").first.click()


@pytest.fixture
def tablet(live_server, page, settings, shipped_topic):
    """A tablet mid-visit, with a short idle time set by the test and a controllable clock."""
    settings.DECISIONAID_IDLE_WARNING_SECONDS = IDLE_SECONDS
    page.set_viewport_size(TABLET)
    page.clock.install()
    start_visit(page, live_server.url)
    page.evaluate("localStorage.setItem('left', 'x'); sessionStorage.setItem('behind', 'y')")
    return page


def test_the_idle_warning_appears_and_counts_down(tablet):
    dialog = tablet.locator("#idle-dialog")
    tablet.clock.run_for(IDLE_SECONDS * 1000 - 500)
    assert not dialog.is_visible()
    tablet.clock.run_for(600)
    assert dialog.is_visible()
    assert tablet.get_by_role("heading", name="Are you still there?").is_visible()
    assert tablet.locator("#idle-countdown").inner_text() == "30"
    tablet.clock.run_for(5000)
    assert tablet.locator("#idle-countdown").inner_text() == "25"
    stay = tablet.get_by_role("button", name="I'm still here")
    assert stay.is_visible()
    assert stay.bounding_box()["height"] >= 44


def test_i_am_still_here_keeps_the_visit_and_its_answers(tablet):
    fill_history(tablet)
    tablet.clock.run_for((IDLE_SECONDS + 1) * 1000)
    tablet.get_by_role("button", name="I'm still here").click()
    assert not tablet.locator("#idle-dialog").is_visible()
    tablet.clock.run_for(IDLE_SECONDS * 1000 - 500)  # the old countdown no longer runs
    assert tablet.url.endswith("/visit/history/")
    tablet.get_by_role("button", name="Continue").click()
    tablet.wait_for_url("**/visit/history/2/")
    assert Answer.objects.filter(stage="history").count() == 5


def test_the_timeout_ends_the_session_and_clears_storage_but_keeps_saved_answers(
    tablet, live_server
):
    tablet.clock.run_for((IDLE_SECONDS + 31) * 1000)
    tablet.wait_for_url(live_server.url + "/")
    assert "The tablet is ready for the next person" in tablet.content()
    assert tablet.evaluate("localStorage.length + sessionStorage.length") == 0
    tablet.goto(live_server.url + "/visit/history/")
    assert "Your visit has ended" in tablet.content()
    assert Answer.objects.filter(stage="safety").count() == 8


def test_back_after_a_reset_shows_nothing_of_the_previous_patient(live_server, page, shipped_topic):
    page.set_viewport_size(TABLET)
    start_visit(page, live_server.url)
    for _ in range(3):  # the three screens of history questions
        fill_history(page)
        go_on(page, page.get_by_role("button", name="Continue"))
    for number in range(2, 9):  # past Learn's seven screens
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(f"**/visit/learn/{number}/" if number < 8 else "**/understanding/")
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_text("Not sure", exact=True).click()
    page.get_by_role("button", name="Continue").click()
    go_on(page, page.get_by_role("link", name="Continue"))  # past the feedback
    for fieldset in page.locator("fieldset.scale").all():
        fieldset.get_by_text("3", exact=True).click()
    go_on(page, page.get_by_role("button", name="Continue"))
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("input").last.check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Your own questions or worries (optional)").fill(SECRET)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/visit/review/")
    assert SECRET in page.content()

    page.get_by_role("button", name="Stop and hand the tablet back").click()
    page.wait_for_url(live_server.url + "/")
    for _ in range(4):
        page.go_back()
        page.wait_for_load_state()
        assert SECRET not in page.content()
        assert "I&#x27;m not sure yet" not in page.content()
