"""Settings for decisionaid, read from the environment.

Every knob is an environment variable; the README and docs/DEPLOYING.md list them. With no
environment at all, DEBUG is off and the database is SQLite (db.sqlite3): management commands
(migrate, load_topics, createsuperuser, purge_visits) work as they are, but serving pages needs a
secret key. Set DJANGO_SECRET_KEY, or DJANGO_DEBUG=1 on a developer's machine, which brings a
clearly marked insecure key and Django's debug pages. decisionaid/wsgi.py refuses to serve
without one.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

# Empty when unset and DEBUG is off: Django then refuses anything that signs (sessions, forms).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "") or (
    "django-insecure-development-only-never-use-in-production" if DEBUG else ""
)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "simple_history",
    "topics",
    "decisionaid",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "decisionaid.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before the session, CSRF and every later middleware, any of which may read the body (the
    # CSRF middleware reads request.POST on every POST); after the middleware above, which only
    # add headers, so the 413 page gets them all as it passes back through.
    "decisionaid.limits.RequestBodyLimitMiddleware",
    "decisionaid.limits.NulQueryStringMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "decisionaid.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Lets the content history record which signed-in editor made each change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "decisionaid.staff_sessions.StaffWorkingDayMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Request bodies: the app takes no files, and decisionaid.limits answers 413 to any multipart
# body or any body over DATA_UPLOAD_MAX_MEMORY_SIZE before Django reads it (why 64 KB is there).
# nginx's client_max_body_size in docs/DEPLOYING.md must match it.
FILE_UPLOAD_HANDLERS = []
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024

ROOT_URLCONF = "decisionaid.urls"
WSGI_APPLICATION = "decisionaid.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "decisionaid.context_processors.tablet",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several tablets at once on one SQLite file (docs/DEPLOYING.md). WAL lets pages read while
    # an answer is written. IMMEDIATE takes the write lock when a transaction begins, so a writer
    # waits its turn (up to `timeout` seconds) instead of failing with "database is locked" when
    # a read lock cannot be upgraded mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# AxesStandaloneBackend comes first: a locked-out client is refused before its password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "decisionaid.ops.AddressLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The clinic's language: staff pages, the discussion sheet and its PDF (en or es).
LANGUAGE_CODE = os.environ.get("DECISIONAID_CLINIC_LANGUAGE", "en")
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language the tablet starts in, and returns to when it is handed back.
DECISIONAID_DEFAULT_LANGUAGE = os.environ.get("DECISIONAID_DEFAULT_LANGUAGE", LANGUAGE_CODE)
for _name, _code in (
    ("DECISIONAID_CLINIC_LANGUAGE", LANGUAGE_CODE),
    ("DECISIONAID_DEFAULT_LANGUAGE", DECISIONAID_DEFAULT_LANGUAGE),
):
    if _code not in dict(LANGUAGES):
        raise ImproperlyConfigured(f"{_name} must be one of {', '.join(dict(LANGUAGES))}.")
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Django's database sessions: any app server can serve any request, and "Hand the tablet back"
# ends a session on the server. Every request saves the session, which moves its expiry on, so
# a session's age is an idle limit (patients: DECISIONAID_PATIENT_IDLE_MINUTES, set at Start).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_SAVE_EVERY_REQUEST = True
# Staff (decisionaid.staff_sessions): signed out after this idle time, after a working day at
# most, and when the browser closes; each sign-in starts a fresh session.
DECISIONAID_STAFF_IDLE_MINUTES = env_int("DECISIONAID_STAFF_IDLE_MINUTES", 30)
DECISIONAID_STAFF_MAX_HOURS = env_int("DECISIONAID_STAFF_MAX_HOURS", 10)
# Find-by-code look-ups a staff member may make in a minute (per app server).
DECISIONAID_FIND_PER_MINUTE = env_int("DECISIONAID_FIND_PER_MINUTE", 20)
SESSION_COOKIE_AGE = 60 * DECISIONAID_STAFF_IDLE_MINUTES
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Production security. Safe by default when DEBUG is off; docs/DEPLOYING.md explains each.
# Plain-http local use (a laptop, the load bench) sets DJANGO_SECURE_SSL_REDIRECT=0 and
# DJANGO_SECURE_COOKIES=0.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers often probe over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-terminating proxy: "HTTP_X_FORWARDED_PROTO,https". Only set it when the proxy
# always sets (or strips) that header, or clients could claim https themselves.
SECURE_PROXY_SSL_HEADER = tuple(env_list("DJANGO_SECURE_PROXY_SSL_HEADER")) or None
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Forms carry the token; no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "decisionaid.ops.csrf_failure"
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The admin at a path of the clinic's choosing, e.g. "manage-7f3k/".
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

# Strict CSP: no inline script or style anywhere (templates use none), nothing from other hosts.
# Bootstrap draws checkbox ticks and select arrows as data: SVG images, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Staff sign-in throttling (django-axes): after DJANGO_LOGIN_FAILURE_LIMIT failures for one
# username from one address, that pair is locked out for DJANGO_LOGIN_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And any username from one address: a higher limit, so a busy front desk is not locked out
# by one person's typing (decisionaid.ops.AddressLimitBackend).
DECISIONAID_LOGIN_ADDRESS_LIMIT = env_int("DECISIONAID_LOGIN_ADDRESS_LIMIT", 20)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "decisionaid.ops.locked_out"
AXES_USERNAME_CALLABLE = "decisionaid.ops.sign_in_username"
# Log the staff username and address of each failure (axes masks them by default); it always
# masks the password.
AXES_SENSITIVE_PARAMETERS = []

# Per process. Only the Learn comparison is cached, keyed by its topic's content version, so
# every app server shows an edit at once without a shared cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:visits"
LOGOUT_REDIRECT_URL = "login"

# The number to call in an emergency when not in the clinic, on the "Get help now" page.
DECISIONAID_EMERGENCY_NUMBER = os.environ.get("DECISIONAID_EMERGENCY_NUMBER", "911")
# How long a visit (and its answers) is kept before purge_visits deletes it.
DECISIONAID_RETENTION_DAYS = env_int("DECISIONAID_RETENTION_DAYS", 7)
# Who read which sheet is kept this long (decisionaid.models.SheetAccess), then purged.
DECISIONAID_ACCESS_LOG_DAYS = env_int("DECISIONAID_ACCESS_LOG_DAYS", 180)
# A patient session idle for longer than this is ended by the server.
DECISIONAID_PATIENT_IDLE_SECONDS = 60 * env_int("DECISIONAID_PATIENT_IDLE_MINUTES", 30)
# On the tablet, "Are you still there?" appears after this many idle seconds, then counts down
# (at least 20 seconds, WCAG 2.2.1) before the tablet resets itself.
DECISIONAID_IDLE_WARNING_SECONDS = env_int("DECISIONAID_IDLE_WARNING_SECONDS", 120)
DECISIONAID_IDLE_COUNTDOWN_SECONDS = max(20, env_int("DECISIONAID_IDLE_COUNTDOWN_SECONDS", 30))

# The canonical base of our FHIR resources (Questionnaire.url, identifier systems), e.g.
# "https://aid.example-clinic.org/api/fhir". Empty: the address the request came to.
DECISIONAID_FHIR_BASE_URL = os.environ.get("DECISIONAID_FHIR_BASE_URL", "").rstrip("/")

# Content history is read-only: reverting from the admin would skip the content-version refresh.
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # Every FHIR API call, with the name of the key that made it (docs/FHIR.md).
    "loggers": {"decisionaid.api": {"level": "INFO"}},
}
