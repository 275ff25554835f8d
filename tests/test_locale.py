"""The Spanish interface: every string in locale/es/LC_MESSAGES/django.po is translated, and the
committed django.mo says the same. (.ci/run also checks that the .po holds every string in the
code: it runs makemessages and fails on any difference.)"""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"
ENTRY_LINE = re.compile(r"(msgid_plural|msgid|msgstr(?:\[\d+\])?|msgctxt) (\".*\")$")


def po_entries(text):
    """(msgid, msgid_plural, [msgstr...], flags) for each entry of a .po file, header excluded."""
    entries = []
    for block in re.split(r"\n\s*\n", text):
        fields, flags, current = {}, set(), None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := re.match(
                r"(msgid_plural|msgid|msgstr(?:\[\d+\])?|msgctxt) (\".*\")$", line
            ):
                current = match.group(1)
                fields[current] = _unquote(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += _unquote(line)
        if fields.get("msgid"):
            strings = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries.append((fields["msgid"], fields.get("msgid_plural"), strings, flags))
    return entries


def _unquote(quoted):
    return quoted[1:-1].encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


@pytest.fixture(scope="module")
def entries():
    return po_entries(PO.read_text(encoding="utf-8"))


def test_there_are_spanish_interface_strings(entries):
    assert len(entries) > 200
    ids = {msgid for msgid, *_rest in entries}
    assert "Check your answers" in ids and "Read this page aloud" in ids


def test_every_string_is_translated_and_none_is_fuzzy(entries):
    untranslated = [msgid for msgid, _plural, strings, _flags in entries if not all(strings)]
    fuzzy = [msgid for msgid, _plural, _strings, flags in entries if "fuzzy" in flags]
    assert untranslated == [], f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert fuzzy == [], f"{len(fuzzy)} marked fuzzy, e.g. {fuzzy[:5]}"


def test_placeholders_survive_translation(entries):
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}|%[sd]")
    broken = [
        msgid
        for msgid, _plural, strings, _flags in entries
        if any(
            sorted(placeholder.findall(s)) != sorted(placeholder.findall(msgid)) for s in strings
        )
        and "python-format" in _flags
    ]
    assert broken == []


def test_the_compiled_mo_says_what_the_po_says(entries):
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for msgid, plural, strings, _flags in entries:
        if plural is None:
            if catalog.gettext(msgid) != strings[0]:
                stale.append(msgid)
        elif [catalog.ngettext(msgid, plural, n) for n in (1, 2)] != strings[:2]:
            stale.append(msgid)
    assert stale == [], f"django.mo is older than django.po: run compilemessages ({stale[:3]})"
