"""The staff side in a real browser: sign in, find a visit by its code, open and print the sheet."""

import pytest
from django.contrib.auth.models import Group, User

from tests.conftest import DESKTOP, TABLET
from tests.test_browser_journey import audit

# The live server needs committed data, so each test runs in real transactions.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("staff_groups"),
]

PASSWORD = "a-long-test-password-for-staff"


@pytest.fixture
def desk_user(db):
    user = User.objects.create_user("desk", password=PASSWORD)
    user.groups.add(Group.objects.get(name="front desk"))
    return user


@pytest.fixture
def finished_visit(journey):
    return journey.finish({"safety": {"flags": ["fever"]}, "history": {"tried-exercise": "no"}})


def sign_in(page, base_url, next_path="/staff/"):
    page.goto(f"{base_url}{next_path}")
    page.wait_for_url("**/login/**")
    audit(page, "20-staff-login")
    page.get_by_label("Username").fill("desk")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_desk_signs_in_finds_a_visit_by_code_and_opens_its_sheet(
    live_server, page, desk_user, finished_visit
):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url)
    page.wait_for_url("**/staff/")
    assert finished_visit.code in page.content()
    flag = page.locator(".visits-table").get_by_text("See a doctor soon").first
    assert flag.is_visible()  # the flag is named in words, not only shown in colour
    audit(page, "21-staff-visits")

    page.get_by_label("Find a visit by its code").fill(f" {finished_visit.code.lower()} ")
    page.get_by_role("button", name="Find").click()
    page.wait_for_url(f"**/staff/sheet/{finished_visit.token}/")
    assert "You have a fever as well as back pain." in page.content()
    assert "Exercise program" in page.content() and "Not tried" in page.content()
    audit(page, "22-staff-sheet")


def test_an_unknown_code_gets_a_clear_message(live_server, page, desk_user, finished_visit):
    page.set_viewport_size(TABLET)
    sign_in(page, live_server.url)
    page.wait_for_url("**/staff/")
    page.get_by_label("Find a visit by its code").fill("ZZZZZZ")
    page.get_by_role("button", name="Find").click()
    assert "ZZZZZZ" in page.content()
    assert "No visit has the code ZZZZZZ" in page.content()
    audit(page, "23-staff-find-not-found")


def test_the_qr_link_leads_through_login_to_the_sheet(live_server, page, desk_user, finished_visit):
    page.set_viewport_size(TABLET)
    sign_in(page, live_server.url, f"/staff/sheet/{finished_visit.token}/")
    page.wait_for_url(f"**/staff/sheet/{finished_visit.token}/")
    assert finished_visit.code in page.content()


def test_the_sheet_prints_without_navigation(live_server, page, desk_user, finished_visit):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, f"/staff/sheet/{finished_visit.token}/")
    page.wait_for_url(f"**/staff/sheet/{finished_visit.token}/")
    assert page.locator(".sheet-toolbar").is_visible()
    page.emulate_media(media="print")
    for selector in [".site-header", "nav", ".sheet-toolbar", "button", "form", "a.btn"]:
        for element in page.locator(selector).all():
            assert not element.is_visible(), f"{selector} shows in print"
    assert page.get_by_text("You have a fever as well as back pain.").is_visible()
    audit(page, "24-staff-sheet-print")
