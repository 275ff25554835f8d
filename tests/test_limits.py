"""Request bodies: no uploads, and nothing over a small limit, refused before Django reads them;
no NUL in a query string; and the nginx block of docs/DEPLOYING.md, run in front of gunicorn,
against slow clients and oversized bodies."""

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT
from django.urls import reverse
from playwright.sync_api import expect

from bench import load
from decisionaid.models import Answer
from tests.clients import Client
from tests.test_production import assert_security_headers
from tests.visits import stage_url

ROOT = Path(__file__).resolve().parent.parent
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
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE == LIMIT
    assert django_settings.FILE_UPLOAD_HANDLERS == []


def test_an_anonymous_file_upload_is_refused_and_nothing_is_written(client, db, upload_dir):
    photo = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff" + b"x" * 5000, "image/jpeg")
    data = {"size": "xl", "next": "/about/", "photo": photo}
    response = client.post(reverse("journey:text_size"), data, MULTIPART_CONTENT)
    assert_refused(response)
    assert_untouched(upload_dir)
    assert "text_size" not in client.session  # the view never ran


def test_a_multipart_post_without_a_file_is_refused_too(journey):
    journey.start()
    response = journey.client.post(stage_url("safety"), {"flags": ["none"]}, MULTIPART_CONTENT)
    assert_refused(response)
    assert not Answer.objects.exists()


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


@pytest.mark.parametrize(
    "query",
    [
        "status__exact=%00",
        "slug__startswith=a%00b",
        "q=%00",
    ],
)
def test_a_nul_in_an_admin_list_query_is_a_bad_request_not_a_server_error(
    admin_user, shipped_topic, query
):
    """PostgreSQL refuses NUL in text it compares; the admin passed it on and answered 500."""
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    changelist = reverse("admin:topics_topic_changelist")
    assert client.get(f"{changelist}?status__exact=published").status_code == 200
    assert client.get(f"{changelist}?{query}").status_code == 400


def test_a_nul_in_the_admin_autocomplete_is_a_bad_request_not_a_server_error(
    admin_user, shipped_topic
):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    fields = "app_label=topics&model_name=option&field_name=topic"
    response = client.get(f"/admin/autocomplete/?{fields}&term=low")
    assert str(shipped_topic) in [r["text"] for r in response.json()["results"]]
    assert client.get(f"/admin/autocomplete/?{fields}&term=%00").status_code == 400


@pytest.mark.browser
@pytest.mark.slow
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


# --- the nginx block of docs/DEPLOYING.md, in front of gunicorn ---

NGINX_BLOCK = "```nginx\n# decisionaid.conf\n"
HOST = "decisionaid.clinic.example"
DRIBBLERS = 3  # more slow clients than gunicorn has workers
# As a browser posts a form over https (nginx sets X-Forwarded-Proto itself), with an origin
# and a CSRF cookie, so that Django reads the body to find the form's token.
DRIBBLE = (
    f"POST /text-size/ HTTP/1.1\r\nHost: {HOST}\r\nOrigin: https://{HOST}\r\n"
    f"Cookie: csrftoken={'a' * 32}\r\nX-Forwarded-Proto: https\r\n"
    "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
).encode()


def documented_nginx_block():
    text = (ROOT / "docs" / "DEPLOYING.md").read_text(encoding="utf-8")
    return text.split(NGINX_BLOCK, 1)[1].split("```", 1)[0]


def test_the_documented_nginx_block_refuses_bodies_over_the_apps_own_limit():
    block = documented_nginx_block()
    sizes = re.findall(r"^\s*client_max_body_size\s+(\d+)([kKmM]?);", block, re.M)
    unit = {"": 1, "k": 1024, "m": 1024 * 1024}
    in_bytes = [int(number) * unit[suffix.lower()] for number, suffix in sizes]
    assert in_bytes == [django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE]


