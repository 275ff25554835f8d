import re

import pytest
from django.urls import reverse

from decisionaid import services
from decisionaid.models import CODE_ALPHABET, Answer, Visit
from decisionaid.services import start_visit
from tests.clients import Client
from tests.test_spanish import choose
from tests.visits import CALM_ANSWERS, Journey, stage_url

STAGES = list(CALM_ANSWERS)


def answers_of(visit):
    return {f"{a.stage}:{a.key}": a for a in Answer.objects.filter(visit=visit)}


def test_a_patient_can_go_from_welcome_to_finish(client, shipped_topic):
    welcome = client.get("/")
    assert "Start" in welcome.text
    visit = Journey(client, shipped_topic, pages=True).finish()

    assert visit.is_finished
    assert visit.content_version == shipped_topic.content_version
    assert visit.readiness_score == 4
    saved = answers_of(visit)
    assert saved["history:tried-exercise"].display == "Yes, and it helped a little"
    assert saved["history:pain-now"].display == "6 out of 10"
    assert saved["history:do-again"].value == "Walk the dog"
    assert saved["values:guideline-advice"].value == "5"
    assert saved["values:guideline-advice"].points_toward == ["exercise-or-manipulation"]
    assert saved["leaning:choice"].display == "Exercise or spinal manipulation, without shots"
    assert saved["questions:exercise-first"].value == "yes"
    assert saved["questions:own"].value == "Can I keep working?"
    assert saved["understanding:shots-alone"].outcome == "correct"
    assert {a.stage for a in saved.values()} == set(STAGES)

    finished = client.get(reverse("journey:finished"))
    assert visit.code in finished.text
    assert "Hand the tablet back" in finished.text


def test_every_stage_shows_its_step_and_a_progress_bar(client, journey):
    journey.start()
    for number, stage in enumerate(STAGES, start=2):
        page = client.get(stage_url(stage))
        assert f"Step {number} of 9" in page.text, stage
        # On a stage of several screens, the bar moves on a little with each.
        bar = re.search(r'<progress class="journey-bar" value="([\d.]+)" max="9"', page.text)
        assert number - 1 < float(bar.group(1)) <= number
        assert ">Back</a>" in page.text
        assert ">Continue</button>" in page.text
        journey.answer(stage)


def test_the_history_questions_take_three_screens_each_a_part_of_step_3(client, journey):
    journey.through("safety")
    first = client.get(stage_url("history")).text
    assert "Step 3 of 9 · Part 1 of 3" in first
    assert "<h1>About your back pain</h1>" in first
    assert first.count("<fieldset") == 4  # 3 choice questions and the 0 to 10 scale
    assert '<legend class="scale-question">How bad is your back pain right now?</legend>' in first
    assert "What would you like to be able to do again?" in first
    second = client.get("/visit/history/2/").text
    assert "Step 3 of 9 · Part 2 of 3" in second and "<h1>What you have tried</h1>" in second
    assert "<legend>Have you tried a regular exercise program for your back?</legend>" in second
    assert f'href="{stage_url("history")}">Back</a>' in second
    assert client.get("/visit/history/4/")["Location"] == stage_url("history")


def test_each_history_screen_saves_and_leads_to_the_next(client, journey):
    visit = journey.through("safety")
    data = CALM_ANSWERS["history"]
    assert client.post(stage_url("history"), data)["Location"] == "/visit/history/2/"
    saved = answers_of(visit)
    assert "history:pain-now" in saved and "history:tried-exercise" not in saved
    # Learn is not open until every screen is answered.
    assert client.get(stage_url("learn"))["Location"] == stage_url("history")
    assert client.post("/visit/history/2/", data)["Location"] == "/visit/history/3/"
    assert client.post("/visit/history/3/", data)["Location"] == stage_url("learn")
    assert client.get(stage_url("learn")).status_code == 200


def test_a_later_history_screen_saved_first_leads_back_to_the_missing_one(client, journey):
    journey.through("safety")
    response = client.post("/visit/history/3/", CALM_ANSWERS["history"])
    assert response["Location"] == stage_url("history")
    assert client.get(reverse("journey:resume"))["Location"] == stage_url("history")


def test_an_emergency_sign_shows_get_help_now_and_is_kept_on_the_visit(client, journey):
    visit = journey.start()
    response = journey.answer("safety", flags=["saddle-numbness", "fever"])
    assert response["Location"] == reverse("journey:emergency")
    page = client.get(response["Location"]).text
    assert "Get help now" in page
    assert "Numbness or tingling around your genitals or bottom." in page
    assert "You have a fever" not in page  # the other tier has its own page
    assert "Go to the front desk now" in page and "call 911" in page
    assert visit.code in page
    saved = answers_of(visit)
    assert saved["safety:saddle-numbness"].outcome == "emergency"
    assert saved["safety:fever"].outcome == "flag"
    visit.refresh_from_db()
    first_ticked = visit.emergency_at
    assert first_ticked is not None
    # Unticking it later keeps the record of when it was ticked.
    journey.answer("safety", flags=["none"])
    visit.refresh_from_db()
    assert visit.emergency_at == first_ticked


