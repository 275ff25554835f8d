"""Learn, a screen at a time: about the treatment, every option at a glance, one screen per
option, and what we don't know. Each screen opened is recorded; Continue on the last one
records that Learn was read."""

import re

import pytest
from django.urls import reverse

from decisionaid.models import Answer
from tests.visits import stage_url
from topics.loader import refresh_content_version
from topics.models import Evidence

OPTIONS = ["prolo-plus-exercise", "prolo-alone", "exercise-or-manipulation", "wait-and-review"]
SCREENS = 7  # about, at a glance, the four options, what we don't know


def screen_url(number):
    if number == 1:
        return stage_url("learn")
    return reverse("journey:stage_screen", kwargs={"stage": "learn", "screen": number})


def option_screen(key):
    return OPTIONS.index(key) + 3


def tailored(page):
    """The "For you" messages on a page, in order."""
    box = re.search(r'<aside class="tailored-message".*?</aside>', page, re.S)
    return re.findall(r'class="tailored-text">([^<]*)<', box.group(0)) if box else []


def main_of(page):
    return page.split('id="main"')[1].split("</main>")[0]


@pytest.fixture
def screens(client, journey):
    """Every Learn screen's page after the calm history answers, by number."""
    journey.through("history")
    return {n: client.get(screen_url(n)).text for n in range(1, SCREENS + 1)}


@pytest.mark.parametrize(
    "question, choice, message, screen",
    [
        ("tried-exercise", "no", "also had exercise and manipulation", "prolo-plus-exercise"),
        ("tried-manipulation", "no", "You have not tried spinal manipulation", OPTIONS[2]),
        ("pain-duration", "over-1-year", "from people who had had pain for months", OPTIONS[3]),
        ("pain-duration", "under-3-months", "lasted more than 3 months", None),
        ("below-knee", "yes", "pain that does not spread down the leg", None),
        ("blood-thinners", "yes", "Do not stop any medicine on your own", None),
        ("numbing-allergy", "yes", "You said you are allergic to a numbing medicine", None),
        ("every-two-weeks", "no", "4 to 6 visits, about 2 weeks apart", None),
        ("cost-worry", "yes", "often not covered by insurance", None),
    ],
)
def test_a_message_for_you_shows_on_the_screen_it_is_about_and_only_there(
    client, journey, question, choice, message, screen
):
    """A message about one option sits on that option's screen; one about the treatment in
    general on "About the treatment", the first screen."""
    visit = journey.through("history", {"history": {question: choice}})
    where = option_screen(screen) if screen else 1
    for number in range(1, SCREENS + 1):
        found = tailored(client.get(screen_url(number)).text)
        if number == where:
            assert len(found) == 1 and message in found[0], found
        else:
            assert found == [], f"screen {number}: {found}"
    saved = Answer.objects.get(visit=visit, stage="history", key=question)
    assert message in saved.message and saved.sheet_note


def test_calm_answers_show_no_message_on_any_screen(screens):
    assert all("For you" not in page for page in screens.values())


def test_every_option_has_a_screen_of_its_own_with_the_same_parts_in_the_same_order(
    screens, shipped_topic
):
    parts = []
    for i, option in enumerate(shipped_topic.options.all(), start=1):
        page = screens[i + 2]
        assert f"<h1>{option.title}</h1>" in page
        assert f"Step 4 of 9 · Option {i} of 4" in page
        headings = re.findall(
            r'<h2 class="h6">(?:<span aria-hidden="true">.</span> )?([^<]+)', page
        )
        parts.append([h for h in headings if h != "Rare but serious harms"])
        assert "All 4 options at a glance" in page  # the way back to compare
        # No other option's details on this screen.
        others = [o.title for o in shipped_topic.options.exclude(pk=option.pk)]
        assert not any(f"<h1>{title}</h1>" in page for title in others)
    assert parts[0] == [
        "What it involves",
        "What life is like with it",
        "Possible benefits",
        "Possible harms",
        "The numbers",
        "When to get help",
        "Practical issues",
    ]
    assert all(p == parts[0] for p in parts)


def test_the_progress_bar_moves_on_with_each_screen(screens):
    bars = [float(re.search(r'value="([\d.]+)" max="9"', screens[n]).group(1)) for n in screens]
    assert bars == sorted(bars) and len(set(bars)) == SCREENS
    assert 3 < bars[0] < bars[-1] == 4  # step 4 of 9 fills as the last screen is reached


def test_at_a_glance_every_option_answers_the_same_four_questions_with_sources(screens):
    page = main_of(screens[2])
    assert "Should I try prolotherapy for my chronic low back pain?" in page
    for i, key in enumerate(OPTIONS, start=3):
        card = page.split(f'aria-labelledby="glance-{key}"')[1].split("</section>")[0]
        assert f'href="{screen_url(i)}"' in card
        assert re.findall(r"<dt>([^<]+)</dt>", card) == [
            "What is it?",
            "Does it help?",
            "What are the risks?",
            "What does it take?",
        ]
        assert re.search(r'class="cites">\(Sources?: [A-Z]', card)
    assert "In trials, it did no better than comparison shots." in page


