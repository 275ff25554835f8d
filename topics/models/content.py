"""A decision topic and what it tells the patient: options, evidence, risks, sources, and
what we don't know.

The shape follows IPDAS (see DESIGN.md): every topic states its condition and decision, carries
publication and review dates, an update policy, a funding statement and an uncertainty
statement; every evidence statement cites its sources.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from topics.history import ContentHistory

# Answers the journey adds beside the content's own, so no item may use their keys.
NOT_SURE = "not-sure"  # "I'm not sure yet", offered with the options
NONE_OF_THESE = "none"  # "None of these", under the warning signs
OWN_QUESTIONS = "own"  # the patient's own words, under the suggested doctor questions
RESERVED_KEYS = {
    "options": (NOT_SURE, '"I\'m not sure yet"'),
    "red_flags": (NONE_OF_THESE, '"None of these"'),
    "doctor_questions": (OWN_QUESTIONS, "the patient's own questions"),
}
OPTIONS_PREFETCH = (
    "citations",
    "safety_citations",
    "options__evidence__citations",
    "options__risks__citations",
    "disagreements__citations",
)


def reject_reserved_key(key, items):
    """The journey adds answers of its own beside the content's (topics.pack_schema)."""
    reserved, meaning = RESERVED_KEYS[items]
    if key == reserved:
        message = f"{reserved!r} is kept for the app's own {meaning} answer. Choose another key."
        raise ValidationError({"key": message})


NUMBERS_HELP = (
    'Optional. Either "X of every 100 people" ({"kind": "frequency", ...}) or points on a '
    '0 to 100 scale ({"kind": "scale", ...}), as in the content pack; see SCHEMA.md.'
)


def validate_part(value, field, declaration):
    """A part of a pack typed in the admin as JSON is checked against the pack's own
    declaration (topics.pack_schema), and refused with the same messages as in a pack."""
    if value is None:
        return
    from topics import pack_schema, packs  # the declaration imports these models

    try:
        getattr(pack_schema, declaration).validate_python(value)
    except pack_schema.ValidationError as exc:
        messages = [f"{path}: {message}" for path, message in packs.describe_errors(exc)]
        raise ValidationError({field: messages}) from None


def validate_numbers(numbers):
    validate_part(numbers, "numbers", "NUMBERS")


class TopicQuerySet(models.QuerySet):
    def published(self):
        """Published topics in their own language: a translation is reached through its
        source (Topic.translation_for)."""
        return self.filter(status=Topic.Status.PUBLISHED, translation_of=None)