def test_the_emergency_number_is_the_clinics_setting(client, journey, settings):
    settings.DECISIONAID_EMERGENCY_NUMBER = "999"
    journey.start()
    journey.answer("safety", flags=["bladder-bowel"])
    assert "call 999" in client.get(reverse("journey:emergency")).text


def test_a_see_a_doctor_soon_sign_says_tell_your_doctor_before_deciding(client, journey):
    visit = journey.start()
    response = journey.answer("safety", flags=["fever", "night-pain"])
    assert response["Location"] == reverse("journey:safety_alert")
    alert = client.get(response["Location"]).text
    assert "Before you decide on any treatment, tell your doctor" in alert
    assert "It is not an emergency" in alert
    assert "You have a fever as well as back pain." in alert
    assert "straight away" not in alert
    assert client.get(reverse("journey:emergency"))["Location"] == stage_url("history")
    flags = {k for k, a in answers_of(visit).items() if a.outcome == "flag"}
    assert flags == {"safety:fever", "safety:night-pain"}
    visit.refresh_from_db()
    assert visit.emergency_at is None
    assert client.get(stage_url("history")).status_code == 200


def test_no_red_flag_goes_straight_on(journey):
    journey.start()
    assert journey.answer("safety")["Location"] == stage_url("history")


def test_the_understanding_check_gives_feedback_and_records_the_result(client, journey):
    visit = journey.through("learn")
    response = journey.answer(
        "understanding", **{"shots-alone": "true", "slow-improvement": "not-sure"}
    )
    assert response["Location"] == reverse("journey:feedback")
    page = client.get(response["Location"]).text
    assert "Not quite." in page
    assert "That's right." in page
    assert "That's fine." in page
    assert "shots on their own did no better than comparison shots" in page
    saved = answers_of(visit)
    assert saved["understanding:shots-alone"].outcome == "wrong"
    assert saved["understanding:slow-improvement"].outcome == "unsure"
    assert saved["understanding:exercise-first"].outcome == "correct"


def test_the_readiness_score_counts_the_yes_answers(visits):
    visit = visits.through(
        "leaning", {"leaning": {"choice": "not-sure", "ready-settled": "no", "ready-support": "no"}}
    )
    visit.refresh_from_db()
    assert visit.readiness_score == 2
    assert answers_of(visit)["leaning:choice"].outcome == "unsure"


def test_the_readiness_check_is_in_our_own_words(client, journey):
    journey.through("values")
    page = client.get(stage_url("leaning")).text
    assert "I feel settled about which option is right for me." in page
    assert "SURE" not in page
    assert "Do you feel sure about the best choice for you?" not in page


def test_the_values_scale_is_labelled_at_both_ends(client, journey):
    journey.through("understanding")
    page = client.get(stage_url("values")).text
    assert "1 – Not important to me" in page
    assert "5 – Very important to me" in page


def test_reloading_resumes_at_the_first_unanswered_stage(client, journey):
    journey.through("learn")
    assert client.get(reverse("journey:resume"))["Location"] == stage_url("understanding")
    assert client.get("/visit/")["Location"] == stage_url("understanding")


def test_starting_again_in_the_same_session_resumes_the_visit(client, journey, shipped_topic):
    visit = journey.through("history")
    response = client.post(reverse("journey:start", kwargs={"slug": shipped_topic.slug}))
    assert response["Location"] == reverse("journey:resume")
    assert client.session["visit_id"] == visit.pk
    assert Visit.objects.count() == 1


def test_going_back_shows_the_saved_answers(client, journey):
    journey.through("questions", {"history": {"tried-exercise": "no"}})
    history = client.get("/visit/history/2/").text
    assert re.search(
        r'value="no"[^>]*name="tried-exercise"|name="tried-exercise" value="no"', history
    )
    assert re.search(r'<input type="radio" name="tried-exercise" value="no"[^>]*checked', history)
    questions = client.get(stage_url("questions")).text
    assert "Can I keep working?</textarea>" in questions
    assert re.search(r'value="exercise-first"[^>]*checked', questions)
    safety = client.get(stage_url("safety")).text
    assert re.search(r'value="none"[^>]*checked', safety)


