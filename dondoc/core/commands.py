"""Shared pieces of management commands: --as-of parsing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from . import clock


class AsOfCommand(BaseCommand):
    """A command with ``--as-of DATE`` (default: the product's clock, see core.clock)."""

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="the date to act as of (YYYY-MM-DD; default: today)")

    def as_of(self, options):
        if not options.get("as_of"):
            return clock.today()
        try:
            return clock.parse_date(options["as_of"])
        except ValueError as exc:
            raise CommandError(f"--as-of: {exc}", returncode=2) from exc
