"""The options comparison as HTML: each option's details (with its numbers), the sources of its
line at a glance, what we don't know, and the sources. The Learn stage caches it by content
version; the topic overview renders it as it is."""

from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string

from topics.models import OPTIONS_PREFETCH


def render_comparison(topic, level=3):
    """{"details": {option key: HTML}, "glance_sources": {option key: [short citation names]},
    "unknowns": HTML, "references": HTML} for a topic. `level` is the level of the headings
    inside an option and a disagreement: 2 where each has a page of its own, as in Learn."""
    prefetch_related_objects([topic], *OPTIONS_PREFETCH)
    options = list(topic.options.all())
    disagreements = list(topic.disagreements.all())
    return {
        "details": {
            o.key: render_to_string("includes/option_details.html", {"option": o, "level": level})
            for o in options
        },
        "glance_sources": {
            o.key: [str(topic.citation(k)) for k in o.at_a_glance.get("citations", [])]
            for o in options
        },
        "unknowns": render_to_string(
            "includes/unknowns.html", {"disagreements": disagreements, "level": level}
        ),
        "references": render_to_string(
            "includes/references.html", {"citations": topic.cited_sources()}
        ),
    }
