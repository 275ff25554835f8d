"""Spanish: the patient chooses it on Welcome and reads the whole journey in it; the clinic reads
the sheet in its own language, retold from the answers' keys."""

import pytest
from django.test import override_settings
from django.urls import reverse

from decisionaid import fhir
from decisionaid.models import Visit
from decisionaid.sheet import build_sheet
from tests.visits import Journey, stage_url
from topics.models import Topic

LANGUAGE = reverse("journey:language")
PAIN_QUESTION_ES = "¿Desde hace cuánto tiempo tiene este dolor de espalda?"
PAIN_QUESTION_EN = "How long have you had this back pain?"
BASE = "https://clinic.example/api/fhir"


def choose(client, language, next_url="/"):
    return client.post(LANGUAGE, {"language": language, "next": next_url})


@pytest.fixture
def spanish_topic(shipped_topic):
    return shipped_topic.translations.get(language="es")


@pytest.fixture
def spanish(client, shipped_topic):
    """A Journey whose patient chose Español on Welcome."""
    choose(client, "es")
    return Journey(client, shipped_topic)


def test_the_shipped_spanish_pack_is_loaded_current_and_published(shipped_topic, spanish_topic):
    assert spanish_topic.is_current_translation
    assert spanish_topic.is_published
    assert shipped_topic.translation_for("es") == spanish_topic
    assert "qualified medical translator" in spanish_topic.review_note
    assert list(Topic.objects.published()) == [shipped_topic]  # translations are reached via it


def test_choosing_espanol_on_welcome_starts_a_visit_in_spanish(client, spanish, spanish_topic):
    visit = spanish.start()
    assert (visit.language, visit.content_topic) == ("es", spanish_topic)
    assert visit.content_version == spanish_topic.content_version
    spanish.answer("safety")
    page = client.get(stage_url("history"))
    assert page.headers["Content-Language"] == "es"
    assert PAIN_QUESTION_ES in page.text and PAIN_QUESTION_EN not in page.text


def test_the_language_is_kept_on_back_resume_and_reload(client, spanish):
    spanish.through("history")
    assert client.get(reverse("journey:resume")).status_code == 302
    for url in [stage_url("learn"), stage_url("history"), stage_url("safety")]:
        page = client.get(url)
        assert page.headers["Content-Language"] == "es", url
    assert PAIN_QUESTION_ES in client.get(stage_url("history")).text


def test_handing_the_tablet_back_returns_to_the_clinics_default_language(client, spanish):
    spanish.start()
    client.post(reverse("journey:end"))
    assert client.get("/").headers["Content-Language"] == "en"


@override_settings(DECISIONAID_DEFAULT_LANGUAGE="es")
def test_a_clinic_can_make_spanish_the_tablets_default(client, shipped_topic):
    assert client.get("/").headers["Content-Language"] == "es"
    visit = Journey(client, shipped_topic).start()
    assert visit.language == "es"
    client.post(reverse("journey:end"))
    assert client.get("/").headers["Content-Language"] == "es"
    # Staff pages stay in the clinic's language.
    assert client.get(reverse("login")).headers["Content-Language"] == "en"


def test_changing_language_mid_visit_keeps_the_answers(client, journey, spanish_topic):
    visit = journey.through("history")
    choose(client, "es", stage_url("learn"))
    visit.refresh_from_db()
    assert visit.content_topic == spanish_topic
    assert visit.answers.filter(stage="history").count() > 10
    assert PAIN_QUESTION_ES in client.get(stage_url("history")).text


def test_a_topic_without_a_current_translation_is_offered_in_english_only(
    client, spanish, shipped_topic, spanish_topic
):
    Topic.objects.filter(pk=spanish_topic.pk).update(source_version="000000000000")
    welcome = client.get("/")
    assert "Solo puede leerlo en inglés." in welcome.text
    visit = spanish.start()
    assert (visit.language, visit.content_topic) == ("en", shipped_topic)
    assert client.get(stage_url("safety")).headers["Content-Language"] == "en"


def test_an_unknown_language_or_a_foreign_next_changes_nothing(client, shipped_topic):
    response = client.post(LANGUAGE, {"language": "xx", "next": "https://elsewhere.example/"})
    assert response["Location"] == "/"
    assert client.get("/").headers["Content-Language"] == "en"


# --- the sheet, in the clinic's language ---


