"""Writing validated content packs to the database, and reading topics back as packs.

`apply_pack` replaces a topic's content with a normalized pack in one transaction.
`export_topic` builds the normalized pack back from the database; its hash is the topic's
content version, so an edit in the admin changes the version just as a new pack does.
"""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from topics import packs
from topics.models import (
    Citation,
    Disagreement,
    DoctorQuestion,
    Evidence,
    HistoryChoice,
    HistoryQuestion,
    KnowledgeStatement,
    Option,
    RedFlag,
    Risk,
    Topic,
    ValueStatement,
)
from topics.pack_schema import NUMBERS

TOPIC_FIELDS = (
    "title",
    "decision",
    "condition",
    "audience",
    "summary",
    "background",
    "history_heading",
    "minutes",
    "update_policy",
    "funding",
    "authors",
    "reviewers",
    "uncertainty",
    "status",
)
DATE_FIELDS = ("published", "last_reviewed", "next_review_due")
CITATION_FIELDS = ("key", "authors", "year", "title", "journal", "volume_pages", "doi", "url")
NUMBER_FIELDS = tuple(NUMBERS)


def _blank(field):
    return None if NUMBERS[field].kind == "int" else ""


@dataclass
class LoadResult:
    slug: str
    action: str  # created, updated, unchanged, skipped, checked
    version: str
    detail: str = ""

    def __str__(self):
        text = f"{self.slug}: {self.action} (content version {self.version})"
        return f"{text}: {self.detail}" if self.detail else text


def _statement_numbers(evidence):
    if evidence.numerator is None:
        return None
    return {name: getattr(evidence, name) for name in NUMBER_FIELDS}


def export_topic(topic):
    """Return the topic's content as a normalized pack (the inverse of apply_pack)."""
    topic = (
        Topic.objects.filter(pk=topic.pk)
        .prefetch_related(
            "citations",
            "options__evidence__citations",
            "options__risks__citations",
            "disagreements__citations",
            "red_flags",
            "history_questions__choices__tailoring_option",
            "knowledge__citations",
            "values",
            "doctor_questions",
        )
        .get()
    )

    def keys(obj):
        return sorted(c.key for c in obj.citations.all())

    def statements(option, kind):
        return [
            {
                "text": e.text,
                "certainty": e.certainty,
                "certainty_note": e.certainty_note,
                "citations": keys(e),
                "numbers": _statement_numbers(e),
            }
            for e in option.evidence.all()
            if e.kind == kind
        ]

    pack = {"slug": topic.slug}
    pack.update({name: getattr(topic, name) for name in TOPIC_FIELDS})
    pack.update({name: getattr(topic, name).isoformat() for name in DATE_FIELDS})
    pack["citations"] = [{f: getattr(c, f) for f in CITATION_FIELDS} for c in topic.citations.all()]
    pack["options"] = [
        {
            "key": o.key,
            "title": o.title,
            "short_title": o.short_title,
            "is_wait": o.is_wait,
            "involves": o.involves,
            "living_with": o.living_with,
            "practical": {"visits": o.visits, "time": o.time_needed, "cost": o.cost},
            "benefits": statements(o, Evidence.Kind.BENEFIT),
            "harms": statements(o, Evidence.Kind.HARM),
            "risks": [
                {
                    "name": r.name,
                    "description": r.description,
                    "frequency": r.frequency,
                    "serious": r.serious,
                    "citations": keys(r),
                }
                for r in o.risks.all()
            ],
        }
        for o in topic.options.all()
    ]
    pack["disagreements"] = [
        {"title": d.title, "text": d.text, "citations": keys(d)} for d in topic.disagreements.all()
    ]
    pack["red_flags"] = [{"key": f.key, "text": f.text} for f in topic.red_flags.all()]
    pack["history_questions"] = [
        {
            "key": q.key,
            "text": q.text,
            "help": q.help,
            "choices": [
                {
                    "key": c.key,
                    "label": c.label,
                    "tailoring": c.tailoring,
                    "tailoring_option": c.tailoring_option.key if c.tailoring_option else "",
                    "sheet_note": c.sheet_note,
                }
                for c in q.choices.all()
            ],
        }
        for q in topic.history_questions.all()
    ]
    pack["knowledge"] = [
        {
            "key": k.key,
            "statement": k.statement,
            "answer": k.answer,
            "explanation": k.explanation,
            "citations": keys(k),
        }
        for k in topic.knowledge.all()
    ]
    pack["values"] = [
        {
            "key": v.key,
            "statement": v.statement,
            "low_label": v.low_label,
            "high_label": v.high_label,
        }
        for v in topic.values.all()
    ]
    pack["doctor_questions"] = [
        {"key": q.key, "text": q.text} for q in topic.doctor_questions.all()
    ]
    return pack


def _sorted_citations(pack):
    """Citation keys are a set; sort them so the same content always hashes the same."""
    for option in pack["options"]:
        for statement in option["benefits"] + option["harms"] + option["risks"]:
            statement["citations"] = sorted(statement["citations"])
    for item in pack["disagreements"] + pack["knowledge"]:
        item["citations"] = sorted(item["citations"])
    pack["citations"] = sorted(pack["citations"], key=lambda c: (c["authors"], c["year"]))
    return pack


def pack_version(pack):
    return packs.content_version(_sorted_citations(pack))


def refresh_content_version(topic):
    """Recompute the version after an edit outside the loader (the admin).

    `updated_at` moves on too, even when the content hashes as before (an edit undone), so
    content cached while the edit was being saved is never served under the old key again.
    """
    version = packs.content_version(export_topic(topic))
    now = timezone.now()
    Topic.objects.filter(pk=topic.pk).update(content_version=version, updated_at=now)
    topic.content_version, topic.updated_at = version, now
    return version