def needs(program):
    if shutil.which(program):
        return
    message = f"{program} not found; install it with: apt-get install -y {program}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI needs the nginx tests to run. {message}")
    pytest.skip(message)


class Stack:
    """gunicorn (2 sync workers, production settings, a fresh SQLite file) and, in front of
    it, nginx running the documented block with only its ports and certificate changed."""

    def __init__(self, folder):
        self.folder = folder
        self.cert, key = folder / "cert.pem", folder / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1",
             "-keyout", key, "-out", self.cert],
            check=True, capture_output=True,
        )  # fmt: skip
        env = load.app_env(load.fresh_database("sqlite", "nginx", folder))
        env.update(
            DJANGO_ALLOWED_HOSTS=f"{HOST},127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="1",
            DJANGO_SECURE_COOKIES="1",
            DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        )
        load.prepare(env)
        self.app_port, self.http_port, self.https_port = (load.free_port() for _ in range(3))
        self.access_log = folder / "access.log"
        self.app_log = open(folder / "gunicorn.log", "w")  # noqa: SIM115 - closed in stop()
        self.app = load.start_gunicorn(
            env, self.app_port, str(self.access_log), workers=2, stderr=self.app_log
        )
        self.nginx = None
        try:
            self.nginx = subprocess.Popen(
                ["nginx", "-p", str(folder), "-c", str(self.write_nginx_conf(key)),
                 "-e", str(folder / "nginx-error.log")],
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            self.wait_for_nginx()
        except BaseException:
            self.stop()
            raise

    def write_nginx_conf(self, key):
        block = documented_nginx_block()
        changes = {
            "listen 80;": f"listen 127.0.0.1:{self.http_port};",
            "listen 443 ssl;": f"listen 127.0.0.1:{self.https_port} ssl;",
            "server 127.0.0.1:8000;": f"server 127.0.0.1:{self.app_port};",
            "/etc/ssl/decisionaid/fullchain.pem": str(self.cert),
            "/etc/ssl/decisionaid/privkey.pem": str(key),
        }
        for old, new in changes.items():
            assert block.count(old) == 1, f"{old} is no longer in the documented block once"
            block = block.replace(old, new)
        temp = "\n".join(
            f"    {kind}_temp_path {self.folder / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        conf = self.folder / "nginx.conf"
        conf.write_text(
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"daemon off;\nworker_processes 1;\npid {self.folder / 'nginx.pid'};\n"
            + f"error_log {self.folder / 'nginx-error.log'};\n"
            + "events { worker_connections 256; }\n"
            + f"http {{\n    access_log off;\n{temp}\n{block}\n}}\n"
        )
        return conf

    def wait_for_nginx(self):
        give_up = time.monotonic() + 30
        while time.monotonic() < give_up:
            assert self.nginx.poll() is None, (self.folder / "nginx-error.log").read_text()
            try:
                if self.https("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("nginx did not answer within 30 s")

    def tls(self):
        return ssl.create_default_context(cafile=self.cert)

    def https(self, method, path, body=b"", timeout=5):
        """(status, body) of one request through nginx over https."""
        conn = http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, context=self.tls(), timeout=timeout
        )
        return self._send(conn, method, path, body)

    @classmethod
    def plain(cls, port, method, path, timeout=5):
        """(status, body) of one request over plain http, to nginx or to gunicorn itself."""
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        return cls._send(conn, method, path)

    @staticmethod
    def _send(conn, method, path, body=b""):
        headers = {"Host": HOST, "Content-Type": "application/x-www-form-urlencoded"}
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def connect_direct(self):
        return socket.create_connection(("127.0.0.1", self.app_port))

    def connect_nginx(self):
        raw = socket.create_connection(("127.0.0.1", self.https_port))
        return self.tls().wrap_socket(raw, server_hostname=HOST)

    def app_saw(self, method, path):
        """How many such requests gunicorn has answered so far."""
        with self.access_log.open() as log:
            return sum(line.startswith(f"{method} {path} ") for line in log)

    def app_answers(self, method, path, count, seconds=10):
        """True once gunicorn has answered `count` such requests (it logs just after)."""
        give_up = time.monotonic() + seconds
        while self.app_saw(method, path) < count and time.monotonic() < give_up:
            time.sleep(0.05)
        return self.app_saw(method, path) == count

    def stop(self):
        for server in (self.nginx, self.app):
            if server:
                server.terminate()
                server.wait(timeout=30)
        self.app_log.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    needs("nginx")
    needs("openssl")
    running = Stack(tmp_path_factory.mktemp("nginx"))
    yield running
    running.stop()


class Dribbler(threading.Thread):
    """A slow client: a POST's headers, then its body one byte every half second."""

    def __init__(self, connect):
        super().__init__(daemon=True)
        self.sock = connect()
        self.done = threading.Event()

    def run(self):
        self.sock.sendall(DRIBBLE)
        while not self.done.wait(0.5):
            self.sock.sendall(b"a")

    def stop(self):
        self.done.set()
        self.join(timeout=5)
        self.sock.close()


def dribbling(connect):
    dribblers = [Dribbler(connect) for _ in range(DRIBBLERS)]
    for dribbler in dribblers:
        dribbler.start()
    time.sleep(1)  # every one has sent its headers and begun on its body
    return dribblers


def healthz_answers(port, seconds):
    """True when gunicorn itself answers /healthz within `seconds`."""
    try:
        return Stack.plain(port, "GET", "/healthz", timeout=seconds) == (200, b"ok")
    except OSError:  # timed out
        return False


@pytest.mark.slow
def test_slow_clients_hold_every_worker_of_gunicorn_alone(stack):
    """Why nginx must be in front: without it, /healthz stops answering."""
    posts = stack.app_saw("POST", "/text-size/")
    dribblers = dribbling(stack.connect_direct)
    try:
        assert not healthz_answers(stack.app_port, 3)
    finally:
        for dribbler in dribblers:
            dribbler.stop()
    # Once the slow clients hang up, their cut-short posts are refused and the workers free.
    assert stack.app_answers("POST", "/text-size/", posts + DRIBBLERS, seconds=30)
    assert healthz_answers(stack.app_port, 5)


@pytest.mark.slow
def test_behind_nginx_slow_clients_no_longer_stop_healthz(stack):
    posts = stack.app_saw("POST", "/text-size/")
    dribblers = dribbling(stack.connect_nginx)
    try:
        for _ in range(5):
            started = time.monotonic()
            assert stack.https("GET", "/healthz", timeout=2) == (200, b"ok")
            assert time.monotonic() - started < 1
            time.sleep(0.5)
        assert all(dribbler.is_alive() for dribbler in dribblers)  # still dribbling
        assert stack.app_saw("POST", "/text-size/") == posts  # nginx holds them, not gunicorn
    finally:
        for dribbler in dribblers:
            dribbler.stop()


@pytest.mark.slow
def test_behind_nginx_a_body_over_the_limit_is_refused_before_the_app(stack):
    posts = stack.app_saw("POST", "/text-size/")
    status, body = stack.https("POST", "/text-size/", b"a" * (LIMIT + 1))
    assert status == 413
    assert b"nginx" in body
    assert stack.app_saw("POST", "/text-size/") == posts
    # A body of exactly the limit reaches the app, which reads it: it has no CSRF token.
    status, body = stack.https("POST", "/text-size/", b"a" * LIMIT)
    assert status == 403
    assert b"This page has expired" in body
    assert stack.app_answers("POST", "/text-size/", posts + 1)


@pytest.mark.slow
def test_behind_nginx_the_app_knows_it_is_served_over_https(stack):
    assert stack.https("GET", "/about/")[0] == 200  # not redirected: X-Forwarded-Proto arrived
    assert stack.plain(stack.http_port, "GET", "/about/")[0] == 301
    assert stack.plain(stack.http_port, "GET", "/healthz") == (200, b"ok")
