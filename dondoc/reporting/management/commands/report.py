"""`dondoc report monthly --program CODE --month YYYY-MM --out FILE.docx|.xlsx|.pdf`."""

import datetime as dt
from pathlib import Path

from django.core.management.base import CommandError

from dondoc.core import clock
from dondoc.core.commands import AsOfCommand
from dondoc.documents.official import build_docx
from dondoc.documents.pdf import docx_to_pdf
from dondoc.documents.spreadsheet import build_xlsx
from dondoc.domain.formats import format_number
from dondoc.programs.models import ActionProgram
from dondoc.reporting import consolidated


def parse_month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007 - a month, no time zone
    except ValueError:
        raise CommandError(f"--month: not a month: {value!r} (expected YYYY-MM)", returncode=2) from None


class Command(AsOfCommand):
    help = "Write the DPI's consolidated monthly report (.docx official report, .xlsx annex, or .pdf)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True, parser_class=type(parser))
        p = sub.add_parser("monthly", help="the consolidated monthly report of a program")
        p.add_argument("--program", required=True, help="program number, e.g. 07/CTr-UBND")
        p.add_argument("--month", required=True, help="YYYY-MM")
        p.add_argument("--out", required=True, help="FILE.docx, FILE.xlsx or FILE.pdf")
        p.add_argument("--number", type=int, help="the document number (a draft leaves it blank)")
        p.add_argument("--date", help="the date line (default: today by the product's clock)")
        p.add_argument("--as-of", dest="as_of", help="figures as of this date (default: today)")

    def handle(self, *args, **options):
        month = parse_month(options["month"])
        out = Path(options["out"])
        if out.suffix.lower() not in (".docx", ".xlsx", ".pdf"):
            raise CommandError("--out must end in .docx, .xlsx or .pdf", returncode=2)
        program = ActionProgram.objects.filter(number=options["program"]).order_by("-issued_on").first()
        if program is None:
            raise CommandError(f"no program {options['program']!r} (load it with `dondoc program load`)", returncode=1)
        if not program.obligations.filter(every="month").exists():
            raise CommandError(f"{program.number} has no monthly reporting obligation", returncode=1)
        as_of = self.as_of(options)
        try:
            date = clock.parse_date(options["date"]) if options.get("date") else clock.today()
        except ValueError as exc:
            raise CommandError(f"--date: {exc}", returncode=2) from exc
        if out.suffix.lower() == ".xlsx":
            data = build_xlsx(consolidated.annex(program, month, as_of=as_of))
        else:
            data = build_docx(consolidated.build(program, month, as_of=as_of, date=date, number=options.get("number")))
            if out.suffix.lower() == ".pdf":
                try:
                    data = docx_to_pdf(data)
                except RuntimeError as exc:
                    raise CommandError(str(exc), returncode=1) from exc
        out.write_bytes(data)
        self.stdout.write(f"{out} ({format_number(len(data))} bytes)")
