"""The staff side: roles."""

import importlib

from django.apps import apps
from django.contrib.auth.models import Group, Permission

# --- roles ---


def test_the_role_groups_exist_with_their_permissions(db):
    topics_perms = set(Permission.objects.filter(content_type__app_label="topics"))
    editor = Group.objects.get(name="content editor")
    assert set(editor.permissions.all()) == topics_perms
    codenames = {p.codename for p in topics_perms}
    for action in ("add", "change", "delete", "view"):
        assert f"{action}_topic" in codenames
        assert f"{action}_evidence" in codenames
    assert Group.objects.filter(name__in=["clinician", "front desk"]).count() == 2


def test_the_group_migration_can_run_again_without_changing_anything(db):
    migration = importlib.import_module("decisionaid.migrations.0002_staff_groups")
    before = {g.name: set(g.permissions.all()) for g in Group.objects.all()}
    migration.create_groups(apps, None)
    migration.create_groups(apps, None)
    assert {g.name: set(g.permissions.all()) for g in Group.objects.all()} == before
    assert apps.get_app_config("topics").models_module is not None