def test_an_option_screen_shows_its_numbers_and_why_some_have_none(screens):
    exercise = main_of(screens[option_screen("exercise-or-manipulation")])
    assert "15 points less on average, after about 3 months (likely between 12 and 18)" in exercise
    assert exercise.count('class="scale-bar-svg"') == 2
    alone = main_of(screens[option_screen("prolo-alone")])
    assert "No trial found a clear benefit from the shots on their own." in alone
    assert "guesses by people who give" in alone
    assert "When to get help" in alone and "worse when you sit up" in alone


def test_what_we_dont_know_shows_both_sides_the_largest_trial_and_the_certainty_key(screens):
    page = main_of(screens[SCREENS])
    assert "<h1>What we don&#x27;t know, and how sure we are</h1>" in page
    assert page.count('<figure class="icon-array">') == 2
    assert (
        "After 12 months, 46 of every 100 people given prolotherapy shots had their pain cut by "
        "more than half, compared with 36 of every 100 people given comparison shots." in page
    )
    assert "could be down to chance" in page
    assert "Do the shots work on their own?" in page and "What do newer reviews say?" in page
    assert "How sure are we?" in page and "Very low" in page
    assert "We last searched for new evidence on" in page
    assert "Yelland MJ, Glasziou PP" in page  # the sources, in full


def test_the_certainty_scale_is_explained_on_the_first_screen(screens):
    page = main_of(screens[1])
    assert "Conflicting</dt><dd>The studies disagree with each other." in page
    assert "How old is this information, and who wrote it?" in page


def test_each_screen_opened_is_recorded_once_and_learn_is_done_only_on_the_last(client, journey):
    visit = journey.through("history")
    for number in (1, 2, 4, 2):
        assert client.get(screen_url(number)).status_code == 200
    opened = Answer.objects.filter(visit=visit, stage="learn").order_by("order")
    assert [a.key for a in opened] == ["opened-about", "opened-glance", "opened-prolo-alone"]
    # Continue on any screen but the last goes on, and Learn is not yet done.
    assert client.post(screen_url(2))["Location"] == screen_url(3)
    assert client.get(stage_url("understanding"))["Location"] == screen_url(4)  # furthest read
    response = client.post(screen_url(SCREENS))
    assert response["Location"] == stage_url("understanding")
    assert Answer.objects.filter(visit=visit, stage="learn", key="seen").exists()


def answer_the_rest(journey):
    for stage in ["understanding", "values", "leaning", "questions"]:
        assert journey.answer(stage).status_code == 302


def test_the_review_page_and_the_sheet_say_which_screens_were_not_opened(
    client, journey, make_staff
):
    visit = journey.through("history")
    for number in (1, 2, 3, SCREENS):
        client.get(screen_url(number))
    client.post(screen_url(SCREENS))
    answer_the_rest(journey)
    review = client.get(reverse("journey:review")).text
    missed = review.split("You have not opened")[1].split("</dd>")[0]
    assert "Prolotherapy on its own" in missed and "Keep on with my current care" in missed
    assert "About the treatment" not in missed
    assert client.post(reverse("journey:review")).status_code == 302
    sheet = make_staff("clinician").get(reverse("staff:sheet", args=[visit.token])).text
    assert (
        "Read 4 of 7 Learn screens; did not open: Shots on their own; "
        "Exercise or manipulation; Wait and review." in sheet
    )


def test_a_patient_who_opened_every_screen_is_told_so_on_the_sheet(client, journey, make_staff):
    visit = journey.through("history")
    for number in range(1, SCREENS + 1):
        client.get(screen_url(number))
    client.post(screen_url(SCREENS))
    answer_the_rest(journey)
    assert "You have not opened" not in client.get(reverse("journey:review")).text
    client.post(reverse("journey:review"))
    sheet = make_staff("clinician").get(reverse("staff:sheet", args=[visit.token])).text
    assert "Read every Learn screen." in sheet


def test_coming_back_after_a_break_opens_the_furthest_screen_read(client, journey):
    journey.through("history")
    for number in (1, 2, 3, 4):
        client.get(screen_url(number))
    client.get(screen_url(2))
    assert client.get(reverse("journey:resume"))["Location"] == screen_url(4)


@pytest.mark.parametrize("number", [0, SCREENS + 1, 99])
def test_a_screen_that_does_not_exist_goes_to_the_first(client, journey, number):
    journey.through("history")
    response = client.get(f"/visit/learn/{number}/", follow=True)
    assert response.redirect_chain[-1][0] == stage_url("learn")
    assert "About the treatment" in response.text


def test_an_editors_change_shows_on_the_next_page_despite_the_content_cache(
    client, journey, shipped_topic
):
    journey.through("learn")
    wait_screen = screen_url(option_screen("wait-and-review"))
    assert "Keep on with my current care, wait and review" in client.get(wait_screen).text

    shipped_topic.options.filter(key="wait-and-review").update(title="Carry on and check later")
    shipped_topic.history_questions.filter(key="pain-duration").update(text="How long has it hurt?")
    harm = Evidence.objects.filter(
        option__topic=shipped_topic, option__key="wait-and-review", kind="harm"
    ).first()
    harm.text = "A newly edited harm statement."
    harm.save()
    shipped_topic.disagreements.update(title="A newly edited disagreement")
    refresh_content_version(shipped_topic)

    page = client.get(wait_screen).text
    assert "Carry on and check later" in page
    assert "A newly edited harm statement." in page  # in the option's cached details
    assert "A newly edited disagreement" in client.get(screen_url(SCREENS)).text
    assert "How long has it hurt?" in client.get(stage_url("history")).text
