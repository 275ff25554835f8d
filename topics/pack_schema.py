"""The content pack, declared once.

These pydantic models are the only declaration of a topic pack. They validate a pack's YAML
(`topics.packs`), give its normalised form (`Pack.model_dump(mode="json")`: every field present,
defaults filled in, dates as ISO strings), which is hashed into the content version, and name the
fields the loader writes and the exporter reads back (`topics.loader`). The editors' reference,
topics/content/SCHEMA.md, is generated from them (`python manage.py pack_schema`), and a test
keeps the two the same.

Each field's `description` is what SCHEMA.md says about it; `why` names the IPDAS element that a
required field stands for, and appears in the error an editor sees when it is missing.
"""

import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from topics.models import Certainty, HistoryQuestion, RedFlag, Topic

__all__ = ["AT_A_GLANCE", "NUMBERS", "Pack", "ValidationError"]

KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SMALL_INT_MAX = 32767  # PositiveSmallIntegerField
Score = Annotated[StrictInt, Field(ge=0, le=100)]


def _no_nul(value):
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _listed(value):
    return [value] if isinstance(value, str) else value


Text = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_no_nul)]
Required = Annotated[Text, StringConstraints(min_length=1)]
Key = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60, pattern=KEY_PATTERN)]
Count = Annotated[StrictInt, Field(ge=0, le=SMALL_INT_MAX)]
CitationKeys = Annotated[list[Key], BeforeValidator(_listed)]


def optional(description, max_len=None, *, why=""):
    """An optional text field: trimmed, empty by default."""
    return Field("", description=description, max_length=max_len, json_schema_extra={"why": why})


def required(description, max_len=None, *, why=""):
    return Field(description=description, max_length=max_len, json_schema_extra={"why": why})


def items(description, *, min_items=0, why=""):
    """A list of entries; with `min_items`, it is required."""
    if min_items:
        return Field(description=description, min_length=min_items, json_schema_extra={"why": why})
    return Field(default_factory=list, description=description)


def cited(description):
    return Field(
        description=description,
        min_length=1,
        json_schema_extra={"why": "every evidence statement cites a source"},
    )


