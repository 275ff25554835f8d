import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "decisionaid.settings")
application = get_wsgi_application()

# Serving pages signs sessions and forms, so refuse to start without a secret key.
try:
    settings.SECRET_KEY  # noqa: B018 - Django raises when it is empty
except ImproperlyConfigured as exc:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Set it to a long random string, "
        "or set DJANGO_DEBUG=1 for local development."
    ) from exc
