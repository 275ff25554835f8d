import io

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.migrations.recorder import MigrationRecorder

from tests.conftest import SHIPPED_SLUG, make_pack
from topics import loader, numbers, pack_schema, packs
from topics.models import DoctorQuestion, Evidence, Option, RedFlag, Topic
from topics.schema_doc import schema_markdown


def errors_for(pack):
    with pytest.raises(packs.PackError) as exc:
        packs.validate_pack(pack, filename="bad.yaml")
    return exc.value.errors


def without(pack, *path):
    """Delete pack[path...] and return the pack."""
    target = pack
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    return pack


def write_pack(tmp_path, pack, name=None):
    path = tmp_path / f"{name or pack['slug']}.yaml"
    path.write_text(yaml.safe_dump(pack, sort_keys=False), encoding="utf-8")
    return path


# --- validation: every IPDAS element, each with the message an editor sees ---


@pytest.mark.parametrize(
    "field, why",
    [
        ("condition", "IPDAS: the health condition"),
        ("decision", "IPDAS: the decision, stated explicitly"),
        ("published", "IPDAS: the publication date"),
        ("next_review_due", "IPDAS: when the content is next reviewed"),
        ("update_policy", "IPDAS: the update policy"),
        ("funding", "IPDAS: the funding source"),
        ("uncertainty", "IPDAS: the uncertainty around the numbers"),
    ],
)
def test_a_pack_missing_a_required_topic_element_is_refused(field, why):
    assert errors_for(without(make_pack(), field)) == [f"bad.yaml: {field}: is required ({why})"]


def test_a_pack_needs_at_least_two_options():
    pack = make_pack()
    pack["options"] = pack["options"][1:]
    assert "bad.yaml: options: needs at least 2, has 1 (IPDAS: at least two options)" in errors_for(
        pack
    )


def test_a_pack_needs_the_wait_option():
    pack = make_pack()
    pack["options"][1]["is_wait"] = False
    assert errors_for(pack) == [
        "bad.yaml: options: exactly one option must have is_wait: true (keep on with current "
        "care, wait and review); found 0"
    ]


def test_every_option_needs_a_benefit():
    pack = make_pack()
    pack["options"][1]["benefits"] = []
    assert errors_for(pack) == [
        "bad.yaml: options[1].benefits: is required (IPDAS: the option's benefits)"
    ]


def test_every_option_needs_a_harm():
    pack = without(make_pack(), "options", 0, "harms")
    assert errors_for(pack) == [
        "bad.yaml: options[0].harms: is required (IPDAS: the option's harms)"
    ]


def test_every_evidence_statement_needs_a_citation():
    pack = make_pack()
    pack["options"][1]["harms"][0]["citations"] = []
    assert errors_for(pack) == [
        "bad.yaml: options[1].harms[0].citations: is required "
        "(every evidence statement cites a source)"
    ]


def test_a_cited_key_must_be_defined():
    pack = make_pack()
    pack["options"][0]["benefits"][0]["citations"] = ["nobody1999"]
    assert errors_for(pack) == [
        "bad.yaml: options[0].benefits[0].citations[0]: citation 'nobody1999' is not defined "
        "in citations"
    ]


@pytest.mark.parametrize(
    "items, key, meaning",
    [
        ("options", "not-sure", '"I\'m not sure yet"'),
        ("red_flags", "none", '"None of these"'),
        ("doctor_questions", "own", "the patient's own questions"),
    ],
)
def test_a_key_the_journey_uses_for_its_own_answer_is_refused(items, key, meaning, db):
    pack = make_pack()
    if not pack[items]:
        pack[items] = [{"key": "something", "text": "Something to check."}]
    last = len(pack[items]) - 1
    pack[items][last]["key"] = key
    assert (
        f"bad.yaml: {items}[{last}].key: {key!r} is kept for the app's own {meaning} answer"
        in errors_for(pack)
    )
    model = {"options": Option, "red_flags": RedFlag, "doctor_questions": DoctorQuestion}[items]
    with pytest.raises(ValidationError) as exc:  # the admin's forms run the same check
        model(key=key).clean()
    assert "is kept for the app's own" in exc.value.message_dict["key"][0]


