"""Who changed which content, when, and why: django-simple-history on the content models.

Each content model has `history = ContentHistory()`. In the admin, the signed-in editor is
recorded (simple_history's request middleware); a loader run has no user, so it records its
reason instead, e.g. "Loaded from the content pack prolotherapy-low-back-pain.yaml".
This module imports no topics model: the models import it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from simple_history.models import HistoricalRecords

_reason = ContextVar("content_change_reason", default=None)


@contextmanager
def change_reason(reason):
    """Record `reason` on every content change made inside the block."""
    token = _reason.set(reason)
    try:
        yield
    finally:
        _reason.reset(token)


def current_reason():
    return _reason.get()


class ContentHistory(HistoricalRecords):
    """simple_history's records, with the reason of the block they were made in."""

    def get_change_reason_for_object(self, instance, history_type, using):
        reason = super().get_change_reason_for_object(instance, history_type, using)
        return reason or current_reason()
