"""`dondoc import plans|disbursements|dossiers FILE …` — the one entry point for table imports.

Each sub-command is a pair ``add_arguments(parser)`` / ``handle(options, stdout, stderr) -> exit status`` (0
imported or a clean dry run, 1 input rejected with the reasons, 2 wrong usage), imported here directly.
"""

from django.core.management.base import BaseCommand, CommandError

from dondoc.deadlines import importers as dossiers
from dondoc.investment.importers import commands as investment

SUBCOMMANDS = {
    "dossiers": (dossiers.add_dossiers_arguments, dossiers.handle_dossiers),
    "plans": (investment.add_plans_arguments, investment.handle_plans),
    "disbursements": (investment.add_disbursements_arguments, investment.handle_disbursements),
}


class Command(BaseCommand):
    help = "Import a table (.csv, .xlsx …): " + ", ".join(SUBCOMMANDS) + ". Atomic and idempotent."
    requires_system_checks = []  # the checks import every view and URL (~1 s); an import needs none of them

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, metavar="|".join(SUBCOMMANDS),
                                    parser_class=type(parser))
        for name, (add, _handle) in SUBCOMMANDS.items():
            add(sub.add_parser(name, help=f"import {name}"))

    def handle(self, *args, **options):
        code = SUBCOMMANDS[options["what"]][1](options, self.stdout, self.stderr)
        if code:  # the handler has printed the reasons
            raise CommandError("input rejected" if code == 1 else "wrong usage", returncode=code)
