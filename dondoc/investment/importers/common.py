"""What the plan and disbursement imports share: the result (``Outcome``), cells, opening a file, progress."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from dondoc.domain import vn_numbers
from dondoc.domain.bounds import Budget, LimitExceeded
from dondoc.domain.formats import format_number
from dondoc.importers.limits import limits_for
from dondoc.importers.result import MAX_ISSUES, ImportResult
from dondoc.importers.tables import LimitError, Table, TableError, cell_text

from .layout import AmountColumn, Layout, find_layout

MAX_ERRORS = MAX_ISSUES
FLUSH_ROWS = 10_000
PROGRESS_EVERY = 20_000
PREVIEW_ROWS = 10
UNITS = {"dong": vn_numbers.DONG, "trieu": vn_numbers.MILLION, "ty": vn_numbers.BILLION}
Progress = Callable[[int, float], None]
_CODE_FLOAT = re.compile(r"^(\d+)\.0+$")


@dataclass
class Outcome(ImportResult):
    """What a plan or disbursement import did (or would do). ``errors`` non-empty means nothing was written."""

    total_amount: int = 0
    projects: set = field(default_factory=set)
    preview: list[dict] = field(default_factory=list)
    batch_id: int | None = None
    file_hash: str = ""
    rejected_rows: set = field(default_factory=set)  # data rows with an error
    counted_rows: set = field(default_factory=set)  # rows counted in ``rows`` whose checks go on afterwards
    styles: vn_numbers.SeparatorStyles = field(default_factory=vn_numbers.SeparatorStyles)  # the file's numbers

    def error(self, row: int | None, column: str, message: str, code: str = "") -> None:
        if row is not None:
            self.rejected_rows.add(row)
        super().error(row, column, message, code)

    def as_dict(self) -> dict:
        """The --json contract."""
        # rows: every data row read, the rejected ones included (each once)
        rows = self.rows + len(self.rejected_rows - self.counted_rows)
        return {"rows": rows, "projects": len(self.projects), "created": self.created,
                "unchanged": self.unchanged, "warnings": [w.as_dict() for w in self.warnings],
                "total_amount": str(self.total_amount), "errors": [e.as_dict() for e in self.errors]}

    def as_job_result(self) -> dict:
        return {**self.as_dict(), "error_count": self.error_count, "preview": self.preview,
                "batch": self.batch_id}


# Cells --------------------------------------------------------------------------------------------------------


def norm_code(value) -> str:
    """Project codes are text: 7810657.0 (a number in a spreadsheet or CSV) is "7810657"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    text = str(value or "").strip()
    m = _CODE_FLOAT.match(text)
    return m.group(1) if m else text


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def cell_at(cells: list, index: int | None):
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def text_at(cells: list, index: int | None) -> str:
    return cell_text(cell_at(cells, index))


def _style_name(style: str) -> str:
    return _("dots between thousands and a decimal comma") if style == "vi" else _(
        "commas between thousands and a decimal dot")


def amount_clear(out: Outcome, number: int, label: str, raw, unit: int | None) -> bool:
    """False (an error recorded, naming row and column) when a text amount is ambiguous for the file's unit,
    comes to a fraction of a đồng, or follows another separator convention than the file's first amounts."""
    doubt = vn_numbers.amount_doubt(raw, unit, out.styles.style)
    if doubt is not None:
        unit_name = vn_numbers.UNIT_NAMES.get(doubt.unit, "")
        if doubt.code == "fraction":
            out.error(number, label, _("\"%(value)s\" comes to a fraction of a đồng: amounts in %(unit)s have at "
                                       "most %(decimals)s decimals.")
                      % {"value": raw, "unit": unit_name, "decimals": vn_numbers.DECIMALS.get(doubt.unit, 0)},
                      "fraction_of_dong")
        elif doubt.unit == vn_numbers.DONG:
            out.error(number, label, _("\"%(value)s\" could be %(thousands)s đồng or %(decimal)s đồng, and amounts "
                                       "in đồng are whole: write \"%(thousands)s\" (dots between thousands) or "
                                       "enter it as a number cell.")
                      % {"value": raw, "thousands": format_number(doubt.readings[0]),
                         "decimal": format_number(doubt.readings[1], 3)}, "ambiguous_amount")
        else:
            thousands, decimal = format_number(doubt.readings[0]), format_number(doubt.readings[1], 3)
            out.error(number, label, _("\"%(value)s\" could be %(thousands)s or %(decimal)s %(unit)s: write "
                                       "\"%(thousands)s,0\" or \"%(decimal)s0\" to say which, or enter it as a "
                                       "number cell.")
                      % {"value": raw, "thousands": thousands, "decimal": decimal, "unit": unit_name},
                      "ambiguous_amount")
        return False
    other = out.styles.see(number, raw)
    if other is not None:
        first = out.styles.first[0]
        out.error(number, label, _("\"%(value)s\" is written with %(this)s, but row %(row)s (\"%(first)s\") with "
                                   "%(other)s: write every amount of the file the same way.")
                  % {"value": raw, "this": _style_name("en" if first == "vi" else "vi"), "row": other[0],
                     "first": other[1], "other": _style_name(first)}, "mixed_separators")
        return False
    return True


def amount_at(out: Outcome, number: int, cells: list, col: AmountColumn) -> int | None:
    raw = cell_at(cells, col.index)
    if type(raw) is str and not raw.isdigit() and not amount_clear(out, number, col.label, raw, col.unit):
        return None
    try:
        return vn_numbers.parse_amount(raw, col.unit)
    except ValueError:
        out.error(number, col.label, _("\"%(value)s\" is not an amount.") % {"value": raw})
        return None


def check_units(out: Outcome, layout: Layout, roles: tuple[str, ...]) -> None:
    for col in layout.amounts:
        if col.role in roles and col.unit is None:
            out.error(None, col.label, _("The file states no unit for this column (\"Đơn vị: triệu đồng\" or "
                                         "\"(đồng)\" in the header); give --unit dong|trieu|ty."))


def open_layout(out: Outcome, path: Path, name: str | None, required: set[str], unit: int | None
          ) -> tuple[Table, Layout, list, Iterator] | None:
    """The table, its layout, the rows read past the header and the iterator of the rest (close it after)."""
    try:
        table = Table(path, name, limits=limits_for(out.kind))
        rows = iter(table)
        layout, pending = find_layout(rows, required, unit)
    except TableError as exc:
        out.error(None, "", _("The file cannot be read: %(reason)s.") % {"reason": exc})
        return None
    except Exception as exc:  # a corrupt file must be an error message, never a traceback
        out.error(None, "", _("The file cannot be read: %(reason)s.") % {"reason": type(exc).__name__})
        return None
    return table, layout, pending, rows


class Ticker:
    """Progress every PROGRESS_EVERY rows, and the parse's time budget (rows read past ``Table.__iter__``)."""

    def __init__(self, table: Table, progress: Progress | None):
        self.table, self.progress, self.next = table, progress, PROGRESS_EVERY
        self.budget = Budget(table.limits.seconds)

    def __call__(self, rows: int) -> None:
        if rows >= self.next:
            try:
                self.budget.check()
            except LimitExceeded as exc:
                raise LimitError(exc) from None
            self.next = rows + PROGRESS_EVERY
            if self.progress:
                self.progress(rows, self.table.fraction())

