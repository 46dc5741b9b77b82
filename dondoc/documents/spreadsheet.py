"""Excel annexes (.xlsx) with openpyxl. Takes dataclasses, returns bytes.

openpyxl (and the numpy it pulls in) is imported when a workbook is built, not when the URL map imports the views
that offer one: every command runs Django's checks, which import every view (FINDINGS: ~0.3 s a command)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

# A text cell starting with one of these is a formula (or DDE payload) to Excel/LibreOffice once someone edits it,
# and "=" even on opening: written as a string cell with the "quote prefix" style, which shows the text unchanged
# (no stray apostrophe) and keeps it text when the cell is edited. Full-width forms: East Asian IMEs turn them into
# the ASCII ones. Numbers are never touched (a negative amount stays a number).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


@dataclass
class Sheet:
    title: str  # at most 31 characters (Excel's limit)
    headers: list[str]
    rows: list[list]  # numbers stay numbers (Excel formats them), text stays text
    heading: str = ""  # a title line above the table
    number_formats: dict[int, str] = field(default_factory=dict)  # column index -> Excel format
    widths: dict[int, float] = field(default_factory=dict)


def build_xlsx(sheets: list[Sheet]) -> bytes:
    """Streams rows (write-only workbook): fast and flat in memory for large annexes. Every .xlsx the product
    writes goes through here, so text that looks like a formula is neutralised once (``cell_of``)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    def cell_of(ws, value):
        cell = WriteOnlyCell(ws, value=value)
        if is_formula_like(value):
            cell.data_type = "s"  # openpyxl made "=..." a formula: keep it a string
            cell.quotePrefix = True
        return cell

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook(write_only=True)
    head_font = Font(name="Times New Roman", bold=True, size=11)
    body_font = Font(name="Times New Roman", size=11)
    title_font = Font(name="Times New Roman", bold=True, size=13)
    fill = PatternFill("solid", fgColor="DDE4EE")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for s in sheets:
        ws = wb.create_sheet(s.title[:31])
        for c in range(len(s.headers)):
            ws.column_dimensions[get_column_letter(c + 1)].width = s.widths.get(c, 16)
        first = 1
        if s.heading:
            cell = cell_of(ws, s.heading)
            cell.font = title_font
            ws.append([cell])
            ws.append([])
            first = 3
        ws.freeze_panes = f"A{first + 1}"
        header = []
        for h in s.headers:
            cell = cell_of(ws, h)
            cell.font, cell.fill, cell.alignment, cell.border = head_font, fill, centre, border
            header.append(cell)
        ws.append(header)
        for values in s.rows:
            row = []
            for c, value in enumerate(values):
                cell = cell_of(ws, value)
                cell.font, cell.border = body_font, border
                if c in s.number_formats:
                    cell.number_format = s.number_formats[c]
                row.append(cell)
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
