"""The patient journey in a real browser: clicked and typed as a patient would, audited with axe.

Screenshots of every page land in test-artifacts/screenshots/<width>x<height>/.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from decisionaid.models import Answer, Visit
from tests.conftest import DESKTOP, TABLET, go_on, screenshot

# The live server needs committed data, so each test runs in real transactions.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("staff_groups"),
]

AXE = Axe()
ZOOM_200 = {"width": 640, "height": 400}  # a 1280 px window at 200% zoom


# At 768×1024 and normal text size a patient page is at most two screens tall, so it needs
# little scrolling. Only "Check your answers", which reads everything back, and the public topic
# overview, the whole aid on one page for reading at home, may be longer.
BUDGET_PX = 2 * TABLET["height"]
UNBUDGETED = {"09-review", "00-topic-overview"}


def audit(page, name):
    """Screenshot the page, then check it has no axe violations, no sideways scrolling and, at
    tablet size, fits its height budget."""
    screenshot(page, name)
    results = AXE.run(page)
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"
    no_sideways_scroll(page, name)
    if page.viewport_size == TABLET and page.locator("html.text-normal").count():
        height = page_height(page)
        exempt = name.removeprefix("es-") in UNBUDGETED
        assert exempt or height <= BUDGET_PX, f"{name} is {height}px tall"


def no_sideways_scroll(page, name):
    page.wait_for_load_state()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"


def page_height(page):
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollHeight")


def click_label(page, text):
    page.get_by_text(text, exact=True).first.click()


HISTORY_SCREENS = [
    [
        ("pain-duration", "More than 1 year"),
        ("pain-now", "7"),
        ("below-knee", "No"),
        ("daily-life", "A lot"),
        ("do-again", "What would you like to be able to do again?", "Garden again"),
    ],
    [
        ("tried-exercise", "No"),
        ("tried-manipulation", "Yes, and it helped a little"),
        ("tried-other", "Yes, but it did not help"),
        ("other-which", "Which other treatments have you tried, and how did they go?", "Yoga"),
    ],
    [
        ("back-injections", "No"),
        ("needles", "I am a little afraid of them"),
        ("numbing-allergy", "No"),
        ("blood-thinners", "No"),
        ("every-two-weeks", "Yes"),
        ("cost-worry", "Yes"),
    ],
]
# Where these answers' "For you" messages show in Learn: the cost on "About the treatment", no
# exercise beside the shots-with-exercise option, more than a year beside waiting.
TAILORED = {"about": 1, "option-1": 1, "option-4": 1}
LEARN_SCREENS = ["about", "glance", "option-1", "option-2", "option-3", "option-4", "unknowns"]


def answer_history(page, screens):
    for screen, answers in enumerate(screens, start=1):
        yield screen
        for question, *answer in answers:
            if len(answer) == 2:  # a text question: its label, then what to type
                page.get_by_label(answer[0]).fill(answer[1])
            else:
                page.locator(f"#div_id_{question}").get_by_text(answer[0], exact=True).click()
        page.get_by_role("button", name="Continue").click()


def read_learn(page, check, tailored=None):
    """Every Learn screen in order, with a jump back from the third option to the second through
    "at a glance", as a patient comparing them would."""
    for number, name in enumerate(LEARN_SCREENS, start=1):
        assert page.url.endswith("/visit/learn/" if number == 1 else f"/visit/learn/{number}/")
        check(page, f"04-learn-{number}-{name}")
        if tailored is not None:
            count = page.locator(".tailored-text").count()
            assert count == tailored.get(name, 0), f"{name}: {count} messages for you"
        if name == "option-3":
            page.get_by_role("link", name="All 4 options at a glance").click()
            page.get_by_role("link", name="Prolotherapy on its own", exact=True).click()
            assert (
                page.locator("#step-count").inner_text().startswith("Step 4 of 9 · Option 2 of 4")
            )
            assert page.locator("h1").inner_text() == "Prolotherapy on its own"
            page.get_by_role("button", name="Continue").click()
            assert page.url.endswith("/visit/learn/5/")
        page.get_by_role("button", name="Continue").click()


def walk_journey(page, base_url, check=audit, history=HISTORY_SCREENS, tailored=TAILORED):
    page.goto(base_url + "/")
    check(page, "01-welcome")
    page.get_by_role("button", name="Start").click()

    check(page, "02-safety")
    page.get_by_role("button", name="Continue").click()
    check(page, "02a-safety-error")
    click_label(page, "Numbness or tingling around your genitals or bottom.")
    page.get_by_role("button", name="Continue").click()
    check(page, "02b-emergency")
    page.get_by_role("link", name="Back: I ticked this by mistake").click()
    click_label(page, "Numbness or tingling around your genitals or bottom.")
    click_label(page, "You have a fever as well as back pain.")
    page.get_by_role("button", name="Continue").click()
    check(page, "02c-safety-alert")
    page.get_by_role("link", name="Continue").click()

    for screen in answer_history(page, history):
        check(page, f"03-history-{screen}")

    read_learn(page, check, tailored)
    answer_the_rest(page, check)
    check(page, "09-review")
    page.get_by_role("button", name="Finish").click()
    check(page, "10-finished")


def answer_the_rest(page, check):
    """From the understanding check to "Check your answers"."""
    assert page.url.endswith("/visit/understanding/")
    check(page, "05-understanding")
    for i in range(5):
        page.locator("fieldset").nth(i).get_by_text("Not sure", exact=True).click()
    page.get_by_role("button", name="Continue").click()
    check(page, "05b-feedback")
    go_on(page, page.get_by_role("link", name="Continue"))

    check(page, "06-values")
    for fieldset in page.locator("fieldset.scale").all():
        fieldset.get_by_text("4", exact=True).click()
    page.get_by_role("button", name="Continue").click()

    check(page, "07-leaning")
    click_label(page, "I'm not sure yet")
    for i in range(1, 5):
        page.locator("fieldset").nth(i).get_by_text("Yes", exact=True).click()
    page.get_by_role("button", name="Continue").click()

    check(page, "08-questions")
    click_label(page, "Is prolotherapy a good choice for my kind of back pain?")
    page.get_by_label("Your own questions or worries (optional)").fill("Can I still go to work?")
    page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize("viewport", [TABLET, DESKTOP, ZOOM_200], ids=["tablet", "desktop", "zoom"])
def test_a_patient_clicks_through_the_whole_journey(live_server, page, viewport, shipped_topic):
    page.set_viewport_size(viewport)
    walk_journey(page, live_server.url)

    code = page.locator(".visit-code").inner_text()
    visit = Visit.objects.get(code=code)
    assert visit.is_finished
    saved = {f"{a.stage}:{a.key}": a for a in Answer.objects.filter(visit=visit)}
    assert saved["safety:fever"].outcome == "flag"
    assert saved["safety:saddle-numbness"].outcome == ""
    assert visit.emergency_at is not None  # ticked once, then unticked
    assert saved["history:tried-exercise"].value == "no"
    assert saved["history:pain-now"].value == "7"
    assert saved["history:do-again"].value == "Garden again"
    assert saved["understanding:slow-improvement"].outcome == "unsure"
    assert saved["values:avoid-needles"].value == "4"
    assert saved["leaning:choice"].value == "not-sure"
    assert saved["questions:own"].value == "Can I still go to work?"
    assert visit.readiness_score == 4


def test_the_topic_overview_passes_axe(live_server, page, shipped_topic):
    for viewport in (TABLET, DESKTOP):
        page.set_viewport_size(viewport)
        page.goto(live_server.url + shipped_topic.get_absolute_url())
        audit(page, "00-topic-overview")


def focus_is_visible(page):
    return page.evaluate(
        """() => {
            let el = document.activeElement;
            if (!el || el === document.body) return true;
            let style = getComputedStyle(el);
            if (style.opacity === "0" && el.nextElementSibling) {
                el = el.nextElementSibling;  // a hidden radio shows its focus on its label
                style = getComputedStyle(el);
            }
            const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
            return outlined || style.boxShadow !== "none";
        }"""
    )


def tab_to(page, selector, limit=250):
    """Press Tab until the focused element matches `selector`, checking focus is visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert focus_is_visible(page), page.evaluate("document.activeElement.outerHTML")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def choose_radio(page, name, value):
    tab_to(page, f"input[name='{name}']")
    for _ in range(10):
        if page.evaluate("document.activeElement.value") == value:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"No radio {name}={value}")


