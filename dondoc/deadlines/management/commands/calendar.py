"""dondoc calendar add|between|holidays|override — the working calendar from the command line.

Contract (checked from outside): ``add`` prints an ISO date, ``between`` an integer, ``holidays --json`` the
list ``[{"date", "name", "kind"}]``. Exit 0 done, 1 input rejected, 2 wrong usage (bad dates included).
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dondoc.core import calendar, clock
from dondoc.core.models import CalendarOverride
from dondoc.deadlines import actions
from dondoc.domain.formats import format_date
from dondoc.domain.workdays import CalendarRangeError


def _date(value: str, option: str):
    try:
        return clock.parse_date(value)
    except ValueError as exc:
        raise CommandError(f"{option}: {exc}", returncode=2) from exc


class Command(BaseCommand):
    help = "The working calendar: add days, count working days, list holidays, manage overrides."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="add|between|holidays|override")
        add = sub.add_parser("add", help="the date N days after --from (Civil Code counting)")
        add.add_argument("--from", dest="start", metavar="YYYY-MM-DD", required=True, help="the event day (not counted)")
        add.add_argument("--days", type=int, required=True, help="N")
        add.add_argument("--working", action="store_true", help="count working days (default: calendar days)")
        add.add_argument("--explain", action="store_true", help="also print the rule on a second line")
        between = sub.add_parser("between", help="working days after --from up to and including --to")
        between.add_argument("--from", dest="start", metavar="YYYY-MM-DD", required=True)
        between.add_argument("--to", dest="end", metavar="YYYY-MM-DD", required=True)
        hol = sub.add_parser("holidays", help="every named day of a year (holidays, swaps, make-up days)")
        hol.add_argument("--year", type=int, required=True)
        hol.add_argument("--json", action="store_true", help='JSON list of {"date", "name", "kind"}')
        over = sub.add_parser("override", help="days off / working days the law does not know")
        osub = over.add_subparsers(dest="override_action", required=True, metavar="add|remove|list")
        oadd = osub.add_parser("add")
        oadd.add_argument("--date", required=True)
        oadd.add_argument("--kind", choices=["off", "workday"], required=True)
        oadd.add_argument("--name", required=True)
        oadd.add_argument("--reference", required=True, help="the decision, e.g. 'CV 1234/UBND-TH'")
        orem = osub.add_parser("remove")
        orem.add_argument("--date", required=True)
        osub.add_parser("list")

    def handle(self, *args, **options):
        try:
            getattr(self, f"do_{options['action']}")(options)
        except CalendarRangeError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=1) from exc

    def do_add(self, o):
        start = _date(o["start"], "--from")
        if o["days"] < 0:
            raise CommandError("--days must be 0 or more", returncode=1)
        d = calendar.deadline(start, o["days"], o["working"])
        self.stdout.write(d.due.isoformat())
        if o["explain"]:
            self.stdout.write(d.explanation)

    def do_between(self, o):
        start, end = _date(o["start"], "--from"), _date(o["end"], "--to")
        self.stdout.write(str(calendar.get_calendar().working_days_between(start, end)))

    def do_holidays(self, o):
        cal, year = calendar.get_calendar(), o["year"]
        if year not in cal.years:
            raise CommandError(f"--year: {year} is outside the calendar ({cal.years.start}–{cal.years.stop - 1})",
                               returncode=1)
        rows = cal.holidays_in_year(year)
        if o["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for r in rows:
            day = clock.parse_date(r["date"])
            self.stdout.write(f"{format_date(day)}  {r['kind']:<16}  {r['name']}")
        if year > cal.confirmed_until:
            self.stdout.write(f"({year}: Tết span and swaps not decided yet — package estimate)")

    def do_override(self, o):
        action = o["override_action"]
        if action == "list":
            for ov in CalendarOverride.objects.all():
                self.stdout.write(f"{ov.date.isoformat()}  {ov.kind:<16}  {ov.name}  [{ov.reference}]")
            return
        day = _date(o["date"], "--date")
        if action == "add":
            kind = {"off": "override_off", "workday": "override_workday"}[o["kind"]]
            _ov, created = actions.set_override(actor=None, date=day, kind=kind, name=o["name"], reference=o["reference"])
            self.stdout.write(f"{'added' if created else 'updated'} {day.isoformat()} {kind}")
            return
        override = CalendarOverride.objects.filter(date=day).first()
        if override is None:
            raise CommandError(f"no override on {day.isoformat()}", returncode=1)
        actions.remove_override(actor=None, override=override)
        self.stdout.write(f"removed {day.isoformat()}")
