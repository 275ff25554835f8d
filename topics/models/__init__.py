"""Clinical content: one decision topic with its options and evidence (content.py), and the
questions it asks the patient (questionnaire.py)."""

from topics.models.content import (
    NONE_OF_THESE,
    NOT_SURE,
    OPTIONS_PREFETCH,
    OWN_QUESTIONS,
    RESERVED_KEYS,
    Certainty,
    Citation,
    Disagreement,
    Evidence,
    Option,
    Risk,
    Topic,
    TopicQuerySet,
)
from topics.models.questionnaire import (
    DoctorQuestion,
    HistoryChoice,
    HistoryQuestion,
    KnowledgeStatement,
    RedFlag,
    TopicItem,
    ValueStatement,
)

__all__ = [
    "NONE_OF_THESE",
    "NOT_SURE",
    "OPTIONS_PREFETCH",
    "OWN_QUESTIONS",
    "RESERVED_KEYS",
    "Certainty",
    "Citation",
    "Disagreement",
    "DoctorQuestion",
    "Evidence",
    "HistoryChoice",
    "HistoryQuestion",
    "KnowledgeStatement",
    "Option",
    "RedFlag",
    "Risk",
    "Topic",
    "TopicItem",
    "TopicQuerySet",
    "ValueStatement",
]
