"""Translations of content packs: `<slug>.<language>.yaml` beside the English `<slug>.yaml`.

A translation has the same options, items, keys, citations and numbers as its source, in another
language: `check_parity` names every place where it does not. Only the words a person reads may
differ (and a citation's short name); a reference stays as published.
"""

from pathlib import Path

from topics import models, packs
from topics.pack_schema import PATIENT_FIELDS
from topics.packs import SOURCE_LANGUAGE

# Words that differ between languages, besides what a patient reads: the sheet's labels, a
# citation's short name, and who wrote and reviewed the content.
TRANSLATED = PATIENT_FIELDS | {"sheet_note", "sheet_label", "short", "authors", "reviewers"}
# The pack's own language and translation block, and its status (a translation may stay a
# draft while it is checked).
OWN = {"language", "translation", "status"}


def language_of(path):
    """The language of a pack file, from its name: en for <slug>.yaml, es for <slug>.es.yaml."""
    _, _, language = Path(path).name.removesuffix(".yaml").partition(".")
    return language or SOURCE_LANGUAGE


def source_path(path):
    """The source pack a translation's file translates."""
    path = Path(path)
    slug = path.name.removesuffix(".yaml").partition(".")[0]
    return path.with_name(f"{slug}.yaml")


def check_parity(source, translation):
    """(path, problem) for every difference between a translation and its source pack that is
    not a translated word. Both are normalised packs."""
    for name in sorted(set(source) | set(translation)):
        if name not in OWN:
            yield from _compare(source.get(name), translation.get(name), name, name)
    if _screens(source) != _screens(translation):
        yield "history_questions", "groups its questions into screens differently from the source"


def _compare(source, translation, path, field):
    if isinstance(source, dict) and isinstance(translation, dict):
        for name in sorted(set(source) | set(translation)):
            inside = _field_in(path, name)
            yield from _compare(source.get(name), translation.get(name), f"{path}.{name}", inside)
    elif isinstance(source, list) and isinstance(translation, list):
        if len(source) != len(translation):
            yield path, f"has {len(translation)} entries; the source has {len(source)}"
            return
        for i, (a, b) in enumerate(zip(source, translation, strict=True)):
            yield from _compare(a, b, f"{path}[{i}]", field)
    elif field in TRANSLATED and isinstance(source, str) and isinstance(translation, str):
        if bool(source.strip()) != bool(translation.strip()):
            side = "is empty" if source.strip() else "has text"
            yield path, f"{side} here but not in the source"
    elif source != translation:
        yield path, f"is {translation!r}; the source has {source!r} (only words may differ)"


def _field_in(path, name):
    """The field's name as TRANSLATED knows it. Inside a citation only the short name is
    translated: its authors and title are the reference as published."""
    if path.startswith("citations[") and name != "short":
        return f"citation {name}"
    return name


def _screens(pack):
    """Which history questions share a screen, by position: [0, 0, 0, 1, 1, 2, ...]."""
    names = []
    for question in pack.get("history_questions", []):
        if question.get("screen") not in names:
            names.append(question.get("screen"))
    return [names.index(q.get("screen")) for q in pack.get("history_questions", [])]


def check_against_source(path, pack):
    """Raise PackError naming every difference between a translation file and its source."""
    source = source_path(path)
    if not source.exists():
        raise packs.PackError([f"{path.name}: there is no source pack {source.name} beside it"])
    problems = list(check_parity(packs.read_pack(source), pack))
    if problems:
        raise packs.PackError(
            f"{path.name}: {where}: {problem} (translation of {source.name})"
            for where, problem in problems
        )


def staleness(pack):
    """Why a loaded translation is out of date with its source topic; empty when it is not."""
    source = models.Topic.objects.get(slug=pack["slug"], translation_of=None)
    translated = pack["translation"]["source_version"]
    if translated == source.content_version:
        return ""
    return (
        f"out of date: it translates version {translated} of the source, which is now "
        f"{source.content_version}; patients are offered the source language only"
    )
