"""Content history: who changed which content in the admin, when, with the previous values;
loader runs recorded with their pack file; and each content version kept, as it was, for the
sheet's footer to link to."""

import io
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import make_pack
from tests.test_admin import _management_forms
from tests.test_packs import write_pack
from topics import loader, packs
from topics.models import ContentSnapshot, Evidence, Option, Topic


def text(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def editor(make_staff):
    """A content editor (named user0) who also reads sheets, as a clinical lead would."""
    staff = make_staff("content editor", is_staff=True)
    User.objects.get(username="user0").groups.add(Group.objects.get(name="clinician"))
    return staff


def history_url(topic):
    return reverse("admin:topics_topic_content_history", args=[topic.pk])


def version_url(topic, version):
    return reverse("admin:topics_topic_version", args=[topic.pk, version])


def change_harm(staff, option, new_text):
    """Change an option's first harm in the admin, as an editor would in the browser."""
    url = reverse("admin:topics_option_change", args=[option.pk])
    page = staff.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and v is not False}
    data.update(_management_forms(page))
    harm = option.evidence.filter(kind=Evidence.Kind.HARM).order_by("order").first()
    prefix = next(
        key.rsplit("-", 1)[0]
        for key, value in data.items()
        if key.endswith("-id") and value == harm.pk
    )
    data[f"{prefix}-text"] = new_text
    response = staff.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return harm


def test_an_editor_changes_an_options_harm_and_sees_it_with_their_name_in_the_history(
    editor, shipped_topic
):
    option = shipped_topic.options.get(key="prolo-alone")
    harm = change_harm(editor, option, "Shots can hurt for a day or two.")
    assert Evidence.objects.get(pk=harm.pk).text == "Shots can hurt for a day or two."
    option_page = editor.get(reverse("admin:topics_option_change", args=[option.pk])).content
    assert history_url(shipped_topic).encode() in option_page
    page = text(editor.get(history_url(shipped_topic)))
    newest = page.split("Changes, newest first", 1)[1]
    assert re.search(r"When Who What Change \d+ \w+ \d{4}, [\d:]+ user0 Evidence statement", newest)
    old_text = " ".join(harm.text.split())
    assert f"Text: was “{old_text}”, now “Shots can hurt for a day or two.”" in newest


def test_an_options_own_history_shows_who_changed_which_field(editor, shipped_topic):
    option = shipped_topic.options.get(key="wait-and-review")
    url = reverse("admin:topics_option_change", args=[option.pk])
    page = editor.get(url)
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(_management_forms(page), title="Carry on as now, and review later")
    assert editor.post(url, data).status_code == 302
    history = text(editor.get(reverse("admin:topics_option_history", args=[option.pk])))
    assert "user0" in history
    assert f"{option.title} → Carry on as now, and review later" in history
    assert "Revert" not in history  # reverting would skip the content-version refresh


def test_a_load_topics_run_is_recorded_with_the_pack_file_named(editor, db, tmp_path):
    path = write_pack(tmp_path, make_pack())
    call_command("load_topics", str(path), stdout=io.StringIO())
    topic = Topic.objects.get(slug="test-topic")
    reasons = set(topic.history.values_list("history_change_reason", flat=True))
    assert reasons == {"Loaded from the content pack test-topic.yaml"}
    changed = make_pack(title="Test topic, revised")
    call_command("load_topics", str(write_pack(tmp_path, changed)), stdout=io.StringIO())
    record = topic.history.latest()
    assert record.title == "Test topic, revised"
    assert record.history_change_reason == "Loaded from the content pack test-topic.yaml"
    # The loader replaces the content: its deleted and new rows are in the history too.
    evidence = Evidence.history.filter(
        option_id__in=Option.history.filter(topic_id=topic.pk).values("id")
    )
    deleted = evidence.filter(history_type="-")
    assert evidence.filter(history_type="+").count() == 2 * 4
    assert deleted.count() == 4
    assert deleted.first().history_change_reason == "Loaded from the content pack test-topic.yaml"
    page = text(editor.get(history_url(topic)))
    assert "Loaded from the content pack test-topic.yaml" in page
    assert "content rows added, changed or deleted" in page


def test_each_content_version_is_kept_as_it_was(editor, shipped_topic):
    first = shipped_topic.content_version
    option = shipped_topic.options.get(key="prolo-alone")
    harm = change_harm(editor, option, "Shots can hurt for a day or two.")
    old_text = " ".join(harm.text.split())
    topic = Topic.objects.get(pk=shipped_topic.pk)
    assert topic.content_version != first
    kept = {s.version: s.pack for s in ContentSnapshot.objects.filter(topic=topic)}
    assert set(kept) == {first, topic.content_version}
    for version, pack in kept.items():
        assert packs.content_version(pack) == version  # the snapshot is what the hash names
    old = text(editor.get(version_url(topic, first)))
    new = text(editor.get(version_url(topic, topic.content_version)))
    assert old_text in old and "Shots can hurt for a day or two." not in old
    assert "Shots can hurt for a day or two." in new and "(this is the current version)" in new
    assert editor.get(version_url(topic, "0123456789ab")).status_code == 404
    history = editor.get(history_url(topic)).content.decode()
    assert f'href="{version_url(topic, first)}"' in history


def test_the_sheet_footer_links_its_version_for_editors_who_read_sheets(visits, editor, make_staff):
    visit = visits.finish()
    link = f'href="{version_url(visit.topic, visit.content_version)}"'
    assert link in editor.get(visit.get_absolute_url()).content.decode()
    clinician = make_staff("clinician")
    assert link not in clinician.get(visit.get_absolute_url()).content.decode()
    assert visit.content_version in text(clinician.get(visit.get_absolute_url()))


def test_the_version_page_needs_the_snapshot_permission(make_staff, shipped_topic):
    url = version_url(shipped_topic, shipped_topic.content_version)
    assert make_staff(None, is_staff=True).get(url).status_code == 403
    assert make_staff("clinician").get(url).status_code == 302  # not staff: to the admin login


def test_topics_loaded_before_snapshots_get_one_for_their_current_version(shipped_topic):
    ContentSnapshot.objects.all().delete()
    loader.snapshot_current_versions()
    (snapshot,) = ContentSnapshot.objects.filter(topic=shipped_topic)
    assert snapshot.version == shipped_topic.content_version
    assert snapshot.pack["slug"] == shipped_topic.slug


@pytest.mark.parametrize("tail", ["NaN/", "' OR 1=1 --/", "\u0f64*TV/", "99999999999999999999/"])
def test_a_history_address_that_is_not_a_number_is_not_found_not_a_server_error(
    editor, shipped_topic, tail
):
    citation = shipped_topic.citations.first()
    history = reverse("admin:topics_citation_history", args=[citation.pk])
    record = citation.history.first().history_id
    assert editor.get(f"{history}{record}/").status_code == 200
    assert editor.get(f"{history}{tail}").status_code == 404
    garbage = history.replace(f"/{citation.pk}/", f"/{tail.rstrip('/')}/")
    assert editor.get(garbage).status_code in (302, 404)  # the admin's own "no such object"
