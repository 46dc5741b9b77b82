"""Fill the monthly disbursement sums from the payments stored so far (``summary.rebuild`` on the raw rows)."""

from django.db import migrations


def fill(apps, schema_editor):
    from dondoc.investment import summary

    if schema_editor.connection.alias != "default":  # the summary module reads the default connection
        return
    summary.rebuild()


class Migration(migrations.Migration):

    dependencies = [("investment", "0006_disbursement_indexes_and_months")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
