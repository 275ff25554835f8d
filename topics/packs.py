"""Reading and validating topic content packs (YAML), without touching the database.

`validate_pack` checks a pack against its declaration (`topics.pack_schema.Pack`), then checks
what one field cannot know alone (keys used twice, citations that are not defined, exactly one
wait option, one denominator). It returns the normalised pack: the declaration's JSON dump, with
citation keys sorted, so that the same content always hashes to the same content version.

Every error names the file, the path inside the pack (e.g. ``options[2].harms[0]``) and what is
wrong. A pack that misses an IPDAS qualifying or certification element is refused.
"""

import hashlib
import json
from pathlib import Path
from typing import get_args

import yaml
from pydantic import BaseModel, ValidationError

from topics.models import RESERVED_KEYS, HistoryQuestion
from topics.pack_schema import NUMBER_KINDS, NUMBER_MODELS, PATIENT_FIELDS, Pack

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SOURCE_LANGUAGE = "en"  # every source pack is English; other languages are translations of one


class PackError(Exception):
    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


def validate_pack(data, filename="<pack>", slug_hint=None, language_hint=None):
    """Return the normalised pack, or raise PackError listing every problem found."""
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        errors = [f"{filename}: {path}: {message}" for path, message in describe_errors(exc)]
        raise PackError(errors) from None
    problems = list(_cross_checks(pack))
    if slug_hint and pack.slug != slug_hint:
        problems.insert(0, ("slug", f"{pack.slug!r} must match the file name {slug_hint!r}"))
    if language_hint and pack.language != language_hint:
        problems.insert(
            0,
            (
                "language",
                f"{pack.language!r} must match the file name's "
                f"{language_hint!r} (<slug>.yaml is English, <slug>.es.yaml Spanish)",
            ),
        )
    if (pack.language != SOURCE_LANGUAGE) != (pack.translation is not None):
        problems.insert(
            0,
            (
                "translation",
                "a pack in another language than English is a "
                "translation, and needs a translation block; an English pack has none",
            ),
        )
    if problems:
        raise PackError(f"{filename}: {path}: {message}" for path, message in problems)
    return normalise(pack)


def normalise(pack):
    """The pack as plain data, with its sets of keys (citations, options a value points
    toward) in a stable order."""
    data = pack.model_dump(mode="json")
    for option in data["options"]:
        cited = [option["at_a_glance"], *option["benefits"], *option["harms"], *option["risks"]]
        for statement in cited:
            statement["citations"] = sorted(statement["citations"])
    for item in data["disagreements"] + data["knowledge"]:
        item["citations"] = sorted(item["citations"])
    for value in data["values"]:
        value["points_toward"] = sorted(value["points_toward"])
    data["safety_citations"] = sorted(data["safety_citations"])
    data["citations"] = sorted(data["citations"], key=lambda c: (c["authors"], c["year"]))
    return data


