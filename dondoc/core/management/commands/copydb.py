"""dondoc copydb --to DATABASE_URL [--force] — copy the configured database into another (core/dbcopy.py).

Migrates the target, copies every table's rows in one transaction, resets PostgreSQL sequences, then prints the
comparison of every table (row count, and a sum per numeric column). Exit 0 identical, 1 refused or different,
2 wrong usage. A target holding data is refused unless --force (its rows are then replaced).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from dondoc.core import backup, dbcopy


class Command(BaseCommand):
    help = "Copy every table of the configured database into another database (SQLite ↔ PostgreSQL) and verify."

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, metavar="DATABASE_URL",
                            help="the target, e.g. postgresql://dondoc:PASSWORD@127.0.0.1:5432/dondoc")
        parser.add_argument("--force", action="store_true", help="replace the rows of a target that holds data")

    def handle(self, *args, **options):
        source = DEFAULT_DB_ALIAS
        src_db = connections[source].settings_dict
        try:
            pending = backup.pending_migrations(source)
            if pending:
                raise dbcopy.CopyError(f"the configured database lacks {len(pending)} migration(s) of this version "
                                       f"({pending[0]} …): run `dondoc migrate` first")
            target = dbcopy.open_target(options["to"], source=source)
            dst_db = connections[target].settings_dict
            full = dbcopy.non_empty_tables(target)
            if full and not options["force"]:
                raise dbcopy.CopyError(
                    f"the target {backup.database_label(dst_db)} holds data ({len(full)} table(s): "
                    f"{', '.join(full[:5])}{' …' if len(full) > 5 else ''}); copy into an empty database, or add "
                    "--force to replace its rows")
            self.stdout.write(f"Migrating {backup.ENGINE_NAMES[backup.engine_of(dst_db)]} {backup.database_label(dst_db)} …")
            dbcopy.migrate_target(target)
            self.stdout.write(f"Copying from {backup.ENGINE_NAMES[backup.engine_of(src_db)]} {backup.database_label(src_db)} …")
            total = dbcopy.copy_database(source=source, target=target,
                                         log=self.stdout.write if options["verbosity"] > 1 else None)
            checks = dbcopy.compare(source=source, target=target)
        except dbcopy.CopyError as exc:
            raise CommandError(f"copydb: {exc}", returncode=1) from exc
        except DatabaseError as exc:
            raise CommandError(f"copydb: database error, the target's transaction was rolled back: {exc}",
                               returncode=1) from exc
        self._print(checks)
        bad = [c for c in checks if not c.ok]
        if bad:
            raise CommandError(f"copydb: {len(bad)} table(s) differ after the copy: "
                               + ", ".join(c.table for c in bad), returncode=1)
        self.stdout.write(f"Copied {total} rows of {len(checks)} tables; every table's row count and sums are "
                          "equal.")

    def _print(self, checks):
        width = max(len(c.table) for c in checks)
        self.stdout.write(f"{'table':<{width}}  {'rows (source)':>13}  {'rows (target)':>13}  {'sums':>4}  result")
        for c in checks:
            result = "ok" if c.ok else "DIFFERS" + (f" ({', '.join(c.differing)})" if c.differing else "")
            self.stdout.write(f"{c.table:<{width}}  {c.source_rows:>13}  {c.target_rows:>13}  {c.columns:>4}  {result}")
