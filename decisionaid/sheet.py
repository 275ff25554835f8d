"""The discussion sheet: what a clinician reads in 30 seconds, built from one visit.

`build_sheet(visit)` gathers everything the sheet shows in a constant number of queries: the
visit's answers (one query, or none when prefetched) and the topic's options with their
evidence, risks and citations. Page 1 uses only the answers, which carry a copy of the wording
the patient saw; page 2 shows the topic's current evidence. The flags come from the stages
themselves (`Stage.flags`).
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from decisionaid.models import Visit
from decisionaid.stages import FlagGroup, Progress
from decisionaid.stages.base import STAGE_DONE
from decisionaid.stages.history import HistoryStage
from decisionaid.stages.leaning import LeaningStage
from decisionaid.stages.learn import LearnStage
from decisionaid.stages.questions import QuestionsStage
from decisionaid.stages.retell import retold
from decisionaid.stages.values import ValuesStage
from topics.models import NOT_SURE, Citation, Topic

# Page 1 must fit on one sheet of paper whatever the patient typed, so their own words keep at
# most this many lines; any further lines are joined onto the last one with " / ".
OWN_WORDS_MAX_LINES = 3
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
    # Statements word for word as under an earlier option are not printed again, only counted.
    same_as: str = ""
    same_harms: int = 0
    same_risks: int = 0

    @property
    def length(self):
        """About how much room it takes, in characters: each heading and item counts as a
        line's worth besides its words."""
        items = [*self.benefits, *self.harms]
        words = sum(len(s.text) for s in items) + sum(len(r.description) for r in self.risks)
        headings = 3 + bool(self.risks) + bool(self.same_as)
        return words + CHARS_PER_LINE * (headings + len(items) + len(self.risks))


@dataclass(frozen=True)
class HistoryRow:
    """One row of "What has been tried": a short label and the answer; typed words as typed."""

    label: str
    answer: str
    typed: bool = False
    advised: bool = False  # the answer showed the patient tailored advice


@dataclass(frozen=True)
class Fit:
    """How the leaning sits with what the patient rated most important: a prompt for the
    clinician, not a verdict. `toward` are the top-rated values that point toward the leaning,
    `away` the others, and `away_options` the options those point toward."""

    toward: tuple[str, ...]
    away: tuple[str, ...]
    away_options: tuple[str, ...]

    @property
    def fits(self):
        return not self.away

    @property
    def text(self):
        said = _("Said most important: %(values)s.") % {
            "values": get_text_list(self.toward + self.away, _("and"))
        }
        if self.fits:
            return " ".join([said, _("That points toward this option.")])
        elsewhere = {"options": get_text_list(self.away_options, _("or"))}
        if not self.toward:
            then = _("That points toward %(options)s. Worth talking over.")
        else:
            then = _(
                "Some of that points toward this option, some toward %(options)s. "
                "Worth talking over."
            )
        return " ".join([said, then % elsewhere])


@dataclass(frozen=True)
class Sheet:
    visit: Visit
    topic: Topic
    flags: tuple[FlagGroup, ...]
    history: tuple[HistoryRow, ...]
    leaning: str
    leaning_unsure: bool
    fit: Fit | None
    readiness_score: int | None
    values: tuple[RankedValue, ...]
    questions: tuple[str, ...]
    own_words: str
    options: tuple[OptionEvidence, ...]
    citations: tuple[Citation, ...]
    learn_read: tuple[str, ...] = ()
    learn_missed: tuple[str, ...] = ()
    # The patient's language, named in the clinic's, when it is not the clinic's language.
    completed_in: str = ""

    @property
    def compact(self):
        """True when page 1 needs smaller type to fit on one page."""
        lines = sum(_lines(i.text + i.detail) for group in self.flags for i in group.items)
        lines += sum(_lines(f"{row.label} {row.answer}") for row in self.history) // 2 + 1
        lines += len(self.values) + len(self.questions) + (2 if self.fit else 0) + 1
        lines += sum(_lines(line) for line in self.own_words.splitlines())
        return lines > COMPACT_AFTER_LINES

    @property
    def evidence_columns(self):
        """The options in two columns, in order, the first ones on the left, so that the two
        come out about as long as each other. Not CSS columns: WeasyPrint balances those by
        laying the text out again and again, which made the PDF five times slower."""
        return _balanced(self.options, 2, lambda option: option.length)

    @property
    def source_columns(self):
        """The sources in three columns, in order: [(first number, sources)]."""
        columns = _balanced(self.citations, 3, lambda c: len(c.short_reference) + 40)
        starts = [1 + sum(len(c) for c in columns[:i]) for i in range(len(columns))]
        return list(zip(starts, columns, strict=True))

    @property
    def learn_screens(self):
        return len(self.learn_read) + len(self.learn_missed)

    @property
    def history_pairs(self):
        """The chosen answers two to a line, as page 1 prints them."""
        rows = [row for row in self.history if not row.typed]
        return [
            (rows[i], rows[i + 1] if i + 1 < len(rows) else None) for i in range(0, len(rows), 2)
        ]

    @property
    def history_typed(self):
        """What the patient typed, each on a line of its own."""
        return [row for row in self.history if row.typed]

    @property
    def has_emergency(self):
        return any(group.kind == "emergency" for group in self.flags)

    @property
    def content_changed(self):
        """True when an editor changed the content the patient read after this visit."""
        return self.visit.content_version != self.visit.content_topic.content_version


def build_sheet(visit) -> Sheet:
    """Everything the discussion sheet shows for one finished visit, in the clinic's language
    (LANGUAGE_CODE): a visit in another language is retold by its answers' keys."""
    with translation.override(settings.LANGUAGE_CODE):
        return _build_sheet(visit)