def test_a_spanish_visit_reads_in_english_on_the_sheet(client, spanish, make_staff):
    visit = spanish.finish(
        {
            "history": {"pain-duration": "over-1-year", "tried-exercise": "no"},
            "questions": {"own": "¿Puedo seguir trabajando?"},
        }
    )
    sheet = build_sheet(visit)
    assert sheet.completed_in == "Spanish"
    rows = {row.label: row.answer for row in sheet.history}
    assert rows["Pain for"] == "More than 1 year"
    assert rows["Exercise program"] == "Not tried"
    assert sheet.leaning == "Exercise or spinal manipulation, without shots"
    assert sheet.own_words == "¿Puedo seguir trabajando?"  # as typed
    assert sheet.options[0].title == "Prolotherapy together with exercise or spinal manipulation"
    flags = " ".join(item.text for group in sheet.flags for item in group.items)
    assert "Exercise program: Not tried" in flags
    assert "ejercicio" not in flags.lower()


def test_the_fhir_response_of_a_spanish_visit_follows_the_english_questionnaire(
    spanish, shipped_topic, visits
):
    visit = spanish.finish()
    visit = Visit.objects.select_related("topic", "content_topic").get(pk=visit.pk)
    response = fhir.questionnaire_response(visit, BASE)
    assert response.questionnaire.endswith(f"|{shipped_topic.content_version}")
    texts = [item.text for group in response.item for item in group.item]
    assert PAIN_QUESTION_EN in texts and PAIN_QUESTION_ES not in texts
    # Word for word what the same answers give from an English visit, the Learn screens too.
    english = fhir.questionnaire_response(visits.finish(), BASE)
    assert items(response) == items(english)
    assert "learn.opened-about" in items(response)


def items(response):
    """{linkId: (text, answer)} of a QuestionnaireResponse's questions and their groups."""
    found = {group.linkId: (group.text, None) for group in response.item}
    for group in response.item:
        found |= {item.linkId: (item.text, item.answer) for item in group.item}
    return found


def test_the_sheet_says_completed_in_spanish_and_keeps_their_words_as_typed(
    spanish, make_staff, spanish_topic
):
    visit = spanish.finish({"questions": {"own": "¿Puedo seguir trabajando?"}})
    page = make_staff("clinician").get(reverse("staff:sheet", args=[visit.token])).text
    head = page.split('class="sheet-section sheet-flags"')[0]
    assert "<strong>Completed in Spanish</strong>" in head
    assert "In their own words <span" in page and "(in Spanish, as typed)" in page
    assert "¿Puedo seguir trabajando?" in page
    assert f"content version {spanish_topic.content_version} (Spanish pack)" in page
    assert "Pain for</th>" in page or "Pain for" in page
    assert "Desde hace cuánto" not in page


def test_the_staff_list_shows_each_visits_language(visits, make_staff):
    spanish_visit = visits.finish(language="es")
    english_visit = visits.finish()
    page = make_staff("front desk").get(reverse("staff:visits")).text
    for visit, language in [(spanish_visit, "Spanish"), (english_visit, "English")]:
        assert f'{visit.code}<span class="visit-language">{language}</span>' in page


def test_the_translation_note_shows_to_staff_on_the_overview_not_to_patients(
    client, shipped_topic, make_staff
):
    choose(client, "es")
    assert "qualified medical translator" not in client.get(shipped_topic.get_absolute_url()).text
    editor = make_staff(None, is_staff=True)
    choose(editor, "es")
    page = editor.get(shipped_topic.get_absolute_url()).text
    assert "Translation (staff only)" in page and "qualified medical translator" in page


def test_a_spanish_visit_keeps_the_source_version_it_followed_after_the_translation_changes(
    spanish, shipped_topic, spanish_topic
):
    visit = spanish.finish()
    before = spanish_topic.source_version
    assert visit.source_version == before == shipped_topic.content_version
    # The translation is updated later, against a newer English pack.
    spanish_topic.source_version, spanish_topic.content_version = "newer0source", "newer0spanish"
    spanish_topic.save(update_fields=["source_version", "content_version"])
    visit = Visit.objects.select_related("topic", "content_topic").get(pk=visit.pk)
    assert visit.source_version == before
    response = fhir.questionnaire_response(visit, BASE)
    assert response.questionnaire.endswith(f"|{before}")
