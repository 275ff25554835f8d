"""Keep patient and staff pages out of every cache: the next person uses the same tablet."""

from django.utils.cache import patch_cache_control

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
