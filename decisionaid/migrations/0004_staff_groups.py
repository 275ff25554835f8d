"""The staff roles, as groups with their permissions.

- "clinician" and "front desk" read discussion sheets (decisionaid.read_sheet);
- "content editor" edits topics in the admin: every add, change, delete and view permission of
  the topics app. Editors also need "Staff status" on their account to open the admin.

Django creates model permissions only after `migrate` finishes, so the ones these groups need are
created here (the same codenames Django uses; it skips them later as existing).
"""

from django.db import migrations

SHEET_READERS = ("clinician", "front desk")
CONTENT_EDITOR = "content editor"
ACTIONS = ("add", "change", "delete", "view")


def permission(apps, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label=model._meta.app_label, model=model._meta.model_name
    )
    found, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return found


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    read_sheet = permission(
        apps, apps.get_model("decisionaid", "Visit"), "read_sheet", "Can read discussion sheets"
    )
    for name in SHEET_READERS:
        Group.objects.get_or_create(name=name)[0].permissions.add(read_sheet)
    editor, _ = Group.objects.get_or_create(name=CONTENT_EDITOR)
    for model in apps.get_app_config("topics").get_models():
        for action in ACTIONS:
            name = f"Can {action} {model._meta.verbose_name_raw}"
            editor.permissions.add(
                permission(apps, model, f"{action}_{model._meta.model_name}", name)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[*SHEET_READERS, CONTENT_EDITOR]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("topics", "0001_initial"),
        ("decisionaid", "0003_answer_stage_and_key"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
