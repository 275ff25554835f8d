"""The discussion sheet: what a clinician reads in 30 seconds, built from one visit.

`build_sheet(visit)` gathers everything the sheet shows in a constant number of queries: the
visit's answers (one query, or none when prefetched) and the topic's options with their
evidence, risks and citations (five queries). Page 1 uses only the answers, which carry a copy
of the wording the patient saw; page 2 shows the topic's current evidence.

`flag_groups(visit)` is the part of the sheet the staff list shows beside each visit.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import prefetch_related_objects

from decisionaid.forms import NOT_SURE, READINESS
from decisionaid.models import Visit
from topics.models import Citation, Topic

READINESS_ITEMS = len(READINESS)
# The stages whose answers can raise a flag.
FLAG_STAGES = ("safety", "understanding", "leaning", "history")
# Page 1 must fit on one sheet of paper whatever the patient typed, so their own words keep at
# most this many lines; any further lines are joined onto the last one with " / ".
OWN_WORDS_MAX_LINES = 4
# A visit with many flags or long own words prints page 1 in smaller type ("compact"), so that
# page 1 stays on one page of A4 or Letter. The estimate counts lines of about this many
# characters; tests/test_sheet.py checks both sizes with the heaviest possible visit.
COMPACT_AFTER_LINES = 30
CHARS_PER_LINE = 70


@dataclass(frozen=True)
class FlagItem:
    text: str
    detail: str = ""


@dataclass(frozen=True)
class FlagGroup:
    """One kind of flag, with the items that raised it. Labels carry the meaning, not colour."""

    kind: str
    label: str
    icon: str
    items: tuple[FlagItem, ...]
    note: str = ""

    @property
    def summary(self):
        """A short label for the staff list, e.g. "Red flag (2)"."""
        if self.kind == "readiness" or len(self.items) == 1:
            return self.label
        return f"{self.label} ({len(self.items)})"


@dataclass(frozen=True)
class RankedValue:
    statement: str
    score: int

    @property
    def boxes(self):
        """The score as five boxes, filled up to the score: readable in black and white."""
        return "■" * self.score + "□" * (5 - self.score)


@dataclass(frozen=True)
class Statement:
    text: str
    certainty: str
    refs: str


@dataclass(frozen=True)
class RiskRow:
    name: str
    frequency: str
    serious: bool
    description: str
    refs: str


@dataclass(frozen=True)
class OptionEvidence:
    title: str
    benefits: tuple[Statement, ...]
    harms: tuple[Statement, ...]
    risks: tuple[RiskRow, ...]


@dataclass(frozen=True)
class Sheet:
    visit: Visit
    topic: Topic
    flags: tuple[FlagGroup, ...]
    tried: tuple[str, ...]
    leaning: str
    leaning_unsure: bool
    readiness_score: int | None
    values: tuple[RankedValue, ...]
    questions: tuple[str, ...]
    own_words: str
    options: tuple[OptionEvidence, ...]
    citations: tuple[Citation, ...]

    @property
    def compact(self):
        """True when page 1 needs smaller type to fit on one page."""
        lines = sum(_lines(i.text + i.detail) for group in self.flags for i in group.items)
        lines += math.ceil(len(self.tried) / 2) + len(self.values) + len(self.questions)
        lines += sum(_lines(line) for line in self.own_words.splitlines())
        return lines > COMPACT_AFTER_LINES

    @property
    def content_changed(self):
        """True when an editor changed the topic after this visit was answered."""
        return self.visit.content_version != self.topic.content_version


def build_sheet(visit) -> Sheet:
    """Everything the discussion sheet shows for one finished visit."""
    answers = _by_stage(visit.answers.all())
    topic = visit.topic
    prefetch_related_objects([topic], "options__evidence__citations", "options__risks__citations")
    options, citations = _evidence(topic)
    choice = next((a for a in answers["leaning"] if a.item == "leaning:choice"), None)
    return Sheet(
        visit=visit,
        topic=topic,
        flags=_flags(answers, visit.readiness_score),
        tried=tuple(a.sheet_note or f"{a.prompt} {a.display}" for a in answers["history"]),
        leaning=choice.display if choice else "",
        leaning_unsure=bool(choice) and choice.value == NOT_SURE,
        readiness_score=visit.readiness_score,
        values=_ranked_values(answers["values"]),
        questions=tuple(
            a.prompt for a in answers["questions"] if a.item != "questions:own" and a.value == "yes"
        ),
        own_words=_fit_lines(_own_words_in(answers["questions"])),
        options=options,
        citations=citations,
    )


def flag_groups(visit) -> tuple[FlagGroup, ...]:
    """The sheet's flags for one visit, from its (ideally prefetched) answers."""
    return _flags(_by_stage(visit.answers.all()), visit.readiness_score)


