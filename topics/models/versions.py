"""Each content version a topic has had, as it was: the normalised pack it hashes."""

from django.db import models

from topics.models.content import Topic


class ContentSnapshotQuerySet(models.QuerySet):
    def record(self, *, topic, version, pack):
        """Keep `pack` as content `version` of `topic`, unless that version is kept already."""
        snapshot, _ = self.get_or_create(topic=topic, version=version, defaults={"pack": pack})
        return snapshot


class ContentSnapshot(models.Model):
    """A topic's content at one content version, recorded when the version first appears.

    A visit stores the content version it used, so its sheet (and its FHIR Questionnaire) can
    always be traced to the exact content the patient saw, even after later edits.
    """

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="snapshots")
    version = models.CharField(max_length=16)
    pack = models.JSONField(help_text="The topic's content pack at this version.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContentSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "-created_at"]
        get_latest_by = "created_at"
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "version"], name="topics_contentsnapshot_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.topic} · content version {self.version}"