class Topic(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (hidden from patients)"
        PUBLISHED = "published", "Published"

    slug = models.SlugField(max_length=80)
    language = models.CharField(
        max_length=8,
        default="en",
        help_text="The language of this content: en for a source pack, es for its Spanish.",
    )
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="translations",
        help_text="For a translation: the topic it translates.",
    )
    source_version = models.CharField(
        max_length=16,
        blank=True,
        help_text="For a translation: the content version of the source it matches.",
    )
    translated_by = models.CharField(max_length=300, blank=True)
    review_note = models.TextField(
        blank=True, help_text="For staff: how far a translation has been checked."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(max_length=200)
    decision = models.CharField(
        max_length=300, help_text="The decision, stated as a question the patient would ask."
    )
    condition = models.TextField(help_text="The health condition, in plain words.")
    audience = models.TextField(blank=True, help_text="Who this decision aid is for.")
    summary = models.TextField(blank=True, help_text="One or two sentences for the Welcome screen.")
    background = models.TextField(
        blank=True,
        help_text="What the treatment is. Separate paragraphs with a blank line.",
    )
    history_heading = models.CharField(
        max_length=100,
        default="About you",
        help_text='Heading of the history questions, e.g. "About your back pain".',
    )
    minutes = models.PositiveSmallIntegerField(
        default=10, help_text="About how many minutes the decision aid takes."
    )
    published = models.DateField(help_text="Publication date.")
    last_reviewed = models.DateField(
        help_text="When the evidence was last reviewed. Shown on the sheet as the evidence date."
    )
    evidence_searched = models.DateField(
        null=True, blank=True, help_text="When the evidence was last searched for."
    )
    next_review_due = models.DateField(help_text="When the content must next be reviewed.")
    update_policy = models.TextField(help_text="How and when this content is kept up to date.")
    funding = models.TextField(
        help_text="Who paid for this content, and any conflicts of interest."
    )
    authors = models.TextField(blank=True)
    reviewers = models.TextField(blank=True)
    uncertainty = models.TextField(
        help_text="How sure we are about the numbers, and why, in plain words."
    )
    safety_citations = models.ManyToManyField(
        "Citation",
        related_name="+",
        blank=True,
        help_text="The sources of the warning signs and their tiers.",
    )
    content_version = models.CharField(
        max_length=16,
        editable=False,
        blank=True,
        help_text="A hash of the content; changes whenever the content changes.",
    )
    pack_version = models.CharField(
        max_length=16,
        editable=False,
        blank=True,
        help_text="The content version last loaded from the content pack file.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Not updated_at: a save that changed nothing else would show as a change.
    history = ContentHistory(excluded_fields=["updated_at"])

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="topics_topic_slug_language"),
        ]

    def __str__(self):
        return self.title if self.translation_of_id is None else f"{self.title} ({self.language})"

    def get_absolute_url(self):
        return reverse("topics:overview", kwargs={"slug": self.slug})

    @property
    def is_current_translation(self):
        """True for a translation that matches its source's content as it is now."""
        return self.source_version == self.translation_of.content_version

    def translation_for(self, language):
        """This topic in `language`: itself, its published and current translation, or None."""
        if language == self.language:
            return self
        found = next(
            (t for t in self.translations.all() if t.language == language and t.is_published),
            None,
        )
        return found if found and found.is_current_translation else None

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def cited_sources(self):
        """The citations used by the options and the disagreements, sorted.

        Expects a topic with OPTIONS_PREFETCH prefetched, as topics.rendering does.
        """
        used = set()
        keys = set()
        for option in self.options.all():
            keys.update(option.at_a_glance.get("citations", []))
            for statement in [*option.evidence.all(), *option.risks.all()]:
                used.update(statement.citations.all())
        for item in self.disagreements.all():
            used.update(item.citations.all())
        keys.update(c.key for c in self.safety_citations.all())
        used.update(c for c in self.citations.all() if c.key in keys)
        return sorted(used, key=lambda c: (c.authors, c.year))

    def citation(self, key):
        """The topic's citation with this key (from the prefetched citations when there are)."""
        return next(c for c in self.citations.all() if c.key == key)

    @property
    def edited_since_load(self):
        """True when an editor changed the topic after it was last loaded from its pack."""
        return bool(self.pack_version) and self.pack_version != self.content_version


class Citation(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="citations")
    key = models.SlugField(max_length=60, help_text="Short key used in the content pack.")
    short = models.CharField(
        max_length=60,
        blank=True,
        help_text='How patients see it cited, e.g. "NICE 2016". Empty: first author and year.',
    )
    authors = models.CharField(max_length=400)
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=400)
    journal = models.CharField(max_length=300, blank=True)
    volume_pages = models.CharField(max_length=200, blank=True, help_text="Volume, issue, pages.")
    doi = models.CharField(max_length=200, blank=True)
    url = models.URLField(blank=True)

    history = ContentHistory()

    class Meta:
        ordering = ["topic", "authors", "year"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "key"], name="topics_citation_key_unique"),
        ]

    def __str__(self):
        if self.short:
            return self.short
        first_author = self.authors.split(",")[0].split(" ")[0]
        return f"{first_author} {self.year}"

    @property
    def reference(self):
        """The whole reference: authors, title, journal, year, volume and pages, DOI."""
        parts = [_sentence(self.authors), _sentence(self.title)]
        if self.journal:
            parts.append(_sentence(self.journal))
        if str(self.year) in f"{self.journal} {self.volume_pages}":
            parts.append(_sentence(self.volume_pages) if self.volume_pages else "")
        else:  # Vancouver style: "Spine. 2009;34(10):1066–1077."
            parts.append(_sentence(f"{self.year};{self.volume_pages}".rstrip(";")))
        if self.doi:
            parts.append(f"doi:{self.doi}")
        return " ".join(p for p in parts if p)

    @property
    def short_reference(self):
        """For the printed sheet: the first author, the title, where and when."""
        authors = [a.strip() for a in self.authors.split(",")]
        first = authors[0] + (" et al." if len(authors) > 1 else "")
        where = f"{self.journal} {self.year}" if self.journal else str(self.year)
        doi = f" doi:{self.doi}" if self.doi else ""
        return f"{_sentence(first)} {_sentence(self.title)} {where}.{doi}"


