import copy
import importlib
import os
import shutil
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import override_settings

from tests.clients import Client
from tests.visits import Journey, Visits
from topics import loader, packs
from topics.models import Topic

# The suite signs sessions and forms, so it needs a secret key; production must set its own
# (decisionaid/wsgi.py refuses to serve without one).
if not os.environ.get("DJANGO_SECRET_KEY"):
    settings.SECRET_KEY = "django-insecure-test-suite-only"

SHIPPED_SLUG = "prolotherapy-low-back-pain"

BASE_PACK = {
    "slug": "test-topic",
    "status": "published",
    "title": "Test topic",
    "decision": "Should I try the test treatment?",
    "condition": "A test condition.",
    "summary": "A short test aid.",
    "published": "2026-01-01",
    "next_review_due": "2027-01-01",
    "update_policy": "Reviewed every year.",
    "funding": "No outside funding.",
    "uncertainty": "The numbers are rough.",
    "citations": [
        {"key": "smith2020", "authors": "Smith A", "year": 2020, "title": "A trial"},
        {"key": "jones2021", "authors": "Jones B", "year": 2021, "title": "A review"},
    ],
    "options": [
        {
            "key": "treat",
            "title": "Have the treatment",
            "short_title": "Treatment",
            "at_a_glance": {
                "involves": "Four clinic visits.",
                "helps": "Pain may ease.",
                "risks": "Bruising.",
                "takes": "A month.",
                "citations": ["smith2020"],
            },
            "involves": "You have the treatment.",
            "living_with": "You go to the clinic.",
            "practical": {"visits": "Four visits.", "time": "A month.", "cost": "Ask."},
            "benefits": [
                {
                    "text": "Pain may ease.",
                    "certainty": "low",
                    "citations": ["smith2020"],
                    "numbers": {
                        "kind": "frequency",
                        "outcome": "had less pain",
                        "numerator": 40,
                        "label": "people treated",
                        "comparator_numerator": 30,
                        "comparator_label": "people not treated",
                        "denominator": 100,
                        "time_frame": "after 6 months",
                        "population": "200 adults in one trial",
                    },
                }
            ],
            "harms": [{"text": "It may hurt.", "certainty": "low", "citations": ["jones2021"]}],
            "risks": [
                {
                    "name": "Bruising",
                    "description": "A bruise.",
                    "frequency": "Common",
                    "citations": ["jones2021"],
                }
            ],
        },
        {
            "key": "wait",
            "title": "Wait and review",
            "short_title": "Wait",
            "is_wait": True,
            "at_a_glance": {
                "involves": "Nothing new.",
                "helps": "No side effects.",
                "risks": "Pain may stay.",
                "takes": "Nothing.",
                "citations": ["smith2020"],
            },
            "involves": "Nothing new.",
            "living_with": "Nothing changes.",
            "no_numbers_reason": "No one has counted this.",
            "benefits": [
                {"text": "No side effects.", "certainty": "low", "citations": ["smith2020"]}
            ],
            "harms": [{"text": "Pain may stay.", "certainty": "low", "citations": ["smith2020"]}],
        },
    ],
    "disagreements": [
        {
            "title": "Does it work?",
            "text": "Smith says yes; Jones says no.",
            "citations": ["smith2020", "jones2021"],
        }
    ],
    "safety_citations": ["jones2021"],
    "red_flags": [
        {"key": "fever", "text": "You have a fever.", "tier": "soon"},
        {"key": "numb", "text": "Your legs are numb.", "tier": "emergency"},
    ],
    "history_questions": [
        {
            "key": "tried-exercise",
            "text": "Have you tried exercise?",
            "sheet_label": "Exercise",
            "choices": [
                {"key": "yes", "label": "Yes"},
                {
                    "key": "no",
                    "label": "No",
                    "tailoring": "Exercise comes first.",
                    "tailoring_option": "treat",
                    "sheet_note": "Has not tried exercise",
                },
            ],
        }
    ],
    "knowledge": [
        {
            "key": "works-alone",
            "statement": "It always works.",
            "answer": False,
            "explanation": "No, it does not.",
            "citations": ["jones2021"],
        },
        {
            "key": "visits",
            "statement": "It takes four visits.",
            "answer": True,
            "explanation": "Yes, four.",
        },
    ],
    "values": [
        {
            "key": "needles",
            "statement": "Avoiding needles",
            "low_label": "Not important",
            "high_label": "Very important",
            "sheet_label": "avoiding needles",
            "points_toward": ["wait"],
        },
    ],
    "doctor_questions": [
        {"key": "right-for-me", "text": "Is it right for me?"},
        {"key": "cost", "text": "What does it cost?"},
    ],
}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rows rolled back between tests reuse their ids,
    and a count kept under an old id (a user's look-ups this minute) must not carry over."""
    cache.clear()


def make_pack(**overrides):
    """A small valid pack; keyword arguments replace top-level fields."""
    pack = copy.deepcopy(BASE_PACK)
    pack.update(overrides)
    return pack


@pytest.fixture
def client():
    """pytest-django's client, posting dicts urlencoded as browsers do here (tests/clients.py)."""
    return Client()


@pytest.fixture
def make_topic(db):
    def make(**overrides):
        return loader.apply_pack(packs.validate_pack(make_pack(**overrides)))

    return make


@pytest.fixture
def shipped_topic(db):
    return Topic.objects.get(slug=SHIPPED_SLUG, translation_of=None)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Passwords are hashed for real in production; tests only need them to match."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Tests run with DEBUG off; serve static files without needing collectstatic. Without a
    STATIC_ROOT, WhiteNoise does not scan a `staticfiles/` folder left by collectstatic (the
    load bench runs it) for every new test client."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT = None


@pytest.fixture(autouse=True)
def plain_http(settings):
    """The test client speaks plain http. Production's https settings have their own tests."""
    for name, value in PLAIN_HTTP.items():
        setattr(settings, name, value)


PLAIN_HTTP = {
    "SECURE_SSL_REDIRECT": False,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
}


@pytest.fixture(scope="session")
def live_server_plain_http():
    """The live server builds its middleware once, so plain http must be set before it starts."""
    with override_settings(**PLAIN_HTTP):
        yield


@pytest.fixture(scope="session")
def live_server(live_server_plain_http, live_server):
    return live_server


@pytest.fixture
def journey(client, shipped_topic):
    return Journey(client, shipped_topic)


@pytest.fixture
def visits(shipped_topic):
    return Visits(shipped_topic)


# --- real-browser tests (Playwright with the system Chromium) ---

# Sync Playwright runs an event loop in the test thread; Django's ORM must still be allowed there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
TABLET = {"width": 768, "height": 1024}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM}; install it with: apt-get install -y chromium"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs the browser tests to run. {message}")
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def screenshot(page, name):
    """Keep a full-page screenshot as a test artifact, one folder per viewport size."""
    size = page.viewport_size
    folder = SCREENSHOTS / f"{size['width']}x{size['height']}"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def go_on(page, control):
    """Click a control that opens another page, and wait until that page has loaded.

    Click does not wait for the next page to finish arriving, and `locator(...).all()` does not
    wait at all: on a page still loading it finds only the fieldsets that have arrived so far.
    """
    with page.expect_navigation():
        control.click()


def keep(name, data):
    """Keep a file a person should look at (a sheet's PDF) as a test artifact."""
    path = ARTIFACTS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.fixture
def staff_groups(transactional_db):
    """A transactional test starts on a flushed database. Flushing reloads the topic packs and
    permissions (post_migrate) but not the staff groups, which the data migrations make: make them
    again with the migration's own code."""
    migration = importlib.import_module(
        "decisionaid.migrations.0001_squashed_0009_sheet_access_log"
    )
    migration.create_groups(django_apps, schema_editor=None)


@pytest.fixture
def make_staff(db):
    """A signed-in staff client: make_staff("clinician"), or make_staff(None) for no group."""

    def make(group="clinician", **user_fields):
        user = User.objects.create_user(f"user{User.objects.count()}", **user_fields)
        if group:
            user.groups.add(Group.objects.get(name=group))
        staff_client = Client()
        staff_client.force_login(user)
        return staff_client

    return make


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, tmp_path_factory):
    """On SQLite, test against a database file, as the app runs: Django's in-memory test
    database shares one cache between connections and locks whole tables, so two requests at
    once fail there ("database table is locked") where the app's WAL file lets them queue."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["TEST"]["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")
