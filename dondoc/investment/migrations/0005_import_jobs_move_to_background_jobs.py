"""Import jobs become background jobs of the one job mechanism (``dondoc.jobs``, ADR 0011): rows are copied with
their kind prefixed ("plans" → "investment.plans"), the batch kept in the result, then the old table is dropped."""

from django.db import migrations


def copy_jobs(apps, schema_editor):
    Old = apps.get_model("investment", "ImportJob")
    Job = apps.get_model("jobs", "Job")
    db = schema_editor.connection.alias  # the database being migrated (copydb migrates another than "default")
    for old in Old.objects.using(db).order_by("id"):
        result = dict(old.result or {})
        if old.batch_id and "batch" not in result:
            result["batch"] = old.batch_id
        job = Job.objects.using(db).create(kind=f"investment.{old.kind}", file=old.file, file_name=old.file_name,
                                 size=old.size, options=old.options, dry_run=old.dry_run, state=old.state,
                                 result=result or None, error=old.error, created_by_id=old.created_by_id,
                                 started_at=old.started_at, finished_at=old.finished_at)
        Job.objects.using(db).filter(pk=job.pk).update(created_at=old.created_at)  # auto_now_add ignores a given value


class Migration(migrations.Migration):

    dependencies = [
        ("investment", "0004_import_batch_staging"),
        ("jobs", "0001_job"),
    ]

    operations = [
        migrations.RunPython(copy_jobs, migrations.RunPython.noop),
        migrations.DeleteModel(name="ImportJob"),
    ]
