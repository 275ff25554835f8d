"""The journey's own rendering shortcuts give exactly the HTML Django would."""

import pytest

from decisionaid.stages import ANSWERED_STAGES
from decisionaid.templatetags.journey import choice_input
from topics.templatetags.evidence import icon_array


@pytest.mark.parametrize("stage", [s for s in ANSWERED_STAGES if s.slug != "learn"])
def test_each_radio_and_checkbox_renders_as_djangos_own_widget_would(stage, shipped_topic):
    form_class = stage.form_class
    content = form_class.content(shipped_topic)
    forms = [
        form_class(topic=shipped_topic, content=content),
        form_class({"own": "x" * 501}, topic=shipped_topic, content=content),  # with errors
    ]
    choices = [
        choice
        for form in forms
        for field in form
        if getattr(field.field.widget, "input_type", "") in ("radio", "checkbox")
        for choice in field.subwidgets
    ]
    assert choices
    for choice in choices:
        assert choice_input(choice) == choice.tag()


def test_an_icon_array_fills_as_many_figures_as_its_count_every_time():
    for _ in range(2):  # the second drawing comes from the cache
        html = icon_array(7, 100, "people treated")
        assert html.count('class="icon icon-affected"') == 7
        assert html.count('class="icon icon-other"') == 93
        assert "<strong>7 of 100</strong> people treated" in html
    assert icon_array(8, 100, "people", "comparator").count("icon-comparator") == 8
