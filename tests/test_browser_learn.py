"""Learn on a tablet, in a real browser: every page within its height budget, even with every
message for you; no sideways scrolling at the largest text size; and read-aloud."""

import pytest
from playwright.sync_api import expect

from tests.conftest import TABLET, go_on
from tests.test_browser_journey import (
    BUDGET_PX,
    UNBUDGETED,
    answer_the_rest,
    no_sideways_scroll,
    page_height,
    walk_journey,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("staff_groups"),
]

# The answers that put the most "For you" messages on Learn's screens, and the most text
# anywhere else.
HEAVIEST_HISTORY = [
    [
        ("pain-duration", "Less than 3 months"),
        ("pain-now", "10"),
        ("below-knee", "Yes"),
        ("daily-life", "A lot"),
        ("do-again", "What would you like to be able to do again?", "Garden again " * 30),
    ],
    [
        ("tried-exercise", "No"),
        ("tried-manipulation", "No"),
        ("tried-other", "Yes, but it did not help"),
        ("other-which", "Which other treatments have you tried, and how did they go?", "Yo " * 99),
    ],
    [
        ("back-injections", "Yes"),
        ("needles", "I am very afraid of them"),
        ("numbing-allergy", "Yes"),
        ("blood-thinners", "Yes"),
        ("every-two-weeks", "No"),
        ("cost-worry", "Yes"),
    ],
]
HEAVIEST_TAILORED = {"about": 6, "option-1": 1, "option-3": 1}


def test_every_patient_page_fits_two_tablet_screens(live_server, page, shipped_topic):
    page.set_viewport_size(TABLET)
    heights = {}

    def measure(page, name):
        heights[name] = page_height(page)

    walk_journey(page, live_server.url, measure, HEAVIEST_HISTORY, HEAVIEST_TAILORED)
    assert len([n for n in heights if n.startswith("04-learn-")]) == 7
    over = {n: h for n, h in heights.items() if h > BUDGET_PX and n not in UNBUDGETED}
    assert over == {}, f"taller than {BUDGET_PX}px at 768×1024: {over}"


def test_at_the_largest_text_size_no_page_scrolls_sideways(live_server, page, shipped_topic):
    page.set_viewport_size(TABLET)
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Largest text").click()
    seen = []

    def check(page, name):
        assert "text-xl" in page.locator("html").get_attribute("class"), name
        no_sideways_scroll(page, name)
        seen.append(name)

    walk_journey(page, live_server.url, check)
    assert "04-learn-2-glance" in seen and "10-finished" in seen


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_back_the_browsers_back_resuming_and_change_all_work_inside_learn(
    live_server, browser, shipped_topic, javascript
):
    context = browser.new_context(java_script_enabled=javascript, viewport=TABLET)
    page = context.new_page()
    try:
        start_learn(page, live_server.url)
        for number in (2, 3, 4):
            page.get_by_role("button", name="Continue").click()
            page.wait_for_url(f"**/visit/learn/{number}/")
        page.go_back()  # the browser's own Back
        page.wait_for_url("**/visit/learn/3/")
        assert page.locator("h1").inner_text().startswith("Prolotherapy together with")
        page.get_by_role("link", name="Back", exact=True).click()
        page.wait_for_url("**/visit/learn/2/")
        assert page.locator("h1").inner_text() == "Your options at a glance"
        # Reloading stays put; coming back to the visit opens the furthest screen read.
        page.reload()
        assert page.locator("h1").inner_text() == "Your options at a glance"
        page.goto(live_server.url + "/visit/")
        page.wait_for_url("**/visit/learn/4/")
        for number in (5, 6, 7):
            page.get_by_role("button", name="Continue").click()
            page.wait_for_url(f"**/visit/learn/{number}/")
        page.get_by_role("button", name="Continue").click()
        answer_the_rest(page, lambda page, name: None)
        page.wait_for_url("**/visit/review/")
        learn = page.locator("section", has=page.get_by_role("heading", name="Learn about"))
        assert "You have not opened" not in learn.inner_text()
        learn.get_by_role("link", name="Change").click()
        page.wait_for_url("**/visit/learn/")
        assert page.locator("h1").inner_text() == "About the treatment"
        assert page.locator("#step-count").inner_text().startswith("Step 4 of 9")
    finally:
        context.close()


