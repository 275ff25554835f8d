"""Load bench: simulated patients walk the whole journey against gunicorn, and nothing is lost.

    python bench/load.py                         # 200 patients, 2 app servers, PostgreSQL
    python bench/load.py --patients 10 --check   # CI: exits 1 on any error, lost or wrong answer
    python bench/load.py --database sqlite --servers 1 --threads 4 --patients 50 --think 5 15

With PostgreSQL it starts the server (the STACK.md script; run as root) and makes a fresh
database (--db-name, `bench` by default) owned by role `app`; with SQLite it makes a fresh
database file in a temporary folder. It migrates (which loads the topic pack), runs
collectstatic, and starts --servers gunicorn app servers on free ports on 127.0.0.1, all on the
one database, each with --workers workers (sync, or gthread with --threads above 1).

Each simulated patient is a thread with its own cookie jar, sending its requests to the app
servers in turn (one request to each, alternately). It reads every page, takes the real CSRF
token from the form, answers at random, sometimes goes back to change an earlier stage, finishes,
and hands the tablet back. Then the bench reads the database and checks every stored answer
against what that patient sent last. Every request goes to 127.0.0.1; the run stops by itself
after --max-seconds.

Other scripts import the pieces: tests/test_concurrency.py runs 12 tablets on SQLite through
run(), and bench/hostile.py reuses the database set-up, the servers and Patient.
"""

import argparse
import os
import random
import re
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
APP_DB = "postgresql://app:app@localhost:5432/app"
STAGES = ("safety", "history", "learn", "understanding", "values", "leaning", "questions")
PAGES = (
    "welcome", "about", "start", *STAGES, "emergency", "alert", "feedback", "review", "finished",
    "end",
)  # fmt: skip
TEXT_LIMIT = 190  # characters: the shortest free-text field (About you) takes 200
WORDS = (
    "when can I go back to work does it hurt how many visits café naïve 😀 <b>bold</b> &".split()
)
TARGET_P95 = 0.100  # seconds, on every page, as the patients' clients see it

# docs: shared/STACK.md, "PostgreSQL for tests and CI", verbatim.
PG_START = r"""
PGVER=$(ls /etc/postgresql | sort -V | tail -1)
pg_ctlcluster "$PGVER" main status >/dev/null 2>&1 || pg_ctlcluster "$PGVER" main start  # plain start exits 2 if already up
for i in $(seq 30); do pg_isready -q -h localhost && break; sleep 1; done
runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q <<'SQL'
DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='app') THEN
  CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB; END IF; END$$;
SELECT 'CREATE DATABASE app OWNER app' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname='app')\gexec
SQL
export DATABASE_URL=postgres://app:app@localhost:5432/app   # CREATEDB lets Django make test_app
"""  # noqa: E501 - verbatim


# --- the database and the app servers ---


def postgres_url(name):
    return f"postgresql://app:app@localhost:5432/{name}"


