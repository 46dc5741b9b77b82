# CalendarOverride now belongs to core (core 0002 takes it over); the table stays where it is.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_calendaroverride'),
        ('deadlines', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='CalendarOverride')],
        ),
    ]
