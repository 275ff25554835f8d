"""The options comparison, rendered once per content version.

The comparison (each option's sections, the numbers with their icon arrays, what we don't know,
and the sources) is the same for every patient, and rendering it was most of the Learn page's
server time. So its HTML is built once per process and content version, in the topic-content
cache, which any content change misses. Only an option's title and the messages tailored to one
patient are rendered per request, around the cached parts.
"""

from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from topics.cache import cached_content
from topics.models import OPTIONS_PREFETCH


@dataclass(frozen=True)
class OptionParts:
    option: object
    details: SafeString  # the sections after "What it involves": life, benefits, harms, practical


@dataclass(frozen=True)
class Comparison:
    options: list
    numbers: SafeString  # "The numbers" and "What we don't know"
    references: SafeString
    citations: list


def options_comparison(topic):
    """The topic's rendered comparison, from the cache while its content is unchanged."""
    return cached_content(topic, "options_comparison", _render)


def _render(topic):
    prefetch_related_objects([topic], *OPTIONS_PREFETCH)
    options = list(topic.options.all())
    citations = topic.cited_sources()
    return Comparison(
        options=[
            OptionParts(o, render_to_string("includes/option_details.html", {"option": o}))
            for o in options
        ],
        numbers=render_to_string(
            "includes/options_numbers.html",
            {"options": options, "disagreements": list(topic.disagreements.all())},
        ),
        references=render_to_string("includes/references.html", {"citations": citations}),
        citations=citations,
    )
