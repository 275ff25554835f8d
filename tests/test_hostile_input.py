"""Hostile input: generated and malicious data against every form a person can post.

Whatever arrives, the app answers below 500 and stores either nothing or one whole stage. Each
form is attacked by hypothesis with XSS payloads, 5,000- and 100,000-character strings, odd
Unicode and NUL bytes, lists where one value goes, missing and extra fields, broken encodings,
and missing or wrong CSRF tokens. Multipart bodies, and bodies over the request body limit (every
100,000-character one), are refused with 413 before the app reads them (decisionaid.limits).
Staff forms join ENDPOINTS as they are built (the /login/ page, for one).
"""

import json
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.test.client import MULTIPART_CONTENT
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decisionaid.models import Answer, Visit
from decisionaid.stages.leaning import READINESS
from tests.clients import Client
from tests.visits import CALM_ANSWERS, Journey, stage_url
from topics.models import NONE_OF_THESE, NOT_SURE

PER_ENDPOINT = 190  # 11 endpoints: over 2,000 hostile requests in all
EXPIRED = b"This page has expired"

XSS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
)
NASTY = (
    *XSS,
    "javascript:alert(1)",
    "' OR 1=1 --",
    "{{ request }}{% debug %}",
    "%s%n%x",
    "\x00",
    "yes\x00",
    "\u202egnp.exe",
    "\ufeff\u200b\u200d",
    "Z\u0338\u0327a\u0334l\u0335g\u0336o\u0337",
    "\U0001f600\U0001f4a9",
    "\r\n" * 40,
    "",
    " ",
    "-1",
    "1e309",
    "NaN",
    "None",
    "[]",
    "true",
)
MISSING = object()
TEXT = st.characters(exclude_categories=("Cs",))  # lone surrogates cannot be sent as UTF-8
SAFE_TEXT = st.characters(exclude_categories=("Cs", "Cc"))
# 5,000 characters fit under the body limit even at 12 urlencoded bytes each; 100,000 never do.
LONG = st.builds(
    lambda c, n: c * n,
    st.sampled_from(["a", "<", "é", "\x00", "\U0001f600"]),
    st.sampled_from([5_000, 100_000]),
)
HOSTILE = st.one_of(st.sampled_from(NASTY), st.text(TEXT, max_size=40))
EXTRA_KEYS = st.one_of(
    st.sampled_from(["visit_id", "stage", "finished_at", "is_staff", "next", "own[]", "a\x00b"]),
    st.text(st.characters(categories=("L", "N")), min_size=1, max_size=12),
)
CSRF = ["ok"] * 6 + ["missing", "wrong", "no cookie"]
ENCODINGS = ["urlencoded"] * 4 + ["multipart"] * 3 + ["json", "raw bytes"]


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "one" (radio), "many" (checkboxes), "text"
    choices: tuple = ()


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    fields: tuple = ()
    stage: str = ""  # the journey stage whose answers a valid post replaces
    saves: tuple = ()  # what a valid post saves besides its fields (Learn: that it was read)
    staff: bool = False  # a sign-in form: nothing we send may sign anyone in


def learn_last_screen_url(topic):
    screens = topic.options.count() + 3  # about, at a glance, one per option, unknowns
    return reverse("journey:stage_screen", kwargs={"stage": "learn", "screen": screens})


def history_field(question):
    if question.kind == "text":
        return Field(question.key, "text")
    if question.kind == "scale":
        return Field(question.key, "one", tuple(str(n) for n in range(11)))
    return Field(question.key, "one", tuple(c.key for c in question.choices.all()))


