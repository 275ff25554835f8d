"""Clinical content: one decision topic with its options and evidence (content.py), the
questions it asks the patient (questionnaire.py), and each content version as it was
(versions.py)."""

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
from topics.models.versions import ContentSnapshot

__all__ = [
    "NONE_OF_THESE",
    "NOT_SURE",
    "OPTIONS_PREFETCH",
    "OWN_QUESTIONS",
    "RESERVED_KEYS",
    "Certainty",
    "Citation",
    "ContentSnapshot",
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
