"""Template helpers for the journey pages: the questions, rendered in Python.

A question page has up to 35 radio buttons or checkboxes. Rendering each through Django's widget
templates, through an include per question, or (for the one text box) through crispy-forms was
most of the page's server time (see bench/RESULTS.md). These tags build the same markup
directly. Django still decides every option's value, label, id, `checked`, `required` and
`aria-invalid`, and every text box attribute (through the widget's own `options()` and
`build_attrs()`), so only the string building is ours. tests/test_journey_rendering.py checks
the result against the markup these tags replaced.
"""

from html import escape

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.forms import Textarea
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
    """(input HTML, input id, label) for each choice of a radio or checkbox field.

    As Django's `ChoiceWidget.optgroups()` and `create_option()` make them for flat choices
    (every stage form's are): the field's attributes on every input, in Django's order, with
    the choice's index on the id, and `checked` on the saved answers (for radio buttons, on
    the first that matches only).
    """
    widget = field.field.widget
    auto_id = field.auto_id
    attrs = widget.build_attrs(
        widget.attrs, field.build_widget_attrs({"id": auto_id} if auto_id else {})
    )
    names = list(attrs)
    split = names.index("id") if "id" in attrs else len(names)
    before = _attrs({name: attrs[name] for name in names[:split]})
    after = _attrs({name: attrs[name] for name in names[split + 1 :]})
    opening = f'<input type="{widget.input_type}" name="{_esc(field.html_name)}"'
    selected = widget.format_value(field.value())
    one_only = not widget.allow_multiple_selected
    for index, (value, label) in enumerate(widget.choices):
        checked = str(value) in selected
        if checked and one_only:  # a radio question checks its first match only, as Django's
            selected = ()
        input_id = _esc(f"{auto_id}_{index}") if auto_id else ""
        id_attr = f' id="{input_id}"' if auto_id else ""
        yield (
            f'{opening} value="{_esc(value)}"{before}{id_attr}{after}'
            f"{' checked' if checked else ''}>",
            input_id,
            _esc(label),
        )


def _errors(field):
    return " ".join(_esc(e) for e in field.errors)


@register.simple_tag
def form_fields(fields):
    """Each field of a stage form: choices as fieldsets, a text area as a labelled box, and any
    other widget through crispy-forms."""
    return mark_safe("".join(_field(field) for field in fields))


def _field(field):
    widget = field.field.widget
    if getattr(widget, "input_type", None) in ("radio", "checkbox"):
        return choice_field(field)
    if isinstance(widget, Textarea):
        return text_area(field)
    return as_crispy_field(field)


@register.simple_tag
def text_area(field):
    """A labelled text area with its help and error, as crispy-forms' Bootstrap 5 pack draws it."""
    widget = field.field.widget
    auto_id = _esc(field.auto_id)
    classes = "textarea form-control is-invalid" if field.errors else "textarea form-control"
    # Django adds aria-invalid, and aria-describedby naming the help and the error below.
    attrs = field.build_widget_attrs(widget.build_attrs(widget.attrs, {"id": field.auto_id}))
    attrs["class"] = f"{attrs['class']} {classes}" if attrs.get("class") else classes
    value = widget.format_value(field.value()) or ""
    error_html = help_html = ""
    if field.errors:
        error_html = (
            f'<div id="{auto_id}_error" class="invalid-feedback">'
            + "".join(
                f'<p id="error_{i}_{auto_id}"><strong>{_esc(e)}</strong></p>'
                for i, e in enumerate(field.errors, start=1)
            )
            + "</div>"
        )
    if field.help_text:
        help_html = f'<div id="{auto_id}_helptext" class="form-text">{_esc(field.help_text)}</div>'
    return mark_safe(
        f'<div id="div_{auto_id}" class="mb-3">'
        f'<label for="{auto_id}" class="form-label">{_esc(field.label)}</label>'
        f'<textarea name="{_esc(field.html_name)}"{_attrs(attrs)}>\n{_esc(value)}</textarea>'
        f"{error_html}{help_html}</div>"
    )


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
