"""Refuse request bodies before Django reads them: uploads, and anything over a small limit.

The app has no file fields, so nothing legitimate is ever sent as multipart/form-data; browsers
and the admin post application/x-www-form-urlencoded. The largest real form is the admin's
change form of the shipped topic with all its inlines: about 18 KB as Chromium posts it, 399
fields (an option's change form with its evidence inlines is about 6 KB, and the largest patient
form, the questions stage with 500 characters of the patient's own words, under 7 KB even when
every character needs 4 bytes of UTF-8). The limit, DATA_UPLOAD_MAX_MEMORY_SIZE (64 KB), is
more than three times the largest of them, so one limit serves the admin too.

Django reads a body only when something asks for request.POST or request.body (the CSRF
middleware does, for every POST), and only as many bytes as Content-Length says. This middleware
looks at the headers alone and answers 413 with a short page before anything reads the body.

Beside it, a query string holding a NUL character is a bad request (400).
"""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import render

log = logging.getLogger(__name__)


def refusal(request):
    """Why this request's body is refused, or "" when it may be read."""
    if request.content_type.startswith("multipart/"):
        return "multipart body"
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0  # Django reads no body at all when Content-Length is not a number
    if limit is not None and length > limit:
        return f"body of {length} bytes, over the limit of {limit}"
    return ""


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = refusal(request)
        if reason:
            log.warning("Refused a request to %s: %s", request.path, reason)
            return render(request, "413.html", status=413)
        return self.get_response(request)


class NulQueryStringMiddleware:
    """400 for a query string with a NUL character in it, raw or as %00.

    No page takes one, and PostgreSQL refuses NUL in any text it is asked to compare: the
    admin's list filters (?status__exact=%00) and its autocomplete (term=%00) passed it to the
    database and answered 500. bench/hostile.py found them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            raise BadRequest("NUL in the query string")
        return self.get_response(request)
