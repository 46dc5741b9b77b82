"""Excel annexes (.xlsx) with openpyxl. Takes dataclasses, returns bytes."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass
class Sheet:
    title: str  # at most 31 characters (Excel's limit)
    headers: list[str]
    rows: list[list]  # numbers stay numbers (Excel formats them), text stays text
    heading: str = ""  # a title line above the table
    number_formats: dict[int, str] = field(default_factory=dict)  # column index -> Excel format
    widths: dict[int, float] = field(default_factory=dict)


def build_xlsx(sheets: list[Sheet]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for s in sheets:
        ws = wb.create_sheet(s.title[:31])
        row = 1
        if s.heading:
            ws.cell(row=1, column=1, value=s.heading).font = Font(name="Times New Roman", bold=True, size=13)
            row = 3
        for c, h in enumerate(s.headers, start=1):
            cell = ws.cell(row=row, column=c, value=h)
            cell.font = Font(name="Times New Roman", bold=True, size=11)
            cell.fill = PatternFill("solid", fgColor="DDE4EE")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = BORDER
        for r, values in enumerate(s.rows, start=row + 1):
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=c, value=value)
                cell.font = Font(name="Times New Roman", size=11)
                cell.border = BORDER
                if c - 1 in s.number_formats:
                    cell.number_format = s.number_formats[c - 1]
        for c in range(1, len(s.headers) + 1):
            ws.column_dimensions[get_column_letter(c)].width = s.widths.get(c - 1, 16)
        ws.freeze_panes = ws.cell(row=row + 1, column=1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
