"""dondoc backup --out DIR [--keep N] — a backup set of the database and the uploaded files (core/backup.py).

Contract (checked from outside): the set's path is the LAST line of stdout; exit 0 done, 1 failed (nothing that
looks like a set is left behind), 2 wrong usage.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.utils import timezone

from dondoc.core import backup


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump) and the uploaded files into a new set in DIR."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, metavar="DIR", help="directory that receives the set")
        parser.add_argument("--keep", type=int, metavar="N",
                            help="then delete the older dondoc backup sets in DIR beyond the N newest")

    def handle(self, *args, **options):
        keep = options["keep"]
        if keep is not None and keep < 1:
            raise CommandError("--keep must be 1 or more (the set just written is always kept)", returncode=2)
        out = Path(options["out"]).expanduser().absolute()
        try:
            made = backup.create(out, now=timezone.now())  # operations run on real time, not the business clock
            removed = backup.prune(out, keep) if keep else []
        except backup.BackupError as exc:
            raise CommandError(f"backup: {exc}", returncode=1) from exc
        except (OSError, DatabaseError) as exc:
            raise CommandError(f"backup: {exc}", returncode=1) from exc
        files = made.manifest["files"]
        media = [f for f in files if f["path"].startswith(backup.MEDIA + "/")]
        self.stdout.write(
            f"Backed up the {backup.ENGINE_NAMES[made.engine]} database {backup.database_label(connection.settings_dict)} "
            f"({sum(f['size'] for f in files) - sum(f['size'] for f in media):,} bytes) and {len(media)} uploaded "
            f"file(s) ({sum(f['size'] for f in media):,} bytes).")
        for path in removed:
            self.stdout.write(f"Removed the older set {path}")
        self.stdout.write(str(made.path))
