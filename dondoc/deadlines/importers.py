"""`dondoc import dossiers FILE`: parse → validate → apply through actions, all or nothing.

Idempotent: the key of a dossier is type + agency + number; a row whose dossier exists creates nothing
(a warning says when the file's dates differ from the stored ones). One optional pause per row.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dondoc.accounts.models import Agency
from dondoc.accounts.registry import registry_from_db
from dondoc.core import calendar
from dondoc.domain.formats import format_date
from dondoc.domain.text import search_key
from dondoc.domain.vn_dates import parse_date
from dondoc.importers.limits import limits_for
from dondoc.importers.result import ImportResult
from dondoc.importers.tables import TableError, match_header, read_rows

from . import actions, queries
from .models import Dossier, DossierType

SYNONYMS: dict[str, tuple[str, ...]] = {
    "type": ("Loại hồ sơ", "Loại", "Mã loại", "Loại thủ tục", "Type"),
    "agency": ("Cơ quan", "Cơ quan giải quyết", "Cơ quan thực hiện", "Cơ quan chủ trì", "Đơn vị",
               "Đơn vị thực hiện", "Đơn vị xử lý", "Agency"),
    "reference": ("Số hồ sơ", "Số", "Mã hồ sơ", "Số ký hiệu", "Số hiệu", "Reference", "Number"),
    "subject": ("Trích yếu", "Nội dung", "Tên hồ sơ", "Tên dự án", "Subject"),
    "received_on": ("Ngày nhận", "Ngày nhận hồ sơ", "Ngày tiếp nhận", "Ngày có khối lượng nghiệm thu",
                    "Ngày bắt đầu", "Received on"),
    "paused_on": ("Ngày tạm dừng", "Ngày trả bổ sung", "Ngày yêu cầu bổ sung", "Paused on"),
    "resumed_on": ("Ngày tiếp tục", "Ngày nhận bổ sung", "Ngày nhận hồ sơ bổ sung", "Resumed on"),
    "completed_on": ("Ngày hoàn thành", "Ngày trả kết quả", "Ngày thanh toán", "Completed on"),
    "note": ("Ghi chú", "Note"),
}
REQUIRED = {"type", "agency", "reference", "subject", "received_on"}
DATES = ("received_on", "paused_on", "resumed_on", "completed_on")
PROGRESS_EVERY = 1000  # rows between two progress reports


class _Rollback(Exception):
    pass


class Report(ImportResult):
    """The dossiers' result: a dossier already stored is "existing" (``unchanged``); its JSON says so."""

    @property
    def existing(self) -> int:
        return self.unchanged

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "ok": self.ok, "dry_run": self.dry_run, "rows": self.rows,
            "created": self.created, "existing": self.existing,
            "errors": [e.as_dict() for e in self.errors], "warnings": [w.as_dict() for w in self.warnings],
        }


def _day(value):
    """A date cell: None when empty."""
    if value is None or value == "":
        return None
    return parse_date(value)


def _type_index() -> dict[str, DossierType | None]:
    """Code and folded name of each type; a short form matching one type only (e.g. "thẩm định")."""
    index: dict[str, DossierType | None] = {}
    for t in DossierType.objects.all():
        index[t.code.lower()] = t
        index[search_key(t.name)] = t
    return index


def _find_type(index: dict, value: str) -> DossierType | None:
    key = search_key(value)
    if not key:
        return None
    if value.lower() in index:
        return index[value.lower()]
    if key in index:
        return index[key]
    hits = {t.pk: t for k, t in index.items() if key in k}
    return next(iter(hits.values())) if len(hits) == 1 else None


