"""The whole journey in Spanish in a real browser: chosen on Welcome, every page checked with axe,
within its height budget at tablet size, and free of English; then the sheet in English.

Screenshots of the Spanish pages land in test-artifacts/screenshots/<size>/es-*.png.
"""

import re

import pytest
from django.urls import reverse

from decisionaid.models import Visit
from tests.clients import Client
from tests.conftest import DESKTOP, TABLET, go_on
from tests.test_browser_journey import audit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("staff_groups"),
]

# Words that are English and never Spanish: one of them on a patient's page is a missed string.
ENGLISH = {
    "the", "and", "you", "your", "with", "what", "this", "that", "of", "to", "for", "step",
    "continue", "back", "start", "finish", "answer", "answers", "not", "sure", "yes", "none",
    "read", "options", "about", "how", "which", "doctor", "tablet", "hand", "text", "size",
}  # fmt: skip
OWN_WORDS = "¿Puedo seguir trabajando?"


def english_words(page):
    """English words visible on the page (outside the brand name)."""
    shown = page.locator("body").inner_text()
    words = re.findall(r"[A-Za-z]+", shown.replace("decisionaid", ""))
    return sorted({w for w in words if w.lower() in ENGLISH})


def check_spanish(page, name):
    audit(page, f"es-{name}")
    assert page.locator("html").get_attribute("lang") == "es", name
    found = english_words(page)
    assert found == [], f"{name} shows English: {found}"


def continue_on(page):
    go_on(page, page.locator("form.stage-form button[type=submit].btn-primary"))


def walk_in_spanish(page, base_url, check=check_spanish):
    page.goto(base_url + "/")
    go_on(page, page.get_by_role("button", name="Español"))
    check(page, "01-welcome")
    go_on(page, page.get_by_role("button", name="Empezar"))

    check(page, "02-safety")
    page.locator("input[value='none']").check()
    continue_on(page)

    for screen in (1, 2, 3):
        check(page, f"03-history-{screen}")
        for fieldset in page.locator("fieldset").all():
            fieldset.locator("label").first.click()
        continue_on(page)

    for screen in range(1, 8):
        check(page, f"04-learn-{screen}")
        continue_on(page)

    check(page, "05-understanding")
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("label").last.click()  # "No lo sé"
    continue_on(page)
    check(page, "05b-feedback")
    go_on(page, page.locator("main a.btn-primary"))

    check(page, "06-values")
    for fieldset in page.locator("fieldset.scale").all():
        fieldset.locator("label").nth(3).click()
    continue_on(page)

    check(page, "07-leaning")
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("label").first.click()
    continue_on(page)

    check(page, "08-questions")
    page.locator("textarea").fill(OWN_WORDS)
    continue_on(page)

    check(page, "09-review")
    go_on(page, page.get_by_role("button", name="Terminar"))
    check(page, "10-finished")
    return Visit.objects.get(code=page.locator(".visit-code").inner_text())


@pytest.mark.parametrize("viewport", [TABLET, DESKTOP], ids=["tablet", "desktop"])
def test_a_patient_finishes_the_whole_journey_in_spanish(live_server, page, viewport):
    page.set_viewport_size(viewport)
    visit = walk_in_spanish(page, live_server.url)
    assert visit.is_finished and visit.language == "es"
    assert visit.answers.get(stage="questions", key="own").value == OWN_WORDS

    # The front desk opens the sheet in the clinic's language.
    staff = Client()
    staff.force_login(_clinician())
    sheet = staff.get(reverse("staff:sheet", args=[visit.token])).text
    assert "<strong>Completed in Spanish</strong>" in sheet
    assert OWN_WORDS in sheet and "(in Spanish, as typed)" in sheet
    assert "Flags: check these first" in sheet


def test_handing_back_returns_the_tablet_to_english(live_server, page):
    page.set_viewport_size(TABLET)
    walk_in_spanish(page, live_server.url, check=lambda page, name: None)
    page.locator("#end-form button").click()
    page.wait_for_url(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Start").is_visible()


def _clinician():
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("clinician-es")
    user.groups.add(Group.objects.get(name="clinician"))
    return user
