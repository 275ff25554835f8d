"""FHIR R4: the Questionnaire of each topic and content version, and the QuestionnaireResponse of
each finished visit, validated with fhir.resources for several answer sets."""

import json

import pytest
from django.urls import reverse
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from decisionaid import fhir, stages
from topics import loader

BASE = "https://aid.example-clinic.org/api/fhir"

# FHIR R4's value sets for the codes we emit (fhir.resources does not enforce them).
ITEM_TYPES = {
    "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string",
    "text", "url", "choice", "open-choice", "attachment", "reference", "quantity",
}  # fmt: skip
PUBLICATION_STATUS = {"draft", "active", "retired", "unknown"}
RESPONSE_STATUS = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}

ANSWER_SETS = {
    "calm": {},
    "red flags and unsure": {
        "safety": {"flags": ["fever", "saddle-numbness"]},
        "understanding": {"shots-alone": "not-sure", "exercise-first": "false"},
        "leaning": {"choice": "not-sure", "ready-settled": "no", "ready-support": "no"},
    },
    "no own words": {"questions": {"suggested": [], "own": ""}},
    "own words in two languages": {
        "questions": {"suggested": ["right-for-me", "cost-cover"], "own": "¿Duele?\nWill it hurt?"},
        "values": {"avoid-needles": "5", "try-something-new": "1"},
    },
}  # fmt: skip


def questions_of(resource):
    return {item.linkId: item for group in resource.item for item in group.item}


def revalidate(resource, model):
    """What an EHR would do with the JSON: parse and validate it again."""
    return model.model_validate_json(fhir.to_json(resource))


def test_the_questionnaire_has_an_item_for_every_question_keyed_by_stage_and_key(shipped_topic):
    resource = fhir.questionnaire(shipped_topic, shipped_topic.content_version, BASE)
    revalidate(resource, Questionnaire)
    assert resource.url == f"{BASE}/Questionnaire/prolotherapy-low-back-pain"
    assert resource.version == shipped_topic.content_version
    assert resource.status in PUBLICATION_STATUS and resource.status == "active"
    assert [g.linkId for g in resource.item] == [s.slug for s in stages.STAGES]
    assert resource.item[1].text == "About your back pain"
    items = questions_of(resource)
    assert items["history.tried-exercise"].type == "choice"
    assert [o.valueCoding.code for o in items["history.tried-exercise"].answerOption] == [
        "no",
        "helped-a-lot",
        "helped-a-little",
        "did-not-help",
        "could-not-keep-up",
        "not-sure",
    ]
    assert items["history.pain-now"].type == "integer"
    assert items["history.do-again"].type == "string"
    assert items["values.avoid-needles"].type == "integer"
    assert items["safety.fever"].type == "boolean"
    assert items["questions.own"].type == "text"
    assert items["questions.own"].maxLength == 500
    assert "leaning.not-sure" not in items
    assert [o.valueCoding.code for o in items["leaning.choice"].answerOption][-1] == "not-sure"
    for group in resource.item:
        assert group.type == "group"
        for item in group.item:
            assert item.type in ITEM_TYPES
            assert item.linkId.startswith(f"{group.linkId}.")


def test_a_draft_topic_gives_a_draft_questionnaire(make_topic):
    topic = make_topic(status="draft")
    resource = fhir.questionnaire(topic, topic.content_version, BASE)
    assert revalidate(resource, Questionnaire).status == "draft"


