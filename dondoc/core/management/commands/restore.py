"""dondoc restore PATH --yes — put a backup set back into the configured database and media (core/backup.py).

Checks come first and change nothing: every file against the manifest's SHA-256, the engine (a set restores only
into the engine it came from; `dondoc copydb` moves data between engines), the migrations (a set made by a newer
dondoc is refused). Without --yes it stops there, saying what would be overwritten. Exit 0 done, 1 refused or
failed, 2 wrong usage (no --yes included).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dondoc.core import backup


class Command(BaseCommand):
    help = "Restore a backup set made by `dondoc backup` into the configured database and the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="the backup set (a directory written by `dondoc backup`)")
        parser.add_argument("--yes", action="store_true", help="really overwrite the database and the files")

    def handle(self, *args, **options):
        path = Path(options["path"]).expanduser().absolute()
        try:
            backup_set = backup.load(path)
            backup.check_restorable(backup_set)
        except backup.BackupError as exc:
            raise CommandError(f"restore: {exc}", returncode=1) from exc
        target = backup.describe_target(backup_set)
        if not options["yes"]:
            raise CommandError(f"restore: this would overwrite {target}. The set is intact. Stop the web server "
                               "and the worker, then run again with --yes.", returncode=2)
        try:
            backup.restore(backup_set)
        except backup.BackupError as exc:
            raise CommandError(f"restore: {exc}", returncode=1) from exc
        self.stdout.write(f"Restored {target}.")
        missing = backup.pending_migrations()
        if missing:
            self.stdout.write(f"The set predates {len(missing)} migration(s) of this version: run `dondoc migrate`.")
