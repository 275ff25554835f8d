"""Load bench: simulated patients walk the whole journey against gunicorn on PostgreSQL.

    python bench/load.py                       # 50 patients; prints the report (bench/RESULTS.md)
    python bench/load.py --patients 10 --check # CI: exits 1 on any error or lost answer

It starts PostgreSQL (the STACK.md script; run as root), makes a fresh database `bench` owned by
role `app`, migrates it (which loads the topic pack), runs collectstatic, and starts gunicorn
(2 sync workers) on a free port on 127.0.0.1. Each simulated patient is a thread with its own
cookie jar: it reads every page, takes the real CSRF token from the form, answers at random,
sometimes goes back to change an earlier stage, finishes, and hands the tablet back. Then the
bench reads the database and checks every stored answer against what that patient sent last.
All the while a probe reads /about/ (the baseline page) every 0.1 s, so the baseline is measured
under the same load as the journey pages. Every request goes to 127.0.0.1; the run stops by
itself after --max-seconds.
"""

import argparse
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
APP_DB = "postgresql://app:app@localhost:5432/app"
BENCH_DB = "postgresql://app:app@localhost:5432/bench"
PROBE_INTERVAL = 0.1  # seconds between the baseline probe's requests for /about/
STAGES = ("safety", "history", "learn", "understanding", "values", "leaning", "questions")
WORDS = (
    "when can I go back to work does it hurt how many visits café naïve 😀 <b>bold</b> &".split()
)

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


def prepare_database(env):
    subprocess.run(["bash", "-c", PG_START], check=True)
    with psycopg.connect(APP_DB, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bench WITH (FORCE)")
        conn.execute("CREATE DATABASE bench OWNER app")
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True
        )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env, port, access_log):
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "decisionaid.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--worker-class", "sync", "--no-control-socket",
         "--access-logfile", access_log,
         "--access-logformat", "%(m)s %(U)s %(s)s %(D)s %({x-bench-probe}i)s"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr,
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


class Page(HTMLParser):
    """The forms, primary links and visit code on one page."""

    def __init__(self, html):
        super().__init__()
        self.forms, self.links, self.code, self._in_code = [], [], None, False
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
        elif tag == "a" and "btn-primary" in a.get("class", ""):
            self.links.append(a["href"])
        self._in_code = tag == "p" and "visit-code" in a.get("class", "")

    def handle_data(self, data):
        if self._in_code and data.strip():
            self.code = data.strip()

    def form(self, action=""):
        return next(f for f in self.forms if f["action"] == action)


