"""Hostile requests against gunicorn with DEBUG off: whatever arrives, nothing answers 5xx.

    python bench/hostile.py                                    # 10,000 requests, PostgreSQL
    python bench/hostile.py --database sqlite                  # the same on SQLite
    python bench/hostile.py --requests 1000                    # CI

It makes a fresh database (bench/load.py: PostgreSQL `bench_hostile`, or an SQLite file), a
superuser and a clinician, and starts gunicorn on 127.0.0.1 (2 sync workers on PostgreSQL, 2
workers of 4 threads on SQLite, as docs/DEPLOYING.md says). Simulated patients walk part of
the journey or all of it, and both staff members sign in, so that some requests carry a valid
session mid-journey or a staff sign-in and the form tokens that go with it (staff sign in
again every 100 requests and new patients walk every 500, since hostile requests may sign them
out or end their visits). Admin delete pages are
read and attacked, but never with the superuser's valid token: the admin deletes on any such
POST, and deleting the topic would end the journey for the rest of the run.

Then it sends --requests requests, each on a new connection, written byte by byte: random
methods; every URL the app has (the patient journey, staff pages and sheets, every admin page
reachable from the admin index, sign-in, health check, static files, the topic overview) and
made-up ones; broken, truncated, oversized, chunked and multipart bodies; bad and forged
cookies and CSRF tokens; odd Unicode and NUL bytes in paths, query strings, headers and bodies.
It counts the answers by status and exits 1 on any 5xx (printing each one's method and path),
on any request that got no answer in time, and on any traceback or worker timeout in gunicorn's
own log. The same --seed sends the same kinds of request in the same order.
"""

import argparse
import html
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, quote_from_bytes, urlencode

import load  # bench/load.py, beside this script
import requests

SLUG = "prolotherapy-low-back-pain"
HOST = b"127.0.0.1"
PASSWORD = secrets.token_urlsafe(16)
STAFF = {"admin": "hostile-admin", "clinician": "hostile-clinician"}
# Hostile requests end sessions on purpose (a valid "Hand the tablet back" or sign-out, a new
# visit started over a staff sign-in), so staff sign in again every 100 requests and a new set
# of patients walks every 500.
STAFF_EVERY, PATIENTS_EVERY = 100, 500
# In gunicorn's own log: a request the app failed (Django logs every 500 so), or a worker that
# hung or died. Tracebacks alone are not enough: Django logs one for each refused Host header.
LOG_PROBLEMS = (
    r"Internal Server Error|Error handling request|WORKER TIMEOUT|was sent SIG|"
    r"Worker \(pid:\d+\) exited|Exception in worker"
)
NASTY = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "{{ request }}{% debug %}",
    "%s%n%x",
    "\x00",
    "a\x00b",
    "\u202egnp.exe",
    "\ufeff\u200b\u200d",
    "Z\u0338\u0327a\u0334l\u0335g\u0336o",
    "\U0001f600\U0001f4a9",
    "\ud7ff\ue000\uffff",
    "é" * 300,
    "\r\n" * 20,
    "",
    " ",
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "None",
    "[]",
    "../../etc/passwd",
    "javascript:alert(1)",
    "//evil.example/",
    "2026-02-30",
    "0001-01-01",
]
RAW_NASTY = [b"\xff", b"\xc0\xae", b"\xed\xa0\x80", b"\x00", b"\xe2\x80", b"%", b"%zz", b"%00"]
METHODS = ["GET"] * 30 + ["POST"] * 40 + ["HEAD"] * 5
METHODS += ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "get", "FOO", "CONNECT"]
FIELDS = [
    "csrfmiddlewaretoken", "username", "password", "next", "size", "code", "date", "q",
    "action", "_selected_action", "index", "select_across", "title", "key", "order", "status",
    "_save", "_continue", "flags", "own", "suggested", "choice", "paper", "options-TOTAL_FORMS",
    "options-INITIAL_FORMS", "options-0-key", "slug", "is_superuser", "visit_id", "a\x00b",
    "language", "ready-tried", "start", "end", "topic",
]  # fmt: skip
BAD_HOSTS = [b"evil.example", b"", b"\xff", b"127.0.0.1:x", b"a" * 300]
BAD_LENGTHS = [b"abc", b"-1", b"1e3", b"99999999999999999999", b"10, 20", b""]
MADE_UP = [
    "/wp-login.php", "/.env", "/.git/config", "/cgi-bin/test.cgi", "/index.php", "/robots.txt",
    "/favicon.ico", "//", "/static/", "/static/../manage.py", "/static/%2e%2e/manage.py",
    "/staff/sheet/", "/visit/nothing/", "/t/", "/topics/", "/admin/nope/", "/api/v1/visits",
    "/server-status", "/visit/safety/alert/extra/", "/media/x.jpg",
]  # fmt: skip


