from django.conf import settings
from django.utils.translation import gettext_lazy as _

TEXT_SIZES = (
    ("normal", "A", _("Normal text")),
    ("lg", "A+", _("Larger text")),
    ("xl", "A++", _("Largest text")),
)
TEXT_SIZE_SESSION_KEY = "text_size"


def tablet(request):
    """Text size and idle timings for patient pages."""
    session = getattr(request, "session", None)
    return {
        "text_size": session.get(TEXT_SIZE_SESSION_KEY, "normal") if session else "normal",
        "text_sizes": TEXT_SIZES,
        "idle_seconds": settings.DECISIONAID_IDLE_WARNING_SECONDS,
        "countdown_seconds": settings.DECISIONAID_IDLE_COUNTDOWN_SECONDS,
    }
