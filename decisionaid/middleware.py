"""Keep patient and staff pages out of every cache (the next person uses the same tablet), and
speak each person's language."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control

SESSION_LANGUAGE = "language"

# Read-only public pages that hold nothing a patient typed; any cache may keep them.
CACHEABLE_VIEWS = {"about", "topics:overview"}


class NoStoreMiddleware:
    """Adds Cache-Control: no-store to every response except the public read-only pages.

    Static files never get here: whitenoise answers them earlier in the chain. Everything else
    (journey pages, their redirects, 404s, staff sheets and PDFs, the admin) is no-store, so the
    Back button after "Hand the tablet back" cannot show the last patient's answers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if match is None or match.view_name not in CACHEABLE_VIEWS:
            patch_cache_control(response, no_store=True)
        return response


class LanguageMiddleware:
    """The patient's language on the patient's pages, the clinic's everywhere staff work.

    A patient chooses English or Español on Welcome (views.language); the choice is kept in the
    session, so Back, resume and reload keep it, and "Hand the tablet back" (a new session)
    returns to the clinic's default. The browser's own language is not asked: the tablet is
    shared. Staff pages, the sign-in, the admin and the API are always in LANGUAGE_CODE.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.staff_prefixes = (
            "/staff/",
            "/login/",
            "/logout/",
            "/api/",
            f"/{settings.ADMIN_PATH}",
        )

    def __call__(self, request):
        if request.path.startswith(self.staff_prefixes):
            language = settings.LANGUAGE_CODE
        else:
            language = patient_language(request.session)
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def patient_language(session):
    """The language the patient chose, or the clinic's default for patients."""
    chosen = session.get(SESSION_LANGUAGE)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.DECISIONAID_DEFAULT_LANGUAGE
