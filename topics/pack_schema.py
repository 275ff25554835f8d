"""The content pack schema: every field a pack may have, declared once.

`topics.packs` validates a pack against `TOPIC`; `PATIENT_FIELDS` names the fields a patient
reads (used by the reading-grade test). SCHEMA.md in topics/content/ describes the same format
for editors.
"""

from dataclasses import dataclass

# Answers the journey adds beside the content's own, so no item may use their keys.
NOT_SURE = "not-sure"  # "I'm not sure yet", offered with the options
NONE_OF_THESE = "none"  # "None of these", under the warning signs
OWN_QUESTIONS = "own"  # the patient's own words, under the suggested doctor questions
RESERVED_KEYS = {
    "options": (NOT_SURE, '"I\'m not sure yet"'),
    "red_flags": (NONE_OF_THESE, '"None of these"'),
    "doctor_questions": (OWN_QUESTIONS, "the patient's own questions"),
}


@dataclass(frozen=True)
class F:
    """One field of the schema."""

    kind: str  # text, key, date, int, bool, keys, list, map
    required: bool = False
    max_len: int | None = None
    schema: dict | None = None  # for list and map
    min_items: int = 0
    why: str = ""  # the IPDAS element a required field stands for
    default: object = None
    nullable: bool = False  # a missing map is None rather than a map of blanks


def text(required=False, max_len=None, why=""):
    return F("text", required=required, max_len=max_len, why=why)


CITATION_KEYS = F("keys", required=True, min_items=1, why="every evidence statement cites a source")

NUMBERS = {
    "outcome": text(True, 200),
    "numerator": F("int", required=True),
    "label": text(True, 200),
    "comparator_numerator": F("int"),
    "comparator_label": text(False, 200),
    "denominator": F("int", required=True),
    "time_frame": text(True, 120),
    "population": text(True, why="IPDAS: the group the numbers come from"),
}

STATEMENT = {
    "text": text(True),
    "certainty": F("text", required=True, why="IPDAS: how certain the evidence is"),
    "certainty_note": text(),
    "citations": CITATION_KEYS,
    "numbers": F("map", schema=NUMBERS, nullable=True),
}

OPTION = {
    "key": F("key", required=True, max_len=60),
    "title": text(True, 200),
    "short_title": text(True, 40),
    "is_wait": F("bool", default=False),
    "involves": text(True, why="what the option involves"),
    "living_with": text(True, why="IPDAS: what living with the option is like"),
    "practical": F(
        "map",
        schema={"visits": text(), "time": text(), "cost": text()},
    ),
    "benefits": F("list", True, schema=STATEMENT, min_items=1, why="IPDAS: the option's benefits"),
    "harms": F("list", True, schema=STATEMENT, min_items=1, why="IPDAS: the option's harms"),
    "risks": F(
        "list",
        schema={
            "name": text(True, 200),
            "description": text(True),
            "frequency": text(True, 120),
            "serious": F("bool", default=False),
            "citations": CITATION_KEYS,
        },
    ),
}

TOPIC = {
    "slug": F("key", required=True, max_len=80),
    "status": F("text", default="draft"),
    "title": text(True, 200),
    "decision": text(True, 300, why="IPDAS: the decision, stated explicitly"),
    "condition": text(True, why="IPDAS: the health condition"),
    "audience": text(),
    "summary": text(),
    "background": text(),
    "history_heading": F("text", max_len=100, default="About you"),
    "minutes": F("int", default=10),
    "published": F("date", required=True, why="IPDAS: the publication date"),
    "last_reviewed": F("date"),
    "next_review_due": F("date", required=True, why="IPDAS: when the content is next reviewed"),
    "update_policy": text(True, why="IPDAS: the update policy"),
    "funding": text(True, why="IPDAS: the funding source"),
    "authors": text(),
    "reviewers": text(),
    "uncertainty": text(True, why="IPDAS: the uncertainty around the numbers"),
    "citations": F(
        "list",
        True,
        min_items=1,
        why="IPDAS: citations for the evidence",
        schema={
            "key": F("key", required=True, max_len=60),
            "authors": text(True, 400),
            "year": F("int", required=True),
            "title": text(True, 400),
            "journal": text(False, 300),
            "volume_pages": text(False, 200),
            "doi": text(False, 200),
            "url": text(False, 200),
        },
    ),
    "options": F("list", True, schema=OPTION, min_items=2, why="IPDAS: at least two options"),
    "disagreements": F(
        "list",
        schema={"title": text(True, 200), "text": text(True), "citations": CITATION_KEYS},
    ),
    "red_flags": F("list", schema={"key": F("key", True, 60), "text": text(True, 300)}),
    "history_questions": F(
        "list",
        schema={
            "key": F("key", True, 60),
            "text": text(True, 300),
            "help": text(),
            "choices": F(
                "list",
                True,
                min_items=2,
                schema={
                    "key": F("key", True, 60),
                    "label": text(True, 200),
                    "tailoring": text(),
                    "tailoring_option": F("key", max_len=60),
                    "sheet_note": text(False, 200),
                },
            ),
        },
    ),
    "knowledge": F(
        "list",
        schema={
            "key": F("key", True, 60),
            "statement": text(True),
            "answer": F("bool", required=True),
            "explanation": text(True),
            "citations": F("keys"),
        },
    ),
    "values": F(
        "list",
        schema={
            "key": F("key", True, 60),
            "statement": text(True),
            "low_label": text(True, 100),
            "high_label": text(True, 100),
        },
    ),
    "doctor_questions": F("list", schema={"key": F("key", True, 60), "text": text(True, 300)}),
}

# Fields a patient reads; used by the reading-grade test. Everything else is for staff.
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