def test_changing_an_answer_replaces_it(journey):
    visit = journey.through("history")
    journey.answer("history", **{"tried-exercise": "no"})
    saved = Answer.objects.filter(visit=visit, stage="history", key="tried-exercise")
    assert [a.value for a in saved] == ["no"]


def test_check_your_answers_lists_everything_with_change_links(client, journey):
    journey.through("questions", {"safety": {"flags": ["fever"]}})
    page = client.get(reverse("journey:review")).text
    assert "You have a fever as well as back pain." in page
    assert "Have you tried a regular exercise program for your back?" in page
    assert "Exercise or spinal manipulation, without shots" in page
    assert "Can I keep working?" in page
    for stage in STAGES:
        assert f'href="{stage_url(stage)}"' in page
    assert ">Finish</button>" in page


def test_hand_the_tablet_back_forgets_the_visit_but_keeps_the_answers(client, journey):
    visit = journey.finish()
    response = client.post(reverse("journey:end"), follow=True)
    assert "The tablet is ready for the next person" in response.text
    assert "visit_id" not in client.session
    assert client.get(reverse("journey:finished"))["Location"] == "/"
    assert Answer.objects.filter(visit=visit).count() > 20


def test_a_finished_visit_is_read_only(client, journey):
    visit = journey.finish()
    before = {k: a.value for k, a in answers_of(visit).items()}
    for stage in STAGES:
        response = journey.answer(stage, **{"tried-exercise": "no", "choice": "not-sure"})
        assert response["Location"] == reverse("journey:finished")
    assert client.get(stage_url("history"))["Location"] == reverse("journey:finished")
    assert client.post(reverse("journey:review"))["Location"] == reverse("journey:finished")
    assert {k: a.value for k, a in answers_of(visit).items()} == before


def test_codes_use_six_characters_without_look_alikes(shipped_topic):
    codes = {start_visit(topic=shipped_topic).code for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 6 and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert not set("0O1IL") & set(CODE_ALPHABET)


def test_a_code_collision_is_retried(shipped_topic, monkeypatch):
    first = start_visit(topic=shipped_topic)
    codes = iter([first.code, first.code, "ABC234"])
    monkeypatch.setattr("decisionaid.services.new_code", lambda: next(codes))
    assert start_visit(topic=shipped_topic).code == "ABC234"


def test_tokens_are_long_random_and_distinct(shipped_topic):
    tokens = {start_visit(topic=shipped_topic).token for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(token) >= 32 and not token.isdigit() for token in tokens)


def test_a_text_size_chosen_on_welcome_stays_after_start_and_goes_at_hand_back(
    client, shipped_topic
):
    client.post(reverse("journey:text_size"), {"size": "xl", "next": "/"})
    client.post(reverse("journey:start", kwargs={"slug": shipped_topic.slug}))
    assert '<html lang="en" class="text-xl">' in client.get(stage_url("safety")).text
    client.post(reverse("journey:end"))
    assert '<html lang="en" class="text-normal">' in client.get("/").text


UNUSUAL = {
    "safety": {"flags": ["fever", "leg-weakness"]},
    "history": {"tried-exercise": "no", "needles": "a-lot"},
    "understanding": {"shots-alone": "true", "slow-improvement": "not-sure"},
    "leaning": {"choice": "not-sure", "ready-settled": "no"},
    "questions": {"suggested": [], "own": ""},
}
VISIT_FIELDS = ["language", "content_topic_id", "content_version", "readiness_score"]


def stored(visit):
    """What a visit holds, but for its own identity and the time of each save."""
    visit.refresh_from_db()
    fields = [getattr(visit, f) for f in VISIT_FIELDS]
    fields += [visit.finished_at is not None, visit.emergency_at is not None]
    rows = Answer.objects.filter(visit=visit).order_by("stage", "order", "key")
    names = ["stage", "key", "order", *services.ANSWER_FIELDS]
    return fields, [[getattr(a, name) for name in names] for a in rows]


def tablet_in(language):
    """A tablet whose patient chose `language` on Welcome."""
    tablet = Client()
    choose(tablet, language)
    return tablet


@pytest.mark.parametrize("language", ["en", "es"])
def test_visits_made_without_the_pages_are_stored_as_the_pages_store_them(
    shipped_topic, visits, language
):
    """Most tests make their visits with `Visits`, or reach a stage with `Journey.through`,
    which skip the pages; they must leave exactly what walking the pages leaves."""
    for answers in [None, UNUSUAL]:
        walked = Journey(tablet_in(language), shipped_topic, pages=True).finish(answers)
        quick = Journey(tablet_in(language), shipped_topic).finish(answers)
        made = visits.finish(answers, language=language)
        assert stored(made) == stored(walked) == stored(quick)
        assert walked.language == language and walked.answers.count() > 40
