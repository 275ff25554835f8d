"""De-identified daily tallies for clinic insights, written as visits finish or are purged.

A tally is a count of visits (of one topic, started on one day) that had something: it holds no
answer as typed, no code or token, and no time of day, so it may outlive the visits it counts.

- When a visit **finishes**, `record_finished` counts it as started and finished, with its red
  flags, leaning, knowledge answers, readiness score and (once it can be told) whether its
  leaning fits what the patient said matters most.
- When an **unfinished** visit is purged, `record_purged` counts it as started, where it
  stopped (the first stage left unanswered, or "review") and any red flags it raised. Finished
  visits were counted when they finished, so the purge leaves them alone.

Both must run inside the transaction that finishes or deletes the visits (decisionaid.services),
so a count is never lost or made twice.
"""

from collections import Counter, defaultdict
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from decisionaid.models import Answer, DailyTally
from decisionaid.sheet import leaning_fit
from decisionaid.stages import Progress
from decisionaid.stages.leaning import LeaningStage
from decisionaid.stages.safety import SafetyStage
from decisionaid.stages.understanding import UnderstandingStage

STARTED = "started"
FINISHED = "finished"
STOPPED = "stopped"  # key: the slug of the first unanswered stage, or REVIEW
RED_FLAG = "red-flag"  # key: the answer's outcome, e.g. "flag" (and "emergency", when it exists)
LEANING = "leaning"  # key: an option's key, or "not-sure"
READINESS = "readiness"  # key: the score, "0" to "4"
KNOWLEDGE = "knowledge-"  # + the outcome ("correct", "wrong", "unsure"); key: the item's key
LEANING_FIT = "leaning-fit"  # key: FITS or DOES_NOT_FIT
REVIEW = "review"
FITS, DOES_NOT_FIT = "fits", "does-not-fit"
# Conditions in one UPDATE: SQLite parses a long OR as a deep expression (limit 1000).
BATCH = 200


def leaning_fits_values(progress) -> bool | None:
    """Does the option the patient leans toward fit what they rated most important (the sheet's
    own judgement)? None when it cannot be told: no option chosen, or nothing rated 4 or 5."""
    fit = leaning_fit(progress)
    return None if fit is None else fit.fits


def visit_counts(visit, progress, *, finished):
    """The (metric, key) pairs one visit adds 1 to."""
    counts = {(STARTED, "")}
    counts |= {
        (RED_FLAG, a.outcome)
        for a in progress.answers_for(SafetyStage.slug)
        if a.outcome != Answer.Outcome.NONE
    }
    if not finished:
        stage = progress.first_open()
        return counts | {(STOPPED, stage.slug if stage else REVIEW)}
    counts.add((FINISHED, ""))
    choice = LeaningStage.choice(progress.answers_for(LeaningStage.slug))
    if choice:
        counts.add((LEANING, choice.value))
    if visit.readiness_score is not None:
        counts.add((READINESS, str(visit.readiness_score)))
    counts |= {
        (KNOWLEDGE + a.outcome, a.key)
        for a in progress.answers_for(UnderstandingStage.slug)
        if a.outcome != Answer.Outcome.NONE
    }
    fits = leaning_fits_values(progress)
    if fits is not None:
        counts.add((LEANING_FIT, FITS if fits else DOES_NOT_FIT))
    return counts


def record_finished(*, visit, progress) -> None:
    """Count a visit that has just finished. Call inside the finishing transaction."""
    _add(_day_counts([(visit, visit_counts(visit, progress, finished=True))]))


def record_purged(*, unfinished) -> None:
    """Count visits about to be purged that never finished (with their answers prefetched).
    Call inside the purging transaction."""
    _add(
        _day_counts(
            (v, visit_counts(v, Progress(v.answers.all()), finished=False)) for v in unfinished
        )
    )


def _day_counts(visits_and_counts):
    totals = Counter()
    for visit, counts in visits_and_counts:
        day = timezone.localdate(visit.started_at)
        totals.update((day, visit.topic_id, metric, key) for metric, key in counts)
    return totals


def _add(totals):
    """Add each total to its tally row, creating the rows that are missing."""
    if transaction.get_autocommit():
        raise RuntimeError("Tallies are written inside the finish or purge transaction.")
    if not totals:
        return
    fields = ("day", "topic_id", "metric", "key")
    DailyTally.objects.bulk_create(
        [DailyTally(**dict(zip(fields, row, strict=True))) for row in totals],
        ignore_conflicts=True,
    )
    by_amount = defaultdict(list)
    for row, amount in totals.items():
        by_amount[amount].append(Q(**dict(zip(fields, row, strict=True))))
    for amount, rows in by_amount.items():
        for start in range(0, len(rows), BATCH):
            DailyTally.objects.filter(reduce(or_, rows[start : start + BATCH])).update(
                count=F("count") + amount
            )
