"""topics/content/SCHEMA.md, written from the pack's declaration (`topics.pack_schema`).

`python manage.py pack_schema` rewrites the file; tests/test_packs.py fails when the committed
file and the declaration differ, so the two cannot drift apart.
"""

import datetime
import enum
from types import UnionType
from typing import Annotated, Union, get_args, get_origin

from pydantic import BaseModel

from topics import pack_schema as schema
from topics.models import RESERVED_KEYS

INTRO = """\
# Topic content pack format

<!-- Written by `python manage.py pack_schema` from topics/pack_schema.py. Do not edit by hand. -->

One YAML file per topic: `topics/content/<slug>.yaml`. The shipped
`prolotherapy-low-back-pain.yaml` is a complete example.

```bash
python manage.py load_topics --check   # validate every pack, write nothing
python manage.py load_topics           # load them (idempotent, keyed by slug)
```

- Every error names the file, the path inside it (e.g. `options[2].harms[0]`) and what is wrong.
- A field left empty counts as missing. Unknown fields are refused, so a misspelt name is caught.
- Keys are lowercase letters, digits and hyphens, unique within their list.
- Patient-facing text must read at grade 8 or lower (tests/test_readability.py checks it).
- Write in your own words from the evidence, and cite every evidence statement.
"""


def schema_markdown():
    sections = [INTRO, _reserved_keys(), _cross_rules()]
    sections += [_section(model) for model in _models()]
    return "\n".join(sections)


def _reserved_keys():
    lines = ["Some keys are kept for answers the app adds itself, so a pack may not use them:", ""]
    for name, (key, meaning) in RESERVED_KEYS.items():
        lines.append(f"- `{name}`: not `{key}` ({meaning})")
    return "\n".join(lines) + "\n"


def _cross_rules():
    return """\
Checked across fields:

- exactly one option has `is_wait: true`;
- every citation key used is defined under `citations`;
- every option shows at least one number, or says why not in `no_numbers_reason` (IPDAS);
- every option's benefits and its harms and risks are described in equal detail: their
  words are within a factor of 2 of each other (IPDAS);
- a numbers block is one kind, `frequency` (people, drawn as an icon array) or `scale` (points
  from 0 to 100, drawn as bars), never both; every frequency uses the same denominator, and no
  numerator is larger than it;
- `next_review_due` is after `published`;
- a choice question has two or more answers, a scale or text question none, and a scale
  question says what 0 and 10 mean; questions that share a screen are listed together;
- a history answer's `tailoring_option`, and every key in a value's `points_toward`, is one of
  the options' keys.
"""


def _models(model=schema.Pack, found=None):
    """Every declaration reachable from Pack, each after the one that first uses it."""
    found = [] if found is None else found
    if model not in found:
        found.append(model)
        for field in model.model_fields.values():
            for inner in _models_in(field.annotation):
                _models(inner, found)
    return found


def _models_in(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def _section(model):
    title = "The pack (top level)" if model is schema.Pack else f"`{model.__name__}`"
    lines = [f"## {title}", "", " ".join(model.__doc__.split()), ""]
    lines += ["| field | required | kind | what it is |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        why = (field.json_schema_extra or {}).get("why")
        required = "yes" if field.is_required() else ""
        what = field.description + (f" ({why})" if why and field.is_required() else "")
        lines.append(f"| `{name}` | {required} | {_kind(field)} | {what} |")
    return "\n".join(lines) + "\n"


def _unwrap(annotation, metadata=()):
    """The type under Optional[...] and Annotated[...], with the Annotated metadata."""
    if get_origin(annotation) is Annotated:
        base, *more = get_args(annotation)
        return _unwrap(base, (*metadata, *more))
    if get_origin(annotation) in (Union, UnionType):
        present = [a for a in get_args(annotation) if a is not type(None)]
        return _unwrap(present[0], metadata) if len(present) == 1 else (annotation, metadata)
    return annotation, metadata


def _kind(field):
    inner = _models_in(field.annotation)
    if inner:
        name = f"`{inner[0].__name__}`"
        return f"list of {name}" if get_origin(field.annotation) is list else name
    base, metadata = _unwrap(field.annotation, tuple(field.metadata))
    if get_origin(base) is list:
        return "list of citation keys"
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return "one of: " + ", ".join(member.value for member in base)
    plain = {datetime.date: "date", bool: "true or false", int: "whole number"}
    if base in plain:
        return plain[base]
    if any(getattr(m, "pattern", None) == schema.KEY_PATTERN for m in metadata):
        return "key"
    limit = next((m.max_length for m in metadata if getattr(m, "max_length", None)), None)
    return f"text, up to {limit} characters" if limit else "text"
