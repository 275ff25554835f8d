import django.db.models.deletion
from django.db import migrations, models


def read_their_topic(apps, schema_editor):
    """Every visit so far was read in its topic's own language."""
    Visit = apps.get_model("decisionaid", "Visit")
    Visit.objects.update(content_topic=models.F("topic"))


class Migration(migrations.Migration):
    dependencies = [
        ("decisionaid", "0007_insights_and_content_history_permissions"),
        ("topics", "0005_translations"),
    ]

    operations = [
        migrations.AddField(
            model_name="visit",
            name="language",
            field=models.CharField(
                default="en", help_text="The language the patient chose.", max_length=8
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="content_topic",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="topics.topic",
            ),
        ),
        migrations.RunPython(read_their_topic, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="visit",
            name="content_topic",
            field=models.ForeignKey(
                help_text="The topic's content the patient read: the topic, or its translation.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="topics.topic",
            ),
        ),
    ]