def _build_sheet(visit):
    topic = visit.topic.translation_for(settings.LANGUAGE_CODE) or visit.topic
    answers = visit.answers.all()
    if visit.language != topic.language:
        answers = retold(answers, topic)
    progress = Progress(answers)
    prefetch_related_objects([topic], "options__evidence__citations", "options__risks__citations")
    options, citations = _evidence(topic)
    choice = LeaningStage.choice(progress.answers_for(LeaningStage.slug))
    questions = progress.answers_for(QuestionsStage.slug)
    values = progress.answers_for(ValuesStage.slug)
    titles = {o.key: o.short_title for o in topic.options.all()}
    read, missed = LearnStage.reading(
        progress.answers_for(LearnStage.slug), list(topic.options.all())
    )
    return Sheet(
        visit=visit,
        topic=topic,
        completed_in=_language_name(visit.language) if visit.language != topic.language else "",
        flags=tuple(progress.flags(visit)),
        history=tuple(_history_rows(progress.answers_for(HistoryStage.slug))),
        leaning=choice.display if choice else "",
        leaning_unsure=bool(choice) and choice.value == NOT_SURE,
        fit=leaning_fit(progress, titles),
        readiness_score=visit.readiness_score,
        values=_ranked_values(values),
        questions=tuple(a.prompt for a in QuestionsStage.ticked(questions)),
        own_words=_fit_lines(own_words(visit)),
        options=options,
        citations=citations,
        learn_read=tuple(screen.short for screen in read),
        learn_missed=tuple(screen.short for screen in missed),
    )


def _balanced(items, count, length):
    """`items` in order, cut into at most `count` runs whose longest is as short as it can be."""
    items = list(items)
    if len(items) <= 1 or count <= 1:
        return [items] if items else []
    best = None
    for cut in range(1, len(items)):
        rest = _balanced(items[cut:], count - 1, length)
        longest = max(sum(map(length, run)) for run in [items[:cut], *rest])
        if best is None or longest < best[0]:
            best = (longest, [items[:cut], *rest])
    return best[1]


def _language_name(code):
    """A language's name in the active language, e.g. "Spanish" on an English sheet."""
    return translation.get_language_info(code)["name_translated"]


def flag_groups(visit) -> tuple[FlagGroup, ...]:
    """The sheet's flags for one visit, from its (ideally prefetched) answers."""
    return tuple(Progress(visit.answers.all()).flags(visit))


def own_words(visit):
    """What the patient typed as their own questions, exactly as typed."""
    answers = [a for a in visit.answers.all() if a.stage == QuestionsStage.slug]
    own = QuestionsStage.own_words(answers)
    return own.value if own else ""


def _history_rows(answers):
    for a in answers:
        if a.key == STAGE_DONE:
            continue
        typed = not a.sheet_note and a.display == a.value and a.value != ""
        answer = a.sheet_note or a.display or _("(left empty)")
        yield HistoryRow(a.sheet_label or a.prompt, answer, typed, advised=bool(a.message))


def leaning_fit(progress, titles=None):
    """How the leaning sits with the values rated highest (4 or 5), or None when there is no
    option chosen or nothing was rated that high. `titles` name the options (by key)."""
    titles = titles or {}
    choice = LeaningStage.choice(progress.answers_for(LeaningStage.slug))
    values = progress.answers_for(ValuesStage.slug)
    if choice is None or choice.value == NOT_SURE:
        return None
    top = max((_score(v.value) for v in values), default=0)
    if top < 4:
        return None
    most = [v for v in values if _score(v.value) == top]
    toward = [v for v in most if choice.value in v.points_toward]
    away = [v for v in most if choice.value not in v.points_toward]
    elsewhere = dict.fromkeys(k for v in away for k in v.points_toward)
    return Fit(
        toward=tuple(v.sheet_label or v.prompt for v in toward),
        away=tuple(v.sheet_label or v.prompt for v in away),
        away_options=tuple(titles.get(k, k) for k in elsewhere),
    )


def _ranked_values(answers):
    """Values statements, the most important first; ties keep the order they were asked in."""
    ranked = [RankedValue(a.sheet_label or a.prompt, _score(a.value)) for a in answers]
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
    first = {}  # the words of a harm or risk -> the option it was first printed under
    for option in topic.options.all():
        statements = {"benefit": [], "harm": []}
        same = {"harm": [], "risk": []}
        for e in option.evidence.all():
            if e.kind == "harm" and e.text in first:
                same["harm"].append(first[e.text])
                continue
            first.setdefault(e.text, option.short_title)
            statements[e.kind].append(
                Statement(e.text, e.get_certainty_display(), refs(list(e.citations.all())))
            )
        risks = []
        for r in option.risks.all():
            words = f"{r.name}: {r.description}"
            if words in first:
                same["risk"].append(first[words])
                continue
            first[words] = option.short_title
            risks.append(
                RiskRow(r.name, r.frequency, r.serious, r.description, refs(r.citations.all()))
            )
        earlier = dict.fromkeys(same["harm"] + same["risk"])
        options.append(
            OptionEvidence(
                option.title,
                tuple(statements["benefit"]),
                tuple(statements["harm"]),
                tuple(risks),
                same_as=get_text_list(list(earlier), _("and")),
                same_harms=len(same["harm"]),
                same_risks=len(same["risk"]),
            )
        )
    citations = tuple(c for _, c in sorted(numbers.values(), key=lambda pair: pair[0]))
    return tuple(options), citations
