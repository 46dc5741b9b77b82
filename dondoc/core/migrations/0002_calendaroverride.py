# The working calendar's overrides move from deadlines to core (every feature counts days). Only Django's
# state changes: the table keeps its name (deadlines_calendaroverride), and the content type is relabelled
# so permissions and admin history follow the model.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def relabel(apps, schema_editor, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=new, model="calendaroverride").exists():
        types.filter(app_label=old, model="calendaroverride").update(app_label=new)


def forwards(apps, schema_editor):
    relabel(apps, schema_editor, "deadlines", "core")


def backwards(apps, schema_editor):
    relabel(apps, schema_editor, "core", "deadlines")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
        ('deadlines', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CalendarOverride',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(unique=True, verbose_name='date')),
                        ('kind', models.CharField(choices=[('override_off', 'day off'), ('override_workday', 'working day')], max_length=20, verbose_name='kind')),
                        ('name', models.CharField(max_length=255, verbose_name='name')),
                        ('reference', models.CharField(max_length=255, verbose_name='legal reference')),
                        ('entered_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='entered at')),
                        ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by')),
                    ],
                    options={
                        'verbose_name': 'calendar override',
                        'verbose_name_plural': 'calendar overrides',
                        'db_table': 'deadlines_calendaroverride',
                        'ordering': ['date'],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
