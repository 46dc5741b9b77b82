"""dondoc import <what> FILE [--dry-run] [--json] — the one entry point for table imports.

Each sub-command is a path in SUBCOMMANDS to a function ``(*, name, data, dry_run, actor) -> tabular.Report``
plus a ``text_lines(report)`` beside it; later features add their entry (``plans``, ``disbursements``) here.
Exit 0 imported (or a clean dry run), 1 rows rejected (nothing written), 2 wrong usage (no such file).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

SUBCOMMANDS = {
    "dossiers": "dondoc.deadlines.importers.run_dossiers",
}


class Command(BaseCommand):
    help = "Import a table (.csv or .xlsx): " + ", ".join(SUBCOMMANDS) + ". Atomic and idempotent."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, metavar="|".join(SUBCOMMANDS))
        for name in SUBCOMMANDS:
            p = sub.add_parser(name, help=f"import {name} from FILE")
            p.add_argument("file", metavar="FILE")
            p.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
            p.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        run = import_string(SUBCOMMANDS[options["what"]])
        report = run(name=path.name, data=path.read_bytes(), dry_run=options["dry_run"], actor=None)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            text_lines = import_string(SUBCOMMANDS[options["what"]].rsplit(".", 1)[0] + ".text_lines")
            for line in text_lines(report):
                self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"{len(report.errors)} error(s): nothing was imported", returncode=1)
