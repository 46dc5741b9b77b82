"""Command-line adapters of `dondoc import plans|disbursements`: options, progress bar, text and --json."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from dondoc.core import clock
from dondoc.domain.formats import format_number

from ..models import Assigner
from .common import UNITS, Outcome
from .disbursements import import_disbursements
from .plans import import_plans


def _add(parser, *names, **kwargs) -> None:
    """Add an option unless the dispatcher already did (it may add FILE, --dry-run and --json itself)."""
    existing = getattr(parser, "_option_string_actions", {})
    dests = {a.dest for a in getattr(parser, "_actions", [])}
    if any(n in existing for n in names) or (not names[0].startswith("-") and names[0] in dests):
        return
    parser.add_argument(*names, **kwargs)


def _common_arguments(parser) -> None:
    _add(parser, "file", metavar="FILE", help=".xlsx, .xls, .ods or .csv")
    _add(parser, "--as-of", dest="as_of", help="date of cumulative amounts / effective date (YYYY-MM-DD or dd/mm/yyyy)")
    _add(parser, "--unit", choices=sorted(UNITS), help="unit of amounts when the file states none")
    _add(parser, "--year", type=int, help="plan year (default: from the file)")
    _add(parser, "--dry-run", dest="dry_run", action="store_true", help="check and report; write nothing")
    _add(parser, "--json", action="store_true", help="print the report as JSON")


def add_plans_arguments(parser) -> None:
    _common_arguments(parser)
    _add(parser, "--assigner", choices=[a.value for a in Assigner], default=Assigner.TINH,
         help="who assigned the plan: ttg (Prime Minister) or tinh (province; default)")
    _add(parser, "--decision", default="", help="reference of the decision assigning the plan")
    _add(parser, "--revised", action="store_true", help="the file is a revised plan (new plan lines)")


def add_disbursements_arguments(parser) -> None:
    _common_arguments(parser)


class TerminalProgress:
    """A progress bar on a terminal (stderr); nothing when it is not one."""

    def __init__(self, stream):
        self.stream = stream
        isatty = getattr(stream, "isatty", None)
        self.active = bool(isatty and isatty())
        self.start = time.monotonic()

    def __call__(self, rows: int, fraction: float) -> None:
        if not self.active:
            return
        width = 30
        filled = int(width * min(max(fraction, 0.0), 1.0))
        rate = rows / max(time.monotonic() - self.start, 1e-6)
        self.stream.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {fraction:4.0%} "
                          f"{format_number(rows)} rows ({format_number(rate)}/s)")
        self.stream.flush()

    def done(self) -> None:
        if self.active:
            self.stream.write("\n")


def _write(stream, text: str) -> None:
    stream.write(text if text.endswith("\n") else text + "\n")


def _parse_options(options: dict, stderr) -> dict | None:
    path = Path(str(options.get("file") or ""))
    if not path.is_file():
        _write(stderr, f"no such file: {path}")
        return None
    as_of = None
    if options.get("as_of"):
        try:
            as_of = clock.parse_date(str(options["as_of"]))
        except ValueError as exc:
            _write(stderr, f"--as-of: {exc}")
            return None
    unit = options.get("unit")
    if unit and unit not in UNITS:
        _write(stderr, f"--unit: one of {', '.join(sorted(UNITS))}")
        return None
    return {"path": path, "as_of": as_of, "unit": UNITS.get(unit) if unit else None, "year": options.get("year"),
            "dry_run": bool(options.get("dry_run"))}


def text_lines(out: Outcome, dry_run: bool) -> list[str]:
    lines = [f"{out.kind}: {out.rows} rows, {len(out.projects)} projects, {out.created} created, "
             f"{out.unchanged} unchanged, total {format_number(out.total_amount)} đồng"
             + (" (dry run: nothing written)" if dry_run and out.ok else "")]
    for w in out.warnings:
        lines.append(f"warning: row {w['row'] or '-'} [{w['column']}] {w['message']}")
    for e in out.errors:
        lines.append(f"error: row {e['row'] or '-'} [{e['column']}] {e['message']}")
    return lines


def _report(out: Outcome, options: dict, dry_run: bool, stdout, stderr) -> int:
    if options.get("json"):
        _write(stdout, json.dumps(out.as_dict(), ensure_ascii=False))
    else:
        for line in text_lines(out, dry_run):
            _write(stdout, line)
    if not out.ok:
        listed = f" (the first {len(out.errors)} listed)" if out.error_count > len(out.errors) else ""
        _write(stderr, f"{out.error_count} error(s){listed}: nothing was imported")
        return 1
    return 0


def handle_plans(options: dict, stdout=sys.stdout, stderr=sys.stderr) -> int:
    parsed = _parse_options(options, stderr)
    if parsed is None:
        return 2
    bar = TerminalProgress(stderr)
    revised = bool(options.get("revised"))
    as_of = parsed["as_of"] or (clock.today() if revised else None)  # a revised plan takes effect today by default
    out = import_plans(path=parsed["path"], as_of=as_of, unit=parsed["unit"], year=parsed["year"],
                       assigner=options.get("assigner") or Assigner.TINH, decision=options.get("decision") or "",
                       revised=revised, dry_run=parsed["dry_run"], progress=bar)
    bar.done()
    return _report(out, options, parsed["dry_run"], stdout, stderr)


def handle_disbursements(options: dict, stdout=sys.stdout, stderr=sys.stderr) -> int:
    parsed = _parse_options(options, stderr)
    if parsed is None:
        return 2
    bar = TerminalProgress(stderr)
    out = import_disbursements(path=parsed["path"], as_of=parsed["as_of"], unit=parsed["unit"], year=parsed["year"],
                               dry_run=parsed["dry_run"], progress=bar)
    bar.done()
    return _report(out, options, parsed["dry_run"], stdout, stderr)

