"""Writing validated content packs to the database, and reading topics back as packs.

`apply_pack` replaces a topic's content with a normalised pack in one transaction.
`export_topic` reads the same shape back from the database. Both take their field names from
the pack's declaration (`topics.pack_schema`), so a field added there is loaded and exported
with it. A topic's content version is the hash of its normalised pack, so an edit in the admin
changes the version just as a new pack does. Each new version is kept as a ContentSnapshot, and
every row the loader writes or deletes is recorded in the content history (topics.history).
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from topics import history, models, packs, translations
from topics import pack_schema as schema

# Pack fields whose model field has another name, or that are not plain fields.
RENAMED = {"time": "time_needed"}
NESTED = {"practical", "citations", "points_toward", "safety_citations"}
DATES = ("published", "last_reviewed", "evidence_searched", "next_review_due")


def plain_fields(declaration):
    """The declaration's fields that are stored as they are, as (pack name, model name)."""
    return [
        (name, RENAMED.get(name, name))
        for name, field in declaration.model_fields.items()
        if name not in NESTED and not _is_list_of_entries(field)
    ]


def _is_list_of_entries(field):
    args = getattr(field.annotation, "__args__", ())
    return any(isinstance(a, type) and issubclass(a, schema.PackModel) for a in args)


def _values(declaration, data, **extra):
    """Model field values from one pack entry."""
    return {model: data[name] for name, model in plain_fields(declaration)} | extra


def _entry(declaration, obj, **extra):
    """One pack entry from a model instance."""
    return {name: getattr(obj, model) for name, model in plain_fields(declaration)} | extra


@dataclass
class LoadResult:
    slug: str
    action: str  # created, updated, unchanged, skipped, checked
    version: str
    detail: str = ""

    def __str__(self):
        text = f"{self.slug}: {self.action} (content version {self.version})"
        return f"{text}: {self.detail}" if self.detail else text


# --- reading back ---

TOPIC_PREFETCH = (
    "citations",
    "safety_citations",
    *models.OPTIONS_PREFETCH,
    "red_flags",
    "history_questions__choices__tailoring_option",
    "knowledge__citations",
    "values__points_toward",
    "doctor_questions",
)


def _keys(obj):
    return _keys_of(obj.citations.all())


def _keys_of(citations):
    return sorted(c.key for c in citations)


def _statement(evidence):
    return _entry(schema.Statement, evidence, citations=_keys(evidence))


def _option(option):
    statements = {kind: [] for kind in models.Evidence.Kind}
    for evidence in option.evidence.all():
        statements[evidence.kind].append(_statement(evidence))
    practical = {"visits": option.visits, "time": option.time_needed, "cost": option.cost}
    return _entry(
        schema.Option,
        option,
        practical=practical,
        benefits=statements[models.Evidence.Kind.BENEFIT],
        harms=statements[models.Evidence.Kind.HARM],
        risks=[_entry(schema.Risk, r, citations=_keys(r)) for r in option.risks.all()],
    )


def _question(question):
    choices = [
        _entry(
            schema.HistoryChoice,
            c,
            tailoring_option=c.tailoring_option.key if c.tailoring_option else None,
        )
        for c in question.choices.all()
    ]
    return _entry(schema.HistoryQuestion, question, choices=choices)


