from django.db import migrations, models


def mark_default_spreadable_stages(apps, schema_editor):
    # Existing processes seeded from the default get the same flag new ones are seeded with.
    Stage = apps.get_model("workflow", "Stage")
    Stage.objects.filter(key__in=("spread", "implemented")).update(is_spreadable=True)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="stage",
            name="is_spreadable",
            field=models.BooleanField(
                default=False,
                help_text="Ideas in this stage are shown as reusable solutions in the solution catalogue.",
                verbose_name="offered to other municipalities",
            ),
        ),
        migrations.RunPython(mark_default_spreadable_stages, migrations.RunPython.noop),
    ]
