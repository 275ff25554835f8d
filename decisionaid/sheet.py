"""The discussion sheet: what a clinician reads in 30 seconds, built from one visit.

`build_sheet(visit)` gathers everything the sheet shows in a constant number of queries: the
visit's answers (one query, or none when prefetched) and the topic's options with their
evidence, risks and citations. Page 1 uses only the answers, which carry a copy of the wording
the patient saw; page 2 shows the topic's current evidence. The flags come from the stages
themselves (`Stage.flags`).
"""

import math
from dataclasses import dataclass

from django.db.models import prefetch_related_objects

from decisionaid.models import Visit
from decisionaid.stages import FlagGroup, Progress
from decisionaid.stages.history import HistoryStage
from decisionaid.stages.leaning import LeaningStage
from decisionaid.stages.questions import QuestionsStage
from decisionaid.stages.values import ValuesStage
from topics.models import NOT_SURE, Citation, Topic

# Page 1 must fit on one sheet of paper whatever the patient typed, so their own words keep at
# most this many lines; any further lines are joined onto the last one with " / ".
OWN_WORDS_MAX_LINES = 4
# A visit with many flags or long own words prints page 1 in smaller type ("compact"), so that
# page 1 stays on one page of A4 or Letter. The estimate counts lines of about this many
# characters; tests/test_sheet.py checks both sizes with the heaviest possible visit.
COMPACT_AFTER_LINES = 30
CHARS_PER_LINE = 70


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
    progress = Progress(visit.answers.all())
    topic = visit.topic
    prefetch_related_objects([topic], "options__evidence__citations", "options__risks__citations")
    options, citations = _evidence(topic)
    choice = LeaningStage.choice(progress.answers_for(LeaningStage.slug))
    questions = progress.answers_for(QuestionsStage.slug)
    return Sheet(
        visit=visit,
        topic=topic,
        flags=tuple(progress.flags(visit)),
        tried=tuple(
            a.sheet_note or f"{a.prompt} {a.display}"
            for a in progress.answers_for(HistoryStage.slug)
        ),
        leaning=choice.display if choice else "",
        leaning_unsure=bool(choice) and choice.value == NOT_SURE,
        readiness_score=visit.readiness_score,
        values=_ranked_values(progress.answers_for(ValuesStage.slug)),
        questions=tuple(a.prompt for a in QuestionsStage.ticked(questions)),
        own_words=_fit_lines(own_words(visit)),
        options=options,
        citations=citations,
    )


def flag_groups(visit) -> tuple[FlagGroup, ...]:
    """The sheet's flags for one visit, from its (ideally prefetched) answers."""
    return tuple(Progress(visit.answers.all()).flags(visit))


def own_words(visit):
    """What the patient typed as their own questions, exactly as typed."""
    answers = [a for a in visit.answers.all() if a.stage == QuestionsStage.slug]
    own = QuestionsStage.own_words(answers)
    return own.value if own else ""


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
