"""Writes that touch more than one row: starting, saving, finishing and purging visits."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from decisionaid import stages, tallies
from decisionaid.models import Answer, SheetAccess, Visit, new_code

ANSWER_FIELDS = (
    "prompt",
    "value",
    "display",
    "outcome",
    "message",
    "message_option",
    "sheet_note",
    "sheet_label",
    "points_toward",
)


class VisitClosed(Exception):
    """The visit is finished or expired, so its answers can no longer change."""


class VisitIncomplete(Exception):
    """Finish was asked for before every stage was answered."""


def start_visit(*, topic, language=None) -> Visit:
    """Create a visit with a fresh short code; retry on the rare code collision. The patient
    reads the topic in `language` where it has a current translation, else in its own."""
    shown = topic.translation_for(language or topic.language) or topic
    for _ in range(10):
        try:
            with transaction.atomic():
                return Visit.objects.create(
                    topic=topic,
                    code=new_code(),
                    language=shown.language,
                    content_topic=shown,
                    content_version=shown.content_version,
                )
        except IntegrityError:
            continue
    raise RuntimeError("Could not find a free visit code after 10 tries.")


def change_language(*, visit: Visit, language) -> Visit:
    """Read the rest of an open visit in another language, where the topic has it. Answers
    are kept: they are stored by key, the same in every language."""
    shown = visit.topic.translation_for(language) or visit.topic
    Visit.objects.filter(pk=visit.pk, finished_at=None).update(
        language=shown.language,
        content_topic=shown,
        content_version=shown.content_version,
        updated_at=timezone.now(),
    )
    visit.refresh_from_db()
    return visit


def _lock_open_visit(visit):
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.is_finished or locked.is_expired:
        raise VisitClosed
    return locked


@transaction.atomic
def save_stage(*, visit: Visit, stage: type[stages.Stage], answers, visit_updates=None) -> None:
    """Save one stage's answers, all or nothing; saving again replaces them.

    `visit_updates` may set only the Visit fields the stage names in `visit_fields`.
    """
    updates = visit_updates or {}
    refused = set(updates) - set(stage.visit_fields)
    if refused:
        raise ValueError(f"The {stage.slug} stage may not set {', '.join(sorted(refused))}.")
    _lock_open_visit(visit)
    Answer.objects.bulk_create(
        [
            Answer(
                visit=visit,
                stage=stage.slug,
                key=a.key,
                order=i if a.order is None else a.order,
                **{f: getattr(a, f) for f in ANSWER_FIELDS},
            )
            for i, a in enumerate(answers)
        ],
        update_conflicts=True,
        unique_fields=["visit", "stage", "key"],
        # answered_at is auto_now: bulk_create sets it on each row, and the upsert refreshes it.
        update_fields=["order", "answered_at", *ANSWER_FIELDS],
    )
    Visit.objects.filter(pk=visit.pk).update(updated_at=timezone.now(), **updates)


@transaction.atomic
def finish_visit(*, visit: Visit) -> Visit:
    locked = _lock_open_visit(visit)
    progress = stages.Progress(Answer.objects.filter(visit=locked))
    if not progress.is_complete():
        raise VisitIncomplete
    locked.finished_at = timezone.now()
    # Field checks only: the database enforces the unique and check constraints itself.
    locked.full_clean(
        exclude=["topic", "content_topic"], validate_unique=False, validate_constraints=False
    )
    locked.save(update_fields=["finished_at", "updated_at"])
    tallies.record_finished(visit=locked, progress=progress)
    return locked


def record_access(*, visits, kind, user=None, api_key=None) -> None:
    """Note who read these visits' sheets, and how (SheetAccess): a staff user, or an API key."""
    reader = f"API key {api_key.name}" if api_key else user.get_username()
    for visit in visits:  # one, or a few from a FHIR search: one plain INSERT each
        SheetAccess.objects.create(kind=kind, visit_code=visit.code, user=user, reader=reader[:160])


def purge_access_log() -> int:
    """Delete sheet access records older than DECISIONAID_ACCESS_LOG_DAYS; returns how many."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.DECISIONAID_ACCESS_LOG_DAYS)
    deleted, _by_model = SheetAccess.objects.filter(at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def purge_expired_visits() -> tuple[int, int]:
    """Delete every expired visit and its answers; returns (visits, answers) deleted.

    Visits that never finished are counted in the daily tallies first (finished ones were
    counted when they finished), so the clinic insights keep them.
    """
    # One moment for both queries, so every visit counted is deleted, and none is deleted
    # uncounted. The unfinished ones are locked: none can finish while it is being counted.
    expired = Visit.objects.expired()
    unfinished = expired.filter(finished_at__isnull=True).select_for_update()
    tallies.record_purged(unfinished=unfinished.prefetch_related("answers"))
    _, deleted = expired.delete()
    return deleted.get(Visit._meta.label, 0), deleted.get(Answer._meta.label, 0)
