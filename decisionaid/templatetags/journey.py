"""Template helpers for the journey pages."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def choice_input(choice):
    """The <input> of one radio button or checkbox: the same HTML as `{{ choice.tag }}`.

    `choice.tag` renders Django's widget templates (input.html and attrs.html) once per choice.
    A question page has up to 35 choices, and those renders were the largest part of its server
    time (bench/RESULTS.md). This follows the two templates exactly, in Python.
    """
    widget = choice.data
    value = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
    attrs = format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if v is True else format_html(' {}="{}"', name, str(v)),)
            for name, v in widget["attrs"].items()
            if v is not False
        ),
    )
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, attrs
    )
