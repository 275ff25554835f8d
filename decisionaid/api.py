"""The read-only FHIR API for an EHR integration (docs/FHIR.md).

    GET /api/fhir/Questionnaire/<slug>                      the topic's current questionnaire
    GET /api/fhir/Questionnaire/<slug>/_history/<version>   at a content version a visit used
    GET /api/fhir/QuestionnaireResponse/<id>                a finished visit (id: its token)
    GET /api/fhir/QuestionnaireResponse?identifier=<code>   search by visit code: a Bundle

Every call needs an API key, `Authorization: Bearer <key>` (decisionaid.models.ApiKey), and is
logged with the key's name. It uses no session, cookie or CSRF token: nothing here reads
request.session or request.user. Errors are FHIR OperationOutcomes.
"""

import logging
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from decisionaid import fhir, services
from decisionaid.models import CODE_LENGTH, ApiKey, SheetAccess, Visit, hash_api_key, normalize_code
from topics.models import Topic

log = logging.getLogger(__name__)


def fhir_base(request):
    """The canonical base of our resources: the setting, or this API's own address."""
    return settings.DECISIONAID_FHIR_BASE_URL or request.build_absolute_uri(
        reverse("fhir:root")
    ).rstrip("/")


def fhir_response(resource, status=200, **headers):
    return HttpResponse(
        fhir.to_json(resource),
        status=status,
        content_type=f"{fhir.FHIR_JSON}; charset=utf-8",
        headers=headers,
    )


def _outcome(status, code, text, **headers):
    return fhir_response(fhir.operation_outcome(code, text), status=status, **headers)


def _key(request):
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        return None
    return ApiKey.objects.usable().filter(key_hash=hash_api_key(presented.strip())).first()


def api_view(view):
    """GET only, with a valid API key; every call is logged with the key's name."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        where = request.get_full_path()
        if request.method not in ("GET", "HEAD"):
            return _outcome(405, "not-supported", "This API is read-only: use GET.", Allow="GET")
        key = _key(request)
        if key is None:
            log.warning("FHIR API: refused %s %s: no valid API key", request.method, where)
            return _outcome(
                401,
                "login",
                "A valid API key is needed: send the header Authorization: Bearer <key>.",
                **{"WWW-Authenticate": 'Bearer realm="decisionaid FHIR API"'},
            )
        request.api_key = key  # the views record which key read which visit
        response = view(request, *args, base=fhir_base(request), **kwargs)
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        log.info(
            "FHIR API: key %r: %s %s -> %s", key.name, request.method, where, response.status_code
        )
        return response

    return wrapped


def _not_found(what):
    return _outcome(404, "not-found", f"{what} was not found.")


def _finished_visits():
    """Visits a response may be read for: finished, and not yet expired."""
    return (
        Visit.objects.active()
        .finished()
        .select_related("topic", "content_topic")
        .prefetch_related("answers")
    )


@api_view
def questionnaire(request, slug, base, version=None):
    topic = Topic.objects.filter(slug=slug, translation_of=None).first()
    if topic is None:
        return _not_found(f"Questionnaire {slug}")
    resource = fhir.questionnaire(topic, version or topic.content_version, base)
    if resource is None:
        return _not_found(f"Version {version} of questionnaire {slug}")
    return fhir_response(resource)


@api_view
def questionnaire_response(request, fhir_id, base):
    visit = _finished_visits().filter(token=fhir.token_from_id(fhir_id)).first()
    if visit is None:
        return _not_found("That QuestionnaireResponse (finished visits are kept a few days only)")
    services.record_access(visits=[visit], kind=SheetAccess.Kind.API, api_key=request.api_key)
    return fhir_response(fhir.questionnaire_response(visit, base))


@api_view
def questionnaire_response_search(request, base):
    """Search by visit code: identifier=<code>, or identifier=<system>|<code>."""
    if "identifier" not in request.GET:
        return _outcome(400, "not-supported", "Search by visit code only: ?identifier=<code>.")
    system, bar, code = request.GET["identifier"].rpartition("|")
    code = normalize_code(code)
    if (bar and system and system != fhir.visit_code_system(base)) or len(code) != CODE_LENGTH:
        visits = []
    else:
        visits = list(_finished_visits().filter(code=code))
    services.record_access(visits=visits, kind=SheetAccess.Kind.API, api_key=request.api_key)
    return fhir_response(
        fhir.search_bundle([fhir.questionnaire_response(v, base) for v in visits], base)
    )


@api_view
def unknown(request, base, path=""):
    return _outcome(
        404, "not-supported", "This API serves Questionnaire and QuestionnaireResponse."
    )