@dataclass
class Session:
    """Cookies (name -> value) and a form token that goes with them."""

    kind: str
    cookies: dict
    token: str = ""


@dataclass
class Request:
    kind: str  # what kind of attack, for the report
    method: bytes
    target: bytes
    headers: list
    body: bytes = b""
    half_close: bool = False  # send a short body, then end the stream

    def raw(self):
        lines = [self.method + b" " + self.target + b" HTTP/1.1", *self.headers]
        return b"\r\n".join(lines) + b"\r\n\r\n" + self.body


# --- set-up: database, users, server, sessions, and every URL ---


def create_staff(env):
    code = (
        "from django.contrib.auth.models import Group, User\n"
        f"User.objects.create_superuser({STAFF['admin']!r}, password={PASSWORD!r})\n"
        f"user = User.objects.create_user({STAFF['clinician']!r}, password={PASSWORD!r})\n"
        "user.groups.add(Group.objects.get(name='clinician'))\n"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=load.ROOT,
        env=env,
        check=True,
    )


def sign_in(base, username):
    http = requests.Session()
    page = load.Page(http.get(f"{base}/login/", timeout=30).text)
    token = page.forms[0]["token"]
    response = http.post(
        f"{base}/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        raise SystemExit(f"{username} could not sign in: {response.status_code}")
    return http


def staff_sessions(base):
    """Each staff member signed in, with their tokens."""
    found = []
    for kind, username in STAFF.items():
        http = sign_in(base, username)
        found.append(Session(kind, http.cookies.get_dict(), http.cookies.get("csrftoken", "")))
    return found


def patient_sessions(base, rng):
    """Patients at every point of the journey, one finished, with their tokens; and the
    finished one's code."""
    found, codes = [], []
    for number in range(len(load.STAGES) + 2):
        patient = load.Patient(rng.random(), [base], (0, 0))
        patient.start()
        for stage in load.STAGES[:number]:
            patient.answer(stage)
        if number > len(load.STAGES):
            finished = patient.finish()
            codes.append(patient.code)
            token = finished.form("/visit/end/")["token"]
        else:
            token = patient.http.cookies.get("csrftoken", "")
        found.append(Session("patient", patient.http.cookies.get_dict(), token))
    return found, codes


def every_url(base, staff_http, codes):
    """The app's URLs: the fixed ones, each finished visit's sheet, and every admin page
    linked from the admin index and its lists (the first few objects of each); and for the
    pages that take query parameters, those they use (for the admin's lists, the filters,
    sorting and pages their own links use)."""
    urls = ["/", "/about/", "/healthz", "/login/", "/logout/", f"/t/{SLUG}/", f"/t/{SLUG}/start/"]
    urls += ["/visit/", "/visit/review/", "/visit/finished/", "/visit/end/", "/text-size/"]
    urls += ["/visit/safety/alert/", "/visit/understanding/feedback/", f"/topics/{SLUG}/"]
    urls += [f"/visit/{stage}/" for stage in load.STAGES]
    urls += [f"/visit/learn/{n}/" for n in range(1, 9)] + ["/visit/history/2/", "/visit/99/"]
    urls += ["/visit/safety/emergency/", "/language/", "/staff/insights/", "/staff/insights/csv/"]
    urls += [f"/api/fhir/Questionnaire/{SLUG}", "/api/fhir/QuestionnaireResponse", "/api/fhir/"]
    urls += ["/staff/", "/staff/find/", "/static/css/site.css", "/static/js/tablet.js"]
    params = defaultdict(set)
    params["/staff/"] = {("date", "2026-01-01")}
    params["/staff/find/"] = {("code", code) for code in codes}
    params["/staff/insights/"] = {("start", "2026-01-01"), ("end", "2026-12-31"), ("topic", SLUG)}
    params["/api/fhir/QuestionnaireResponse"] = {("identifier", code) for code in codes}
    params["/login/"] = params["/admin/login/"] = {("next", "/staff/"), ("next", "/admin/")}
    urls += ["/static/vendor/bootstrap/css/bootstrap.min.css", "/static/img/favicon.svg"]
    for code in codes:
        sheet = staff_http.get(
            f"{base}/staff/find/", params={"code": code}, allow_redirects=False, timeout=30
        ).headers["Location"]
        urls += [sheet, sheet + "pdf/", sheet + "fhir/"]
        params[sheet] = {("print", "1")}
        params[sheet + "pdf/"] = {("paper", "letter"), ("paper", "a4")}
    admin = set()
    index = staff_http.get(f"{base}/admin/", timeout=30).text
    lists = sorted(set(re.findall(r'href="(/admin/[a-z_]+/[a-z_]+/)"', index)))
    for changelist in lists:
        admin |= {changelist, changelist + "add/"}
        page = staff_http.get(base + changelist, timeout=30).text
        for link in re.findall(r'href="\?([^"#]*)"', page):
            params[changelist] |= set(parse_qsl(html.unescape(link)))
        for change in re.findall(r'href="(/admin/[a-z_]+/[a-z_]+/\d+/change/)', page)[:3]:
            obj = change.removesuffix("change/")
            admin |= {change, obj + "delete/", obj + "history/"}
    admin |= {"/admin/", "/admin/login/", "/admin/logout/", "/admin/jsi18n/", "/admin/r/1/1/"}
    admin |= {"/admin/password_change/", "/admin/autocomplete/"}
    # No form uses it, but the admin answers it for any relation to a searchable model.
    for model, field in [("option", "topic"), ("citation", "topic"), ("evidence", "option")]:
        params["/admin/autocomplete/"] |= {
            ("app_label", "topics"),
            ("model_name", model),
            ("field_name", field),
            ("term", "a"),
        }
    params = {path: sorted(pairs) for path, pairs in params.items()}
    return urls + sorted(admin), params


def lines(path):
    with open(path, "rb") as log:
        return sum(1 for _ in log)


def gather_choices(base):
    """Every radio and checkbox value on the journey's pages, by field name, for forms that
    are sometimes valid."""
    patient = load.Patient(0, [base], (0, 0))
    patient.run()
    choices = {}
    for _stage, form, _data in patient.sent.values():
        for kind in ("radio", "checkbox"):
            for name, values in form[kind].items():
                choices.setdefault(name, []).extend(values)
    return choices


# --- hostile requests ---


def nasty_text(rng):
    """A hostile value: a known troublemaker, one with a NUL in it, or random characters."""
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(NASTY)
    if roll < 0.55:
        text = rng.choice(NASTY)
        cut = rng.randint(0, len(text))
        return text[:cut] + "\x00" + text[cut:]
    return "".join(
        chr(rng.choice([rng.randint(0, 0x7F), rng.randint(0x80, 0x2FFF)]))
        for _ in range(rng.randint(1, 12))
    )


def mangle_path(rng, path):
    roll = rng.random()
    if roll < 0.55:
        return quote(path, safe="/%").encode()
    if roll < 0.65:
        return (path + quote(nasty_text(rng), safe="")).encode()
    if roll < 0.72:
        return path.encode() + rng.choice(RAW_NASTY)  # raw bytes in the request line
    if roll < 0.78:
        return (path.rstrip("/") + "/" + quote(nasty_text(rng), safe="") + "/").encode()
    if roll < 0.83:
        return path.replace("/", "//", 1).encode()
    if roll < 0.87:
        return (path + "../" * rng.randint(1, 5) + "etc/passwd").encode()
    if roll < 0.9:
        return ("/" + "a" * rng.choice([300, 3000, 5000])).encode()
    if roll < 0.94:
        return path.upper().encode()
    return (path.replace("/", "/%2F", 1)).encode()


def query(rng, path, codes, params, always=False):
    """A query string: none, the page's own parameters with odd values, or made-up ones."""
    if rng.random() < 0.4 and not always:
        return b""
    known = params.get(path, [])
    if known and (always or rng.random() < 0.7):
        values = defaultdict(list)
        for name, value in known:
            values[name].append(value)
        pairs = [(n, rng.choice(v)) for n, v in values.items() if rng.random() < 0.85]
        pairs = [(n, nasty_text(rng) if rng.random() < 0.4 else v) for n, v in pairs]
    else:
        names = ["q", "date", "code", "next", "paper", "print", "o", "p", "all", "e"]
        names += ["_to_field", "_changelist_filters", "_popup", "size", nasty_text(rng)]
        values = [nasty_text(rng), rng.choice(codes or ["ABC123"]), "2026-01-01", "1", "letter"]
        pairs = [(rng.choice(names), rng.choice(values)) for _ in range(rng.randint(1, 4))]
    text = urlencode(pairs)
    if rng.random() < 0.2:
        text += "&" + quote_from_bytes(rng.choice(RAW_NASTY)) + "=" + rng.choice(["%ff", "%00"])
    return b"?" + text.encode()


def cookie_header(rng, session):
    """What the client says its cookies are: its own, or forged, or broken."""
    cookies = dict(session.cookies) if session else {}
    roll = rng.random()
    if roll < 0.1:
        cookies["sessionid"] = rng.randbytes(16).hex()
    elif roll < 0.15:
        cookies["sessionid"] = "x" * rng.choice([1, 40, 4000])
    elif roll < 0.2:
        cookies["csrftoken"] = rng.choice(["", "x" * 31, "!" * 32, rng.randbytes(32).hex()])
    elif roll < 0.22:
        return b"Cookie: ;;==; sessionid=\xff\xfe; csrftoken=\x00"
    elif roll < 0.25:
        return b"Cookie: ;;==; sessionid=\xff\xfe; csrftoken=" + session_token(session)
    elif roll < 0.28:
        return b"Cookie: " + b"a=b; " * 800
    if not cookies:
        return None
    return b"Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()).encode("latin-1")


def session_token(session):
    return (session.token if session else "").encode()


def token(rng, session, sessions):
    roll = rng.random()
    own = session.token if session else ""
    if roll < 0.5:
        return own
    if roll < 0.6:
        return rng.choice(sessions).token  # another person's
    if roll < 0.7:
        return rng.randbytes(32).hex()  # a well-formed token that matches nothing
    if roll < 0.8:
        return "x" * rng.choice([0, 10, 63, 65, 1000])
    return nasty_text(rng)


def form_body(rng, session, sessions, choices):
    fields = [("csrfmiddlewaretoken", token(rng, session, sessions))]
    for _ in range(rng.randint(0, 8)):
        name = rng.choice(FIELDS + list(choices))
        values = choices.get(name) or [nasty_text(rng)]
        fields.append((name, rng.choice(values + [nasty_text(rng)])))
    body = urlencode(fields).encode()
    if rng.random() < 0.15:
        body += b"&" + rng.choice(RAW_NASTY) + b"=" + rng.choice(RAW_NASTY)
    return body


def multipart(rng):
    """A multipart body with a file in it, often cut short or with a broken boundary."""
    boundary = rng.randbytes(8).hex()
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\nx\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n'
        f"Content-Type: image/jpeg\r\n\r\n{'x' * rng.randint(0, 5000)}\r\n",
    ]
    if rng.random() < 0.5:
        parts.append(f"--{boundary}--\r\n")
    body = "".join(parts).encode()
    kind = rng.choice([f"; boundary={boundary}", "", "; boundary=", "; boundary=\xff"])
    return ("multipart/form-data" + kind).encode("latin-1"), body[: rng.randint(1, len(body))]