# A stand-in for the browser's speech: records what would be said, and when it is stopped.
FAKE_SPEECH = """
(() => {
  const voice = {name: "Tablet voice", lang: "en-US", localService: %(local)s, default: true};
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
  const speech = {
    getVoices: () => [voice],
    speak: (u) => window.heard("speak", u.text, u.lang, u.voice ? u.voice.name : ""),
    cancel: () => {
      // Counted where it outlives the page too: a page being left may not finish a call out.
      sessionStorage.setItem("cancels", Number(sessionStorage.getItem("cancels") || 0) + 1);
      window.heard("cancel", "", "", "");
    },
    addEventListener: () => {},
  };
  Object.defineProperty(window, "speechSynthesis", {value: speech, configurable: true});
})();
"""


@pytest.fixture
def speech(page):
    """What the page asked the fake speech to do: ("speak", text, lang, voice) or ("cancel",)."""
    events = []
    page.expose_function("heard", lambda kind, *rest: events.append((kind, *rest)))
    page.add_init_script(FAKE_SPEECH % {"local": "true"})
    return events


def start_learn(page, base_url):
    page.goto(base_url + "/")
    page.get_by_role("button", name="Start").click()
    page.get_by_text("None of these", exact=True).click()
    go_on(page, page.get_by_role("button", name="Continue"))
    for _ in range(3):
        for fieldset in page.locator("fieldset").all():
            fieldset.locator("label").first.click()
        go_on(page, page.get_by_role("button", name="Continue"))
    page.wait_for_url("**/visit/learn/")


def test_read_aloud_reads_the_main_content_in_order_and_stops(
    live_server, page, speech, shipped_topic
):
    page.set_viewport_size(TABLET)
    start_learn(page, live_server.url)
    page.goto(live_server.url + "/visit/learn/4/")  # Prolotherapy on its own
    button = page.get_by_role("button", name="Read this page aloud")
    button.click()
    page.wait_for_function("document.querySelector('.read-aloud-label').textContent !== ''")
    spoken = [e for e in speech if e[0] == "speak"]
    texts = [e[1] for e in spoken]
    assert texts[0] == "Step 4 of 9 · Option 2 of 4"
    assert texts[1] == "Prolotherapy on its own"
    order = ["What it involves", "Possible benefits", "Possible harms", "Practical issues"]
    where = [next(i for i, t in enumerate(texts) if t.upper() == part.upper()) for part in order]
    assert where == sorted(where)
    assert any(t.startswith("Shots on their own have not been shown to help.") for t in texts)
    # Only the local voice, in the page's language; sentences in pieces short enough to speak.
    assert {(e[2], e[3]) for e in spoken} == {("en-US", "Tablet voice")}
    assert max(len(t) for t in texts) <= 200
    # Nothing hidden from the eye, nor the buttons: what is read is what is on the screen.
    assert not any(t in ("Back", "Continue", "All 4 options at a glance") for t in texts)

    assert page.get_by_role("button", name="Stop reading").is_visible()
    cancels = len([e for e in speech if e[0] == "cancel"])
    page.get_by_role("button", name="Stop reading").click()
    assert len([e for e in speech if e[0] == "cancel"]) == cancels + 1
    assert page.get_by_role("button", name="Read this page aloud").is_visible()


def test_reading_stops_when_the_page_changes(live_server, page, speech, shipped_topic):
    page.set_viewport_size(TABLET)
    start_learn(page, live_server.url)
    page.get_by_role("button", name="Read this page aloud").click()
    assert page.get_by_role("button", name="Stop reading").is_visible()
    cancels = int(page.evaluate("sessionStorage.getItem('cancels')"))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/visit/learn/2/")
    assert int(page.evaluate("sessionStorage.getItem('cancels')")) > cancels
    assert page.get_by_role("button", name="Read this page aloud").is_visible()


def test_read_aloud_is_on_every_patient_page(live_server, page, speech, shipped_topic):
    page.set_viewport_size(TABLET)
    seen = []

    def check(page, name):
        expect(page.get_by_role("button", name="Read this page aloud")).to_be_visible()
        seen.append(name)

    walk_journey(page, live_server.url, check)
    assert len(seen) > 20


@pytest.mark.parametrize("speech_script", ["no speech", "only an online voice"])
def test_read_aloud_is_hidden_without_speech_on_the_tablet(
    live_server, page, shipped_topic, speech_script
):
    if speech_script == "no speech":
        page.add_init_script("delete window.SpeechSynthesisUtterance;")
    else:
        page.expose_function("heard", lambda *args: None)
        page.add_init_script(FAKE_SPEECH % {"local": "false"})
    page.goto(live_server.url + "/")
    page.wait_for_load_state()
    assert page.locator("#read-aloud").count() == 1
    expect(page.locator("#read-aloud")).to_be_hidden()
