"""Looking back at content: a topic's content at any version it has had, and the changes made
to it (who, when, what, with the previous values), from the content history."""

from topics import loader, models


def content_at(topic, version):
    """The topic's pack at content `version`, or None if that version was never kept.

    The current version is always there: if it was somehow not kept yet, it is kept now.
    """
    snapshot = models.ContentSnapshot.objects.filter(topic=topic, version=version).first()
    if snapshot:
        return snapshot.pack
    if version != topic.content_version:
        return None
    current, pack = loader.versioned_pack(topic)
    models.ContentSnapshot.objects.record(topic=topic, version=current, pack=pack)
    return pack if current == version else None