def own_words(visit):
    """What the patient typed as their own questions, exactly as typed."""
    return _own_words_in(visit.answers.all())


def _own_words_in(answers):
    return next((a.value for a in answers if a.item == "questions:own"), "")


def _by_stage(answers):
    stages = defaultdict(list)
    for answer in sorted(answers, key=lambda a: a.order):
        stages[answer.stage].append(answer)
    return stages


def _flags(answers, readiness_score):
    """Flag groups, most urgent first: red flags, knowledge gaps, readiness, not sure, notes."""
    groups = []

    def add(kind, label, icon, items, note=""):
        if items:
            groups.append(FlagGroup(kind, label, icon, tuple(items), note))

    add(
        "red-flag",
        "Red flag",
        "⚠",
        [FlagItem(a.prompt) for a in answers["safety"] if a.outcome == "flag"],
    )
    add(
        "knowledge",
        "Knowledge gap",
        "?",
        [
            FlagItem(a.prompt, f"Said: {a.display}. Correct: {a.sheet_note}.")
            for a in answers["understanding"]
            if a.outcome in ("wrong", "unsure")
        ],
    )
    if readiness_score is not None and readiness_score < READINESS_ITEMS:
        add(
            "readiness",
            f"Readiness {readiness_score} of {READINESS_ITEMS}",
            "◐",
            [FlagItem(a.prompt) for a in _readiness_no(answers)],
            note="Said no or not sure:",
        )
    add(
        "not-sure",
        "Not sure yet",
        "…",
        [
            FlagItem("Has not chosen an option yet.")
            for a in answers["leaning"]
            if a.item == "leaning:choice" and a.value == NOT_SURE
        ],
    )
    add(
        "note",
        "Note",
        "✎",
        [
            FlagItem(a.sheet_note or f"{a.prompt} {a.display}")
            for a in answers["history"]
            if a.message
        ],
        note="Advice shown:",
    )
    return tuple(groups)


def _readiness_no(answers):
    """The readiness items answered "No, or not sure"."""
    return [
        a for a in answers["leaning"] if a.item.startswith("leaning:ready-") and a.value != "yes"
    ]


def _ranked_values(answers):
    """Values statements, the most important first; ties keep the order they were asked in."""
    ranked = [RankedValue(a.prompt, _score(a.value)) for a in answers]
    return tuple(sorted(ranked, key=lambda v: -v.score))


def _score(value):
    return int(value) if value in {"1", "2", "3", "4", "5"} else 0


def _lines(text):
    return max(1, math.ceil(len(text) / CHARS_PER_LINE))


def _fit_lines(text):
    """The text without blank lines, in at most OWN_WORDS_MAX_LINES lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > OWN_WORDS_MAX_LINES:
        keep = OWN_WORDS_MAX_LINES - 1
        lines = [*lines[:keep], " / ".join(lines[keep:])]
    return "\n".join(lines)


def _evidence(topic):
    """Each option's benefits, harms and risks, with citations numbered in order of first use."""
    numbers = {}

    def refs(citations):
        for c in citations:
            numbers.setdefault(c.pk, (len(numbers) + 1, c))
        return ", ".join(
            str(numbers[c.pk][0]) for c in sorted(citations, key=lambda c: numbers[c.pk][0])
        )

    options = []
    for option in topic.options.all():
        statements = {"benefit": [], "harm": []}
        for e in option.evidence.all():
            statements[e.kind].append(
                Statement(e.text, e.get_certainty_display(), refs(list(e.citations.all())))
            )
        risks = [
            RiskRow(r.name, r.frequency, r.serious, r.description, refs(list(r.citations.all())))
            for r in option.risks.all()
        ]
        options.append(
            OptionEvidence(
                option.title, tuple(statements["benefit"]), tuple(statements["harm"]), tuple(risks)
            )
        )
    citations = tuple(c for _, c in sorted(numbers.values(), key=lambda pair: pair[0]))
    return tuple(options), citations