def export_topic(topic):
    """The topic's content as pack data (the inverse of apply_pack), not yet validated."""
    topic = models.Topic.objects.prefetch_related(*TOPIC_PREFETCH).get(pk=topic.pk)
    pack = _entry(schema.Pack, topic)
    for name in DATES:
        pack[name] = pack[name].isoformat() if pack[name] else None
    if topic.translation_of_id:
        pack["translation"] = {
            "source_version": topic.source_version,
            "translated_by": topic.translated_by,
            "review_note": topic.review_note,
        }
    return pack | {
        "citations": [_entry(schema.Citation, c) for c in topic.citations.all()],
        "safety_citations": _keys_of(topic.safety_citations.all()),
        "options": [_option(o) for o in topic.options.all()],
        "disagreements": [
            _entry(schema.Disagreement, d, citations=_keys(d)) for d in topic.disagreements.all()
        ],
        "red_flags": [_entry(schema.RedFlag, f) for f in topic.red_flags.all()],
        "history_questions": [_question(q) for q in topic.history_questions.all()],
        "knowledge": [
            _entry(schema.KnowledgeItem, k, citations=_keys(k)) for k in topic.knowledge.all()
        ],
        "values": [
            _entry(schema.ValueItem, v, points_toward=[o.key for o in v.points_toward.all()])
            for v in topic.values.all()
        ],
        "doctor_questions": [
            _entry(schema.DoctorQuestion, q) for q in topic.doctor_questions.all()
        ],
    }


def versioned_pack(topic):
    """(content version, pack) of a topic as it is in the database now."""
    data = export_topic(topic)
    try:
        pack = packs.validate_pack(data)
    except packs.PackError:
        # A draft missing required content cannot be normalised; its raw data still identifies
        # it. (It is never shown to patients: the admin puts it back to draft.)
        pack = data
    return packs.content_version(pack), pack


def topic_version(topic):
    """The content version of a topic as it is in the database now."""
    return versioned_pack(topic)[0]


def refresh_content_version(topic):
    """Recompute the version after an edit outside the loader (the admin), and keep a snapshot
    of the new version."""
    version, pack = versioned_pack(topic)
    models.Topic.objects.filter(pk=topic.pk).update(
        content_version=version, updated_at=timezone.now()
    )
    topic.content_version = version
    models.ContentSnapshot.objects.record(topic=topic, version=version, pack=pack)
    return version


def snapshot_current_versions():
    """Keep a snapshot of each topic's current version where none was kept (topics loaded
    before snapshots existed). Idempotent: one query when every version is kept."""
    kept = models.ContentSnapshot.objects.filter(
        topic=OuterRef("pk"), version=OuterRef("content_version")
    )
    for topic in models.Topic.objects.exclude(Exists(kept)):
        version, pack = versioned_pack(topic)
        models.ContentSnapshot.objects.record(topic=topic, version=version, pack=pack)


def _bulk_create(model, objs):
    """bulk_create, with a content-history record for each new row."""
    return bulk_create_with_history(
        list(objs), model, default_change_reason=history.current_reason()
    )


# --- writing ---


def _create_option(topic, order, data, link):
    option = models.Option.objects.create(
        topic=topic,
        order=order,
        **_values(schema.Option, data),
        **_values(schema.Practical, data["practical"]),
    )
    kinds = {"benefits": models.Evidence.Kind.BENEFIT, "harms": models.Evidence.Kind.HARM}
    for field, kind in kinds.items():
        for i, statement in enumerate(data[field]):
            evidence = models.Evidence.objects.create(
                option=option, kind=kind, order=i, **_values(schema.Statement, statement)
            )
            link(evidence, statement)
    for i, risk in enumerate(data["risks"]):
        link(models.Risk.objects.create(option=option, order=i, **_values(schema.Risk, risk)), risk)
    return option


def _create_questions(topic, pack, options):
    for i, q in enumerate(pack["history_questions"]):
        question = models.HistoryQuestion.objects.create(
            topic=topic, order=i, **_values(schema.HistoryQuestion, q)
        )
        _bulk_create(
            models.HistoryChoice,
            (
                models.HistoryChoice(
                    question=question,
                    order=j,
                    **_values(
                        schema.HistoryChoice,
                        c,
                        tailoring_option=options.get(c["tailoring_option"]),
                    ),
                )
                for j, c in enumerate(q["choices"])
            ),
        )
    for model, name, declaration in (
        (models.RedFlag, "red_flags", schema.RedFlag),
        (models.DoctorQuestion, "doctor_questions", schema.DoctorQuestion),
    ):
        _bulk_create(
            model,
            (
                model(topic=topic, order=i, **_values(declaration, entry))
                for i, entry in enumerate(pack[name])
            ),
        )
    for i, entry in enumerate(pack["values"]):
        value = models.ValueStatement.objects.create(
            topic=topic, order=i, **_values(schema.ValueItem, entry)
        )
        value.points_toward.set(options[key] for key in entry["points_toward"])


