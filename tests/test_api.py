"""The read-only FHIR API: API keys (made in the admin or by create_api_key, stored as hashes),
401 and 404 as OperationOutcomes, reading and searching QuestionnaireResponses, and the log."""

import datetime
import io
import logging

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from decisionaid.models import ApiKey, Visit
from tests.clients import Client
from topics import loader

FHIR_JSON = "application/fhir+json; charset=utf-8"
ISSUE_TYPES = {"login", "not-found", "not-supported", "invalid", "security", "exception"}


def create_key(name="EHR integration", *args):
    out = io.StringIO()
    call_command("create_api_key", name, *args, stdout=out)
    return out.getvalue().strip().splitlines()


@pytest.fixture
def api_key(db):
    return create_key()[-1]


@pytest.fixture
def ehr(api_key):
    """A client that sends the key, as an EHR would, and has no cookies."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_key}")


def response_url(visit):
    return reverse("fhir:questionnaire_response", args=[visit.token.replace("_", ".")])


def outcome(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"] == FHIR_JSON
    parsed = OperationOutcome.model_validate_json(response.content)
    (issue,) = parsed.issue
    assert issue.severity == "error"
    assert issue.code == code and code in ISSUE_TYPES
    return issue.diagnostics


# --- keys ---


def test_create_api_key_prints_the_key_alone_on_its_last_line_and_stores_only_its_hash(db):
    lines = create_key("EHR integration")
    key = lines[-1]
    assert key.startswith("dak_") and len(key) > 40 and " " not in key
    assert "Copy it now" in lines[0]
    stored = ApiKey.objects.get(name="EHR integration")
    assert key not in {stored.key_hash, stored.prefix, stored.name}
    assert stored.prefix == key[:8]
    assert len(stored.key_hash) == 64


def test_create_api_key_refuses_a_name_used_before(db):
    create_key("EHR integration")
    with pytest.raises(CommandError, match="already exists"):
        create_key("EHR integration")


def test_an_admin_creates_a_key_and_sees_it_once(db):
    admin = User.objects.create_superuser("admin", password="a-long-admin-password")
    browser = Client()
    browser.force_login(admin)
    response = browser.post(reverse("admin:decisionaid_apikey_add"), {"name": "Lab EHR"})
    assert response.status_code == 200
    page = response.content.decode()
    stored = ApiKey.objects.get(name="Lab EHR")
    key = page.split('id="new-api-key"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    assert key.startswith(stored.prefix)
    assert "it cannot be shown again" in page
    change = browser.get(reverse("admin:decisionaid_apikey_change", args=[stored.pk]))
    assert key not in change.content.decode()
    assert browser.cookies.get("messages") is None
    response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(
        reverse("fhir:questionnaire", args=["prolotherapy-low-back-pain"])
    )
    assert response.status_code == 200


# --- without a valid key ---


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer dak_not-a-real-key", "Basic dXNlcjpwYXNz", "dak_no-scheme"],
)
def test_a_call_without_a_valid_key_gets_a_401_operation_outcome(db, visits, header):
    visit = visits.finish()
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    for url in (
        response_url(visit),
        reverse("fhir:questionnaire", args=["prolotherapy-low-back-pain"]),
        reverse("fhir:search") + f"?identifier={visit.code}",
    ):
        response = Client(**headers).get(url)
        assert "API key" in outcome(response, 401, "login")
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert visit.code not in response.content.decode()


def test_a_revoked_or_expired_key_is_refused(ehr, api_key, visits):
    url = reverse("fhir:questionnaire", args=["prolotherapy-low-back-pain"])
    assert ehr.get(url).status_code == 200
    ApiKey.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    outcome(ehr.get(url), 401, "login")
    ApiKey.objects.update(expires_at=None, is_active=False)
    outcome(ehr.get(url), 401, "login")


def test_a_key_made_to_expire_works_until_then(db):
    key = create_key("Short-lived", "--expires-in-days", "2")[-1]
    stored = ApiKey.objects.get(name="Short-lived")
    assert stored.expires_at > timezone.now() + datetime.timedelta(days=1)
    url = reverse("fhir:questionnaire", args=["prolotherapy-low-back-pain"])
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(url).status_code == 200


# --- reading ---


def test_the_ehr_reads_a_finished_visits_response(ehr, visits):
    visit = visits.finish({"safety": {"flags": ["fever"]}})
    response = ehr.get(response_url(visit))
    assert response.status_code == 200
    assert response["Content-Type"] == FHIR_JSON
    parsed = QuestionnaireResponse.model_validate_json(response.content)
    assert parsed.identifier.value == visit.code
    assert parsed.status == "completed"
    assert "Set-Cookie" not in response.headers and not ehr.cookies


def test_unknown_unfinished_and_expired_visits_are_404_operation_outcomes(ehr, journey):
    unfinished = journey.through("values")
    assert "not found" in outcome(ehr.get(response_url(unfinished)), 404, "not-found")
    outcome(ehr.get(reverse("fhir:questionnaire_response", args=["no-such-id"])), 404, "not-found")
    journey.client.post(reverse("journey:end"))
    finished = journey.finish()
    Visit.objects.filter(pk=finished.pk).update(expires_at=timezone.now())
    outcome(ehr.get(response_url(finished)), 404, "not-found")


def test_the_questionnaire_is_served_now_and_at_each_version_a_visit_used(ehr, visits):
    visit = visits.finish()
    topic = visit.topic
    topic.values.filter(key="avoid-needles").update(statement="Not having shots")
    loader.refresh_content_version(topic)
    current = Questionnaire.model_validate_json(
        ehr.get(reverse("fhir:questionnaire", args=[topic.slug])).content
    )
    assert current.version == topic.content_version
    old_url = QuestionnaireResponse.model_validate_json(
        ehr.get(response_url(visit)).content
    ).questionnaire
    assert (
        old_url == f"http://testserver/api/fhir/Questionnaire/{topic.slug}|{visit.content_version}"
    )
    old = ehr.get(reverse("fhir:questionnaire_version", args=[topic.slug, visit.content_version]))
    assert Questionnaire.model_validate_json(old.content).version == visit.content_version
    assert "Not having shots" not in old.content.decode()
    assert "Not having shots" in current.model_dump_json()
    outcome(
        ehr.get(reverse("fhir:questionnaire_version", args=[topic.slug, "0000"])), 404, "not-found"
    )
    outcome(ehr.get(reverse("fhir:questionnaire", args=["no-such-topic"])), 404, "not-found")


# --- searching ---


def test_a_search_by_visit_code_returns_a_searchset_bundle(ehr, visits):
    visit = visits.finish()
    for identifier in (
        visit.code,
        f" {visit.code.lower()} ",
        f"http://testserver/api/fhir/visit-code|{visit.code}",
    ):
        response = ehr.get(reverse("fhir:search"), {"identifier": identifier})
        bundle = Bundle.model_validate_json(response.content)
        assert bundle.type == "searchset"
        assert bundle.total == 1
        (entry,) = bundle.entry
        assert entry.search.mode == "match"
        assert entry.resource.identifier.value == visit.code
        assert entry.fullUrl == "http://testserver" + response_url(visit)


def test_a_search_that_matches_nothing_returns_an_empty_bundle(ehr, visits):
    unfinished = visits.through("values")
    for identifier in ("ZZZZZZ", unfinished.code, f"urn:other|{unfinished.code}"):
        bundle = Bundle.model_validate_json(
            ehr.get(reverse("fhir:search"), {"identifier": identifier}).content
        )
        assert bundle.total == 0 and not bundle.entry


def test_a_search_without_a_code_and_other_resources_are_refused(ehr, db):
    outcome(ehr.get(reverse("fhir:search")), 400, "not-supported")
    outcome(ehr.get("/api/fhir/Patient/1"), 404, "not-supported")


def test_the_api_is_read_only(ehr, visits):
    visit = visits.finish()
    response = ehr.post(response_url(visit), {})
    outcome(response, 405, "not-supported")
    assert response["Allow"] == "GET"


# --- the log, and the cost ---


def test_every_call_is_logged_with_the_keys_name(ehr, visits, caplog):
    visit = visits.finish()
    with caplog.at_level(logging.INFO, logger="decisionaid.api"):
        ehr.get(response_url(visit))
        Client().get(response_url(visit))
    ok, refused = [r for r in caplog.records if r.name == "decisionaid.api"]
    assert "'EHR integration'" in ok.getMessage() and "-> 200" in ok.getMessage()
    assert "no valid API key" in refused.getMessage()
    assert ApiKey.objects.get().last_used_at is not None


def test_each_call_reads_a_constant_number_of_queries(ehr, journey, django_assert_max_num_queries):
    visit = journey.finish()
    slug = journey.topic.slug
    with django_assert_max_num_queries(8):
        assert ehr.get(response_url(visit)).status_code == 200
    with django_assert_max_num_queries(8):
        assert ehr.get(reverse("fhir:search"), {"identifier": visit.code}).status_code == 200
    with django_assert_max_num_queries(4):
        assert ehr.get(reverse("fhir:questionnaire", args=[slug])).status_code == 200
