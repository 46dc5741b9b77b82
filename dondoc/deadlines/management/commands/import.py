"""`dondoc import <what> FILE …` — the one entry point for table imports.

Each sub-command names a module with ``add_<what>_arguments(parser)`` and ``handle_<what>(options, stdout,
stderr) -> exit status`` (0 imported, 1 input rejected with the reasons, 2 wrong usage). Features add theirs here.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

SUBCOMMANDS = {
    "dossiers": "dondoc.deadlines.importers",
    "plans": "dondoc.investment.importers",
    "disbursements": "dondoc.investment.importers",
}


class Command(BaseCommand):
    help = "Import a table (.csv, .xlsx …): " + ", ".join(SUBCOMMANDS) + ". Atomic and idempotent."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, metavar="|".join(SUBCOMMANDS),
                                    parser_class=type(parser))
        for name, module in SUBCOMMANDS.items():
            p = sub.add_parser(name, help=f"import {name}")
            import_string(f"{module}.add_{name}_arguments")(p)

    def handle(self, *args, **options):
        what = options["what"]
        code = import_string(f"{SUBCOMMANDS[what]}.handle_{what}")(options, self.stdout, self.stderr)
        if code:  # the handler has printed the reasons
            raise CommandError("input rejected" if code == 1 else "wrong usage", returncode=code)
