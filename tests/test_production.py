"""Production readiness: deploy settings, security headers, the health check, the about page."""

import importlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.urls import clear_url_caches, reverse

from decisionaid.models import Answer
from tests.clients import Client
from tests.visits import stage_url

ROOT = Path(__file__).resolve().parent.parent
ENV_BLOCK = "```sh\n# production.env\n"


def documented_production_env():
    """The variables in the production.env block of docs/DEPLOYING.md."""
    text = (ROOT / "docs" / "DEPLOYING.md").read_text(encoding="utf-8")
    block = text.split(ENV_BLOCK, 1)[1].split("```", 1)[0]
    pairs = (line.split("=", 1) for line in block.splitlines() if line and line[0] != "#")
    return dict(pairs)


def run(*command, **env):
    """Run a command from the repository root with no DJANGO_ or DATABASE_ variables but `env`."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_")) and key != "PYTEST_VERSION"
    }
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_production_environment():
    env = {**documented_production_env(), "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.slow  # starts manage.py four times
def test_management_commands_need_no_environment_but_serving_needs_a_secret_key():
    checked = run("manage.py", "load_topics", "--check")
    assert checked.returncode == 0, checked.stderr
    assert "prolotherapy-low-back-pain: checked" in checked.stdout

    refused = run("-c", "import decisionaid.wsgi")
    assert refused.returncode != 0
    assert (
        "DJANGO_SECRET_KEY is not set. Set it to a long random string, or set DJANGO_DEBUG=1 "
        "for local development." in refused.stderr
    )
    assert run("-c", "import decisionaid.wsgi", DJANGO_DEBUG="1").returncode == 0
    key = secrets.token_urlsafe(50)
    assert run("-c", "import decisionaid.wsgi", DJANGO_SECRET_KEY=key).returncode == 0


@pytest.mark.slow
def test_the_readme_staff_commands_work_as_written_on_a_fresh_database(tmp_path):
    database = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert run("manage.py", "migrate", "-v0", DATABASE_URL=database).returncode == 0
    made = run(
        "manage.py",
        "createsuperuser",
        "--noinput",
        "--username",
        "lead",
        "--email",
        "lead@clinic.example",
        DATABASE_URL=database,
        DJANGO_SUPERUSER_PASSWORD="a long and unusual password",
    )
    assert made.returncode == 0, made.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shell = readme.split(".venv/bin/python manage.py shell -c ", 1)[1].split("\n```", 1)[0]
    added = run(
        "manage.py",
        "shell",
        "-c",
        shell.strip().strip('"').replace("\\\n", ""),
        DATABASE_URL=database,
    )
    assert added.returncode == 0, added.stderr
    desk = "from django.contrib.auth.models import User; "
    desk += "print(User.objects.get(username='desk').get_all_permissions())"
    permissions = run("manage.py", "shell", "-c", desk, DATABASE_URL=database).stdout
    assert permissions.splitlines()[-1] == "{'decisionaid.read_sheet'}"
    loaded = run("manage.py", "load_topics", DATABASE_URL=database)
    assert "prolotherapy-low-back-pain: unchanged" in loaded.stdout
    purged = run("manage.py", "purge_visits", DATABASE_URL=database)
    assert purged.stdout == "Deleted 0 expired visits and 0 answers, and 0 sheet access records.\n"


# --- headers on every response ---

REQUIRED_CSP = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    for directive in REQUIRED_CSP:
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "url, status",
    [
        (stage_url("safety"), 200),
        ("/topics/prolotherapy-low-back-pain/", 200),
        ("/admin/login/", 200),
        ("/no-such-page/", 404),
    ],
)
def test_every_kind_of_page_sends_the_security_headers(journey, client, url, status):
    journey.start()
    response = client.get(url)
    assert response.status_code == status
    assert_security_headers(response)


def test_no_template_has_inline_script_or_style():
    """The CSP would block them, so they would silently not work."""
    inline = re.compile(r"style=|<style|<script(?![^>]*\ssrc=)|\son[a-z]+=", re.IGNORECASE)
    for path in (ROOT / "templates").rglob("*.html"):
        assert not inline.findall(path.read_text(encoding="utf-8")), path


# --- https ---


def test_plain_http_is_redirected_to_https_in_production(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/about/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/about/"


def test_the_health_check_answers_over_plain_http_in_production(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/healthz")
    assert response.status_code == 200


def test_session_and_csrf_cookies_are_secure_and_http_only_in_production(settings, journey):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    journey.client.get(reverse("journey:welcome", kwargs={"slug": journey.topic.slug}))
    csrf = journey.client.cookies["csrftoken"]
    journey.start()
    session = journey.client.cookies["sessionid"]
    assert csrf["secure"] and csrf["httponly"]
    assert session["secure"] and session["httponly"]


def test_the_admin_can_live_at_a_path_of_the_clinics_choosing(settings, client, db):
    from decisionaid import urls

    settings.ADMIN_PATH = "clinic-admin-7f3k/"
    importlib.reload(urls)
    clear_url_caches()
    try:
        assert client.get("/clinic-admin-7f3k/login/").status_code == 200
        assert client.get("/admin/login/").status_code == 404
    finally:
        settings.ADMIN_PATH = "admin/"
        importlib.reload(urls)
        clear_url_caches()


# --- health check ---


def test_the_health_check_says_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain"


def test_the_health_check_says_unavailable_and_nothing_more_when_the_database_is_down(
    client, db, monkeypatch
):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "db.internal" failed: secret detail')

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", refuse)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable"


# --- about page and the expired-form page ---


def test_the_about_page_says_no_names_are_stored_and_needs_no_database(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/about/")
    assert response.status_code == 200
    assert b"We never ask your name" in response.content
    assert b"deleted after 7 days" in response.content


def test_a_form_without_its_security_token_shows_a_friendly_expired_page(journey):
    journey.start()
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = journey.client.cookies
    response = strict.post(stage_url("safety"), {"flags": ["none"]})
    assert response.status_code == 403
    assert b"This page has expired" in response.content
    assert b'href="/visit/"' in response.content
    assert b"CSRF" not in response.content
    assert not Answer.objects.exists()
