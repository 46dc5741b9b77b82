"""dondoc investment <sub-command> — evaluate, reallocate.

Each sub-command is a pair of functions in SUBCOMMANDS: ``add_arguments(parser)`` and
``handle(options, stdout, stderr) -> int`` (0 done, 1 input rejected, 2 wrong usage).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

SUBCOMMANDS = {
    "evaluate": ("dondoc.investment.cli.add_evaluate_arguments", "dondoc.investment.cli.handle_evaluate",
                 "rates, milestones, cut list and commitments as of a date"),
    "reallocate": ("dondoc.investment.cli.add_reallocate_arguments", "dondoc.investment.cli.handle_reallocate",
                   "proposed transfers of capital that will not be disbursed (forecast as of a date)"),
    "emulation": ("dondoc.investment.cli.add_emulation_arguments", "dondoc.investment.cli.handle_emulation",
                  "investors not eligible for a good-performance rating, and the criticism list"),
}


class Command(BaseCommand):
    help = "Public-investment disbursement: " + ", ".join(SUBCOMMANDS) + "."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, metavar="|".join(SUBCOMMANDS))
        for name, (add, _handle, text) in SUBCOMMANDS.items():
            import_string(add)(sub.add_parser(name, help=text))

    def handle(self, *args, **options):
        status = import_string(SUBCOMMANDS[options["what"]][1])(options, self.stdout, self.stderr)
        if status:
            raise CommandError(f"{options['what']}: exit status {status}", returncode=status)