def test_numbers_must_share_one_denominator():
    pack = make_pack()
    pack["options"][1]["harms"][0]["numbers"] = {
        **pack["options"][0]["benefits"][0]["numbers"],
        "comparator_numerator": None,
        "denominator": 1000,
        "numerator": 5,
    }
    assert errors_for(pack) == [
        "bad.yaml: options: every number must use the same denominator (IPDAS); found 100, 1000"
    ]


def test_numbers_must_name_their_population():
    pack = make_pack()
    del pack["options"][0]["benefits"][0]["numbers"]["population"]
    assert errors_for(pack) == [
        "bad.yaml: options[0].benefits[0].numbers.population: is required "
        "(IPDAS: the group the numbers come from)"
    ]


def test_an_unknown_certainty_is_refused():
    pack = make_pack()
    pack["options"][0]["harms"][0]["certainty"] = "pretty sure"
    assert errors_for(pack) == [
        "bad.yaml: options[0].harms[0].certainty: 'pretty sure' must be one of: "
        "high, moderate, low, very_low, conflicting"
    ]


def test_a_misspelt_field_is_reported_not_ignored():
    pack = make_pack(uncertanity="typo")
    assert errors_for(pack)[0].startswith("bad.yaml: (top level): unknown field 'uncertanity'")


def test_a_tailoring_message_must_point_at_a_real_option():
    pack = make_pack()
    pack["history_questions"][0]["choices"][1]["tailoring_option"] = "surgery"
    assert errors_for(pack) == [
        "bad.yaml: history_questions[0].choices[1].tailoring_option: 'surgery' is not one of "
        "the options' keys"
    ]


def test_every_error_is_reported_at_once():
    pack = without(without(make_pack(), "funding"), "condition")
    assert len(errors_for(pack)) == 2


def test_a_broken_yaml_file_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("slug: [unclosed", encoding="utf-8")
    with pytest.raises(packs.PackError) as exc:
        packs.read_pack(path)
    assert exc.value.errors[0].startswith("broken.yaml: not valid YAML")


def test_the_slug_must_match_the_file_name(tmp_path):
    path = write_pack(tmp_path, make_pack(), name="other-name")
    with pytest.raises(packs.PackError) as exc:
        packs.read_pack(path)
    assert exc.value.errors == [
        "other-name.yaml: slug: 'test-topic' must match the file name 'other-name'"
    ]


# --- loading ---


def test_a_loaded_pack_exports_back_to_the_same_content(make_topic):
    topic = make_topic()
    normalized = packs.validate_pack(make_pack())
    assert packs.validate_pack(loader.export_topic(topic)) == normalized
    assert topic.content_version == packs.content_version(normalized)


def test_loading_the_same_pack_twice_changes_nothing(db, tmp_path):
    path = write_pack(tmp_path, make_pack())
    first = loader.load_pack_file(path)
    option_ids = list(Option.objects.filter(topic__slug="test-topic").values_list("pk", flat=True))
    second = loader.load_pack_file(path)
    assert (first.action, second.action) == ("created", "unchanged")
    assert first.version == second.version
    assert (
        list(Option.objects.filter(topic__slug="test-topic").values_list("pk", flat=True))
        == option_ids
    )


def test_a_changed_pack_updates_the_topic_and_its_version(db, tmp_path):
    loader.load_pack_file(write_pack(tmp_path, make_pack()))
    old = Topic.objects.get(slug="test-topic").content_version
    result = loader.load_pack_file(write_pack(tmp_path, make_pack(title="A new title")))
    topic = Topic.objects.get(slug="test-topic")
    assert result.action == "updated"
    assert topic.title == "A new title"
    assert topic.content_version != old
    assert Topic.objects.filter(slug="test-topic").count() == 1


def test_load_topics_reports_what_it_did(db, tmp_path):
    path = write_pack(tmp_path, make_pack())
    out = io.StringIO()
    call_command("load_topics", str(path), stdout=out)
    assert "test-topic: created (content version" in out.getvalue()


def test_load_topics_check_validates_without_writing(db, tmp_path):
    out = io.StringIO()
    call_command("load_topics", str(write_pack(tmp_path, make_pack())), "--check", stdout=out)
    assert "test-topic: checked" in out.getvalue()
    assert not Topic.objects.filter(slug="test-topic").exists()


