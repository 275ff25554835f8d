"""What a topic asks the patient: warning signs, history questions with their tailoring, the
understanding check, values and suggested questions for the doctor."""

from django.db import models

from topics.history import ContentHistory
from topics.models.content import Citation, Option, Topic, reject_reserved_key


class TopicItem(models.Model):
    """Fields shared by the questionnaire items of a topic; each key is unique within its topic."""

    key = models.SlugField(max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    # Each item model gets its own history table.
    history = ContentHistory(inherit=True)

    class Meta:
        abstract = True
        ordering = ["topic", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "key"], name="%(app_label)s_%(class)s_key_unique"
            ),
        ]


class RedFlag(TopicItem):
    class Tier(models.TextChoices):
        EMERGENCY = "emergency", "Emergency: get help now"
        SOON = "soon", "See a doctor soon, before deciding"

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="red_flags")
    text = models.CharField(max_length=300)
    tier = models.CharField(max_length=10, choices=Tier.choices, default=Tier.SOON)

    def clean(self):
        reject_reserved_key(self.key, "red_flags")

    def __str__(self):
        return self.text


class HistoryQuestion(TopicItem):
    class Kind(models.TextChoices):
        CHOICE = "choice", "Choose one answer"
        SCALE = "scale", "A number from 0 to 10"
        TEXT = "text", "A few words"

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="history_questions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHOICE)
    screen = models.CharField(
        max_length=100,
        blank=True,
        help_text="Heading of the screen it is on; questions with the same heading share a "
        "screen. Empty: the topic's history heading.",
    )
    text = models.CharField(max_length=300)
    help = models.TextField(blank=True, help_text="Optional hint shown under the question.")
    sheet_label = models.CharField(
        max_length=60, help_text='Short label on the clinician\'s sheet, e.g. "Pain now".'
    )
    low_label = models.CharField(max_length=100, blank=True, help_text="Scale: what 0 means.")
    high_label = models.CharField(max_length=100, blank=True, help_text="Scale: what 10 means.")

    def __str__(self):
        return self.text


class HistoryChoice(models.Model):
    question = models.ForeignKey(HistoryQuestion, on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField(max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=200)
    tailoring = models.TextField(
        blank=True, help_text="Message shown to the patient on the Learn stage for this answer."
    )
    tailoring_option = models.ForeignKey(
        Option,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Show the message beside this option. Leave empty to show it at the top.",
    )
    sheet_note = models.CharField(
        max_length=200, blank=True, help_text="Short note for the clinician's sheet."
    )
    history = ContentHistory()

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "key"], name="topics_historychoice_key_unique"
            ),
        ]

    def __str__(self):
        return self.label


class KnowledgeStatement(TopicItem):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="knowledge")
    statement = models.TextField()
    answer = models.BooleanField(help_text="Ticked if the statement is true.")
    explanation = models.TextField(help_text="Feedback shown after the patient answers.")
    citations = models.ManyToManyField(Citation, related_name="knowledge", blank=True)

    def __str__(self):
        return self.statement[:80]


class ValueStatement(TopicItem):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="values")
    statement = models.TextField()
    low_label = models.CharField(max_length=100, help_text="Label for 1 on the scale.")
    high_label = models.CharField(max_length=100, help_text="Label for 5 on the scale.")
    sheet_label = models.CharField(
        max_length=60, help_text='Short label on the clinician\'s sheet, e.g. "avoiding needles".'
    )
    points_toward = models.ManyToManyField(
        Option,
        related_name="+",
        help_text="The options a patient who rates this highly may lean toward.",
    )

    def __str__(self):
        return self.statement[:80]


class DoctorQuestion(TopicItem):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="doctor_questions")
    text = models.CharField(max_length=300)

    def clean(self):
        reject_reserved_key(self.key, "doctor_questions")

    def __str__(self):
        return self.text
