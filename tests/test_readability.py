"""Patient-facing text reads at grade 8 or lower, block by block too: Flesch-Kincaid for
English; for Spanish, Fernández Huerta's ease score, where 60 and above is about grade 8."""

import pytest
import textstat

from topics import packs
from topics.translations import language_of

PACK_GRADE_LIMIT = 8
BLOCK_GRADE_LIMIT = 10
BLOCK_MIN_WORDS = 30
# Fernández Huerta: higher is easier. 60 to 70 reads at about grade 8 to 9 ("normal"); 50 at
# about grade 10, as the English block limit.
SPANISH_PACK_EASE = 60
SPANISH_BLOCK_EASE = 50
ENGLISH = [p for p in packs.shipped_pack_paths() if language_of(p) == "en"]
SPANISH = [p for p in packs.shipped_pack_paths() if language_of(p) == "es"]


@pytest.fixture
def spanish():
    textstat.set_lang("es")
    yield
    textstat.set_lang("en_US")


def as_sentence(text):
    text = text.strip()
    return text if text[-1:] in ".?!" else text + "."


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name)
def test_the_whole_pack_reads_at_grade_8_or_lower(path):
    blocks = [as_sentence(text) for _, text in packs.patient_text_blocks(packs.read_pack(path))]
    grade = textstat.flesch_kincaid_grade(" ".join(blocks))
    assert grade <= PACK_GRADE_LIMIT, f"{path.name} reads at grade {grade:.1f}"


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name)
def test_every_long_block_reads_at_grade_10_or_lower(path):
    too_hard = []
    for where, text in packs.patient_text_blocks(packs.read_pack(path)):
        if len(text.split()) >= BLOCK_MIN_WORDS:
            grade = textstat.flesch_kincaid_grade(text)
            if grade > BLOCK_GRADE_LIMIT:
                too_hard.append(f"{path.name}: {where} reads at grade {grade:.1f}")
    assert not too_hard, "\n".join(too_hard)


def test_there_is_a_spanish_pack_to_check():
    assert [p.name for p in SPANISH] == ["prolotherapy-low-back-pain.es.yaml"]


@pytest.mark.parametrize("path", SPANISH, ids=lambda p: p.name)
def test_the_whole_spanish_pack_reads_easily(path, spanish):
    blocks = [as_sentence(text) for _, text in packs.patient_text_blocks(packs.read_pack(path))]
    ease = textstat.fernandez_huerta(" ".join(blocks))
    assert ease >= SPANISH_PACK_EASE, f"{path.name} scores {ease:.1f} (Fernández Huerta)"


@pytest.mark.parametrize("path", SPANISH, ids=lambda p: p.name)
def test_every_long_spanish_block_reads_easily(path, spanish):
    too_hard = []
    for where, text in packs.patient_text_blocks(packs.read_pack(path)):
        if len(text.split()) >= BLOCK_MIN_WORDS:
            ease = textstat.fernandez_huerta(text)
            if ease < SPANISH_BLOCK_EASE:
                too_hard.append(f"{path.name}: {where} scores {ease:.1f} (Fernández Huerta)")
    assert not too_hard, "\n".join(too_hard)


def test_a_hard_spanish_block_fails_the_spanish_formula(spanish):
    hard = (
        "La terapia proliferativa intraligamentosa requiere una meticulosa localización "
        "anatómica, considerable experiencia profesional, asesoramiento periprocedimental "
        "exhaustivo y programas multidisciplinarios individualizados de rehabilitación, "
        "independientemente de la sustancial heterogeneidad metodológica."
    )
    assert textstat.fernandez_huerta(hard) < SPANISH_BLOCK_EASE


def test_a_hard_block_is_named_in_the_failure():
    pack = {
        "options": [
            {
                "involves": "Intraligamentous proliferative injection therapy necessitates "
                "meticulous anatomical localisation, considerable practitioner experience, "
                "comprehensive periprocedural counselling, and individualised multidisciplinary "
                "rehabilitation programmes, notwithstanding substantial methodological "
                "heterogeneity characterising the randomised controlled investigations "
                "evaluating effectiveness."
            }
        ]
    }
    blocks = dict(packs.patient_text_blocks(pack))
    assert list(blocks) == ["options[0].involves"]
    assert textstat.flesch_kincaid_grade(blocks["options[0].involves"]) > BLOCK_GRADE_LIMIT
