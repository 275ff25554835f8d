"""Bad input gets a clear message or a redirect: never a 500, never a half-saved stage."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from decisionaid.models import Answer, Visit
from tests.visits import stage_url


def saved(visit, stage):
    return {f"{a.stage}:{a.key}": a.value for a in Answer.objects.filter(visit=visit, stage=stage)}


def test_a_choice_that_is_not_offered_is_refused(journey):
    visit = journey.through("safety")
    response = journey.answer("history", **{"daily-life": "maybe-tomorrow"})
    assert response.status_code == 200
    assert "Choose one of the answers shown." in response.text
    assert saved(visit, "history") == {}


def test_a_scale_value_out_of_range_is_refused(journey):
    visit = journey.through("understanding")
    response = journey.answer("values", **{"avoid-needles": "6"})
    assert "Choose one of the answers shown." in response.text
    assert saved(visit, "values") == {}


def test_a_missing_answer_is_named_in_the_error_summary(journey):
    visit = journey.through("safety")
    response = journey.client.post(stage_url("history"), {"pain-duration": "over-1-year"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'href="#id_pain-now_0">Choose one answer.</a>' in response.text
    assert 'href="#id_daily-life_0">Choose one answer.</a>' in response.text
    assert saved(visit, "history") == {}


def test_an_empty_safety_check_asks_for_none_of_these(journey):
    visit = journey.start()
    response = journey.client.post(stage_url("safety"), {})
    assert "Tick any that apply to you, or tick &quot;None of these&quot;." in response.text
    assert saved(visit, "safety") == {}


def test_none_of_these_with_a_symptom_is_refused(journey):
    visit = journey.start()
    response = journey.answer("safety", flags=["none", "fever"])
    assert "You ticked &quot;None of these&quot; and a symptom." in response.text
    assert saved(visit, "safety") == {}


def test_own_questions_over_500_characters_are_refused(journey):
    visit = journey.through("leaning")
    response = journey.answer("questions", own="x" * 501)
    assert "Please use 500 characters or fewer (you used 501)." in response.text
    assert saved(visit, "questions") == {}
    assert journey.answer("questions", own="x" * 500).status_code == 302


def test_a_nul_byte_in_free_text_is_refused(journey):
    visit = journey.through("leaning")
    response = journey.answer("questions", own="hello\x00world")
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.text
    assert saved(visit, "questions") == {}


def test_a_stage_skipped_to_out_of_order_redirects_to_the_right_stage(client, journey):
    journey.through("safety")
    for stage in ["learn", "values", "questions"]:
        response = client.get(stage_url(stage))
        assert response["Location"] == stage_url("history")
    response = journey.answer("values")
    assert response["Location"] == stage_url("history")
    assert client.get(reverse("journey:review"))["Location"] == stage_url("history")
    assert client.get(reverse("journey:feedback"))["Location"] == stage_url("history")


def test_a_post_to_a_finished_visit_changes_nothing(client, journey):
    visit = journey.finish()
    response = client.post(stage_url("questions"), {"own": "changed my mind"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("journey:finished")
    assert (
        "You have finished. Your answers are saved and can no longer be changed." in response.text
    )
    assert saved(visit, "questions")["questions:own"] == "Can I keep working?"


def test_a_post_to_an_expired_visit_starts_over_with_a_message(client, journey):
    visit = journey.through("history")
    Visit.objects.filter(pk=visit.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    response = client.post(stage_url("learn"), {}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Your visit has ended, or it has not started yet." in response.text
    assert "visit_id" not in client.session
    assert saved(visit, "learn") == {}


def test_a_post_with_no_session_redirects_to_welcome(client, shipped_topic):
    response = client.post(stage_url("history"), {"tried-exercise": "no"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Your visit has ended, or it has not started yet." in response.text
    assert not Answer.objects.exists()


@pytest.mark.parametrize("url", ["/visit/review/", "/visit/finished/", "/visit/safety/alert/"])
def test_journey_pages_without_a_session_redirect_to_welcome(client, db, url):
    assert client.get(url)["Location"] == "/"


def test_an_unknown_stage_is_a_404(client, journey):
    journey.start()
    assert client.get("/visit/surgery/").status_code == 404
    assert client.get("/visit/welcome/").status_code == 404


def test_a_post_for_another_topic_slug_that_does_not_exist_is_a_404(client, db):
    assert client.post("/t/does-not-exist/start/").status_code == 404


def test_a_draft_topic_cannot_be_started(client, make_topic):
    make_topic(status="draft")
    assert client.post("/t/test-topic/start/").status_code == 404
    assert not Visit.objects.exists()


@pytest.mark.parametrize("target", ["!x", "nothing", "admin:index", "https://evil.example/"])
def test_the_text_size_switch_goes_home_when_next_is_not_a_page_here(client, db, target):
    response = client.post(reverse("journey:text_size"), {"size": "lg", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["text_size"] == "lg"


def test_start_and_hand_back_accept_only_post(client, shipped_topic):
    assert client.get(f"/t/{shipped_topic.slug}/start/").status_code == 405
    assert client.get(reverse("journey:end")).status_code == 405
