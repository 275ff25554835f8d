"""An answer's stage and key become two fields instead of one "<stage>:<key>" string."""

from django.db import migrations, models


def split_items(apps, schema_editor):
    Answer = apps.get_model("decisionaid", "Answer")
    for answer in Answer.objects.only("item").iterator():
        answer.key = answer.item.split(":", 1)[-1]
        answer.save(update_fields=["key"])


def join_items(apps, schema_editor):
    Answer = apps.get_model("decisionaid", "Answer")
    for answer in Answer.objects.only("stage", "key").iterator():
        answer.item = f"{answer.stage}:{answer.key}"
        answer.save(update_fields=["item"])


class Migration(migrations.Migration):
    dependencies = [
        ("decisionaid", "0002_answer_ordering_by_visit_id"),
    ]

    # In this order, so that it also runs backwards: the old constraint needs the items filled.
    operations = [
        migrations.RemoveConstraint(
            model_name="answer",
            name="decisionaid_answer_unique_item",
        ),
        migrations.AddField(
            model_name="answer",
            name="key",
            field=models.CharField(
                default="", help_text="The item's key within its stage.", max_length=80
            ),
            preserve_default=False,
        ),
        migrations.RunPython(split_items, join_items),
        migrations.RemoveField(
            model_name="answer",
            name="item",
        ),
        migrations.AlterField(
            model_name="answer",
            name="stage",
            field=models.CharField(help_text="The journey stage, e.g. history.", max_length=20),
        ),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.UniqueConstraint(
                fields=("visit", "stage", "key"), name="decisionaid_answer_unique_item"
            ),
        ),
        migrations.AlterModelOptions(
            name="visit",
            options={
                "ordering": ["-started_at"],
                "permissions": [("read_sheet", "Can read discussion sheets")],
            },
        ),
    ]
