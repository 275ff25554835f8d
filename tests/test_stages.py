"""A stage owns its behaviour: a new one is one class and one template, and the whole journey
(steps, saving, where Continue leads, "Check your answers", finishing, the sheet) follows."""

import pytest
from django.urls import reverse

from decisionaid import stages
from decisionaid.models import Answer
from decisionaid.sheet import build_sheet
from decisionaid.stages.base import AnswerData, FlagItem, Stage, flag_group, radio
from tests.visits import CALM_ANSWERS, stage_url

MOOD_TEMPLATE = """{% extends "decisionaid/stage_form.html" %}
{% block stage_intro %}<p class="lead">One more question before you choose.</p>{% endblock %}"""


class MoodStage(Stage):
    """A throwaway stage: how the patient feels today, flagged on the sheet when low."""

    slug = "mood"
    title = "How you feel today"
    template = "mood.html"

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, content=content, **kwargs)
        self.fields["mood"] = radio("How is your mood today?", [("good", "Good"), ("low", "Low")])

    def answers(self):
        mood = self.cleaned_data["mood"]
        label = dict(self.fields["mood"].choices)[mood]
        return [AnswerData(key="mood", prompt=self.fields["mood"].label, value=mood, display=label)]

    @classmethod
    def flags(cls, answers, visit):
        low = [FlagItem("Said their mood is low today.") for a in answers if a.value == "low"]
        return flag_group(1, "mood", "Low mood", "☁", low)


@pytest.fixture
def mood_stage(monkeypatch, settings, tmp_path):
    """The stage listed after "What matters most to you", and its one template."""
    (tmp_path / "mood.html").write_text(MOOD_TEMPLATE)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    position = [s.slug for s in stages.STAGES].index("values") + 1
    monkeypatch.setattr(
        stages, "STAGES", [*stages.STAGES[:position], MoodStage, *stages.STAGES[position:]]
    )
    return MoodStage


def test_a_new_stage_is_one_class_and_one_template(client, journey, mood_stage, make_staff):
    visit = journey.through("values")
    assert client.get(reverse("journey:resume"))["Location"] == stage_url("mood")

    page = client.get(stage_url("mood")).text
    assert "Step 7 of 10" in page
    assert "<h1>How you feel today</h1>" in page
    assert "One more question before you choose." in page
    assert "<legend>How is your mood today?</legend>" in page
    assert f'href="{stage_url("values")}">Back</a>' in page

    response = client.post(stage_url("mood"), {"mood": "wrong"})
    assert "Choose one of the answers shown." in response.text
    response = client.post(stage_url("mood"), {"mood": "low"})
    assert response["Location"] == stage_url("leaning")
    assert "Step 8 of 10" in client.get(stage_url("leaning")).text
    assert Answer.objects.get(visit=visit, stage="mood", key="mood").display == "Low"

    for stage in ("leaning", "questions"):
        assert journey.answer(stage).status_code == 302
    review = client.get(reverse("journey:review")).text
    assert "How you feel today" in review and "How is your mood today?" in review
    assert f'href="{stage_url("mood")}"' in review
    client.post(reverse("journey:review"))
    visit.refresh_from_db()
    assert visit.is_finished

    flags = [(group.label, group.items) for group in build_sheet(visit).flags]
    assert ("Low mood", (FlagItem("Said their mood is low today."),)) in flags
    sheet = make_staff("clinician").get(visit.get_absolute_url()).text
    assert "Said their mood is low today." in sheet


def test_a_visit_cannot_finish_until_the_new_stage_is_answered(client, journey, mood_stage):
    visit = journey.start()
    for stage in CALM_ANSWERS:
        journey.answer(stage)
    assert client.get(reverse("journey:review"))["Location"] == stage_url("mood")
    assert client.post(reverse("journey:review"))["Location"] == stage_url("mood")
    visit.refresh_from_db()
    assert not visit.is_finished


def test_a_stage_may_set_only_the_visit_fields_it_names(journey):
    from decisionaid import services

    visit = journey.start()
    with pytest.raises(ValueError, match="The safety stage may not set finished_at."):
        services.save_stage(
            visit=visit,
            stage=stages.by_slug("safety"),
            answers=[],
            visit_updates={"finished_at": visit.started_at},
        )
    visit.refresh_from_db()
    assert visit.finished_at is None
