"""Reading and validating topic content packs (YAML), without touching the database.

A pack is validated against a small declarative schema. Validation turns it into a *normalized*
dict: every known key present, defaults filled in, dates as ISO strings. The loader writes that
dict to the database, and `topics.loader.export_topic` builds the same dict back from the
database, so a hash of it is the topic's content version whichever way the content arrived.

Every error names the file, the path inside the pack (e.g. ``options[2].harms[0]``) and what is
wrong. A pack that misses an IPDAS qualifying or certification element is refused.
"""

import datetime
import hashlib
import json
import re
from pathlib import Path

import yaml

from topics.pack_schema import PATIENT_FIELDS, RESERVED_KEYS, TOPIC

CONTENT_DIR = Path(__file__).resolve().parent / "content"
CERTAINTIES = ("high", "moderate", "low", "very_low", "conflicting")
STATUSES = ("draft", "published")
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class PackError(Exception):
    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


class _Validator:
    def __init__(self, filename):
        self.filename = filename
        self.errors = []

    def error(self, path, message):
        self.errors.append(f"{self.filename}: {path or '(top level)'}: {message}")

    def field(self, path, spec, value):
        if value is None or value == "" or value == []:
            if spec.required:
                why = f" ({spec.why})" if spec.why else ""
                self.error(path, f"is required{why}")
            return self.empty(spec)
        method = getattr(self, f"_{spec.kind}")
        return method(path, spec, value)

    def empty(self, spec):
        if spec.default is not None:
            return spec.default
        if spec.kind == "map":
            if spec.nullable:
                return None
            return {name: self.empty(sub) for name, sub in spec.schema.items()}
        return {"text": "", "key": "", "list": [], "keys": []}.get(spec.kind)

    def mapping(self, path, schema, value):
        if not isinstance(value, dict):
            self.error(path, "must be a mapping of names to values")
            return {name: self.empty(spec) for name, spec in schema.items()}
        for unknown in sorted(set(value) - set(schema), key=str):
            self.error(path, f"unknown field {unknown!r}; allowed: {', '.join(schema)}")
        return {
            name: self.field(f"{path}.{name}" if path else name, spec, value.get(name))
            for name, spec in schema.items()
        }

    def _text(self, path, spec, value):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(path, "must be text")
            return ""
        value = str(value).strip()
        if "\x00" in value:
            self.error(path, "must not contain NUL characters")
        if spec.max_len and len(value) > spec.max_len:
            self.error(path, f"is {len(value)} characters long; the limit is {spec.max_len}")
        return value

    def _key(self, path, spec, value):
        value = self._text(path, spec, value)
        if value and not KEY_RE.match(value):
            self.error(path, f"{value!r} must be lowercase letters, digits and hyphens")
        return value

    def _date(self, path, spec, value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        try:
            return datetime.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            self.error(path, f"{value!r} is not a date (use YYYY-MM-DD)")
            return None

    def _int(self, path, spec, value):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.error(path, f"{value!r} must be a whole number, 0 or more")
            return None
        if value > 32767:
            self.error(path, f"{value} is too large")
            return None
        return value

    def _bool(self, path, spec, value):
        if not isinstance(value, bool):
            self.error(path, f"{value!r} must be true or false")
            return bool(spec.default)
        return value

    def _keys(self, path, spec, value):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(path, "must be a list of citation keys")
            return []
        if len(value) < spec.min_items:
            self.error(path, "is required (every evidence statement cites a source)")
        return [v.strip() for v in value]

    def _list(self, path, spec, value):
        if not isinstance(value, list):
            self.error(path, "must be a list")
            return []
        if len(value) < spec.min_items:
            why = f" ({spec.why})" if spec.why else ""
            self.error(path, f"needs at least {spec.min_items}, has {len(value)}{why}")
        return [self.mapping(f"{path}[{i}]", spec.schema, item) for i, item in enumerate(value)]

    def _map(self, path, spec, value):
        return self.mapping(path, spec.schema, value)


def _check_unique(v, items, path, what="key"):
    seen = set()
    for i, item in enumerate(items):
        value = item.get(what)
        if value and value in seen:
            v.error(f"{path}[{i}].{what}", f"{value!r} is used twice")
        seen.add(value)


def _cross_checks(v, pack, slug_hint):
    if slug_hint and pack["slug"] and pack["slug"] != slug_hint:
        v.error("slug", f"{pack['slug']!r} must match the file name {slug_hint!r}")
    if pack["status"] not in STATUSES:
        v.error("status", f"{pack['status']!r} must be one of: {', '.join(STATUSES)}")
    if pack["published"] and pack["next_review_due"]:
        if pack["next_review_due"] <= pack["published"]:
            v.error("next_review_due", "must be after the publication date")
    if not pack["last_reviewed"]:
        pack["last_reviewed"] = pack["published"]

    cited = {c["key"] for c in pack["citations"]}
    _check_unique(v, pack["citations"], "citations")
    for name in ("red_flags", "history_questions", "knowledge", "values", "doctor_questions"):
        _check_unique(v, pack[name], name)
    _check_unique(v, pack["options"], "options")
    for name, (key, meaning) in RESERVED_KEYS.items():
        for i, item in enumerate(pack[name]):
            if item["key"] == key:
                v.error(f"{name}[{i}].key", f"{key!r} is kept for the app's own {meaning} answer")

    def check_cites(path, keys):
        for j, key in enumerate(keys):
            if key not in cited:
                v.error(f"{path}.citations[{j}]", f"citation {key!r} is not defined in citations")

    waits = [o for o in pack["options"] if o["is_wait"]]
    if pack["options"] and len(waits) != 1:
        v.error(
            "options",
            f"exactly one option must have is_wait: true (keep on with current care, wait and "
            f"review); found {len(waits)}",
        )

    denominators = set()
    option_keys = {o["key"] for o in pack["options"]}
    for i, option in enumerate(pack["options"]):
        for kind in ("benefits", "harms"):
            for j, statement in enumerate(option[kind]):
                path = f"options[{i}].{kind}[{j}]"
                check_cites(path, statement["citations"])
                if statement["certainty"] and statement["certainty"] not in CERTAINTIES:
                    v.error(
                        f"{path}.certainty",
                        f"{statement['certainty']!r} must be one of: {', '.join(CERTAINTIES)}",
                    )
                numbers = statement["numbers"]
                if numbers and numbers["numerator"] is not None and numbers["denominator"]:
                    denominators.add(numbers["denominator"])
                    for field in ("numerator", "comparator_numerator"):
                        if (numbers[field] or 0) > numbers["denominator"]:
                            v.error(f"{path}.numbers.{field}", "is larger than the denominator")
                    if (
                        numbers["comparator_numerator"] is not None
                        and not numbers["comparator_label"]
                    ):
                        v.error(f"{path}.numbers.comparator_label", "is required with a comparator")
                elif numbers and numbers["denominator"] == 0:
                    v.error(f"{path}.numbers.denominator", "must be more than 0")
        for j, risk in enumerate(option["risks"]):
            check_cites(f"options[{i}].risks[{j}]", risk["citations"])
    if len(denominators) > 1:
        v.error(
            "options",
            "every number must use the same denominator (IPDAS); found "
            + ", ".join(str(d) for d in sorted(denominators)),
        )
    for i, item in enumerate(pack["disagreements"]):
        check_cites(f"disagreements[{i}]", item["citations"])
    for i, item in enumerate(pack["knowledge"]):
        check_cites(f"knowledge[{i}]", item["citations"])
    for i, question in enumerate(pack["history_questions"]):
        _check_unique(v, question["choices"], f"history_questions[{i}].choices")
        for j, choice in enumerate(question["choices"]):
            target = choice["tailoring_option"]
            if target and target not in option_keys:
                v.error(
                    f"history_questions[{i}].choices[{j}].tailoring_option",
                    f"{target!r} is not one of the options' keys",
                )


def validate_pack(data, filename="<pack>", slug_hint=None):
    """Return the normalized pack, or raise PackError listing every problem found."""
    v = _Validator(filename)
    pack = v.mapping("", TOPIC, data)
    if isinstance(data, dict):
        _cross_checks(v, pack, slug_hint)
    if v.errors:
        raise PackError(v.errors)
    return pack


def read_pack(path):
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PackError([f"{path.name}: not valid YAML: {exc}"]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError([f"{path.name}: cannot be read: {exc}"]) from exc
    return validate_pack(data, filename=path.name, slug_hint=path.stem)


def shipped_pack_paths():
    return sorted(CONTENT_DIR.glob("*.yaml"))


def content_version(pack):
    """A short hash that changes whenever any of the content changes."""
    canonical = json.dumps(pack, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def patient_text_blocks(pack, path=""):
    """Yield (path, text) for every patient-facing text in a normalized pack."""
    if isinstance(pack, dict):
        for name, value in pack.items():
            child = f"{path}.{name}" if path else name
            if isinstance(value, str) and name in PATIENT_FIELDS and value:
                yield child, value
            elif isinstance(value, dict | list) and name != "citations":
                yield from patient_text_blocks(value, child)
    elif isinstance(pack, list):
        for i, item in enumerate(pack):
            yield from patient_text_blocks(item, f"{path}[{i}]")