def run_dossiers(*, name: str, data: bytes, dry_run: bool = False, actor=None, user=None,
                 everything: bool = False, progress=None) -> Report:
    """Import dossiers from a file's bytes: rows of the agencies ``user`` (web upload) may enter, or of every agency
    with ``everything=True`` (the command line). ``progress(rows, fraction)`` is told every PROGRESS_EVERY rows."""
    if user is None and not everything:
        raise TypeError("run_dossiers() needs a user, or everything=True for the whole province")
    report = Report(kind="dossiers", dry_run=dry_run)
    try:
        rows = read_rows(name, data, limits_for("dossiers"))
        header_at, columns, headers = match_header(rows, SYNONYMS, REQUIRED)
    except TableError as exc:
        missing = ", ".join(SYNONYMS[f][0] for f in sorted(REQUIRED))
        message = (_("The file cannot be read: %(error)s.") % {"error": exc} if "header" not in str(exc)
                   else _("No header row with the required columns (%(columns)s).") % {"columns": missing})
        report.error(0, "", message, code="bad_file")
        return report

    registry = registry_from_db()
    agencies = {a.code: a for a in Agency.objects.all()}
    types = _type_index()
    allowed = None if everything else set(queries.entry_agencies(user).values_list("pk", flat=True))
    years = calendar.YEARS
    parsed: list[tuple[int, dict]] = []
    seen: dict[tuple, int] = {}

    def err(row_no: int, fld: str, code: str, message: str) -> None:
        col = headers[columns[fld]] if fld in columns else ""
        report.error(row_no, col, message, code=code)

    for i, raw in enumerate(rows[header_at + 1:], start=header_at + 2):
        cells = {f: (raw[j] if j < len(raw) else "") for f, j in columns.items()}
        if all(c in ("", None) for c in cells.values()):
            continue
        report.rows += 1
        if progress and report.rows % PROGRESS_EVERY == 0:
            progress(report.rows, (i - header_at - 1) / max(1, len(rows) - header_at - 1))
        before = report.error_count
        item: dict = {}
        for fld in ("type", "agency", "reference", "subject"):
            value = str(cells.get(fld) or "").strip()
            if not value:
                err(i, fld, "required", _("This column is required."))
            item[fld] = value
        if item["type"]:
            item["type"] = _find_type(types, item["type"])
            if item["type"] is None:
                err(i, "type", "unknown_type", _("Unknown dossier type “%(value)s”.") % {"value": cells["type"]})
        if item["agency"]:
            value = item["agency"]
            code = value.upper() if value.upper() in agencies else registry.resolve(value)
            item["agency"] = agencies.get(code or "")
            if item["agency"] is None:
                err(i, "agency", "unknown_agency", _("Unknown agency “%(value)s”.") % {"value": value})
            elif allowed is not None and item["agency"].pk not in allowed:
                err(i, "agency", "not_allowed",
                    _("You may not enter dossiers for %(agency)s.") % {"agency": item["agency"].code})
        for fld in DATES:
            try:
                item[fld] = _day(cells.get(fld)) if fld in columns else None
            except ValueError:
                err(i, fld, "bad_date", _("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": cells[fld]})
                item[fld] = None
                continue
            if item[fld] and item[fld].year not in years:
                err(i, fld, "out_of_range", _("The date is outside the working calendar (%(first)s–%(last)s).")
                    % {"first": years.start, "last": years.stop - 1})
            if fld == "received_on" and not item[fld] and not cells.get(fld):
                err(i, fld, "required", _("This column is required."))
        item["note"] = str(cells.get("note") or "").strip()
        if item["resumed_on"] and not item["paused_on"]:
            err(i, "resumed_on", "resumed_without_pause", _("A resumption needs a pause date."))
        order = [(f, item[f]) for f in DATES if item[f]]
        for (_f1, d1), (f2, d2) in zip(order, order[1:], strict=False):
            if d2 < d1:
                err(i, f2, "date_order", _("This date is before the previous step (%(date)s).")
                    % {"date": format_date(d1)})
                break
        if report.error_count == before:
            key = (item["type"].pk, item["agency"].pk, item["reference"])
            if key in seen:
                err(i, "reference", "duplicate", _("The same dossier is already on row %(row)s.") % {"row": seen[key]})
            else:
                seen[key] = i
                parsed.append((i, item))

    if not report.ok:
        return report
    try:
        with transaction.atomic():
            _apply(parsed, report, actor)
            if dry_run or not report.ok:
                raise _Rollback
    except _Rollback:
        pass
    if not report.ok:
        report.created = 0
    return report


def _apply(parsed: list[tuple[int, dict]], report: Report, actor) -> None:
    for row_no, item in parsed:
        existing = Dossier.objects.filter(type=item["type"], agency=item["agency"], reference=item["reference"]).first()
        if existing is not None:
            report.unchanged += 1
            if existing.received_on != item["received_on"] or (
                item["completed_on"] and existing.completed_on != item["completed_on"]
            ):
                report.warn(row_no, "", _(
                    "Dossier %(ref)s already exists with other dates; it was not changed."
                ) % {"ref": item["reference"]}, code="differs")
            continue
        try:
            with transaction.atomic():
                d = actions.create_dossier(actor=actor, type=item["type"], agency=item["agency"],
                                           reference=item["reference"], subject=item["subject"],
                                           received_on=item["received_on"], note=item["note"])
                if item["paused_on"]:
                    actions.pause_dossier(actor=actor, dossier=d, on=item["paused_on"])
                if item["resumed_on"]:
                    actions.resume_dossier(actor=actor, dossier=d, on=item["resumed_on"])
                if item["completed_on"]:
                    actions.complete_dossier(actor=actor, dossier=d, on=item["completed_on"])
        except ValidationError as exc:
            report.error(row_no, "", "; ".join(exc.messages), code="rejected")
            continue
        report.created += 1


def run_file(path: str | Path, *, dry_run: bool = False, actor=None) -> Report:
    p = Path(path)
    return run_dossiers(name=p.name, data=p.read_bytes(), dry_run=dry_run, actor=actor, everything=True)


def text_lines(report: Report) -> list[str]:
    """The report for people (CLI text mode, the upload page)."""
    lines = [_("Row %(row)s, column “%(column)s”: %(message)s") % e.as_dict() if e.column
             else (_("Row %(row)s: %(message)s") % e.as_dict() if e.row else e.message) for e in report.errors]
    lines += [_("Row %(row)s: %(message)s") % w.as_dict() for w in report.warnings]
    if report.ok:
        summary = _("%(rows)s row(s): %(created)s dossier(s) created, %(existing)s already present.") % report.as_dict()
        lines.append(summary + (" " + _("Dry run: nothing was written.") if report.dry_run else ""))
    else:
        lines.append(_("%(count)s error(s): nothing was imported.") % {"count": report.error_count})
    return lines



def add_dossiers_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def handle_dossiers(options: dict, stdout, stderr) -> int:
    """`dondoc import dossiers FILE`: exit 0 imported (or a clean dry run), 1 rows rejected, 2 no such file."""
    import json

    path = Path(options["file"])
    if not path.is_file():
        stderr.write(f"no such file: {path}\n")
        return 2
    report = run_dossiers(name=path.name, data=path.read_bytes(), dry_run=options["dry_run"], actor=None,
                          everything=True)
    if options["json"]:
        stdout.write(json.dumps(report.as_dict(), ensure_ascii=False) + "\n")
    else:
        for line in text_lines(report):
            stdout.write(line + "\n")
    if not report.ok:
        stderr.write(f"{report.error_count} error(s): nothing was imported\n")
        return 1
    return 0

