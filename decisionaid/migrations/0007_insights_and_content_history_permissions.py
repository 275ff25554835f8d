"""Permissions for the clinic insights and the content history.

- "clinician" and "content editor" may view clinic insights (decisionaid.view_insights);
- "content editor" keeps every permission of the topics app, including those of the models
  added since 0004: the content history of each content model and the content snapshots.

As in 0004 (whose helpers this uses), the permissions are created here, since Django only
creates them after `migrate` finishes.
"""

import importlib

from django.db import migrations

staff_groups = importlib.import_module("decisionaid.migrations.0004_staff_groups")

INSIGHT_READERS = ("clinician", staff_groups.CONTENT_EDITOR)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    view_insights = staff_groups.permission(
        apps,
        apps.get_model("decisionaid", "DailyTally"),
        "view_insights",
        "Can view clinic insights",
    )
    for name in INSIGHT_READERS:
        Group.objects.get_or_create(name=name)[0].permissions.add(view_insights)
    editor, _ = Group.objects.get_or_create(name=staff_groups.CONTENT_EDITOR)
    for model in apps.get_app_config("topics").get_models():
        for action in staff_groups.ACTIONS:
            name = f"Can {action} {model._meta.verbose_name_raw}"
            editor.permissions.add(
                staff_groups.permission(apps, model, f"{action}_{model._meta.model_name}", name)
            )


def revoke(apps, schema_editor):
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="decisionaid", codename="view_insights"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("decisionaid", "0006_daily_tallies_and_api_keys"),
        ("topics", "0003_content_history_and_snapshots"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
