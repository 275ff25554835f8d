"""The journey's own rendering shortcuts give exactly the HTML Django would."""

from pathlib import Path

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.forms import MultipleChoiceField
from django.template import Context, Template
from django.test.testcases import assert_and_parse_html

from decisionaid.forms import HistoryForm, LeaningForm, QuestionsForm
from decisionaid.stages import ANSWERED_STAGES
from decisionaid.templatetags.journey import choice_field, scale_field, text_area
from topics.templatetags.evidence import icon_array

REFERENCE = Path(__file__).parent / "reference"

# The markup the tags replaced: an include per question and Django's own widget template per
# choice. The tags must give the same HTML, attribute order and whitespace aside. (The old
# include left a space before aria-describedby's first id when a question had no help text.)
REFERENCE_CHOICE_FIELD = Template((REFERENCE / "choice_field.html").read_text())
REFERENCE_SCALE_FIELD = Template((REFERENCE / "scale_field.html").read_text())


def _forms(form_class, topic, content):
    """The stage's form unbound, with saved answers, and bound with a mix of good and bad data."""
    first_choices, two_ticked = {}, {}
    for name, field in form_class(topic=topic, content=content).fields.items():
        choices = list(getattr(field, "choices", []))
        if choices:
            first_choices[name] = choices[0][0]
        if isinstance(field, MultipleChoiceField):
            two_ticked[name] = [choices[0][0], choices[-1][0]]
    some = dict(list(first_choices.items())[::2])
    return [
        form_class(topic=topic, content=content),
        form_class(topic=topic, content=content, initial=first_choices),
        form_class(topic=topic, content=content, initial={**first_choices, **two_ticked}),
        form_class({"own": "x" * 501}, topic=topic, content=content),
        form_class({**some, "own": "<b>hi</b>"}, topic=topic, content=content),
        form_class({**some, "flags": ["none", "nonsense"]}, topic=topic, content=content),
    ]


@pytest.mark.parametrize("stage", [s for s in ANSWERED_STAGES if s.slug != "learn"])
def test_each_question_renders_as_the_template_it_replaced(stage, shipped_topic):
    content = stage.form_class.content(shipped_topic)
    checked = 0
    for form in _forms(stage.form_class, shipped_topic, content):
        for field in form:
            if getattr(field.field.widget, "input_type", "") not in ("radio", "checkbox"):
                continue
            if hasattr(field.field, "low_label"):
                tag, reference = scale_field, REFERENCE_SCALE_FIELD
            else:
                tag, reference = choice_field, REFERENCE_CHOICE_FIELD
            assertHTMLEqual(tag(field), reference.render(Context({"field": field})))
            checked += 1
    assert checked >= 2


@pytest.mark.parametrize(
    "data, initial",
    [
        (None, {}),
        (None, {"own": 'Is it <b>"safe"</b>?'}),
        ({"own": "x" * 501}, {}),
        ({"own": "ok"}, {}),
    ],
)
def test_the_text_box_renders_as_crispy_forms_did(shipped_topic, data, initial):
    content = QuestionsForm.content(shipped_topic)
    form = QuestionsForm(data, topic=shipped_topic, content=content, initial=initial)
    assertHTMLEqual(text_area(form["own"]), as_crispy_field(form["own"]))


def test_a_radio_question_checks_one_answer_even_if_two_choices_share_a_key(shipped_topic):
    # Packs and the admin refuse an option keyed "not-sure"; a row from before that rule
    # must still not show two answers chosen.
    content = LeaningForm.content(shipped_topic)
    content["options"][0].key = "not-sure"
    form = LeaningForm(topic=shipped_topic, content=content, initial={"choice": "not-sure"})
    html = choice_field(form["choice"])
    assert html.count(" checked") == 1
    assertHTMLEqual(html, REFERENCE_CHOICE_FIELD.render(Context({"field": form["choice"]})))


def test_a_question_shows_the_saved_answer_checked_and_escapes_its_text(shipped_topic):
    content = HistoryForm.content(shipped_topic)
    question = content["questions"][0]
    question.text = 'Is <script>alert("x")</script> fine?'
    saved = question.choices.all()[1]
    form = HistoryForm(topic=shipped_topic, content=content, initial={question.key: saved.key})
    html = choice_field(form[question.key])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert html.count(" checked") == 1
    saved_input = f'value="{saved.key}" class="form-check-input" id="id_{question.key}_1"'
    assert f"{saved_input} required checked>" in html


def test_an_icon_array_fills_as_many_figures_as_its_count_every_time():
    for _ in range(2):  # the second drawing comes from the cache
        html = icon_array(7, 100, "people treated")
        assert html.count('class="icon icon-affected"') == 7
        assert html.count('class="icon icon-other"') == 93
        assert "<strong>7 of 100</strong> people treated" in html
    assert icon_array(8, 100, "people", "comparator").count("icon-comparator") == 8


def assertHTMLEqual(html, reference):
    """The same elements, attributes and text (as Django's assertHTMLEqual compares them)."""
    mine = assert_and_parse_html(None, html, None, "Tag output is not valid HTML:")
    theirs = assert_and_parse_html(None, reference, None, "Reference is not valid HTML:")
    assert mine == theirs, f"{html}\n!=\n{reference}"
