"""Reading a table people made by hand: .csv (comma or semicolon, UTF-8 with or without BOM) or .xlsx,
headers matched to fields by synonyms without accents, dd/mm/yyyy dates. Generic: later importers can use
it (it belongs in dondoc/importers/ once that app exists).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from dondoc.domain.text import search_key

MAX_BYTES = 10 * 1024 * 1024


class TableError(ValueError):
    """The file as a whole cannot be read (type, encoding, no header)."""


@dataclass(frozen=True)
class Issue:
    row: int  # 1-based row number in the file (the header is row 1 unless a title block precedes it)
    column: str  # the header as written in the file ("" for the whole row)
    code: str  # stable, English: "required", "bad_date", "unknown_agency", ...
    message: str  # for people, in the active language

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass
class Report:
    """What an import did (or would do, on a dry run). ``errors`` non-empty means nothing was written."""

    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    existing: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "ok": self.ok, "dry_run": self.dry_run, "rows": self.rows,
            "created": self.created, "existing": self.existing,
            "errors": [e.as_dict() for e in self.errors], "warnings": [w.as_dict() for w in self.warnings],
        }


def _cell(value) -> str | dt.date:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(name: str, data: bytes) -> list[list]:
    """All rows of the first sheet, cells as str (or date for Excel dates)."""
    if len(data) > MAX_BYTES:
        raise TableError("file too large")
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:
            raise TableError(f"not a readable .xlsx file ({exc})") from exc
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    if suffix in (".csv", ".txt"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TableError("the CSV file is not UTF-8") from exc
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    raise TableError(f"unsupported file type {suffix or '(none)'}: use .csv or .xlsx")


def match_header(rows: list[list], synonyms: dict[str, tuple[str, ...]], required: set[str],
                 scan: int = 10) -> tuple[int, dict[str, int], list[str]]:
    """Find the header row among the first ``scan`` rows: the one naming every required field.

    Returns (index of the header row, field -> column index, headers as written).
    """
    keys = {search_key(s): name for name, words in synonyms.items() for s in words}
    for i, row in enumerate(rows[:scan]):
        found: dict[str, int] = {}
        for j, cell in enumerate(row):
            name = keys.get(search_key(str(cell))) if isinstance(cell, str) and cell else None
            if name and name not in found:
                found[name] = j
        if required <= set(found):
            return i, found, [str(c) for c in row]
    raise TableError("no header row naming the required columns")


def parse_day(value) -> dt.date | None:
    """dd/mm/yyyy (also dd-mm-yyyy, d/m/yyyy, yyyy-mm-dd) or an Excel date; None when empty."""
    if isinstance(value, dt.date):
        return value
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date, no time zone
        except ValueError:
            continue
    raise ValueError(value)
