"""A per-process cache of topic content for the patient pages.

Content is read on every patient page but changes only when an editor or a pack changes it,
and every such change gives the topic a new content version. The key carries the version (and
the row's `updated_at`), so a changed topic misses the cache: no page can show stale content.
"""

_cache = {}
MAX_ENTRIES = 128


def cached_content(topic, name, build):
    """Return build(topic), reusing the result while the topic's content is unchanged."""
    key = (topic.pk, topic.content_version, topic.updated_at, name)
    try:
        return _cache[key]
    except KeyError:
        pass
    if len(_cache) >= MAX_ENTRIES:
        _cache.clear()
    value = _cache[key] = build(topic)
    return value