def continue_with_keyboard(page):
    tab_to(page, "button[type=submit].btn-primary, a.btn-primary")
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_a_patient_can_finish_with_the_keyboard_alone(live_server, page, shipped_topic):
    page.set_viewport_size(TABLET)
    page.goto(live_server.url + "/")
    tab_to(page, "button[type=submit].btn-primary")
    page.keyboard.press("Enter")
    page.wait_for_url("**/visit/safety/")

    tab_to(page, "input[value='none']")
    page.keyboard.press("Space")
    continue_with_keyboard(page)

    for url, answers in [
        (
            "**/visit/history/",
            {"pain-duration": "over-1-year", "pain-now": "3", "daily-life": "a-little"},
        ),
        ("**/visit/history/2/", {"tried-exercise": "helped-a-lot", "tried-other": "no"}),
        ("**/visit/history/3/", {"needles": "fine", "cost-worry": "no"}),
    ]:
        page.wait_for_url(url)
        keys = page.eval_on_selector_all(
            "fieldset input[type=radio]", "inputs => [...new Set(inputs.map(i => i.name))]"
        )
        for key in keys:
            choose_radio(page, key, answers.get(key, "no"))
        continue_with_keyboard(page)

    page.wait_for_url("**/visit/learn/")
    for number in range(2, len(LEARN_SCREENS) + 1):
        continue_with_keyboard(page)
        page.wait_for_url(f"**/visit/learn/{number}/")
    continue_with_keyboard(page)

    page.wait_for_url("**/visit/understanding/")
    for key in [
        "shots-alone",
        "credit-with-other-care",
        "exercise-first",
        "serious-harm",
        "slow-improvement",
    ]:
        choose_radio(page, key, "true")
    continue_with_keyboard(page)
    page.wait_for_url("**/feedback/")
    continue_with_keyboard(page)

    page.wait_for_url("**/visit/values/")
    for value in shipped_topic.values.all():
        choose_radio(page, value.key, "3")
    continue_with_keyboard(page)

    page.wait_for_url("**/visit/leaning/")
    choose_radio(page, "choice", "wait-and-review")
    for key in ["settled", "understand", "priorities", "support"]:
        choose_radio(page, f"ready-{key}", "yes")
    continue_with_keyboard(page)

    page.wait_for_url("**/visit/questions/")
    tab_to(page, "textarea")
    page.keyboard.type("Typed with the keyboard")
    continue_with_keyboard(page)

    page.wait_for_url("**/visit/review/")
    continue_with_keyboard(page)
    page.wait_for_url("**/visit/finished/")

    visit = Visit.objects.get(code=page.locator(".visit-code").inner_text())
    saved = {f"{a.stage}:{a.key}": a.value for a in Answer.objects.filter(visit=visit)}
    assert saved["history:pain-now"] == "3"
    assert saved["history:tried-exercise"] == "helped-a-lot"
    assert saved["leaning:choice"] == "wait-and-review"
    assert saved["values:avoid-needles"] == "3"
    assert saved["questions:own"] == "Typed with the keyboard"


def test_the_text_size_choice_persists_through_the_journey(live_server, page, shipped_topic):
    page.set_viewport_size(TABLET)
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Start").click()
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("button", name="Largest text").click()
    page.wait_for_url("**/visit/safety/")
    assert page.get_by_role("button", name="Largest text").get_attribute("aria-pressed") == "true"
    click_label(page, "None of these")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/visit/history/")
    assert "text-xl" in page.locator("html").get_attribute("class")
    larger = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert larger >= normal * 1.3
    audit(page, "03-history-largest-text")


def test_the_whole_journey_works_with_javascript_turned_off(live_server, browser, shipped_topic):
    context = browser.new_context(java_script_enabled=False, viewport=TABLET)
    page = context.new_page()
    try:
        walk_journey(page, live_server.url, check=lambda page, name: None)
        assert page.locator(".visit-code").inner_text()
        visit = Visit.objects.get(code=page.locator(".visit-code").inner_text())
        assert visit.is_finished
        assert Answer.objects.filter(visit=visit, stage="questions", key="own").get().value == (
            "Can I still go to work?"
        )
    finally:
        context.close()