def journey_endpoints(topic):
    """Every form of the patient journey, with its fields as the shipped topic defines them."""
    questions = list(topic.history_questions.prefetch_related("choices"))
    history = [  # the first of the history screens
        history_field(q) for q in questions if q.screen == questions[0].screen
    ]
    leaning = [Field("choice", "one", (*topic.options.values_list("key", flat=True), NOT_SURE))]
    leaning += [Field(f"ready-{key}", "one", ("yes", "no")) for key, _ in READINESS]
    stages = {
        "safety": [Field("flags", "many", tuple(topic.red_flags.values_list("key", flat=True)))],
        "history": history,
        "learn": [],
        "understanding": [
            Field(key, "one", ("true", "false", NOT_SURE))
            for key in topic.knowledge.values_list("key", flat=True)
        ],
        "values": [
            Field(key, "one", ("1", "2", "3", "4", "5"))
            for key in topic.values.values_list("key", flat=True)
        ],
        "leaning": leaning,
        "questions": [
            Field("suggested", "many", tuple(topic.doctor_questions.values_list("key", flat=True))),
            Field("own", "text"),
        ],
    }
    # Learn has nothing to answer: Continue on its last screen records that it was read.
    urls = {s: stage_url(s) for s in stages}
    urls["learn"] = learn_last_screen_url(topic)
    return [
        Endpoint("start", reverse("journey:start", kwargs={"slug": topic.slug})),
        *(
            Endpoint(s, urls[s], tuple(f), stage=s, saves=("seen",) if s == "learn" else ())
            for s, f in stages.items()
        ),
        Endpoint("review", reverse("journey:review")),
        Endpoint("end", reverse("journey:end")),
    ]


STAFF_ENDPOINTS = [
    Endpoint(
        "admin login",
        "admin:login",
        (Field("username", "text"), Field("password", "text")),
        staff=True,
    ),
]
ENDPOINT_NAMES = [*(["start"] + list(CALM_ANSWERS) + ["review", "end"]), "admin login"]


def valid_value(field):
    if field.kind == "one":
        return st.sampled_from(field.choices)
    if field.kind == "many" and field.name == "flags":
        return st.one_of(
            st.just([NONE_OF_THESE]),
            st.lists(st.sampled_from(field.choices), min_size=1, unique=True),
        )
    if field.kind == "many":
        return st.lists(st.sampled_from(field.choices), unique=True)
    return st.text(SAFE_TEXT, max_size=80)


def any_value(field):
    valid = valid_value(field)
    return st.one_of(
        valid, HOSTILE, st.lists(st.one_of(valid, HOSTILE), max_size=3), st.just(MISSING)
    )


def last(value):
    """What Django reads from a field sent once or many times (an empty list sends nothing)."""
    if isinstance(value, list):
        return value[-1] if value else ""
    return value


def as_list(value):
    return value if isinstance(value, list) else [value]


