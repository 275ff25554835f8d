"""The staff roles as groups. Idempotent: running it again adds nothing new.

- "clinician" and "front desk" read discussion sheets (decisionaid.staff checks membership);
- "content editor" edits topics in the admin: every add/change/delete/view permission of the
  topics app. Editors also need "Staff status" ticked on their account to open the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SHEET_READERS = ("clinician", "front desk")
CONTENT_EDITOR = "content editor"


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally created after all migrations have run; create the topics app's
    # now so that a fresh database gets a complete content editor group.
    topics = apps.get_app_config("topics")
    models_module = getattr(topics, "models_module", None)
    topics.models_module = models_module or True  # historical app configs have none
    try:
        create_permissions(topics, apps=apps, verbosity=0)
    finally:
        topics.models_module = models_module

    for name in SHEET_READERS:
        Group.objects.get_or_create(name=name)
    editor, _ = Group.objects.get_or_create(name=CONTENT_EDITOR)
    editor.permissions.add(*Permission.objects.filter(content_type__app_label="topics"))


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[*SHEET_READERS, CONTENT_EDITOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("decisionaid", "0001_initial"),
        ("topics", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