def test_load_topics_fails_with_every_error_and_writes_nothing(db, tmp_path):
    path = write_pack(tmp_path, without(make_pack(), "funding"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("load_topics", str(path), stderr=err)
    assert "test-topic.yaml: funding: is required (IPDAS: the funding source)" in err.getvalue()
    assert not Topic.objects.filter(slug="test-topic").exists()


def test_an_editors_change_is_not_overwritten_by_a_reload(db, tmp_path):
    path = write_pack(tmp_path, make_pack())
    loader.load_pack_file(path)
    topic = Topic.objects.get(slug="test-topic")
    topic.title = "Edited by the clinical lead"
    topic.save()
    loader.refresh_content_version(topic)

    result = loader.load_pack_file(path)

    assert result.action == "skipped"
    assert Topic.objects.get(slug="test-topic").title == "Edited by the clinical lead"
    assert loader.load_pack_file(path, force=True).action == "updated"
    assert Topic.objects.get(slug="test-topic").title == "Test topic"


def test_migrate_loads_the_shipped_pack_without_overwriting_edits(shipped_topic):
    shipped_topic.title = "Edited title"
    shipped_topic.save()
    loader.refresh_content_version(shipped_topic)
    call_command("migrate", verbosity=0)
    assert Topic.objects.get(slug=SHIPPED_SLUG, language="en").title == "Edited title"


# --- the shipped prolotherapy pack ---


def test_the_shipped_pack_is_valid():
    for path in packs.shipped_pack_paths():
        packs.read_pack(path)


def test_a_fresh_database_has_the_shipped_topic_with_its_four_options(shipped_topic):
    assert shipped_topic.is_published
    options = list(shipped_topic.options.all())
    assert [o.key for o in options] == [
        "prolo-plus-exercise",
        "prolo-alone",
        "exercise-or-manipulation",
        "wait-and-review",
    ]
    assert [o.is_wait for o in options] == [False, False, False, True]
    assert shipped_topic.content_version == packs.content_version(
        packs.read_pack(packs.CONTENT_DIR / f"{SHIPPED_SLUG}.yaml")
    )


def test_the_shipped_pack_contains_the_seed_facts(shipped_topic):
    """Every point of the source article (EVIDENCE.md section 1) is in the topic."""
    text = " ".join(
        value for _, value in packs.patient_text_blocks(loader.export_topic(shipped_topic))
    )
    for fact in [
        "normal, healthy tissue",
        "three types",
        "inflammatory prolotherapy",
        "dextrose",
        "close to where it joins the bone",
        "inflammation",
        "More blood then flows",
        "4 to 6 sessions, with about 2 weeks between them",
        "shots on their own did no better than comparison shots",
        "along with spinal manipulation, exercise and other care did better",
        "The Society does not recommend them",
        "most serious risk",
        "no agreed rules",
    ]:
        assert fact in text, fact
    assert {c.key for c in shipped_topic.citations.all()} == {
        "dagenais2007",
        "chou2009",
        "chou2009review",
        "schnirring2000",
        "yelland2004",
        "dagenais2006",
        "nice2016",
        "niceqs155",
        "acp2017",
        "hayden2021",
        "verville2023",
        "niemeijer2020",
        "rubinstein2019",
        "costa2012",
        "cadth2014",
        "giordano2021",
        "hauser2016",
        "nhs-backpain",
    }
    assert shipped_topic.red_flags.count() == 8
    assert 4 <= shipped_topic.knowledge.count() <= 5
    assert shipped_topic.doctor_questions.count() >= 5


def test_the_not_significant_yelland_result_is_under_what_we_dont_know_not_a_benefit(
    shipped_topic,
):
    yelland = shipped_topic.disagreements.get(numbers__isnull=False)
    assert {c.key for c in yelland.citations.all()} == {"yelland2004", "costa2012"}
    n = yelland.numbers
    assert (n["numerator"], n["comparator_numerator"], n["denominator"]) == (46, 36, 100)
    assert "could be down to chance" in yelland.text
    for evidence in Evidence.objects.filter(option__topic=shipped_topic, kind="benefit"):
        assert evidence.numbers is None or evidence.numbers["kind"] == "scale"
        assert "46" not in evidence.text


def test_the_editors_schema_reference_is_written_from_the_declaration():
    committed = (packs.CONTENT_DIR / "SCHEMA.md").read_text(encoding="utf-8")
    assert committed == schema_markdown(), "run: python manage.py pack_schema"
    # Every field of every part of a pack is described there.
    for model in (
        pack_schema.Pack,
        pack_schema.Option,
        pack_schema.FrequencyNumbers,
        pack_schema.ScaleNumbers,
    ):
        for name, field in model.model_fields.items():
            assert f"| `{name}` |" in committed and field.description in committed


# --- content rules for equal, honest detail ---


def test_a_numbers_block_is_people_or_points_never_both():
    pack = make_pack()
    numbers = pack["options"][0]["benefits"][0]["numbers"]
    numbers["points"] = [{"value": 15, "label": "points less"}]
    assert errors_for(pack) == [
        "bad.yaml: options[0].benefits[0].numbers: unknown field 'points'; allowed: kind, "
        "time_frame, numerator, denominator, label, outcome, comparator_numerator, "
        "comparator_label, population"
    ]
    numbers["kind"] = "picture"
    assert errors_for(pack) == [
        "bad.yaml: options[0].benefits[0].numbers: 'picture' must be one of: frequency, scale"
    ]


def test_points_on_a_scale_stay_between_0_and_100_and_inside_their_range():
    pack = make_pack()
    pack["options"][0]["benefits"][0]["numbers"] = {
        "kind": "scale",
        "measure": "average pain on a scale from 0 to 100",
        "points": [{"value": 120, "label": "at the start"}, {"value": 5, "label": "later"}],
        "marker": 15,
        "population": "A group.",
    }
    assert errors_for(pack) == [
        "bad.yaml: options[0].benefits[0].numbers.points[0].value: 120 is too large"
    ]
    pack["options"][0]["benefits"][0]["numbers"]["points"][0] = {
        "value": 12,
        "label": "at the start",
        "low": 14,
        "high": 18,
    }
    assert errors_for(pack) == [
        "bad.yaml: options[0].benefits[0].numbers.points[0]: its value must lie between low "
        "and high",
        "bad.yaml: options[0].benefits[0].numbers.marker_label: is required with a marker",
    ]


def test_an_option_without_numbers_must_say_why():
    pack = make_pack()
    del pack["options"][1]["no_numbers_reason"]
    assert errors_for(pack) == [
        "bad.yaml: options[1]: 'wait' shows no number: give one of its statements numbers, or "
        "say why there are none in no_numbers_reason (IPDAS)"
    ]


def test_benefits_and_harms_are_described_in_equal_detail():
    pack = make_pack()
    pack["options"][1]["harms"][0]["text"] = (
        "Pain may stay, and you may need to try something else."
    )
    assert errors_for(pack) == [
        "bad.yaml: options[1]: 'wait' is out of balance: its benefits have 3 words and its "
        "harms and risks 11; keep them within a factor of 2 (IPDAS: equal detail)"
    ]


def test_a_red_flag_says_which_kind_of_help_it_needs():
    pack = make_pack()
    del pack["red_flags"][0]["tier"]
    assert errors_for(pack) == [
        "bad.yaml: red_flags[0].tier: is required (which kind of help the sign needs)"
    ]


def test_history_questions_of_each_kind_are_checked():
    pack = make_pack()
    question = pack["history_questions"][0]
    pack["history_questions"] += [
        {"key": "pain-now", "kind": "scale", "text": "How bad?", "sheet_label": "Pain now"},
        {"key": "goal", "kind": "text", "text": "What for?", "sheet_label": "Goal"},
        {**question, "key": "again", "choices": question["choices"][:1]},
    ]
    pack["history_questions"][2]["choices"] = question["choices"]
    assert errors_for(pack) == [
        "bad.yaml: history_questions[1].low_label: is required for a scale question",
        "bad.yaml: history_questions[1].high_label: is required for a scale question",
        "bad.yaml: history_questions[2].choices: a text question has no answers to choose",
        "bad.yaml: history_questions[3].choices: a choice question needs at least 2 answers",
    ]


def test_the_questions_of_one_screen_are_listed_together():
    pack = make_pack()
    question = pack["history_questions"][0]
    pack["history_questions"] = [
        {**question, "key": "a", "screen": "First"},
        {**question, "key": "b", "screen": "Second"},
        {**question, "key": "c", "screen": "First"},
    ]
    assert errors_for(pack) == [
        "bad.yaml: history_questions[2].screen: 'First': keep the questions of one screen together"
    ]


def test_a_value_points_toward_real_options():
    pack = make_pack()
    pack["values"][0]["points_toward"] = ["wait", "surgery"]
    assert errors_for(pack) == [
        "bad.yaml: values[0].points_toward[1]: 'surgery' is not one of the options' keys"
    ]


def test_every_sentence_built_from_the_shipped_numbers_reads_as_a_whole_sentence(shipped_topic):
    blocks = [
        e.numbers for e in Evidence.objects.filter(option__topic=shipped_topic) if e.numbers
    ] + [d.numbers for d in shipped_topic.disagreements.all() if d.numbers]
    sentences = [numbers.sentence(block) for block in blocks]
    assert len(sentences) == 5
    for text, block in zip(sentences, blocks, strict=True):
        assert text[0].isupper() and text.endswith("."), text
        assert "  " not in text and " ," not in text and ".." not in text, text
        values = (
            [block["numerator"], block["denominator"]]
            if block["kind"] == "frequency"
            else [p["value"] for p in block["points"]]
        )
        for value in values:
            assert str(value) in text, text
    assert sentences == [
        "How much less pain people had with exercise, on a scale from 0 to 100: 15 points less "
        "on average, after about 3 months (likely between 12 and 18). The smallest change "
        "that matters to patients: 15 points.",
        "How much less pain people had with exercise, on a scale from 0 to 100: 15 points less "
        "on average, after about 3 months (likely between 12 and 18). The smallest change "
        "that matters to patients: 15 points.",
        "How much better daily activities were with exercise, on a scale from 0 to 100: 7 "
        "points better on average, after about 3 months (likely between 5 and 8). The "
        "smallest change that matters to patients: 10 points.",
        "Average pain out of 100, for people whose back pain had lasted a while: 51 at the "
        "start, 33 after 6 weeks, 26 after 6 months, and 23 after 1 year.",
        "After 12 months, 46 of every 100 people given prolotherapy shots had their pain cut by "
        "more than half, compared with 36 of every 100 people given comparison shots.",
    ]


def test_numbers_typed_in_the_admin_are_checked_against_the_pack_declaration(shipped_topic):
    evidence = Evidence.objects.filter(option__topic=shipped_topic).first()
    evidence.numbers = {"kind": "frequency", "numerator": "many"}
    with pytest.raises(ValidationError) as exc:
        evidence.full_clean()
    messages = exc.value.message_dict["numbers"]
    assert "numerator: 'many' must be a whole number, 0 or more" in messages
    assert "population: is required (IPDAS: the group the numbers come from)" in messages


def test_the_shipped_pack_exports_back_to_the_same_content(shipped_topic):
    loaded = packs.read_pack(packs.CONTENT_DIR / f"{SHIPPED_SLUG}.yaml")
    assert packs.validate_pack(loader.export_topic(shipped_topic)) == loaded
    assert not shipped_topic.edited_since_load


def test_migrate_loads_the_shipped_packs_but_not_into_a_database_short_of_its_last_migration(db):
    Topic.objects.filter(slug=SHIPPED_SLUG).delete()
    # As after undoing the last topics migration (the squashed one stands for the old files).
    latest = MigrationRecorder.Migration.objects.get(app="topics", name="0005_translations")
    latest.delete()
    loader.load_shipped_packs_after_migrate(sender=None)
    assert not Topic.objects.filter(slug=SHIPPED_SLUG).exists()
    latest.save()
    loader.load_shipped_packs_after_migrate(sender=None)
    assert Topic.objects.get(slug=SHIPPED_SLUG, translation_of=None).is_published