class Attack:
    """One client, in the state the endpoint expects, and what each post may change."""

    def __init__(self, topic, endpoint):
        self.topic, self.endpoint, self.statuses = topic, endpoint, Counter()
        self.client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        self.visit = None
        if endpoint.staff:
            self.client.get(endpoint.path)
            return
        # A browser that has walked to the end of the journey, and that now turns hostile.
        setup = Client()
        setup.get(reverse("journey:welcome", kwargs={"slug": topic.slug}))
        self.visit = Journey(setup, topic).through("questions")
        self.client.cookies = setup.cookies
        self.items = {s: self._items(s) for s in CALM_ANSWERS}

    def _items(self, stage):
        return {
            f"{stage}:{key}"
            for key in self.visit.answers.filter(stage=stage).values_list("key", flat=True)
        }

    def state(self):
        if self.visit is None:
            return None
        visit = Visit.objects.get(pk=self.visit.pk)
        answers = {
            f"{a.stage}:{a.key}": (a.stage, a.value, a.display, a.answered_at)
            for a in Answer.objects.filter(visit=visit)
        }
        return visit.finished_at, visit.readiness_score, answers, Visit.objects.count()

    def send(self, payload, csrf, encoding, raw=b""):
        cookies = self.client.cookies
        token = cookies["csrftoken"].value if "csrftoken" in cookies else ""
        if csrf == "ok":
            payload = {**payload, "csrfmiddlewaretoken": token}
        elif csrf == "wrong":
            payload = {**payload, "csrfmiddlewaretoken": "x" * len(token)}
        elif csrf == "no cookie" and "csrftoken" in cookies:
            del cookies["csrftoken"]
        path = self.endpoint.path
        if encoding == "urlencoded":
            body = urlencode(payload, doseq=True)
            response = self.client.post(path, body, "application/x-www-form-urlencoded")
        elif encoding == "multipart":
            response = self.client.post(path, payload, MULTIPART_CONTENT)
        elif encoding == "json":
            response = self.client.post(path, json.dumps(payload), "application/json")
        else:
            body = raw + b"&" + urlencode(payload, doseq=True).encode()
            response = self.client.post(path, body, "application/x-www-form-urlencoded")
        if csrf == "no cookie" and token:
            cookies["csrftoken"] = token
        self.statuses[response.status_code] += 1
        return response

    def check(self, response, payload, before, after, encoding):
        """What a person relies on, whatever was sent."""
        assert response.status_code < 500
        if encoding == "multipart":
            assert response.status_code == 413, "a multipart body reached the app"
        if response.status_code == 403:
            assert EXPIRED in response.content
        if response.status_code == 200:
            for script in XSS:
                assert script.encode() not in response.content
        if self.endpoint.staff:
            assert "_auth_user_id" not in self.client.session
            return
        for stage, items in self.items.items():
            stored = {i for i, (s, *_rest) in after[2].items() if s == stage}
            assert stored == items, f"{stage} is no longer whole"
        saved = response.status_code == 302 and self.endpoint.stage and not before[0]
        if saved:
            self.check_saved(payload, before, after)
        elif self.endpoint.name == "review" and response.status_code == 302 and not before[0]:
            assert after[0] is not None and after[1:] == before[1:]
        elif self.endpoint.name == "start" and response.status_code == 302:
            assert after[:3] == before[:3] and after[3] - before[3] <= 1
        else:
            assert after == before, "changed without a valid post"
        if self.endpoint.name == "end" and response.status_code == 302:
            assert "visit_id" not in self.client.session
            start = reverse("journey:start", kwargs={"slug": self.topic.slug})
            token = self.client.cookies["csrftoken"].value
            assert self.client.post(start, {"csrfmiddlewaretoken": token}).status_code == 302

    def check_saved(self, payload, before, after):
        """A valid post replaced the whole screen with exactly what was sent, and nothing else
        (a stage of several screens keeps its other screens' answers)."""
        stage = self.endpoint.stage
        keys = {
            f"{stage}:{key}"
            for field in self.endpoint.fields
            for key in (field.choices if field.kind == "many" else [field.name])
        }
        keys |= {f"{stage}:{key}" for key in self.endpoint.saves}
        rows = {item: row for item, row in after[2].items() if item in keys}
        newest_before = max(row[3] for row in before[2].values())
        assert len(rows) == len(keys), "some rows missing"
        assert all(row[3] > newest_before for row in rows.values()), "some rows not rewritten"
        for field in self.endpoint.fields:
            sent = payload.get(field.name, [] if field.kind == "many" else "")
            if field.kind == "many":
                ticked = {str(v) for v in as_list(sent)}
                for choice in field.choices:
                    expected = "yes" if choice in ticked else "no"
                    assert rows[f"{stage}:{choice}"][1] == expected
            elif field.kind == "text":
                assert rows[f"{stage}:{field.name}"][1] == str(last(sent)).strip()
            else:
                assert rows[f"{stage}:{field.name}"][1] == last(sent)
        unchanged = {i for i in after[2] if i not in keys and not i.endswith(":_done")}
        assert {i: after[2][i] for i in unchanged} == {i: before[2][i] for i in unchanged}
        if stage == "leaning":
            assert after[1] == sum(last(payload[f"ready-{k}"]) == "yes" for k, _ in READINESS)
        else:
            assert after[1] == before[1]


