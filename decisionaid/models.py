"""What the patient told us: one Visit per pass through a decision aid, one Answer per item."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from topics.models import Topic
from topics.versions import content_at

# No 0/O, 1/I/L: a code read aloud at a busy desk must not be mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_token():
    return secrets.token_urlsafe(24)


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text):
    """A visit code as typed or read aloud, with spaces taken out and in capitals."""
    return "".join(text.split()).upper()


def default_expiry():
    return timezone.now() + timezone.timedelta(days=settings.DECISIONAID_RETENTION_DAYS)


class VisitQuerySet(models.QuerySet):
    def expired(self):
        return self.filter(expires_at__lte=timezone.now())

    def active(self):
        return self.filter(expires_at__gt=timezone.now())

    def finished(self):
        return self.filter(finished_at__isnull=False)

    def for_staff(self):
        """Finished visits, and open ones where the patient ticked an emergency sign."""
        return self.filter(
            models.Q(finished_at__isnull=False) | models.Q(emergency_at__isnull=False)
        )


class Visit(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    code = models.CharField(max_length=CODE_LENGTH, unique=True, editable=False)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="visits")
    language = models.CharField(
        max_length=8, default="en", help_text="The language the patient chose."
    )
    content_topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The topic's content the patient read: the topic, or its translation.",
    )
    # The version of content_topic the patient read.
    content_version = models.CharField(max_length=16)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=default_expiry)
    readiness_score = models.PositiveSmallIntegerField(null=True, blank=True)
    emergency_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the patient first ticked an emergency sign. Kept even if they untick it.",
    )

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["finished_at"], name="decisionaid_visit_finished")]
        permissions = [("read_sheet", "Can read discussion sheets")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(readiness_score__lte=4),
                name="decisionaid_visit_readiness_range",
            ),
        ]

    def __str__(self):
        return f"Visit {self.code}"

    @property
    def source_version(self):
        """The version of the topic's own content that the answers follow: the version read,
        or for a translation, the version of the source it translates."""
        if self.content_topic_id == self.topic_id:
            return self.content_version
        translation = self.content_topic
        if self.content_version == translation.content_version:
            return translation.source_version
        # The translation has changed since: the version it followed then, as kept.
        pack = content_at(translation, self.content_version)
        return pack["translation"]["source_version"] if pack else translation.source_version

    def get_absolute_url(self):
        return reverse("staff:sheet", kwargs={"token": self.token})

    @property
    def is_finished(self):
        return self.finished_at is not None

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()


class Answer(models.Model):
    """One answer to one item, with a copy of what the patient saw when answering.

    The copy (prompt, display, message, sheet note) keeps the sheet true to the content version
    the patient used, even if an editor changes the topic later.
    """

    class Outcome(models.TextChoices):
        NONE = "", "—"
        CORRECT = "correct", _("Correct")
        WRONG = "wrong", _("Wrong")
        UNSURE = "unsure", _("Not sure")
        EMERGENCY = "emergency", _("Emergency sign")
        FLAG = "flag", _("Red flag")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="answers")
    stage = models.CharField(max_length=20, help_text="The journey stage, e.g. history.")
    key = models.CharField(max_length=80, help_text="The item's key within its stage.")
    order = models.PositiveSmallIntegerField(default=0)
    prompt = models.TextField(blank=True)
    value = models.TextField(blank=True)
    display = models.TextField(blank=True, help_text="The answer as the patient saw it.")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    message = models.TextField(blank=True, help_text="Tailored message or feedback shown.")
    message_option = models.CharField(max_length=60, blank=True)
    sheet_note = models.CharField(max_length=200, blank=True)
    sheet_label = models.CharField(max_length=60, blank=True)
    points_toward = models.JSONField(
        default=list, blank=True, help_text="Values: the keys of the options this points toward."
    )
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        # visit_id, not visit: ordering by the relation would join the visit table on every
        # answers query just to sort by the visit's own default ordering.
        ordering = ["visit_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "stage", "key"], name="decisionaid_answer_unique_item"
            ),
        ]

    def __str__(self):
        return f"{self.stage}:{self.key} = {self.display or self.value}"


class DailyTally(models.Model):
    """One de-identified count for clinic insights: how many visits of a topic, started on a day,
    had something (`metric`, e.g. "leaning", for `key`, e.g. an option's key).

    Counts only: never an answer as typed, a visit's code or token, or a time of day. Written in
    the same transaction as a visit's finish or purge (decisionaid.tallies), and kept after the
    visits are purged.
    """

    day = models.DateField(help_text="The day the visits started, in the clinic's time zone.")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    metric = models.CharField(max_length=40)
    key = models.CharField(max_length=80, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day", "metric", "key"]
        verbose_name_plural = "daily tallies"
        permissions = [("view_insights", "Can view clinic insights")]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "topic", "metric", "key"], name="decisionaid_dailytally_unique"
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.metric}:{self.key} = {self.count}"


API_KEY_PREFIX = "dak_"


def hash_api_key(key):
    """Keys are long and random, so one SHA-256 is enough; a slow password hash would only slow
    down every API call."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(is_active=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )


class ApiKey(models.Model):
    """A key for the read-only FHIR API. Only its hash is stored: the key is shown once."""

    name = models.CharField(
        max_length=100,
        unique=True,
        help_text='Who uses this key, e.g. "EHR integration". Every API call is logged with it.',
    )
    prefix = models.CharField(
        max_length=12, editable=False, help_text="The key's first characters, to tell keys apart."
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(default=True, help_text="Untick to revoke the key.")
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Optional. The key stops working at this time."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "API key"

    def __str__(self):
        return self.name

    def set_new_key(self):
        """Give this key a new secret; returns it. Save the key, and show the secret once."""
        key = API_KEY_PREFIX + secrets.token_urlsafe(32)
        self.prefix = key[: len(API_KEY_PREFIX) + 4]
        self.key_hash = hash_api_key(key)
        return key


class SheetAccess(models.Model):
    """Who read which discussion sheet, and how: a staff member's sheet page, PDF or FHIR file,
    or a call to the FHIR API with a key. Kept DECISIONAID_ACCESS_LOG_DAYS, then purged with the
    expired visits; the visit may be gone sooner, so its code is kept as text."""

    class Kind(models.TextChoices):
        SHEET = "sheet", _("Sheet page")
        PDF = "pdf", _("PDF")
        FHIR = "fhir", _("FHIR file")
        API = "api", _("FHIR API")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    visit_code = models.CharField(max_length=CODE_LENGTH)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    # Who, in words that outlive the account or key: a username, or "API key <name>".
    reader = models.CharField(max_length=160)

    class Meta:
        ordering = ["-at"]
        verbose_name = "sheet access"
        verbose_name_plural = "sheet access log"

    def __str__(self):
        return f"{self.reader} read {self.visit_code} ({self.kind}) at {self.at:%Y-%m-%d %H:%M}"