def who(rng, path, sessions, nobody=0.3):
    """Nobody, or a session: mostly staff on staff pages and patients on the journey's."""
    staff = [s for s in sessions if s.kind != "patient"]
    patients = [s for s in sessions if s.kind == "patient"]
    roll = rng.random()
    if roll < nobody:
        return None
    likely, unlikely = (
        (staff, patients) if path.startswith(("/admin", "/staff")) else (patients, staff)
    )
    return rng.choice(likely if roll < 0.85 else unlikely)


def hostile(rng, urls, params, sessions, codes, choices):
    """One hostile request: a third of them aimed (a page that takes query parameters, by
    someone who may open it, with odd values in its own parameters), the rest at random."""
    if rng.random() < 0.33:
        method = rng.choice(["GET"] * 8 + ["HEAD", "POST"])
        path = rng.choice(sorted(params))
        target = quote(path).encode() + query(rng, path, codes, params, always=True)
        session = who(rng, path, sessions, nobody=0.1)
    else:
        method = rng.choice(METHODS)
        path = rng.choice(urls + MADE_UP) if rng.random() < 0.9 else "/" + nasty_text(rng)
        target = mangle_path(rng, path) + query(rng, path, codes, params)
        session = who(rng, path, sessions)
    if session and session.kind == "admin" and path.endswith("/delete/"):
        # The admin deletes on any signed-in POST with a valid token, and deleting the topic
        # or a staff user would end the bench: here the token never matches.
        forged = rng.randbytes(16).hex()
        session = Session("admin", {**session.cookies, "csrftoken": forged}, forged[::-1])
    host = HOST if rng.random() < 0.93 else rng.choice(BAD_HOSTS)
    headers = [b"Host: " + host]
    cookie = cookie_header(rng, session)
    if cookie:
        headers.append(cookie)
    odd = [  # well-formed headers with odd values: they reach the app
        b"Origin: http://127.0.0.1",
        b"Origin: null",
        b"Referer: http://evil.example/",
        b"Referer: \xff\xfe",
        b"X-Forwarded-Proto: https",
        b"X-Forwarded-For: 999.1.1.1, ::zz",
        b"X-CSRFToken: " + (session.token if session else "x").encode(),
        b"Accept-Language: zz-\xff;q=abc",
        b"User-Agent: " + "".join(c for c in nasty_text(rng) if c.isprintable()).encode(),
        b"Range: bytes=" + rng.choice([b"0-10", b"-5", b"99999999-", b"abc", b"5-1,0-0,1-1"]),
        b"If-Modified-Since: " + rng.choice([b"yesterday", b"Thu, 01 Jan 1970 00:00:00 GMT"]),
        b"If-None-Match: " + rng.choice([b"*", b'"abc"', b"\xff"]),
        b"Content-Encoding: gzip",
        b"Expect: 100-continue",
    ]
    broken = [  # malformed: the HTTP server itself should refuse them
        b"X-Forwarded-For: \x00",
        b"Transfer-Encoding: gzip",
        b"Connection: keep-alive, Upgrade",
        b"X-" + b"a" * 9000 + b": 1",
        b"User-Agent: " + nasty_text(rng).encode(),
        b"Bad Header: x",
        b": empty name",
    ]
    headers += rng.sample(odd, rng.randint(0, 3))
    if rng.random() < 0.1:
        headers.append(rng.choice(broken))
    body, kind, half_close = b"", "no body", False
    roll = rng.random()
    if method in ("POST", "PUT", "PATCH", "DELETE") or roll < 0.05:
        kinds = ["form"] * 8 + ["raw", "json", "multipart", "multipart", "oversized", "truncated"]
        kinds += ["many fields", "bad length", "chunked", "text", "empty"]
        kind = rng.choice(kinds)
        content_type = b"application/x-www-form-urlencoded"
        if kind == "form":
            body = form_body(rng, session, sessions, choices)
        elif kind == "raw":
            body = rng.randbytes(rng.randint(1, 2000))
        elif kind == "json":
            content_type, body = b"application/json", b'{"flags": ["none"], "own": "\\u0000"}'
        elif kind == "multipart":
            content_type, body = multipart(rng)
        elif kind == "oversized":
            body = b"own=" + b"a" * rng.choice([64 * 1024 - 3, 70_000, 300_000, 2_000_000])
        elif kind == "truncated":
            body = form_body(rng, session, sessions, choices)
            half_close = True
        elif kind == "many fields":
            body = "&".join(f"f{n}={n}" for n in range(rng.choice([999, 1001, 5000]))).encode()
        elif kind == "text":
            content_type, body = b"text/plain; charset=\xff", nasty_text(rng).encode()
        headers.append(b"Content-Type: " + content_type)
        if kind == "truncated":
            headers.append(b"Content-Length: %d" % (len(body) + rng.randint(1, 5000)))
        elif kind == "bad length":
            headers.append(b"Content-Length: " + rng.choice(BAD_LENGTHS))
            body = b"own=x"
        elif kind == "chunked":
            headers.append(b"Transfer-Encoding: chunked")
            good = b"5\r\nown=x\r\n0\r\n\r\n"
            body = rng.choice([good, b"zz\r\nown=x\r\n", b"ffffffffff\r\nown=x\r\n", good[:7]])
            half_close = True
        elif kind != "empty":
            headers.append(b"Content-Length: %d" % len(body))
    headers.append(b"Connection: close")
    return Request(kind, method.encode(), target, headers, body, half_close)


