"""A translation pack matches its source: same options, items, keys, citations and numbers. Every
mismatch is named; an out-of-date translation loads, but patients get the source language."""

import copy

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import SHIPPED_SLUG
from topics import loader, packs, translations
from topics.models import Topic

ENGLISH = packs.CONTENT_DIR / f"{SHIPPED_SLUG}.yaml"
SPANISH = packs.CONTENT_DIR / f"{SHIPPED_SLUG}.es.yaml"


def problems(change):
    """The parity problems after `change` edits a copy of the shipped Spanish pack."""
    spanish = copy.deepcopy(packs.read_pack(SPANISH))
    change(spanish)
    return dict(translations.check_parity(packs.read_pack(ENGLISH), spanish))


def test_the_shipped_spanish_pack_matches_its_source_and_is_current():
    english, spanish = packs.read_pack(ENGLISH), packs.read_pack(SPANISH)
    assert list(translations.check_parity(english, spanish)) == []
    assert spanish["translation"]["source_version"] == packs.content_version(english), (
        "The English pack changed: update the Spanish pack, then its source_version"
    )


@pytest.mark.parametrize(
    "change, where, says",
    [
        (
            lambda p: p["options"][0]["benefits"][0]["numbers"].update(points=[]),
            "options[0].benefits[0].numbers.points",
            "has 0 entries; the source has 1",
        ),
        (
            lambda p: p["options"][1]["harms"][0].update(certainty="high"),
            "options[1].harms[0].certainty",
            "is 'high'; the source has 'low'",
        ),
        (
            lambda p: p["history_questions"][0]["choices"].pop(),
            "history_questions[0].choices",
            "has 2 entries; the source has 3",
        ),
        (
            lambda p: p["knowledge"][0].update(key="another-key"),
            "knowledge[0].key",
            "is 'another-key'",
        ),
        (
            lambda p: p["citations"][0].update(title="Un título traducido"),
            "citations[0].title",
            "only words may differ",
        ),
        (
            lambda p: p["options"][0]["benefits"][0].update(text=""),
            "options[0].benefits[0].text",
            "is empty here but not in the source",
        ),
        (
            lambda p: p["history_questions"][5].update(screen="Otra pantalla"),
            "history_questions",
            "groups its questions into screens differently",
        ),
    ],
)
def test_every_mismatch_is_named(change, where, says):
    found = problems(change)
    assert where in found, found
    assert says in found[where]


def test_translated_words_and_a_citations_short_name_may_differ():
    def words(pack):
        pack["options"][0]["title"] = "Otro título"
        pack["citations"][0]["short"] = "Otro nombre corto"
        pack["history_questions"][0]["sheet_label"] = "Otra etiqueta"

    assert problems(words) == {}


def test_a_translation_file_must_say_it_is_one(tmp_path):
    data = yaml.safe_load(SPANISH.read_text(encoding="utf-8"))
    del data["translation"]
    path = tmp_path / f"{SHIPPED_SLUG}.es.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(packs.PackError, match="needs a translation block"):
        packs.read_pack(path)


def test_a_translation_without_its_source_beside_it_is_refused(tmp_path):
    path = tmp_path / f"{SHIPPED_SLUG}.es.yaml"
    path.write_text(SPANISH.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(packs.PackError, match="no source pack"):
        loader.load_pack_file(path, check=True)


def test_load_topics_names_a_mismatch_and_loads_nothing_from_that_file(tmp_path, shipped_topic):
    data = yaml.safe_load(SPANISH.read_text(encoding="utf-8"))
    data["options"][0]["benefits"][0]["numbers"]["points"][0]["value"] = 99
    (tmp_path / ENGLISH.name).write_text(ENGLISH.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / SPANISH.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_topics", str(path))
    spanish = Topic.objects.get(slug=SHIPPED_SLUG, language="es")
    assert spanish.content_version == packs.content_version(packs.read_pack(SPANISH))


def test_an_out_of_date_translation_loads_but_patients_get_the_source(tmp_path, shipped_topic):
    data = yaml.safe_load(SPANISH.read_text(encoding="utf-8"))
    data["translation"]["source_version"] = "0123456789ab"
    (tmp_path / ENGLISH.name).write_text(ENGLISH.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / SPANISH.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = loader.load_pack_file(path)
    assert "out of date" in result.detail and "0123456789ab" in result.detail
    spanish = Topic.objects.get(slug=SHIPPED_SLUG, language="es")
    assert not spanish.is_current_translation
    assert shipped_topic.translation_for("es") is None


def test_an_edit_to_the_source_in_the_admin_puts_its_translation_out_of_date(shipped_topic):
    shipped_topic.options.filter(key="wait-and-review").update(title="Carry on and check later")
    loader.refresh_content_version(shipped_topic)
    assert Topic.objects.get(pk=shipped_topic.pk).translation_for("es") is None


def test_the_admin_shows_each_topics_translations_and_whether_they_are_current(
    admin_client, shipped_topic, settings
):
    changelist = f"/{settings.ADMIN_PATH}topics/topic/"
    assert "es: current" in admin_client.get(changelist).text
    spanish = shipped_topic.translations.get()
    page = admin_client.get(f"{changelist}{spanish.pk}/change/").text
    assert "Translation of Prolotherapy for chronic low back pain: current with it" in page
    assert "qualified medical translator" in page
