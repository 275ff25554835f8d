import json

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from topics.models import Topic


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="a-long-test-password", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="topics"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:topics_topic_changelist",
        "admin:topics_option_changelist",
        "admin:topics_historyquestion_changelist",
        "admin:topics_citation_changelist",
    ],
)
def test_the_admin_lists_open_for_an_editor(editor_client, shipped_topic, url_name):
    response = editor_client.get(reverse(url_name))
    assert response.status_code == 200


def test_the_topic_list_shows_review_dates(editor_client, shipped_topic):
    text = editor_client.get(reverse("admin:topics_topic_changelist")).text
    assert "Prolotherapy for chronic low back pain" in text
    assert "Next review due" in text


def test_the_topic_and_option_edit_pages_open(editor_client, shipped_topic):
    topic_page = editor_client.get(reverse("admin:topics_topic_change", args=[shipped_topic.pk]))
    option = shipped_topic.options.get(key="exercise-or-manipulation")
    option_page = editor_client.get(reverse("admin:topics_option_change", args=[option.pk]))
    assert topic_page.status_code == option_page.status_code == 200
    assert "Update policy" in topic_page.text
    assert "points less on average" in option_page.text  # its numbers, to edit


def test_an_admin_edit_changes_the_content_version(editor_client, shipped_topic):
    option = shipped_topic.options.get(key="wait-and-review")
    url = reverse("admin:topics_option_change", args=[option.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(topic=shipped_topic.pk, title="Carry on as now, and review later")
    data.update(_management_forms(editor_client.get(url)))
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    topic = Topic.objects.get(pk=shipped_topic.pk)
    assert topic.options.get(key="wait-and-review").title == "Carry on as now, and review later"
    assert topic.content_version != shipped_topic.content_version
    assert topic.edited_since_load


def test_deleting_an_option_in_the_admin_takes_it_off_the_cached_pages(
    editor_client, shipped_topic
):
    overview = reverse("topics:overview", args=[shipped_topic.slug])
    assert 'id="option-prolo-alone"' in editor_client.get(overview).text  # now cached
    option = shipped_topic.options.get(key="prolo-alone")
    url = reverse("admin:topics_option_delete", args=[option.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    topic = Topic.objects.get(pk=shipped_topic.pk)
    assert topic.content_version != shipped_topic.content_version
    assert topic.edited_since_load
    assert 'id="option-prolo-alone"' not in editor_client.get(overview).text


def test_deleting_options_from_the_list_takes_them_off_the_cached_pages(
    editor_client, shipped_topic
):
    overview = reverse("topics:overview", args=[shipped_topic.slug])
    assert 'id="option-prolo-alone"' in editor_client.get(overview).text
    option = shipped_topic.options.get(key="prolo-alone")
    response = editor_client.post(
        reverse("admin:topics_option_changelist"),
        {"action": "delete_selected", "_selected_action": [option.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert Topic.objects.get(pk=shipped_topic.pk).content_version != shipped_topic.content_version
    assert 'id="option-prolo-alone"' not in editor_client.get(overview).text


def test_moving_an_option_to_another_topic_refreshes_both(editor_client, make_topic):
    first = make_topic()
    second = make_topic(slug="second-topic", title="Second topic")
    option = first.options.get(key="treat")
    url = reverse("admin:topics_option_change", args=[option.pk])
    response = editor_client.get(url)
    data = {k: v for k, v in response.context["adminform"].form.initial.items() if v is not None}
    data.update(_management_forms(response), topic=second.pk, key="moved-treat", order=9)
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    for before in (first, second):
        after = Topic.objects.get(pk=before.pk)
        assert after.content_version != before.content_version
        assert after.updated_at > before.updated_at


def test_a_topic_missing_required_content_cannot_be_published(editor_client, make_topic):
    topic = make_topic()
    option = topic.options.get(key="wait")
    option.evidence.filter(kind="harm").delete()
    url = reverse("admin:topics_topic_change", args=[topic.pk])
    response = editor_client.get(url)
    data = {k: v for k, v in response.context["adminform"].form.initial.items() if v is not None}
    data.update(_management_forms(response), status="published")
    response = editor_client.post(url, data, follow=True)
    assert "saved as a draft, because it is missing required content" in response.text
    assert "options[1].harms: is required" in response.text
    assert Topic.objects.get(pk=topic.pk).status == "draft"


def test_the_admin_needs_a_staff_login(client, db):
    response = client.get(reverse("admin:topics_topic_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def _management_forms(response):
    """The inline formsets' current rows, as the browser would post them back."""
    data = {}
    for formset in response.context["inline_admin_formsets"]:
        fs = formset.formset
        data[f"{fs.prefix}-TOTAL_FORMS"] = fs.total_form_count()
        data[f"{fs.prefix}-INITIAL_FORMS"] = fs.initial_form_count()
        for i, form in enumerate(fs.forms):
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                if isinstance(value, list):
                    value = [getattr(v, "pk", v) for v in value]
                if name == "numbers" and value is not None:
                    value = json.dumps(value)
                if value is None or value is False:
                    continue
                data[f"{fs.prefix}-{i}-{name}"] = value
    return data