def fresh_database(kind, name, folder=None):
    """The DATABASE_URL of a new, empty database: PostgreSQL `name`, or an SQLite file in
    `folder` (a new temporary folder when not given)."""
    if kind == "sqlite":
        folder = Path(folder or tempfile.mkdtemp(prefix=f"{name}-"))
        return f"sqlite:///{folder / f'{name}.sqlite3'}"
    subprocess.run(["bash", "-c", PG_START], check=True)
    with psycopg.connect(APP_DB, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" OWNER app')
    return postgres_url(name)


def app_env(database_url):
    """The environment of a production-like app server on plain http, for loopback use."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain http on loopback
        "DJANGO_SECURE_COOKIES": "0",
    }
    env.pop("PYTEST_VERSION", None)
    return env


def prepare(env):
    """Migrate (which loads the shipped topic) and collect the static files."""
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True
        )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env, port, access_log, workers=2, threads=1, stderr=None):
    """gunicorn on 127.0.0.1:port, once it answers /healthz. Sync workers, or gthread."""
    worker_class = ["--worker-class", "sync"]
    if threads > 1:
        worker_class = ["--worker-class", "gthread", "--threads", str(threads)]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "decisionaid.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), *worker_class, "--no-control-socket",
         "--access-logfile", access_log, "--access-logformat", "%(m)s %(U)s %(s)s %(D)s"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr or sys.stderr,
    )  # fmt: skip
    # A busy machine can take seconds to boot the workers and answer the first request.
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10).text == "ok":
                return server
        except requests.RequestException:  # not listening yet, or too slow to answer yet
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop(servers):
    for server in servers:
        server.terminate()
    for server in servers:
        server.wait(timeout=30)


# --- a simulated patient ---


class Page(HTMLParser):
    """The forms, primary links and visit code on one page."""

    def __init__(self, html):
        super().__init__()
        self.forms, self.links, self.code, self._in_code = [], [], None, False
        self.buttons = []  # every button-styled link, in order
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "radio": {}, "checkbox": {}})
            self.forms[-1].update(token=None, textarea=[])
        elif tag == "input" and self.forms:
            form, kind = self.forms[-1], a.get("type")
            if a.get("name") == "csrfmiddlewaretoken":
                form["token"] = a["value"]
            elif kind in ("radio", "checkbox"):
                form[kind].setdefault(a["name"], []).append(a["value"])
        elif tag == "textarea" and self.forms:
            self.forms[-1]["textarea"].append(a["name"])
        elif tag == "a" and "btn" in a.get("class", "").split():
            self.buttons.append(a["href"])
            if "btn-primary" in a.get("class", ""):
                self.links.append(a["href"])
        self._in_code = tag == "p" and "visit-code" in a.get("class", "")

    def handle_data(self, data):
        if self._in_code and data.strip():
            self.code = data.strip()

    def form(self, action=""):
        return next(f for f in self.forms if f["action"] == action)


class Patient:
    """One tablet: its own cookie jar, sending each request to the next app server in turn."""

    def __init__(self, number, bases, think, deadline=float("inf"), finish_line=None):
        self.rng = random.Random(number)
        self.bases, self.think, self.deadline = bases, think, deadline
        self.finish_line = finish_line  # a Barrier: every patient presses Finish at once
        self.timings = defaultdict(list)  # (page, method) -> seconds, as this patient saw them
        self.http = requests.Session()
        self.sent = {}  # screen's path -> (stage, form as seen, data sent last)
        self.code = None
        self.requests = 0

    def request(self, method, path, label, **kwargs):
        if time.monotonic() > self.deadline:
            raise RuntimeError("out of time")
        base = self.bases[self.requests % len(self.bases)]
        self.requests += 1
        started = time.perf_counter()
        response = self.http.request(
            method, base + path, allow_redirects=False, timeout=30, **kwargs
        )
        self.timings[(label, method)].append(time.perf_counter() - started)
        expected = 302 if method == "POST" else 200
        if response.status_code != expected:
            raise RuntimeError(f"{method} {path}: {response.status_code}, expected {expected}")
        return response

    def pause(self):
        time.sleep(self.rng.uniform(*self.think))

    def answers(self, stage, form):
        data = {name: self.rng.choice(values) for name, values in form["radio"].items()}
        for name, values in form["checkbox"].items():
            choices = [v for v in values if v != "none"]
            if "none" in values and self.rng.random() < 0.85:
                data[name] = ["none"]
            else:
                low = 1 if "none" in values else 0
                data[name] = self.rng.sample(choices, self.rng.randint(low, 2))
        for name in form["textarea"]:
            words = self.rng.choices(WORDS, k=self.rng.randint(0, 25))
            text = " ".join(words) + f" #{self.rng.randint(0, 10**6)}"
            data[name] = text[-TEXT_LIMIT:]
        return data

    def start(self):
        home = Page(self.request("GET", "/", "welcome").text)
        self.request("GET", "/about/", "about")
        self.pause()
        start = next((f for f in home.forms if f["action"].endswith("/start/")), None)
        if start is None:
            raise RuntimeError("the welcome page has no Start button")
        self.request("POST", start["action"], "start", data={"csrfmiddlewaretoken": start["token"]})

    def answer(self, stage):
        """Every screen of one stage, in order, and the page that may follow it."""
        path = f"/visit/{stage}/"
        while True:
            following = self.answer_screen(stage, path)
            if not re.fullmatch(rf"/visit/{stage}/\d+/", following):
                break
            path = following
        if following.endswith("/emergency/"):  # "Get help now": staff spoke with them; carry on
            page = Page(self.request("GET", following, "emergency").text)
            self.pause()
            following = page.buttons[-1]
        elif following.endswith(("/alert/", "/feedback/")):  # a page to read, then Continue
            page = Page(self.request("GET", following, following.split("/")[-2]).text)
            self.pause()
            following = page.links[-1]
        return following

    def answer_screen(self, stage, path):
        """One screen: read it, answer it, send it. Returns where the app sends the patient."""
        form = Page(self.request("GET", path, stage).text).form()
        self.pause()
        data = self.answers(stage, form)
        response = self.request(
            "POST", path, stage, data={**data, "csrfmiddlewaretoken": form["token"]}
        )
        self.sent[path if path.count("/") > 3 else f"{path}1/"] = (stage, form, data)
        return response.headers["Location"]

    def finish(self):
        review = Page(self.request("GET", "/visit/review/", "review").text)
        if self.rng.random() < 0.3:  # change of mind: back to an earlier stage, then review
            self.answer(self.rng.choice(STAGES))
            review = Page(self.request("GET", "/visit/review/", "review").text)
        self.pause()
        if self.finish_line:
            self.finish_line.wait(timeout=60)
            # The wait can outlast gunicorn's keep-alive (2 s): a connection the server is
            # closing just as Finish is sent on it is reset. Finish on a new connection.
            self.http.close()
        token = review.form()["token"]
        self.request("POST", "/visit/review/", "review", data={"csrfmiddlewaretoken": token})
        finished = Page(self.request("GET", "/visit/finished/", "finished").text)
        self.code = finished.code
        return finished

    def hand_back(self, finished):
        self.pause()
        token = finished.form("/visit/end/")["token"]
        self.request("POST", "/visit/end/", "end", data={"csrfmiddlewaretoken": token})

    def run(self):
        self.start()
        for stage in STAGES:
            self.answer(stage)
        self.hand_back(self.finish())

    def expected(self):
        """Stored "<stage>:<key>" -> value this patient sent last; ticks as yes / no."""
        items = {"learn:seen": "yes"}
        for stage, form, data in self.sent.values():
            for name in form["radio"]:
                items[f"{stage}:{name}"] = data[name]
            for name, values in form["checkbox"].items():
                for value in values:
                    if value != "none":
                        items[f"{stage}:{value}"] = "yes" if value in data[name] else "no"
            for name in form["textarea"]:
                items[f"{stage}:{name}"] = data[name].strip()
        return items


# --- what the database holds ---


def connect(database_url):
    """A DB-API connection to the bench database, apart from the app."""
    if database_url.startswith("sqlite:///"):
        return sqlite3.connect(database_url.removeprefix("sqlite:///"))
    return psycopg.connect(database_url)


def stored_answers(conn):
    """{visit code: {"<stage>:<key>": value}} for every stored answer, and {code: finished?}.

    The one place that knows how the app stores answers: a `stage` and a `key` column. The
    bench reads the database apart from the app, so it stays a check on the app's own code.
    """
    visits = dict(conn.execute("SELECT code, finished_at IS NOT NULL FROM decisionaid_visit"))
    stored = defaultdict(dict)
    for code, stage, key, value in conn.execute(
        "SELECT v.code, a.stage, a.key, a.value FROM decisionaid_answer a "
        "JOIN decisionaid_visit v ON v.id = a.visit_id"
    ):
        stored[code][f"{stage}:{key}"] = value
    return visits, stored


def verify(patients, database_url):
    """Compare the database with what each patient sent last."""
    conn = connect(database_url)
    try:
        visits, stored = stored_answers(conn)
    finally:
        conn.close()
    lost = wrong = 0
    for patient in patients:
        if patient.code is None:
            continue
        for item, value in patient.expected().items():
            if item not in stored[patient.code]:
                lost += 1
            elif stored[patient.code][item] != value:
                wrong += 1
    return {
        "visits": len(visits),
        "unfinished": sum(not done for done in visits.values()),
        "lost": lost,
        "wrong": wrong,
        "checked": sum(len(p.expected()) for p in patients if p.code),
    }


def server_times(access_logs, skip):
    """(page, method) -> server-side seconds, from the gunicorn access logs, after the first
    `skip[i]` lines of log i (the warm-up's)."""
    times = defaultdict(list)
    for access_log, skipped in zip(access_logs, skip, strict=True):
        for line in Path(access_log).read_text().splitlines()[skipped:]:
            method, path, _status, micros = line.split()
            match = re.fullmatch(r"/visit/([a-z-]+)/(?:([a-z]+|\d+)/)?", path)
            label = {"/": "welcome", "/about/": "about", "/healthz": "healthz"}.get(path)
            if match:
                screen = match.group(2)
                label = match.group(1) if not screen or screen.isdigit() else screen
            elif path.endswith("/start/"):
                label = "start"
            times[(label, method)].append(int(micros) / 1e6)
    return times


# --- a run ---


@dataclass
class Result:
    patients: int
    think: tuple
    elapsed: float
    warmed: int
    errors: list
    outcome: dict
    client: dict = field(default_factory=dict)  # (page, method) -> seconds
    server: dict = field(default_factory=dict)

    @property
    def failed(self):
        o = self.outcome
        return bool(self.errors or o["lost"] or o["wrong"] or o["unfinished"])

    def slow_pages(self):
        """(page, method, p95) for every page whose client p95 misses the target."""
        return [
            (page, method, quantile95(times))
            for (page, method), times in sorted(self.client.items())
            if times and quantile95(times) >= TARGET_P95
        ]


def warm_up(bases, concurrency):
    """A few patients walk the journey first, so that every worker has loaded the app, its
    templates and the topic's content once: a clinic's server does that once a day, not once
    per patient. Their visits are in the database, apart from the patients'. Returns how many
    walked, and their errors."""
    warmers = [Patient(f"warm-up {n}", bases, (0, 0)) for n in range(concurrency * len(bases))]
    errors = []

    def walk(patient):
        try:
            patient.run()
        except Exception as exc:  # noqa: BLE001 - counted and reported with the run's
            errors.append(f"warm-up: {exc!r}")

    with ThreadPoolExecutor(max_workers=len(warmers)) as pool:
        list(pool.map(walk, warmers))
    return len(warmers), errors


def run(
    patients,
    database="postgres",
    db_name="bench",
    servers=2,
    workers=2,
    threads=1,
    think=(1.0, 3.0),
    max_seconds=300,
    together=False,
    folder=None,
    arrive=None,
):
    """Run the bench and check the database; the database is left as the patients left it."""
    database_url = fresh_database(database, db_name, folder)
    env = app_env(database_url)
    prepare(env)
    logs = [
        tempfile.NamedTemporaryFile(prefix="bench-access-", suffix=".log", delete=False).name
        for _ in range(servers)
    ]
    ports = [free_port() for _ in range(servers)]
    running = []
    try:
        for port, log in zip(ports, logs, strict=True):
            running.append(start_gunicorn(env, port, log, workers, threads))
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        warmed, errors = warm_up(bases, workers * threads)
        skip = [len(Path(log).read_text().splitlines()) for log in logs]
        lock = threading.Lock()
        began = time.monotonic()
        deadline = began + max_seconds
        finish_line = threading.Barrier(patients) if together else None
        walkers = [Patient(n, bases, think, deadline, finish_line) for n in range(patients)]

        def walk(patient):
            if not together:  # patients arrive at random over the first `arrive` seconds
                time.sleep(patient.rng.uniform(0, arrive if arrive is not None else think[1]))
            try:
                patient.run()
            except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
                if finish_line:
                    finish_line.abort()  # or the others would wait for this one at Finish
                with lock:
                    errors.append(f"patient {walkers.index(patient)}: {exc!r}")

        with ThreadPoolExecutor(max_workers=patients) as pool:
            list(pool.map(walk, walkers))
        elapsed = time.monotonic() - began
    finally:
        stop(running)
    client = defaultdict(list)
    for patient in walkers:
        for key, seconds in patient.timings.items():
            client[key] += seconds
    result = Result(
        patients=patients,
        think=tuple(think),
        elapsed=elapsed,
        warmed=warmed,
        errors=errors,
        outcome=verify(walkers, database_url),
        client=client,
        server=server_times(logs, skip),
    )
    for log in logs:
        os.unlink(log)
    if database == "sqlite" and folder is None:
        shutil.rmtree(Path(database_url.removeprefix("sqlite:///")).parent)
    return result


def ms(values, q):
    if not values:
        return "–"
    return f"{(statistics.median(values) if q == 50 else quantile95(values)) * 1000:.0f}"


def quantile95(values):
    return (
        statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    )


def report(result, args):
    outcome, client, server = result.outcome, result.client, result.server
    threads = f", {args.threads} threads each" if args.threads > 1 else " (sync)"
    lines = [
        f"{args.database}, {args.servers} app server(s) × {args.workers} workers{threads}; "
        f"patients {result.patients} arriving over {args.arrive or result.think[1]:.0f} s, "
        f"think {result.think[0]}-{result.think[1]} s, "
        f"wall time {result.elapsed:.0f} s, requests {sum(len(v) for v in client.values())}",
        f"errors: {len(result.errors)}",
        f"visits in database: {outcome['visits']} ({result.warmed} from the warm-up), "
        f"unfinished: {outcome['unfinished']}",
        f"answers checked: {outcome['checked']}, lost: {outcome['lost']}, "
        f"wrong: {outcome['wrong']}",
        "",
        "| page | GET p50 | GET p95 | POST p50 | POST p95 "
        "| server GET p50 | server GET p95 | server POST p50 | server POST p95 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for page in PAGES:
        get, post = client[(page, "GET")], client[(page, "POST")]
        sget, spost = server[(page, "GET")], server[(page, "POST")]
        lines.append(
            f"| {page} | {ms(get, 50)} | {ms(get, 95)} | {ms(post, 50)} | {ms(post, 95)} "
            f"| {ms(sget, 50)} | {ms(sget, 95)} | {ms(spost, 50)} | {ms(spost, 95)} |"
        )
    lines += [
        "",
        "Times in ms. Client times are the patients' own, queueing included; server times are",
        "gunicorn's own (%(D)s), without queueing.",
        "",
    ]
    slow = result.slow_pages()
    lines.append(
        f"targets: p95 under {TARGET_P95 * 1000:.0f} ms on every page: "
        + (
            "met"
            if not slow
            else "NOT met: " + ", ".join(f"{p} {m} {t * 1000:.0f}" for p, m, t in slow)
        )
        + f"; errors 0: {'met' if not result.errors else 'NOT met'}"
        + f"; lost or wrong 0: {'met' if not (outcome['lost'] or outcome['wrong']) else 'NOT met'}"
    )
    lines += [f"error: {e}" for e in result.errors[:20]]
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--check", action="store_true", help="exit 1 on any error or lost answer")
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--db-name", default="bench", help="PostgreSQL database (or file) name")
    parser.add_argument("--servers", type=int, default=2, help="gunicorn app servers")
    parser.add_argument("--workers", type=int, default=2, help="workers per app server")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--think", type=float, nargs=2, default=None, metavar=("MIN", "MAX"))
    parser.add_argument("--together", action="store_true", help="all press Finish at once")
    parser.add_argument(
        "--arrive",
        type=float,
        default=None,
        help="seconds over which patients arrive, at random (default: the longest think time)",
    )
    parser.add_argument("--max-seconds", type=float, default=None)
    args = parser.parse_args()
    args.think = args.think or ((0.05, 0.2) if args.check else (1.0, 3.0))
    longest = 40 * args.think[1] + (args.arrive or 0)
    args.max_seconds = args.max_seconds or (60 if args.check else max(300, longest))
    result = run(
        args.patients,
        database=args.database,
        db_name=args.db_name,
        servers=args.servers,
        workers=args.workers,
        threads=args.threads,
        think=args.think,
        max_seconds=args.max_seconds,
        together=args.together,
        arrive=args.arrive,
    )
    report(result, args)
    return 1 if args.check and result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
