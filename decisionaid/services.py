"""Writes that touch more than one row: starting, saving, finishing and purging visits."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from decisionaid import stages, tallies
from decisionaid.models import Answer, Visit, new_code

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


def start_visit(*, topic) -> Visit:
    """Create a visit with a fresh short code; retry on the rare code collision."""
    for _ in range(10):
        try:
            with transaction.atomic():
                return Visit.objects.create(
                    topic=topic, code=new_code(), content_version=topic.content_version
                )
        except IntegrityError:
            continue
    raise RuntimeError("Could not find a free visit code after 10 tries.")


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
    locked.full_clean(validate_unique=False, validate_constraints=False)
    locked.save(update_fields=["finished_at", "updated_at"])
    tallies.record_finished(visit=locked, progress=progress)
    return locked


@transaction.atomic
def purge_expired_visits() -> tuple[int, int]:
    """Delete every expired visit and its answers; returns (visits, answers) deleted.

    Visits that never finished are counted in the daily tallies first (finished ones were
    counted when they finished), so the clinic insights keep them.
    """
    # One moment for both queries, so every visit counted is deleted, and none is deleted
    # uncounted. The unfinished ones are locked: none can finish while it is being counted.
    expired = Visit.objects.filter(expires_at__lte=timezone.now())
    unfinished = expired.filter(finished_at__isnull=True).select_for_update()
    tallies.record_purged(unfinished=unfinished.prefetch_related("answers"))
    _, deleted = expired.delete()
    return deleted.get(Visit._meta.label, 0), deleted.get(Answer._meta.label, 0)
