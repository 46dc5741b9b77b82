"""dondoc investment <sub-command> — evaluate, reallocate, emulation, rebuild-summaries.

Each sub-command is a pair of functions of ``investment.cli`` in SUBCOMMANDS: ``add_arguments(parser)`` and
``handle(options, stdout, stderr) -> int`` (0 done, 1 input rejected, 2 wrong usage).
"""

from django.core.management.base import BaseCommand, CommandError

from dondoc.investment import cli

SUBCOMMANDS = {
    "evaluate": (cli.add_evaluate_arguments, cli.handle_evaluate,
                 "rates, milestones, cut list and commitments as of a date"),
    "reallocate": (cli.add_reallocate_arguments, cli.handle_reallocate,
                   "proposed transfers of capital that will not be disbursed (forecast as of a date)"),
    "emulation": (cli.add_emulation_arguments, cli.handle_emulation,
                  "investors not eligible for a good-performance rating, and the criticism list"),
    "rebuild-summaries": (cli.add_rebuild_summaries_arguments, cli.handle_rebuild_summaries,
                          "recompute the monthly disbursement sums from the payments (--check: compare only)"),
}


class Command(BaseCommand):
    help = "Public-investment disbursement: " + ", ".join(SUBCOMMANDS) + "."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, metavar="|".join(SUBCOMMANDS))
        for name, (add, _handle, text) in SUBCOMMANDS.items():
            add(sub.add_parser(name, help=text))

    def handle(self, *args, **options):
        status = SUBCOMMANDS[options["what"]][1](options, self.stdout, self.stderr)
        if status:
            raise CommandError(f"{options['what']}: exit status {status}", returncode=status)
