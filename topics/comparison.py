"""The options comparison as HTML: each option's details (with its numbers), what we don't
know, and the sources. The Learn stage caches it by content version; the topic overview renders it
as it is."""

from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string

from topics.models import OPTIONS_PREFETCH


def render_comparison(topic):
    """{"details": {option key: HTML}, "unknowns": HTML, "references": HTML} for a topic."""
    prefetch_related_objects([topic], *OPTIONS_PREFETCH)
    options = list(topic.options.all())
    disagreements = list(topic.disagreements.all())
    return {
        "details": {
            o.key: render_to_string("includes/option_details.html", {"option": o}) for o in options
        },
        "unknowns": render_to_string("includes/unknowns.html", {"disagreements": disagreements}),
        "references": render_to_string(
            "includes/references.html", {"citations": topic.cited_sources()}
        ),
    }
