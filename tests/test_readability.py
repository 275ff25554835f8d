"""Patient-facing text reads at grade 8 or lower (Flesch-Kincaid), block by block too."""

import pytest
import textstat

from topics import packs

PACK_GRADE_LIMIT = 8
BLOCK_GRADE_LIMIT = 10
BLOCK_MIN_WORDS = 30


def as_sentence(text):
    text = text.strip()
    return text if text[-1:] in ".?!" else text + "."


@pytest.mark.parametrize("path", packs.shipped_pack_paths(), ids=lambda p: p.name)
def test_the_whole_pack_reads_at_grade_8_or_lower(path):
    blocks = [as_sentence(text) for _, text in packs.patient_text_blocks(packs.read_pack(path))]
    grade = textstat.flesch_kincaid_grade(" ".join(blocks))
    assert grade <= PACK_GRADE_LIMIT, f"{path.name} reads at grade {grade:.1f}"


@pytest.mark.parametrize("path", packs.shipped_pack_paths(), ids=lambda p: p.name)
def test_every_long_block_reads_at_grade_10_or_lower(path):
    too_hard = []
    for where, text in packs.patient_text_blocks(packs.read_pack(path)):
        if len(text.split()) >= BLOCK_MIN_WORDS:
            grade = textstat.flesch_kincaid_grade(text)
            if grade > BLOCK_GRADE_LIMIT:
                too_hard.append(f"{path.name}: {where} reads at grade {grade:.1f}")
    assert not too_hard, "\n".join(too_hard)


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