def endpoint_named(name, topic):
    for endpoint in journey_endpoints(topic):
        if endpoint.name == name:
            return endpoint
    staff = next(e for e in STAFF_ENDPOINTS if e.name == name)
    return Endpoint(staff.name, reverse(staff.path), staff.fields, staff=True)


@pytest.fixture
def fast_hashing(settings):
    """Every sign-in attempt with a well-formed username runs the password hasher; keep it quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.slow
@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_hostile_posts_never_cause_a_server_error_or_a_partial_write(
    name, shipped_topic, fast_hashing
):
    attack = Attack(shipped_topic, endpoint_named(name, shipped_topic))

    @settings(
        max_examples=PER_ENDPOINT,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def post_something(data):
        fields = attack.endpoint.fields
        valid = data.draw(st.booleans(), label="all fields valid")
        payload = {}
        for field in fields:
            value = data.draw(valid_value(field) if valid else any_value(field), label=field.name)
            if value is not MISSING:
                payload[field.name] = value
        payload.update(data.draw(st.dictionaries(EXTRA_KEYS, HOSTILE, max_size=3), label="extra"))
        if data.draw(st.integers(0, 5), label="one long value") == 0:
            names = [f.name for f in fields] or ["filler"]
            payload[data.draw(st.sampled_from(names))] = data.draw(LONG, label="long")
        csrf = data.draw(st.sampled_from(CSRF), label="csrf")
        encoding = data.draw(st.sampled_from(ENCODINGS), label="encoding")
        raw = data.draw(st.binary(max_size=300), label="raw") if encoding == "raw bytes" else b""
        before = attack.state()
        response = attack.send(payload, csrf, encoding, raw)
        attack.check(response, payload, before, attack.state(), encoding)

    post_something()
    # Both sides were exercised: refused posts, and valid ones whose saves were checked.
    assert attack.statuses.total() >= PER_ENDPOINT
    assert 403 in attack.statuses
    assert 413 in attack.statuses
    assert 200 in attack.statuses if attack.endpoint.fields else 302 in attack.statuses
    if attack.endpoint.stage:
        assert 302 in attack.statuses


def test_posts_replayed_after_finish_change_nothing(journey, shipped_topic):
    visit = journey.finish()
    before = [
        visit.finished_at,
        list(visit.answers.values_list("stage", "key", "value", "answered_at")),
    ]
    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)
    strict.cookies = journey.client.cookies
    for stage, answers in CALM_ANSWERS.items():
        for data in ({**answers, "own": "Changed after finishing"}, {"flags": NASTY[0]}):
            response = journey.client.post(stage_url(stage), data)
            assert response.status_code == 302
            assert response["Location"] == reverse("journey:finished")
        assert strict.post(stage_url(stage), answers).status_code == 403
    assert journey.client.post(reverse("journey:review")).status_code == 302
    visit.refresh_from_db()
    assert [
        visit.finished_at,
        list(visit.answers.values_list("stage", "key", "value", "answered_at")),
    ] == before


def test_what_the_patient_typed_is_escaped_on_the_review_page(journey, client):
    script = "<script>alert('hello')</script>\n\"quoted\" & more"
    journey.through("questions", {"questions": {"own": script}})
    response = client.get(reverse("journey:review"))
    assert response.status_code == 200
    assert b"<script>alert" not in response.content
    assert b"&lt;script&gt;alert(&#x27;hello&#x27;)&lt;/script&gt;<br>&quot;quoted&quot;" in (
        response.content
    )


def test_continue_on_the_learn_step_saves_even_when_the_post_has_no_fields(journey):
    visit = journey.through("history")
    response = journey.client.post(learn_last_screen_url(journey.topic))
    assert response.status_code == 302
    assert visit.answers.filter(stage="learn", key="seen", value="yes").exists()
