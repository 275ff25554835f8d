"""Looking back at content: a topic's content at any version it has had, and the changes made
to it (who, when, what, with the previous values), from the content history."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from topics import loader, models


def content_at(topic, version):
    """The topic's pack at content `version`, or None if that version was never kept.

    The current version is always there: if it was somehow not kept yet, it is kept now.
    """
    snapshot = models.ContentSnapshot.objects.filter(topic=topic, version=version).first()
    if snapshot:
        return snapshot.pack
    if version != topic.content_version:
        return None
    current, pack = loader.versioned_pack(topic)
    models.ContentSnapshot.objects.record(topic=topic, version=current, pack=pack)
    return pack if current == version else None


# --- an outline of a pack, for reading a version as it was ---


@dataclass(frozen=True)
class Node:
    label: str
    text: str = ""
    children: tuple = ()


def _label(name):
    return name.replace("_", " ").capitalize()


def outline(data, label=""):
    """A pack as nested labelled nodes, for a template to show; every field, so a field added
    to the pack's declaration shows up without changes here."""
    if isinstance(data, dict):
        children = tuple(
            outline(value, _label(name))
            for name, value in data.items()
            if value not in (None, "", [], {})
        )
        return Node(label, children=children)
    if isinstance(data, list):
        return Node(label, children=tuple(outline(item, str(i + 1)) for i, item in enumerate(data)))
    if isinstance(data, bool):
        return Node(label, "yes" if data else "no")
    return Node(label, str(data))


# --- the changes made to a topic's content ---

CONTENT_MODELS = (
    models.Topic,
    models.Option,
    models.Evidence,
    models.Risk,
    models.Citation,
    models.Disagreement,
    models.RedFlag,
    models.HistoryQuestion,
    models.HistoryChoice,
    models.KnowledgeStatement,
    models.ValueStatement,
    models.DoctorQuestion,
)
# Content that belongs to a topic through another row: its relation to that row.
PARENTS = {models.Evidence: "option", models.Risk: "option", models.HistoryChoice: "question"}
KINDS = {"+": "Added", "~": "Changed", "-": "Deleted"}
PAGE = 100


@dataclass
class Change:
    when: datetime.datetime
    who: str
    reason: str
    kind: str
    what: str
    name: str
    fields: list = field(default_factory=list)  # (field, previous value, new value)
    count: int = 1  # rows in a loader run shown as one change


def _history_of_topic(model, topic_id):
    """The history rows of `model` that belong to the topic, deleted rows included."""
    if model is models.Topic:
        return model.history.filter(id=topic_id)
    parent = PARENTS.get(model)
    if parent is None:
        return model.history.filter(topic_id=topic_id)
    parent_model = model._meta.get_field(parent).related_model
    parents = parent_model.history.filter(topic_id=topic_id).values("id")
    return model.history.filter(**{f"{parent}_id__in": parents})


def _records(topic, before, limit):
    """The newest history rows of the topic's content, each with its previous row."""
    rows = []
    for model in CONTENT_MODELS:
        previous = (
            model.history.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
            .order_by("-history_date")
            .values("history_id")[:1]
        )
        found = _history_of_topic(model, topic.pk).select_related("history_user")
        if before:
            found = found.filter(history_date__lt=before)
        found = found.annotate(previous_id=Subquery(previous)).order_by("-history_date")
        rows += [(model, r) for r in found[:limit]]
    rows.sort(key=lambda pair: pair[1].history_date, reverse=True)
    rows = rows[:limit]
    wanted = defaultdict(set)
    for model, record in rows:
        if record.history_type == "~" and record.previous_id:
            wanted[model].add(record.previous_id)
    previous = {
        (model, p.history_id): p
        for model, ids in wanted.items()
        for p in model.history.filter(history_id__in=ids)
    }
    return [(model, r, previous.get((model, r.previous_id))) for model, r in rows]


def topic_changes(topic, *, before=None, limit=PAGE):
    """The changes to a topic's content, newest first: who, when, what, with the previous
    values. The rows of one loader run (which replaces the content) are shown as one change."""
    changes = []
    records = _records(topic, before, limit)
    for model, record, previous in records:
        who = record.history_user.get_username() if record.history_user else ""
        reason = record.history_change_reason or ""
        last = changes[-1] if changes else None
        if reason and last and (last.reason, last.who) == (reason, who):
            last.count += 1
            last.when = record.history_date
            continue
        fields = []
        if previous is not None:
            for delta in record.diff_against(previous).changes:
                label = model._meta.get_field(delta.field).verbose_name
                fields.append((label, delta.old, delta.new))
        changes.append(
            Change(
                when=record.history_date,
                who=who,
                reason=reason,
                kind=KINDS[record.history_type],
                what=model._meta.verbose_name,
                name=str(record.history_object),
                fields=fields,
            )
        )
    older = records[-1][1].history_date if len(records) == limit else None
    return changes, older