@pytest.mark.parametrize("answer_set", list(ANSWER_SETS))
def test_every_finished_visit_gives_a_valid_response_that_matches_its_questionnaire(
    visits, shipped_topic, answer_set
):
    visit = visits.finish(ANSWER_SETS[answer_set])
    response = fhir.questionnaire_response(visit, BASE)
    parsed = revalidate(response, QuestionnaireResponse)
    assert parsed.status in RESPONSE_STATUS and parsed.status == "completed"
    assert parsed.questionnaire == (
        f"{BASE}/Questionnaire/prolotherapy-low-back-pain|{visit.content_version}"
    )
    assert parsed.authored == visit.finished_at
    assert (parsed.identifier.system, parsed.identifier.value) == (f"{BASE}/visit-code", visit.code)
    questions = questions_of(fhir.questionnaire(shipped_topic, visit.content_version, BASE))
    answered = questions_of(parsed)
    stored = {f"{a.stage}.{a.key}": a for a in visit.answers.all()}
    for link_id, item in answered.items():
        (answer,) = item.answer
        kind = questions[link_id].type
        value = stored[link_id].value
        if kind == "choice":
            assert answer.valueCoding.code == value
            codes = [o.valueCoding.code for o in questions[link_id].answerOption]
            assert value in codes
            assert (
                answer.valueCoding.system == questions[link_id].answerOption[0].valueCoding.system
            )
        elif kind == "integer":
            assert answer.valueInteger == int(value)
        elif kind == "boolean":
            assert answer.valueBoolean is (value == "yes")
        else:
            assert answer.valueString == value
    # Every answer is there, except an empty box of own words (FHIR has no empty answers)
    # and the app's own record that every history screen was answered.
    expected = {k for k, a in stored.items() if a.value.strip() and not k.endswith("._done")}
    assert set(answered) == expected


def test_the_response_holds_the_patients_own_words_as_typed_and_nothing_that_names_them(visits):
    visit = visits.finish(ANSWER_SETS["own words in two languages"])
    data = json.loads(fhir.to_json(fhir.questionnaire_response(visit, BASE)))
    own = questions_of(QuestionnaireResponse.model_validate(data))["questions.own"]
    assert own.answer[0].valueString == "¿Duele?\nWill it hurt?"
    assert not {"subject", "source", "author", "contained"} & set(data)
    text = json.dumps(data)
    assert "birthDate" not in text and '"name"' not in text
    assert visit.token.replace("_", ".") == data["id"]


def test_an_old_visit_points_at_the_questionnaire_as_it_was(visits, shipped_topic):
    visit = visits.finish()
    old_version = visit.content_version
    shipped_topic.knowledge.filter(key="exercise-first").update(statement="A changed statement.")
    loader.refresh_content_version(shipped_topic)
    assert shipped_topic.content_version != old_version
    response = fhir.questionnaire_response(visit, BASE)
    assert response.questionnaire.endswith(f"|{old_version}")
    old = questions_of(fhir.questionnaire(shipped_topic, old_version, BASE))
    new = questions_of(fhir.questionnaire(shipped_topic, shipped_topic.content_version, BASE))
    assert old["understanding.exercise-first"].text != "A changed statement."
    assert new["understanding.exercise-first"].text == "A changed statement."


def test_staff_can_download_a_visits_response_from_its_sheet(visits, make_staff):
    visit = visits.finish()
    staff = make_staff("clinician")
    sheet = staff.get(visit.get_absolute_url()).content.decode()
    url = reverse("staff:sheet_fhir", kwargs={"token": visit.token})
    assert f'href="{url}"' in sheet
    assert "Download FHIR (QuestionnaireResponse)" in sheet
    response = staff.get(url)
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="questionnaire-response-{visit.code}.json"'
    )
    parsed = QuestionnaireResponse.model_validate_json(response.content)
    assert parsed.identifier.value == visit.code
    assert parsed.questionnaire.startswith("http://testserver/api/fhir/Questionnaire/")


def test_the_download_needs_the_sheet_permission(visits, make_staff, client):
    visit = visits.finish()
    url = reverse("staff:sheet_fhir", kwargs={"token": visit.token})
    assert make_staff("content editor").get(url).status_code == 403
    assert make_staff(None).get(url).status_code == 403


def test_the_canonical_base_can_be_set_for_the_clinic(visits, make_staff, settings):
    settings.DECISIONAID_FHIR_BASE_URL = BASE
    visit = visits.finish()
    response = make_staff("clinician").get(reverse("staff:sheet_fhir", args=[visit.token]))
    parsed = QuestionnaireResponse.model_validate_json(response.content)
    assert parsed.questionnaire.startswith(f"{BASE}/Questionnaire/")