# --- sending ---


def send(port, request, timeout=30):
    """The status the server answered, as text, or what happened instead."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(request.raw())
            if request.half_close:
                sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # it answered before reading everything we sent: read what it said
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            if not answer:
                return "reset"
        except TimeoutError:
            return "timeout"
    while re.match(rb"HTTP/1\.[01] 1\d\d", answer):  # "100 Continue", then the answer
        answer = answer.partition(b"\r\n\r\n")[2]
    match = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    if match:
        return match.group(1).decode()
    return "garbled" if answer else "closed"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--db-name", default="bench_hostile")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    database_url = load.fresh_database(args.database, args.db_name)
    env = load.app_env(database_url)
    load.prepare(env)
    create_staff(env)
    port = load.free_port()
    threads = 4 if args.database == "sqlite" else 1
    access_log = tempfile.NamedTemporaryFile(prefix="hostile-access-", suffix=".log").name
    error_log = tempfile.NamedTemporaryFile(prefix="hostile-error-", suffix=".log").name
    with open(error_log, "w") as errors_out:
        server = load.start_gunicorn(env, port, access_log, 2, threads, stderr=errors_out)
    base = f"http://127.0.0.1:{port}"
    statuses, by_kind, failures, lock = Counter(), Counter(), [], threading.Lock()

    def fire(request):
        status = send(port, request)
        with lock:
            statuses[status] += 1
            by_kind[(request.kind, status)] += 1
            if not status.isdigit() or status.startswith("5"):
                failures.append((status, request))

    started = time.monotonic()
    try:
        patients, codes = patient_sessions(base, rng)
        urls, params = every_url(base, sign_in(base, STAFF["admin"]), codes)
        choices = gather_choices(base)
        sent = reached = 0
        while sent < args.requests:
            if sent and sent % PATIENTS_EVERY == 0:
                patients, more_codes = patient_sessions(base, rng)
                codes += more_codes
            known = patients + staff_sessions(base)
            batch = [
                hostile(rng, urls, params, known, codes, choices)
                for _ in range(min(STAFF_EVERY, args.requests - sent))
            ]
            before = lines(access_log)
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                list(pool.map(fire, batch))
            reached += lines(access_log) - before
            sent += len(batch)
        healthy = requests.get(f"{base}/healthz", timeout=30).text == "ok"
    finally:
        load.stop([server])
    elapsed = time.monotonic() - started
    log_problems = [
        line
        for line in Path(error_log).read_text(errors="replace").splitlines()
        if re.search(LOG_PROBLEMS, line)
    ]
    report(args, statuses, by_kind, failures, log_problems, healthy, urls, elapsed, reached)
    if failures or log_problems:
        print(f"gunicorn's logs are kept: {access_log} {error_log}")
    else:
        Path(access_log).unlink()
        Path(error_log).unlink()
    if args.database == "sqlite":
        shutil.rmtree(Path(database_url.removeprefix("sqlite:///")).parent)
    return 1 if failures or log_problems or not healthy else 0


def report(args, statuses, by_kind, failures, log_problems, healthy, urls, elapsed, reached):
    total = sum(statuses.values())
    out = [
        f"{args.database}: {total} hostile requests in {elapsed:.0f} s "
        f"(seed {args.seed}, {len(urls)} app URLs), {reached} of them reached the app "
        "(the rest gunicorn refused itself), /healthz afterwards: "
        + ("ok" if healthy else "NOT ok"),
        "",
        "| status | requests |",
        "|---|---|",
        *(f"| {status} | {count} |" for status, count in sorted(statuses.items())),
        "",
        "by kind of body: "
        + "; ".join(
            f"{kind}: "
            + ", ".join(f"{s} ×{n}" for (k, s), n in sorted(by_kind.items()) if k == kind)
            for kind in sorted({k for k, _ in by_kind})
        ),
        "",
        f"5xx: {sum(n for s, n in statuses.items() if s.startswith('5'))}; "
        f"no answer: {sum(n for s, n in statuses.items() if not s.isdigit())}; "
        f"problems in gunicorn's log: {len(log_problems)}",
    ]
    for status, request in failures[:50]:
        out.append(
            f"FAILED {status}: {request.method.decode('latin-1')} "
            f"{request.target.decode('latin-1')!r} ({request.kind})"
        )
    out += [f"gunicorn: {line}" for line in log_problems[:20]]
    print("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
