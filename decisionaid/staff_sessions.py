"""Staff sign-ins on shared front-desk computers: a fresh session, an idle limit, at most a
working day, and gone when the browser closes.

The idle limit is Django's own: every request saves the session (SESSION_SAVE_EVERY_REQUEST), so a
session's age, SESSION_COOKIE_AGE (DECISIONAID_STAFF_IDLE_MINUTES), counts from the last request.
The working day is counted from the sign-in, kept in the session, and checked by the middleware.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SIGNED_IN_AT = "staff_signed_in_at"
AUTH_KEYS = {SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY}
DAY_OVER = _("You were signed in for a whole working day. Please sign in again.")


@receiver(user_logged_in, dispatch_uid="decisionaid-fresh-staff-session")
def fresh_staff_session(sender, request, user, **kwargs):
    """Nothing from before the sign-in stays in the session: not a patient's visit on the
    tablet, not their language or text size. The session ends when the browser closes."""
    if request is None:
        return
    for key in [k for k in request.session.keys() if k not in AUTH_KEYS]:
        del request.session[key]
    request.session.set_expiry(0)  # a browser-session cookie; the server keeps the idle limit
    request.session[SIGNED_IN_AT] = timezone.now().timestamp()


class StaffWorkingDayMiddleware:
    """Signs staff out once DECISIONAID_STAFF_MAX_HOURS have passed since they signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            since = request.session.get(SIGNED_IN_AT)
            limit = settings.DECISIONAID_STAFF_MAX_HOURS * 3600
            if not isinstance(since, int | float) or timezone.now().timestamp() - since > limit:
                logout(request)
                messages.info(request, DAY_OVER)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