def _sentence(text):
    """The text with a full stop, unless it already ends with one, a ? or a !."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


class Option(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    short_title = models.CharField(
        max_length=40, help_text="Short name used as a column heading in the comparison table."
    )
    is_wait = models.BooleanField(
        default=False,
        help_text='The "keep on with current care, wait and review" option. One per topic.',
    )
    at_a_glance = models.JSONField(
        default=dict,
        help_text="A line each for: involves, helps, risks, takes; and the citation keys behind "
        "them, as in the content pack (see SCHEMA.md).",
    )
    involves = models.TextField(help_text="What this option involves.")
    living_with = models.TextField(help_text="What day-to-day life is like with this option.")
    visits = models.TextField(blank=True, help_text="Practical issue: visits needed.")
    time_needed = models.TextField(blank=True, help_text="Practical issue: time it takes.")
    cost = models.TextField(blank=True, help_text="Practical issue: cost or insurance coverage.")
    watch_for = models.TextField(
        blank=True, help_text="When to get help: what to watch for with this option."
    )
    no_numbers_reason = models.TextField(
        blank=True,
        help_text="Why no statement of this option has numbers. Needed when none has.",
    )

    history = ContentHistory()

    class Meta:
        ordering = ["topic", "order"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "key"], name="topics_option_key_unique"),
            models.UniqueConstraint(fields=["topic", "order"], name="topics_option_order_unique"),
            models.UniqueConstraint(
                fields=["topic"],
                condition=Q(is_wait=True),
                name="topics_option_one_wait_per_topic",
            ),
        ]

    def clean(self):
        reject_reserved_key(self.key, "options")
        validate_part(self.at_a_glance, "at_a_glance", "AT_A_GLANCE")

    def __str__(self):
        return self.title


class Certainty(models.TextChoices):
    HIGH = "high", _("High")
    MODERATE = "moderate", _("Moderate")
    LOW = "low", _("Low")
    VERY_LOW = "very_low", _("Very low")
    CONFLICTING = "conflicting", _("Conflicting: the studies disagree")


class Evidence(models.Model):
    """A benefit or harm of an option, in plain words, with optional natural-frequency numbers."""

    class Kind(models.TextChoices):
        BENEFIT = "benefit", "Benefit"
        HARM = "harm", "Harm"

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(help_text="The statement, in plain words.")
    certainty = models.CharField(max_length=12, choices=Certainty.choices)
    certainty_note = models.TextField(blank=True, help_text="Why the evidence has this certainty.")
    citations = models.ManyToManyField(Citation, related_name="evidence")
    numbers = models.JSONField(
        null=True,
        blank=True,
        help_text=NUMBERS_HELP,
    )

    history = ContentHistory()

    class Meta:
        ordering = ["option", "kind", "order"]
        verbose_name_plural = "evidence statements"
        verbose_name = "evidence statement"
        constraints = [
            models.UniqueConstraint(
                fields=["option", "kind", "order"], name="topics_evidence_order_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def clean(self):
        validate_numbers(self.numbers)


class Risk(models.Model):
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="risks")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    description = models.TextField()
    frequency = models.CharField(
        max_length=120, help_text='In words, e.g. "Common" or "Rare". Never an invented number.'
    )
    serious = models.BooleanField(default=False)
    citations = models.ManyToManyField(Citation, related_name="risks")

    history = ContentHistory()

    class Meta:
        ordering = ["option", "order"]
        constraints = [
            models.UniqueConstraint(fields=["option", "order"], name="topics_risk_order_unique"),
        ]

    def __str__(self):
        return self.name


class Disagreement(models.Model):
    """An entry in the "What we don't know" panel: where sources disagree, both sides."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="disagreements")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    text = models.TextField()
    citations = models.ManyToManyField(Citation, related_name="disagreements")
    numbers = models.JSONField(null=True, blank=True, help_text=NUMBERS_HELP)

    history = ContentHistory()

    class Meta:
        ordering = ["topic", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "order"], name="topics_disagreement_order_unique"
            ),
        ]

    def clean(self):
        validate_numbers(self.numbers)

    def __str__(self):
        return self.title