class PackModel(BaseModel):
    """Unknown fields are refused; a field left blank (null, "" or []) counts as missing."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    @model_validator(mode="before")
    @classmethod
    def blank_is_missing(cls, data):
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None and v != "" and v != []}
        return data


class Citation(PackModel):
    """A source. Every key cited anywhere in the pack must be defined here."""

    key: Key = required("Short key used to cite it, e.g. dagenais2007.")
    short: Text = optional(
        'How patients see it cited, e.g. "NICE 2016". Default: the first author\'s name and the '
        "year.",
        60,
    )
    authors: Required = required("Authors, as in the reference.", 400)
    year: Count = required("Year of publication.")
    title: Required = required("Title of the article, guideline or page.", 400)
    journal: Text = optional("Journal or publisher.", 300)
    volume_pages: Text = optional("Volume, issue and pages.", 200)
    doi: Text = optional("DOI, without the https://doi.org/ prefix.", 200)
    url: Text = optional("Web address, if any.", 200)


class FrequencyNumbers(PackModel):
    """ "X of every 100 people", shown with an icon array. The sentence the patient reads is
    built as: "<time frame>, <numerator> of every <denominator> <label> <outcome>[, compared
    with <comparator numerator> of every <denominator> <comparator label>]."

    Every such number in a pack uses the same denominator (IPDAS)."""

    kind: Literal["frequency"] = required('"frequency".')
    time_frame: Required = required('When it was measured, e.g. "After 12 months".', 120)
    numerator: Count = required("How many of every `denominator` people had the outcome.")
    denominator: Count = required("Out of how many; the same for every such number in the pack.")
    label: Required = required(
        'Who the numerator counts, e.g. "people given sugar-water shots".', 200
    )
    outcome: Required = required(
        'What happened to them, e.g. "had their pain cut by more than half".', 200
    )
    comparator_numerator: Count | None = Field(
        None, description="The same count for a comparison group."
    )
    comparator_label: Text = optional("Who the comparison group is. Needed with a comparator.", 200)
    population: Required = required(
        "The group the numbers come from.", why="IPDAS: the group the numbers come from"
    )


class ScalePoint(PackModel):
    """One bar on a 0 to 100 scale."""

    value: Score = required("The value, from 0 to 100.")
    label: Required = required('What it is, e.g. "at the start" or "points lower on average".', 120)
    low: Score | None = Field(None, description="The lower end of its likely range, if known.")
    high: Score | None = Field(None, description="The upper end of its likely range, if known.")


class ScaleNumbers(PackModel):
    """Points on a 0 to 100 scale, shown as labelled bars. The sentence the patient reads is
    built as: "<measure>: <value> <label>, ... and <value> <label>." Never drawn as people."""

    kind: Literal["scale"] = required('"scale".')
    measure: Required = required(
        'What the scale measures, e.g. "Average pain on a scale from 0 to 100".', 200
    )
    points: list[ScalePoint] = items("The bars, in order.", min_items=1)
    marker: Score | None = Field(None, description="A value to mark on every bar, if any.")
    marker_label: Text = optional(
        'What the marker means, e.g. "The smallest change that matters to patients". '
        "Needed with a marker.",
        120,
    )
    population: Required = required(
        "The group the numbers come from.", why="IPDAS: the group the numbers come from"
    )


Numbers = Annotated[FrequencyNumbers | ScaleNumbers, Field(discriminator="kind")]
NUMBERS = TypeAdapter(Numbers)
NUMBER_MODELS = {"frequency": FrequencyNumbers, "scale": ScaleNumbers}
NUMBER_KINDS = tuple(NUMBER_MODELS)


class Statement(PackModel):
    """A benefit or a harm of an option, in plain words, with its sources."""

    text: Required = required("The statement, in plain words.")
    certainty: Certainty = required(
        "How sure the evidence is.", why="IPDAS: how certain the evidence is"
    )
    certainty_note: Text = optional("Why the evidence has that certainty.")
    citations: CitationKeys = cited("Keys of the citations it rests on.")
    numbers: Numbers | None = Field(
        None, description="Optional numbers: a frequency (people) or a scale (points), not both."
    )


class Risk(PackModel):
    """A named risk of an option. Its frequency is in words, never an invented number."""

    name: Required = required("Short name, e.g. Nerve damage.", 200)
    description: Required = required("What it is and why it happens.")
    frequency: Required = required('In words, e.g. "Rare".', 120)
    serious: StrictBool = Field(False, description="True for a serious risk.")
    citations: CitationKeys = cited("Keys of the citations it rests on.")


class Practical(PackModel):
    """The practical issues of an option."""

    visits: Text = optional("Visits needed.")
    time: Text = optional("Time it takes.")
    cost: Text = optional("Cost, and whether insurance pays.")


class AtAGlance(PackModel):
    """The option's answers to the questions every option answers, one short line each, for
    the side-by-side view (the idea of Option Grid tables)."""

    involves: Required = required("What is it? One short line.", 160)
    helps: Required = required("Does it help? One short line.", 160)
    risks: Required = required("What are the risks? One short line.", 160)
    takes: Required = required("What does it take (visits, time, cost)? One short line.", 160)
    citations: CitationKeys = cited("Keys of the citations behind these lines.")


AT_A_GLANCE = TypeAdapter(AtAGlance)


class Option(PackModel):
    """One of the choices, described with the same parts as every other."""

    key: Key = required("Stable key; answers and tailoring refer to it.")
    title: Required = required("The option, as the patient reads it.", 200)
    short_title: Required = required("Short name for column headings.", 40)
    is_wait: StrictBool = Field(
        False, description='True for the one "keep on with current care, wait and review" option.'
    )
    at_a_glance: AtAGlance = required(
        "The same few questions, answered in a line each.",
        why="every option answers the same questions",
    )
    involves: Required = required("What the option involves.", why="what the option involves")
    living_with: Required = required(
        "What day-to-day life is like with it.", why="IPDAS: what living with the option is like"
    )
    practical: Practical = Field(default_factory=Practical, description="Practical issues.")
    watch_for: Text = optional("When to get help: what to watch for with this option.")
    no_numbers_reason: Text = optional(
        "Why none of its statements has numbers. Needed when none has (IPDAS)."
    )
    benefits: list[Statement] = items(
        "Its benefits.", min_items=1, why="IPDAS: the option's benefits"
    )
    harms: list[Statement] = items("Its harms.", min_items=1, why="IPDAS: the option's harms")
    risks: list[Risk] = items("Named risks, if any.")


class Disagreement(PackModel):
    """An entry of the "What we don't know" panel: where sources disagree, both sides."""

    title: Required = required("A question, e.g. Does prolotherapy help?", 200)
    text: Required = required("Both sides, in plain words.")
    citations: CitationKeys = cited("Keys of the citations on each side.")
    numbers: Numbers | None = Field(None, description="Optional numbers, as for a statement.")


class RedFlag(PackModel):
    """A warning sign on the safety check. An emergency sign shows "Get help now"; any other
    shows "before you decide on any treatment, tell your doctor"."""

    key: Key = required("Stable key.")
    text: Required = required("The sign, as the patient reads it.", 300)
    tier: RedFlag.Tier = required("emergency or soon.", why="which kind of help the sign needs")


class HistoryChoice(PackModel):
    """One answer to a history question, with what it tailors."""

    key: Key = required("Stable key of the answer.")
    label: Required = required("The answer, as the patient reads it.", 200)
    tailoring: Text = optional("A message shown to the patient on the Learn stage.")
    tailoring_option: Key | None = Field(
        None, description="Show the message beside this option (its key); else at the top."
    )
    sheet_note: Text = optional("A short note for the clinician's sheet.", 200)


class HistoryQuestion(PackModel):
    """A question about the patient's condition and what they have tried. A choice question
    has two or more answers; a scale question is answered 0 to 10; a text question in a few
    words (up to 200 characters)."""

    key: Key = required("Stable key.")
    kind: HistoryQuestion.Kind = Field(
        HistoryQuestion.Kind.CHOICE, description="choice, scale or text."
    )
    screen: Text = optional(
        "Heading of the screen it is on; questions with the same heading share a screen, "
        "and are listed together. Empty: the pack's history_heading.",
        100,
    )
    text: Required = required("The question.", 300)
    help: Text = optional("A hint shown under the question.")
    sheet_label: Required = required('Short label on the clinician\'s sheet, e.g. "Pain now".', 60)
    low_label: Text = optional("Scale questions: what 0 means.", 100)
    high_label: Text = optional("Scale questions: what 10 means.", 100)
    choices: list[HistoryChoice] = items("Choice questions: its answers, two or more.")


class KnowledgeItem(PackModel):
    """A true-or-false statement for the understanding check."""

    key: Key = required("Stable key.")
    statement: Required = required("The statement.")
    answer: StrictBool = required("True if the statement is true.")
    explanation: Required = required("Feedback shown after the patient answers.")
    citations: CitationKeys = items("Keys of the citations behind the answer.")


class ValueItem(PackModel):
    """A values statement, answered on a 1 to 5 scale labelled at both ends."""

    key: Key = required("Stable key.")
    statement: Required = required("The statement or question.")
    low_label: Required = required("What 1 means.", 100)
    high_label: Required = required("What 5 means.", 100)
    sheet_label: Required = required(
        'Short label on the clinician\'s sheet, e.g. "avoiding needles".', 60
    )
    points_toward: list[Key] = items(
        "Keys of the options that a patient who rates this highly may lean toward.", min_items=1
    )


class DoctorQuestion(PackModel):
    """A suggested question for the doctor, to tick."""

    key: Key = required("Stable key.")
    text: Required = required("The question.", 300)


class Translation(PackModel):
    """What makes a pack a translation of another: <slug>.<language>.yaml beside <slug>.yaml,
    with the same options, items, keys, citations and numbers, in another language."""

    source_version: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{12}$")] = required(
        "The content version of the source pack this translates (manage.py load_topics prints "
        "it). When the source changes, the translation is out of date until this is updated.",
        why="a translation says which version of its source it matches",
    )
    translated_by: Required = required(
        "Who translated it.", 300, why="readers and reviewers need to know who translated it"
    )
    review_note: Required = required(
        "For staff, not patients: how far the translation has been checked, e.g. that a "
        "qualified medical translator should review it before clinical use.",
        why="staff need to know how far the translation has been checked",
    )


class Pack(PackModel):
    """A topic: one decision, its options and evidence, and the questions it asks."""

    slug: Annotated[Key, StringConstraints(max_length=80)] = required(
        "Lowercase letters, digits and hyphens; the file is <slug>.yaml."
    )
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] = Field(
        "en", description="The language the pack is written in: en, or es in <slug>.es.yaml."
    )
    translation: Translation | None = Field(
        None, description="Only in a translation: which source version it matches, and by whom."
    )
    status: Topic.Status = Field(Topic.Status.DRAFT, description="draft or published.")
    title: Required = required("The topic's title.", 200)
    decision: Required = required(
        "The decision, as a question the patient would ask.",
        300,
        why="IPDAS: the decision, stated explicitly",
    )
    condition: Required = required(
        "The health condition, in plain words.", why="IPDAS: the health condition"
    )
    audience: Text = optional("Who this aid is for.")
    summary: Text = optional("One or two sentences for the Welcome screen.")
    background: Text = optional("What the treatment is. Separate paragraphs with a blank line.")
    history_heading: Text = Field(
        "About you", description="Heading of the history questions.", max_length=100
    )
    minutes: Count = Field(10, description="About how many minutes the aid takes.")
    published: datetime.date = required(
        "Publication date, YYYY-MM-DD.", why="IPDAS: the publication date"
    )
    last_reviewed: datetime.date | None = Field(
        None, description="When the evidence was last reviewed; the publication date if unset."
    )
    evidence_searched: datetime.date | None = Field(
        None, description="When the evidence was last searched for; last_reviewed if unset."
    )
    next_review_due: datetime.date = required(
        "When the content must next be reviewed.", why="IPDAS: when the content is next reviewed"
    )
    update_policy: Required = required(
        "How and when the content is kept up to date.", why="IPDAS: the update policy"
    )
    funding: Required = required(
        "Who paid for it, and any conflicts of interest.", why="IPDAS: the funding source"
    )
    authors: Text = optional("Who wrote it.")
    reviewers: Text = optional("Who reviewed it.")
    uncertainty: Required = required(
        "How sure the numbers are, and why.", why="IPDAS: the uncertainty around the numbers"
    )
    citations: list[Citation] = items(
        "The sources.", min_items=1, why="IPDAS: citations for the evidence"
    )
    options: list[Option] = items(
        "The options; exactly one is the wait option.",
        min_items=2,
        why="IPDAS: at least two options",
    )
    disagreements: list[Disagreement] = items('The "What we don\'t know" panel.')
    safety_citations: CitationKeys = items(
        "Keys of the citations behind the warning signs and their tiers."
    )
    red_flags: list[RedFlag] = items("The safety check's warning signs.")
    history_questions: list[HistoryQuestion] = items("Questions about the patient's condition.")
    knowledge: list[KnowledgeItem] = items("The understanding check.")
    values: list[ValueItem] = items("What matters most to the patient.")
    doctor_questions: list[DoctorQuestion] = items("Suggested questions for the doctor.")

    @model_validator(mode="after")
    def evidence_dates_default_to_publication(self):
        if self.last_reviewed is None:
            self.last_reviewed = self.published
        if self.evidence_searched is None:
            self.evidence_searched = self.last_reviewed
        return self


# Fields a patient reads; the reading-grade test checks them. Everything else is for staff.
PATIENT_FIELDS = {
    "title",
    "decision",
    "condition",
    "audience",
    "summary",
    "background",
    "history_heading",
    "update_policy",
    "funding",
    "uncertainty",
    "short_title",
    "involves",
    "living_with",
    "visits",
    "time",
    "cost",
    "text",
    "certainty_note",
    "watch_for",
    "helps",
    "risks",
    "takes",
    "no_numbers_reason",
    "screen",
    "measure",
    "marker_label",
    "outcome",
    "label",
    "comparator_label",
    "time_frame",
    "population",
    "name",
    "description",
    "frequency",
    "help",
    "tailoring",
    "statement",
    "explanation",
    "low_label",
    "high_label",
}