# PyYAML's safe loader, in C where PyYAML was built with libyaml (ten times quicker).
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_pack(path):
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        raise PackError([f"{path.name}: not valid YAML: {exc}"]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError([f"{path.name}: cannot be read: {exc}"]) from exc
    slug, _, language = path.name.removesuffix(".yaml").partition(".")
    return validate_pack(
        data, filename=path.name, slug_hint=slug, language_hint=language or SOURCE_LANGUAGE
    )


def shipped_pack_paths():
    """The shipped packs, every source (<slug>.yaml) before any translation (<slug>.es.yaml)."""
    return sorted(CONTENT_DIR.glob("*.yaml"), key=lambda p: (p.name.count(".") > 1, p.name))


def content_version(pack):
    """A short hash that changes whenever any of the content changes."""
    canonical = json.dumps(pack, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def patient_text_blocks(pack, path=""):
    """Yield (path, text) for every patient-facing text in a normalised pack."""
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


# --- pydantic's errors, in the words an editor reads ---


def describe_errors(exc):
    """(path, message) for each error pydantic found."""
    for error in exc.errors():
        loc = error["loc"]
        if error["type"] == "extra_forbidden":
            model = _model_at(loc[:-1])
            allowed = ", ".join(model.model_fields) if model else ""
            yield _path(loc[:-1]), f"unknown field {loc[-1]!r}; allowed: {allowed}"
        else:
            yield _path(loc), _message(error, _field_at(loc))


def _path(loc):
    """An editor's path, e.g. options[2].harms[0]. (A numbers block's kind is part of
    pydantic's location, but not of the path in the file.)"""
    path = ""
    for part in (part for part in loc if part not in NUMBER_KINDS):
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path or "(top level)"


def _model_at(loc):
    """The declaration (a PackModel class) that a location inside a pack points into."""
    model = Pack
    for part in loc:
        if isinstance(part, int):
            continue
        if part in NUMBER_KINDS:
            model = NUMBER_MODELS[part]
            continue
        field = model.model_fields.get(part) if model else None
        model = _inner_model(field.annotation) if field else None
    return model


def _inner_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next(filter(None, map(_inner_model, get_args(annotation))), None)


def _field_at(loc):
    names = [part for part in loc if not isinstance(part, int) and part not in NUMBER_KINDS]
    model = _model_at(loc[:-1]) if loc else None
    return model.model_fields.get(names[-1]) if model and names else None


def _why(field):
    why = ((field.json_schema_extra or {}) if field else {}).get("why", "")
    return f" ({why})" if why else ""


def _message(error, field):
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "union_tag_not_found":
        return f"needs kind: {' or '.join(NUMBER_KINDS)}"
    if kind == "union_tag_invalid":
        return f"{ctx['tag']!r} must be one of: {', '.join(NUMBER_KINDS)}"
    if kind in ("missing", "string_too_short") or (kind == "too_short" and not value):
        return f"is required{_why(field)}"
    if kind == "too_short":
        return f"needs at least {ctx['min_length']}, has {len(value)}{_why(field)}"
    if kind == "string_too_long":
        return f"is {len(value)} characters long; the limit is {ctx['max_length']}"
    if kind == "string_pattern_mismatch":
        return f"{value!r} must be lowercase letters, digits and hyphens"
    if kind == "enum":
        choices = ctx["expected"].replace("'", "").replace(" or ", ", ")
        return f"{value!r} must be one of: {choices}"
    if kind.startswith("date"):
        return f"{value!r} is not a date (use YYYY-MM-DD)"
    if kind in ("int_type", "int_parsing", "greater_than_equal"):
        return f"{value!r} must be a whole number, 0 or more"
    if kind == "less_than_equal":
        return f"{value} is too large"
    if kind == "bool_type":
        return f"{value!r} must be true or false"
    if kind in ("model_type", "dict_type"):
        return "must be a mapping of names to values"
    if kind == "list_type":
        return "must be a list"
    if kind == "string_type":
        return "must be text"
    return error["msg"].removeprefix("Value error, ")


# --- what one field cannot check alone ---


def _cross_checks(pack):
    """(path, message) for each problem across fields."""
    for check in (
        _check_dates,
        _check_keys,
        _check_citations,
        _check_options,
        _check_balance,
        _check_numbers,
        _check_history,
        _check_values,
    ):
        yield from check(pack)


def _check_dates(pack):
    if pack.next_review_due <= pack.published:
        yield "next_review_due", "must be after the publication date"


def _check_keys(pack):
    lists = {name: getattr(pack, name) for name in ("citations", "options", *RESERVED_KEYS)}
    lists |= {name: getattr(pack, name) for name in ("history_questions", "knowledge", "values")}
    for i, question in enumerate(pack.history_questions):
        lists[f"history_questions[{i}].choices"] = question.choices
    for name, entries in lists.items():
        seen = set()
        for i, entry in enumerate(entries):
            if entry.key in seen:
                yield f"{name}[{i}].key", f"{entry.key!r} is used twice"
            seen.add(entry.key)
    for name, (key, meaning) in RESERVED_KEYS.items():
        for i, entry in enumerate(getattr(pack, name)):
            if entry.key == key:
                yield f"{name}[{i}].key", f"{key!r} is kept for the app's own {meaning} answer"


def _cited_entries(pack):
    """(path, entry) for every part of the pack that cites sources."""
    for i, option in enumerate(pack.options):
        yield f"options[{i}].at_a_glance", option.at_a_glance
        for kind in ("benefits", "harms", "risks"):
            for j, entry in enumerate(getattr(option, kind)):
                yield f"options[{i}].{kind}[{j}]", entry
    for name in ("disagreements", "knowledge"):
        for i, entry in enumerate(getattr(pack, name)):
            yield f"{name}[{i}]", entry


def _check_citations(pack):
    defined = {c.key for c in pack.citations}
    cited = [(f"{path}.citations", entry.citations) for path, entry in _cited_entries(pack)]
    for path, keys in [*cited, ("safety_citations", pack.safety_citations)]:
        for j, key in enumerate(keys):
            if key not in defined:
                yield f"{path}[{j}]", f"citation {key!r} is not defined in citations"
    if pack.red_flags and not pack.safety_citations:
        yield (
            "safety_citations",
            "is required with red flags (every evidence statement cites a source)",
        )


def _check_options(pack):
    waits = sum(option.is_wait for option in pack.options)
    if waits != 1:
        yield (
            "options",
            (
                "exactly one option must have is_wait: true (keep on with current care, wait and "
                f"review); found {waits}"
            ),
        )
    for i, option in enumerate(pack.options):
        statements = option.benefits + option.harms
        if not option.no_numbers_reason and not any(s.numbers for s in statements):
            yield (
                f"options[{i}]",
                (
                    f"{option.key!r} shows no number: give one of its statements numbers, or say "
                    "why there are none in no_numbers_reason (IPDAS)"
                ),
            )


def _words(*texts):
    return sum(len(text.split()) for text in texts)


def _check_balance(pack):
    """Benefits and harms in equal detail (IPDAS): their words within a factor of 2."""
    for i, option in enumerate(pack.options):
        benefits = _words(*(s.text for s in option.benefits))
        harms = _words(*(s.text for s in option.harms))
        harms += _words(*(f"{r.name} {r.description}" for r in option.risks))
        if max(benefits, harms) > 2 * min(benefits, harms):
            yield (
                f"options[{i}]",
                (
                    f"{option.key!r} is out of balance: its benefits have {benefits} words and its "
                    f"harms and risks {harms}; keep them within a factor of 2 (IPDAS: equal detail)"
                ),
            )


def _numbered_entries(pack):
    for path, entry in _cited_entries(pack):
        if getattr(entry, "numbers", None) is not None:
            yield f"{path}.numbers", entry.numbers


def _check_numbers(pack):
    denominators = set()
    for path, numbers in _numbered_entries(pack):
        if numbers.kind == "scale":
            yield from _check_scale(path, numbers)
            continue
        if numbers.denominator == 0:
            yield f"{path}.denominator", "must be more than 0"
            continue
        denominators.add(numbers.denominator)
        for field in ("numerator", "comparator_numerator"):
            if (getattr(numbers, field) or 0) > numbers.denominator:
                yield f"{path}.{field}", "is larger than the denominator"
        if numbers.comparator_numerator is not None and not numbers.comparator_label:
            yield f"{path}.comparator_label", "is required with a comparator"
    if len(denominators) > 1:
        found = ", ".join(str(d) for d in sorted(denominators))
        yield "options", f"every number must use the same denominator (IPDAS); found {found}"


def _check_scale(path, numbers):
    for j, point in enumerate(numbers.points):
        low = point.low if point.low is not None else point.value
        high = point.high if point.high is not None else point.value
        if not low <= point.value <= high:
            yield f"{path}.points[{j}]", "its value must lie between low and high"
    if numbers.marker is not None and not numbers.marker_label:
        yield f"{path}.marker_label", "is required with a marker"


def _check_history(pack):
    keys = {option.key for option in pack.options}
    screens = []
    for i, question in enumerate(pack.history_questions):
        path = f"history_questions[{i}]"
        choice = question.kind == HistoryQuestion.Kind.CHOICE
        if choice and len(question.choices) < 2:
            yield f"{path}.choices", "a choice question needs at least 2 answers"
        if not choice and question.choices:
            yield f"{path}.choices", f"a {question.kind} question has no answers to choose"
        if question.kind == HistoryQuestion.Kind.SCALE:
            for end in ("low_label", "high_label"):
                if not getattr(question, end):
                    yield f"{path}.{end}", "is required for a scale question"
        screen = question.screen or pack.history_heading
        if screen in screens[:-1]:
            yield f"{path}.screen", f"{screen!r}: keep the questions of one screen together"
        if not screens or screens[-1] != screen:
            screens.append(screen)
        for j, choice_entry in enumerate(question.choices):
            target = choice_entry.tailoring_option
            if target and target not in keys:
                yield (
                    f"{path}.choices[{j}].tailoring_option",
                    f"{target!r} is not one of the options' keys",
                )


def _check_values(pack):
    keys = {option.key for option in pack.options}
    for i, value in enumerate(pack.values):
        for j, key in enumerate(value.points_toward):
            if key not in keys:
                yield f"values[{i}].points_toward[{j}]", f"{key!r} is not one of the options' keys"
