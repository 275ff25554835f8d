"""Template helpers for the journey pages: the questions, rendered in Python.

A question page has up to 35 radio buttons or checkboxes. Rendering each through Django's widget
templates, or through an include per question, was most of the page's server time (see
bench/RESULTS.md). These tags build the same markup directly. Django still decides every
option's value, label, id, `checked`, `required` and `aria-invalid` (through the widget's own
`options()`), so only the string building is ours. tests/test_journey_rendering.py checks the
result against the template markup these tags replaced.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _esc(value):
    """Autoescape as a template would: safe strings pass through, everything else is escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def _attrs(attrs):
    """HTML attributes as Django's attrs.html writes them: True alone, False left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_esc(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _options(field):
    """(input HTML, input id, label) for each choice of a radio or checkbox field."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({"id": field.auto_id} if field.auto_id else {})
    for option in widget.options(field.html_name, widget.format_value(field.value()), attrs):
        value = "" if option["value"] is None else f' value="{_esc(option["value"])}"'
        input_html = (
            f'<input type="{option["type"]}" name="{_esc(option["name"])}"{value}'
            f"{_attrs(option['attrs'])}>"
        )
        yield input_html, _esc(option["attrs"].get("id", "")), _esc(option["label"])


def _errors(field):
    return " ".join(_esc(e) for e in field.errors)


@register.simple_tag
def choice_field(field):
    """One question with radio buttons or checkboxes, as a fieldset with its legend, help and
    error, each linked to the fieldset for screen readers."""
    auto_id = _esc(field.auto_id)
    described = []
    help_html = error_html = ""
    if field.help_text:
        described.append(f"{auto_id}_help")
        help_html = f'<p class="form-text mt-0" id="{auto_id}_help">{_esc(field.help_text)}</p>'
    if field.errors:
        described.append(f"{auto_id}_error")
        error_html = (
            f'<p class="error-message" id="{auto_id}_error">'
            f'<span class="visually-hidden">Error:</span> {_errors(field)}</p>'
        )
    describedby = f' aria-describedby="{" ".join(described)}"' if described else ""
    choices = "".join(
        f'<div class="form-check">{input_html}'
        f'<label class="form-check-label" for="{input_id}">{label}</label></div>'
        for input_html, input_id, label in _options(field)
    )
    return mark_safe(
        f'<div class="question mb-4{" has-error" if field.errors else ""}" id="div_{auto_id}">'
        f"<fieldset{describedby}><legend>{_esc(field.label)}</legend>"
        f"{help_html}{error_html}{choices}</fieldset></div>"
    )


@register.simple_tag
def scale_field(field):
    """One "1 to 5" question: the choices in a row, with what 1 and 5 mean above them."""
    auto_id = _esc(field.auto_id)
    invalid = describedby = error_html = ""
    if field.errors:
        invalid = " is-invalid"
        describedby = f' aria-describedby="{auto_id}_error"'
        error_html = (
            f'<p class="invalid-feedback d-block" id="{auto_id}_error">{_errors(field)}</p>'
        )
    choices = "".join(
        f'<div class="scale-choice">{input_html}<label for="{input_id}">{label}</label></div>'
        for input_html, input_id, label in _options(field)
    )
    return mark_safe(
        f'<fieldset class="scale mb-4{invalid}" id="div_{auto_id}"{describedby}>'
        f'<legend class="scale-question">{_esc(field.label)}</legend>{error_html}'
        '<div class="scale-ends" aria-hidden="true">'
        f"<span>1 = {_esc(field.field.low_label)}</span>"
        f"<span>5 = {_esc(field.field.high_label)}</span></div>"
        f'<div class="scale-choices">{choices}</div></fieldset>'
    )
