"""Pages for running the app: the health check, the expired-form page, the sign-in lockout."""

import logging

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)


@require_safe
def healthz(request):
    """200 "ok" when the database answers, else 503. It tells the caller nothing more."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.exception("Health check failed: the database did not answer")
        return HttpResponse("unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request, reason=""):
    """A form older than its security token, e.g. a page left open after the tablet was reset."""
    log.warning("CSRF failure on %s: %s", request.path, reason)
    return render(request, "csrf_failure.html", status=403)


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this when a sign-in is refused after too many failures."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(
        request, "lockout.html", {"minutes": minutes}, status=settings.AXES_HTTP_RESPONSE_CODE
    )


def sign_in_username(request, credentials=None):
    """The username django-axes records for a sign-in, cut to fit its 255-character column.

    Django's login form sends any length of username to authenticate(); without the cut, a very
    long one made axes' INSERT fail on PostgreSQL, and the sign-in page answered 500.
    """
    field = get_user_model().USERNAME_FIELD
    username = (credentials or request.POST).get(field)
    return username[:255] if isinstance(username, str) else username


class AddressLimitBackend:
    """Refuses every sign-in from an address that failed too often, whatever usernames it tried.

    django-axes locks a username at one address after AXES_FAILURE_LIMIT failures; one address
    could still try one password on many accounts. This counts the address's failures across
    all usernames (axes' own records, within its cool-off time) against a higher limit,
    DECISIONAID_LOGIN_ADDRESS_LIMIT, and answers with the same lockout page.
    """

    def authenticate(self, request, **credentials):
        limit = settings.DECISIONAID_LOGIN_ADDRESS_LIMIT
        if request is not None and address_failures(request) >= limit:
            request.axes_locked_out = True  # axes' middleware answers with the lockout page
            raise PermissionDenied("Too many failed sign-ins from this address.")
        return None  # no user of its own (and no get_user): the next backend signs people in


def address_failures(request):
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        ip_address=get_client_ip_address(request), attempt_time__gte=since
    )
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