@transaction.atomic
def apply_pack(pack):
    """Create or replace the topic described by a normalised pack. Returns the topic."""
    version = packs.content_version(pack)
    values = _values(schema.Pack, pack, content_version=version, pack_version=version)
    for name in DATES:
        values[name] = datetime.date.fromisoformat(pack[name])
    translation = pack.get("translation") or {}
    values |= {
        "translation_of": _source_topic(pack) if translation else None,
        "source_version": translation.get("source_version", ""),
        "translated_by": translation.get("translated_by", ""),
        "review_note": translation.get("review_note", ""),
    }
    topic, _ = models.Topic.objects.update_or_create(
        slug=pack["slug"], language=pack["language"], defaults=values
    )

    # Children are replaced wholesale: simpler and safer than diffing, and visits keep their
    # own copy of what the patient saw.
    for related in ("citations", "options", "disagreements", "red_flags", "history_questions"):
        getattr(topic, related).all().delete()
    for related in ("knowledge", "values", "doctor_questions"):
        getattr(topic, related).all().delete()
    cites = {
        c.key: c
        for c in _bulk_create(
            models.Citation,
            (
                models.Citation(topic=topic, **_values(schema.Citation, c))
                for c in pack["citations"]
            ),
        )
    }

    def link(obj, data):
        obj.citations.set([cites[k] for k in data["citations"]])

    topic.safety_citations.set([cites[k] for k in pack["safety_citations"]])
    options = {o["key"]: _create_option(topic, i, o, link) for i, o in enumerate(pack["options"])}
    for i, d in enumerate(pack["disagreements"]):
        link(
            models.Disagreement.objects.create(
                topic=topic, order=i, **_values(schema.Disagreement, d)
            ),
            d,
        )
    for i, k in enumerate(pack["knowledge"]):
        link(
            models.KnowledgeStatement.objects.create(
                topic=topic, order=i, **_values(schema.KnowledgeItem, k)
            ),
            k,
        )
    _create_questions(topic, pack, options)
    models.ContentSnapshot.objects.record(topic=topic, version=version, pack=pack)
    return topic


def _source_topic(pack):
    source = models.Topic.objects.filter(slug=pack["slug"], translation_of=None).first()
    if source is None:
        raise packs.PackError([f"{pack['slug']}.{pack['language']}.yaml: load its source first"])
    return source


def load_pack_file(path, *, check=False, force=False):
    """Validate one pack file and (unless check) load it. Raises packs.PackError. A translation
    must match its source pack file (topics.translations)."""
    path = Path(path)
    pack = packs.read_pack(path)
    version = packs.content_version(pack)
    name = f"{pack['slug']} ({pack['language']})" if pack.get("translation") else pack["slug"]
    if pack.get("translation"):
        translations.check_against_source(path, pack)
    if check:
        return LoadResult(name, "checked", version)
    with history.change_reason(f"Loaded from the content pack {path.name}"):
        result = _load(pack, version, force)
    result.slug = name
    if pack.get("translation"):
        result.detail = translations.staleness(pack) or result.detail
    return result


def _load(pack, version, force):
    existing = models.Topic.objects.filter(slug=pack["slug"], language=pack["language"]).first()
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
    in the admin is never overwritten. After a `migrate` that stops short of the latest
    migration (to undo one, say), the tables do not match the models, so nothing is loaded.
    """
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    for path in packs.shipped_pack_paths():
        try:
            load_pack_file(path)
        except packs.PackError:
            # A broken pack must not stop `migrate`; `load_topics` reports the errors.
            continue
    snapshot_current_versions()
