"""Request bodies: no uploads, and nothing over a small limit, refused before Django reads them."""

import os
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT
from django.urls import reverse
from playwright.sync_api import expect

from decisionaid.models import Answer
from tests.clients import Client
from tests.conftest import stage_url
from tests.test_production import assert_security_headers

REFUSED = b"That was too much to send"
LIMIT = 64 * 1024


def form_body(length, **fields):
    """A urlencoded body of exactly `length` bytes: the fields, then a padding field."""
    body = urlencode(fields) + "&pad="
    return body + "a" * (length - len(body))


def assert_refused(response):
    assert response.status_code == 413
    assert REFUSED in response.content
    assert b"Traceback" not in response.content
    assert_security_headers(response)
    assert "no-store" in response["Cache-Control"]


@pytest.fixture
def upload_dir(settings, tmp_path):
    """Where Django would write an upload, were it ever to accept one: every file to disk."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    os.utime(folder, ns=(0, 0))  # any file made in it, even one deleted again, moves this on
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    return folder


def assert_untouched(folder):
    assert list(folder.iterdir()) == []
    assert folder.stat().st_mtime_ns == 0


def test_the_body_limit_is_64_kb():
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == LIMIT
    assert settings.FILE_UPLOAD_HANDLERS == []


def test_an_anonymous_file_upload_is_refused_and_nothing_is_written(client, db, upload_dir):
    photo = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff" + b"x" * 5000, "image/jpeg")
    data = {"size": "xl", "next": "/about/", "photo": photo}
    response = client.post(reverse("journey:text_size"), data, MULTIPART_CONTENT)
    assert_refused(response)
    assert_untouched(upload_dir)
    assert "text_size" not in client.session  # the view never ran


def test_a_multipart_post_without_a_file_is_refused_too(journey, upload_dir):
    journey.start()
    response = journey.client.post(stage_url("safety"), {"flags": ["none"]}, MULTIPART_CONTENT)
    assert_refused(response)
    assert not Answer.objects.exists()
    assert_untouched(upload_dir)


def test_no_upload_handler_would_store_a_file_even_past_the_refusal(rf, upload_dir):
    """FILE_UPLOAD_HANDLERS is empty: a second line of defence behind the 413."""
    photo = SimpleUploadedFile("photo.jpg", b"x" * 5000, "image/jpeg")
    request = rf.post("/text-size/", {"size": "xl", "photo": photo})
    assert request.POST["size"] == "xl"
    assert dict(request.FILES) == {}
    assert_untouched(upload_dir)


def test_an_oversized_form_post_is_refused_and_nothing_is_saved(journey):
    journey.start()
    body = form_body(LIMIT + 1, flags="none")
    response = journey.client.post(stage_url("safety"), body, "application/x-www-form-urlencoded")
    assert_refused(response)
    assert not Answer.objects.exists()


def test_a_form_post_of_exactly_the_limit_is_read(client, db):
    body = form_body(LIMIT, size="lg", next="/about/")
    assert len(body.encode()) == LIMIT
    response = client.post(reverse("journey:text_size"), body, "application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert response["Location"] == "/about/"
    assert client.session["text_size"] == "lg"


def test_a_malformed_multipart_post_to_a_missing_page_is_refused_not_a_server_error(db):
    client = Client(raise_request_exception=False)
    for content_type in (
        "multipart/form-data; boundary=zzz",
        "multipart/form-data",
        "Multipart/Mixed",
    ):
        response = client.post(
            "/no-such-page/", b'--zzz\r\nContent-Disposition: form-data; name="a', content_type
        )
        assert_refused(response)


def test_a_staff_sign_in_still_works(client, db):
    User.objects.create_user("desk", password="a-long-test-password")
    response = client.post(
        reverse("login"), {"username": "desk", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_normal_form_post_still_saves(journey):
    journey.start()
    response = journey.answer("safety")
    assert response.status_code == 302
    assert set(Answer.objects.values_list("value", flat=True)) == {"no"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_saves_the_shipped_topic_and_its_options_well_under_the_limit(
    live_server, page, shipped_topic
):
    """The admin's largest real forms, as Chromium posts them, take under half the limit."""
    options = list(shipped_topic.options.values_list("pk", flat=True))
    User.objects.create_superuser("editor", password="a-long-test-password")
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    posted = {}

    def measure(request):
        if request.method == "POST":
            posted[request.url] = len(request.post_data_buffer)

    page.on("request", measure)
    forms = [reverse("admin:topics_topic_change", args=[shipped_topic.pk])]
    forms += [reverse("admin:topics_option_change", args=[pk]) for pk in options]
    for path in forms:
        page.goto(live_server.url + path)
        page.get_by_role("button", name="Save and continue editing").click()
        expect(page.get_by_text("was changed successfully")).to_be_visible()
        assert 0 < posted[live_server.url + path] < LIMIT / 2, path