class Patient:
    def __init__(self, number, base, think, deadline):
        self.rng = random.Random(number)
        self.base, self.think, self.deadline = base, think, deadline
        self.timings = defaultdict(list)  # (label, method) -> seconds, as this patient saw them
        self.http = requests.Session()
        self.sent = {}  # stage -> (form as seen, data sent last)
        self.code = None

    def request(self, method, path, label, **kwargs):
        if time.monotonic() > self.deadline:
            raise RuntimeError("out of time")
        started = time.perf_counter()
        response = self.http.request(
            method, self.base + path, allow_redirects=False, timeout=30, **kwargs
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
            data[name] = " ".join(words) + f" #{self.rng.randint(0, 10**6)}"
        return data

    def answer(self, stage):
        path = f"/visit/{stage}/"
        form = Page(self.request("GET", path, stage).text).form()
        self.pause()
        data = self.answers(stage, form)
        response = self.request(
            "POST", path, stage, data={**data, "csrfmiddlewaretoken": form["token"]}
        )
        self.sent[stage] = (form, data)
        following = response.headers["Location"]
        if following.endswith(("/alert/", "/feedback/")):  # a page to read, then Continue
            page = Page(self.request("GET", following, following.split("/")[-2]).text)
            self.pause()
            following = page.links[-1]
        return following

    def run(self):
        home = Page(self.request("GET", "/", "welcome").text)
        self.request("GET", "/about/", "about")
        self.pause()
        start = next(f for f in home.forms if f["action"].endswith("/start/"))
        self.request("POST", start["action"], "start", data={"csrfmiddlewaretoken": start["token"]})
        for stage in STAGES:
            self.answer(stage)
        review = Page(self.request("GET", "/visit/review/", "review").text)
        if self.rng.random() < 0.3:  # change of mind: back to an earlier stage, then review
            self.answer(self.rng.choice(STAGES))
            review = Page(self.request("GET", "/visit/review/", "review").text)
        self.pause()
        token = review.form()["token"]
        self.request("POST", "/visit/review/", "review", data={"csrfmiddlewaretoken": token})
        finished = Page(self.request("GET", "/visit/finished/", "finished").text)
        self.code = finished.code
        self.pause()
        token = finished.form("/visit/end/")["token"]
        self.request("POST", "/visit/end/", "end", data={"csrfmiddlewaretoken": token})

    def expected(self):
        """item -> value, as the storage contract says: "<stage>:<key>"; ticks as yes / no."""
        items = {"learn:seen": "yes"}
        for stage, (form, data) in self.sent.items():
            for name in form["radio"]:
                items[f"{stage}:{name}"] = data[name]
            for name, values in form["checkbox"].items():
                for value in values:
                    if value != "none":
                        items[f"{stage}:{value}"] = "yes" if value in data[name] else "no"
            for name in form["textarea"]:
                items[f"{stage}:{name}"] = data[name].strip()
        return items


def verify(patients):
    """Compare the database with what each patient sent last."""
    with psycopg.connect(BENCH_DB) as conn:
        visits = dict(conn.execute("SELECT code, finished_at IS NOT NULL FROM decisionaid_visit"))
        stored = defaultdict(dict)
        for code, item, value in conn.execute(
            "SELECT v.code, a.item, a.value FROM decisionaid_answer a "
            "JOIN decisionaid_visit v ON v.id = a.visit_id"
        ):
            stored[code][item] = value
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


def server_times(access_log):
    """(label, method) -> server-side seconds, from gunicorn's access log."""
    times = defaultdict(list)
    for line in Path(access_log).read_text().splitlines():
        method, path, _status, micros, probe = line.split()
        match = re.fullmatch(r"/visit/([a-z-]+)/(?:([a-z]+)/)?", path)
        label = {"/": "welcome", "/about/": "about", "/healthz": "healthz"}.get(path)
        if probe == "1":  # the baseline probe, kept apart from the patients' own requests
            times[("about", "probe")].append(int(micros) / 1e6)
            continue
        if match:
            label = match.group(2) or match.group(1)
        elif path.endswith("/start/"):
            label = "start"
        times[(label, method)].append(int(micros) / 1e6)
    return times


def ms(values, q):
    if not values:
        return "–"
    return f"{(statistics.median(values) if q == 50 else quantile95(values)) * 1000:.0f}"


def quantile95(values):
    return (
        statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    )


def ratio(page_times, about_times):
    if not page_times or not about_times:
        return "– (no requests)"
    return f"{statistics.median(page_times) / statistics.median(about_times):.2f}"


def report(args, errors, outcome, client, server, elapsed):
    patients_about = server[("about", "GET")]
    about = patients_about + server[("about", "probe")]
    stage_gets = [t for s in STAGES for t in server[(s, "GET")]]
    lines = [
        f"patients {args.patients}, think {args.think[0]}-{args.think[1]} s, "
        f"wall time {elapsed:.0f} s, requests {sum(len(v) for v in client.values())}",
        f"errors: {len(errors)}",
        f"visits in database: {outcome['visits']}, unfinished: {outcome['unfinished']}",
        f"answers checked: {outcome['checked']}, lost: {outcome['lost']}, "
        f"wrong: {outcome['wrong']}",
        "",
        "| page | GET p50 | GET p95 | POST p50 | POST p95 | server GET p50 | server POST p50 |",
        "|---|---|---|---|---|---|---|",
    ]
    labels = ["welcome", "about", "start", *STAGES, "alert", "feedback", "review", "finished"]
    for label in [*labels, "end"]:
        get, post = client[(label, "GET")], client[(label, "POST")]
        sget, spost = server[(label, "GET")], server[(label, "POST")]
        lines.append(
            f"| {label} | {ms(get, 50)} | {ms(get, 95)} | {ms(post, 50)} | {ms(post, 95)} "
            f"| {ms(sget, 50)} | {ms(spost, 50)} |"
        )
    lines += ["", "Times in ms. Server times are gunicorn's own (%(D)s), without queueing.", ""]
    baseline = f"{statistics.median(about) * 1000:.2f}" if about else "–"
    lines.append(f"baseline /about/ server median: {baseline} ms ({len(about)} requests)")
    for stage in STAGES:
        lines.append(f"ratio {stage} page / about: {ratio(server[(stage, 'GET')], about)}")
    lines.append(f"ratio all journey pages / about: {ratio(stage_gets, about)}")
    if patients_about:
        lines.append(
            f"the same with only the patients' own /about/ requests ({len(patients_about)}, "
            f"median {statistics.median(patients_about) * 1000:.2f} ms, all while patients "
            f"arrive): {ratio(stage_gets, patients_about)}"
        )
    lines += [f"error: {e}" for e in errors[:20]]
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--check", action="store_true", help="exit 1 on any error or lost answer")
    parser.add_argument("--think", type=float, nargs=2, default=None, metavar=("MIN", "MAX"))
    parser.add_argument("--max-seconds", type=float, default=None)
    args = parser.parse_args()
    args.think = args.think or ((0.05, 0.2) if args.check else (1.0, 3.0))
    args.max_seconds = args.max_seconds or (60 if args.check else 300)

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DATABASE_URL": BENCH_DB,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain http on loopback
        "DJANGO_SECURE_COOKIES": "0",
    }
    env.pop("PYTEST_VERSION", None)
    prepare_database(env)
    port = free_port()
    access_log = tempfile.NamedTemporaryFile(prefix="bench-access-", suffix=".log").name
    server = start_gunicorn(env, port, access_log)
    errors, lock = [], threading.Lock()
    began = time.monotonic()
    deadline = began + args.max_seconds
    patients = [
        Patient(n, f"http://127.0.0.1:{port}", args.think, deadline) for n in range(args.patients)
    ]

    def walk(patient):
        time.sleep(patient.rng.uniform(0, args.think[1]))  # patients arrive over a few seconds
        try:
            patient.run()
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            with lock:
                errors.append(f"patient {patients.index(patient)}: {exc}")

    walking = threading.Event()
    walking.set()

    def probe():
        """Sample the baseline page all through the run, under the same load as the journey
        pages (patients open /about/ only once, while they are still arriving)."""
        http = requests.Session()
        while walking.is_set() and time.monotonic() < deadline:
            response = http.get(
                f"http://127.0.0.1:{port}/about/", headers={"X-Bench-Probe": "1"}, timeout=30
            )
            if response.status_code != 200:
                with lock:
                    errors.append(f"probe: GET /about/: {response.status_code}")
            time.sleep(PROBE_INTERVAL)

    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    try:
        with ThreadPoolExecutor(max_workers=args.patients) as pool:
            list(pool.map(walk, patients))
        elapsed = time.monotonic() - began
    finally:
        walking.clear()
        prober.join(timeout=35)
        server.terminate()
        server.wait(timeout=30)
    outcome = verify(patients)
    client = defaultdict(list)
    for patient in patients:
        for key, seconds in patient.timings.items():
            client[key] += seconds
    report(args, errors, outcome, client, server_times(access_log), elapsed)
    os.unlink(access_log)
    failed = errors or outcome["lost"] or outcome["wrong"] or outcome["unfinished"]
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