@transaction.atomic
def apply_pack(pack):
    """Create or replace the topic described by a normalized pack. Returns the topic."""
    pack = _sorted_citations(pack)
    version = packs.content_version(pack)
    values = {name: pack[name] for name in TOPIC_FIELDS}
    values.update({name: datetime.date.fromisoformat(pack[name]) for name in DATE_FIELDS})
    topic, _ = Topic.objects.update_or_create(slug=pack["slug"], defaults=values)

    # Children are replaced wholesale: simpler and safer than diffing, and visits keep their
    # own copy of what the patient saw.
    topic.citations.all().delete()
    topic.options.all().delete()
    for related in ("disagreements", "red_flags", "history_questions", "knowledge", "values"):
        getattr(topic, related).all().delete()
    topic.doctor_questions.all().delete()

    cites = {
        c.key: c
        for c in Citation.objects.bulk_create(
            [Citation(topic=topic, **{f: c[f] for f in CITATION_FIELDS}) for c in pack["citations"]]
        )
    }

    def link(manager, keys):
        manager.set([cites[k] for k in keys])

    options = {}
    for order, o in enumerate(pack["options"]):
        option = Option.objects.create(
            topic=topic,
            order=order,
            key=o["key"],
            title=o["title"],
            short_title=o["short_title"],
            is_wait=o["is_wait"],
            involves=o["involves"],
            living_with=o["living_with"],
            visits=o["practical"]["visits"],
            time_needed=o["practical"]["time"],
            cost=o["practical"]["cost"],
        )
        options[option.key] = option
        for kind, field in ((Evidence.Kind.BENEFIT, "benefits"), (Evidence.Kind.HARM, "harms")):
            for i, s in enumerate(o[field]):
                numbers = s["numbers"] or {}
                evidence = Evidence.objects.create(
                    option=option,
                    kind=kind,
                    order=i,
                    text=s["text"],
                    certainty=s["certainty"],
                    certainty_note=s["certainty_note"],
                    **{f: numbers.get(f, _blank(f)) for f in NUMBER_FIELDS},
                )
                link(evidence.citations, s["citations"])
        for i, r in enumerate(o["risks"]):
            risk = Risk.objects.create(
                option=option,
                order=i,
                name=r["name"],
                description=r["description"],
                frequency=r["frequency"],
                serious=r["serious"],
            )
            link(risk.citations, r["citations"])

    for i, d in enumerate(pack["disagreements"]):
        item = Disagreement.objects.create(topic=topic, order=i, title=d["title"], text=d["text"])
        link(item.citations, d["citations"])
    RedFlag.objects.bulk_create(
        [RedFlag(topic=topic, order=i, **f) for i, f in enumerate(pack["red_flags"])]
    )
    for i, q in enumerate(pack["history_questions"]):
        question = HistoryQuestion.objects.create(
            topic=topic, order=i, key=q["key"], text=q["text"], help=q["help"]
        )
        HistoryChoice.objects.bulk_create(
            [
                HistoryChoice(
                    question=question,
                    order=j,
                    key=c["key"],
                    label=c["label"],
                    tailoring=c["tailoring"],
                    tailoring_option=options.get(c["tailoring_option"]),
                    sheet_note=c["sheet_note"],
                )
                for j, c in enumerate(q["choices"])
            ]
        )
    for i, k in enumerate(pack["knowledge"]):
        item = KnowledgeStatement.objects.create(
            topic=topic,
            order=i,
            key=k["key"],
            statement=k["statement"],
            answer=k["answer"],
            explanation=k["explanation"],
        )
        link(item.citations, k["citations"])
    ValueStatement.objects.bulk_create(
        [ValueStatement(topic=topic, order=i, **v) for i, v in enumerate(pack["values"])]
    )
    DoctorQuestion.objects.bulk_create(
        [DoctorQuestion(topic=topic, order=i, **q) for i, q in enumerate(pack["doctor_questions"])]
    )
    Topic.objects.filter(pk=topic.pk).update(content_version=version, pack_version=version)
    topic.content_version = topic.pack_version = version
    return topic


def load_pack_file(path, *, check=False, force=False):
    """Validate one pack file and (unless check) load it. Raises packs.PackError."""
    pack = packs.read_pack(path)
    version = pack_version(pack)
    if check:
        return LoadResult(pack["slug"], "checked", version)
    existing = Topic.objects.filter(slug=pack["slug"]).first()
    if existing is None:
        apply_pack(pack)
        return LoadResult(pack["slug"], "created", version)
    if existing.edited_since_load and not force:
        return LoadResult(
            pack["slug"],
            "skipped",
            existing.content_version,
            "changed in the admin since it was loaded; use --force to overwrite",
        )
    if existing.content_version == version:
        return LoadResult(pack["slug"], "unchanged", version)
    apply_pack(pack)
    return LoadResult(pack["slug"], "updated", version, f"was {existing.content_version}")


def load_shipped_packs_after_migrate(sender, using="default", **kwargs):
    """Load the shipped packs into a freshly migrated database.

    Idempotent and quick: an unchanged pack is only hashed, and a topic an editor has changed
    in the admin is never overwritten.
    """
    tables = connection.introspection.table_names()
    if Topic._meta.db_table not in tables or HistoryChoice._meta.db_table not in tables:
        return
    for path in packs.shipped_pack_paths():
        try:
            load_pack_file(path)
        except packs.PackError:
            # A broken pack must not stop `migrate`; `load_topics` reports the errors.
            continue
