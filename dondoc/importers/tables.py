"""The one table reader: .csv/.txt (comma or semicolon, UTF-8 with or without BOM; stdlib csv, streamed) or
.xlsx/.xlsm/.xls/.xlsb/.ods (python-calamine), from a path or from bytes, and the one ``TableError``.

- ``Table(path)`` / ``Table(data=…, name=…)``: yields (row number, cells) of the first sheet, streamed: the 1-based
  spreadsheet row or CSV line. ``fraction()`` tells how far the reading got (for progress bars).
- ``read_rows(name, data)``: a small file's rows as a list, cells as stripped text (or ``date`` for date cells).
- ``match_header(rows, synonyms, required)``: the header row and its columns, headers matched by synonyms without
  accents or case. Layouts with merged two-row headers and title blocks (plans, disbursements) are read by
  ``dondoc.investment.importers.layout`` on top of ``Table``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from dondoc.domain.bounds import Budget, LimitExceeded, Limits, check_sheet_zip
from dondoc.domain.text import search_key

from .limits import describe, limits_for

CSV_SUFFIXES = {".csv", ".txt"}
SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
ZIP_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".ods"}
CHECK_EVERY = 4096  # rows between two looks at the clock
SUFFIXES = CSV_SUFFIXES | SHEET_SUFFIXES
MAX_BYTES = 10 * 1024 * 1024  # read_rows (whole files in memory); streamed imports have their own upload limit


class TableError(ValueError):
    """The file as a whole cannot be read (type, encoding, no header, no data)."""


class LimitError(TableError):
    """The file goes beyond a limit (``exceeded``: the domain's LimitExceeded); the message is for people."""

    def __init__(self, exceeded: LimitExceeded):
        self.exceeded = exceeded
        super().__init__(describe(exceeded))


class Table:
    """Rows of the first sheet, streamed, from ``path`` or from ``data`` (bytes; then ``name`` gives the type).

    Bounded by ``limits`` (default: ``limits_for("default")``): a zip-based workbook is inspected before it is
    loaded (inflated size, ratio, rows and rows × columns of its sheets); rows and time are counted while reading.
    Beyond a limit: ``LimitError``."""

    def __init__(self, path: Path | None = None, name: str | None = None, *, data: bytes | None = None,
                 limits: Limits | None = None):
        self.limits = limits or limits_for()
        self.path = Path(path) if path is not None else None
        self.data = data
        self.name = name or (self.path.name if self.path else "")
        self.size = len(data) if data is not None else self.path.stat().st_size
        suffix = Path(self.name).suffix.lower()
        if suffix not in SUFFIXES:
            raise TableError(f"unsupported file type {suffix or '(none)'}: use .xlsx, .xls, .ods or .csv")
        if self.size == 0:
            raise TableError("the file is empty")
        self.kind = "csv" if suffix in CSV_SUFFIXES else "sheet"
        self.suffix = suffix
        self._fraction = lambda: 0.0
        self.delimiter = ","
        self.reader = None  # the csv reader while a CSV file is being read (see bare_cells)

    def fraction(self) -> float:
        return self._fraction()

    def __iter__(self) -> Iterator[tuple[int, list]]:
        rows = self._csv() if self.kind == "csv" else self._sheet()
        return self._bounded(rows)

    def _bounded(self, rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
        budget = Budget(self.limits.seconds)
        cap = self.limits.rows
        try:
            for number, cells in rows:
                if number > cap:
                    raise LimitExceeded("rows", cap, number)
                if not number % CHECK_EVERY:
                    budget.check()
                yield number, cells
        except LimitExceeded as exc:
            raise LimitError(exc) from None
        finally:
            rows.close()

    def check_row(self, number: int) -> None:
        """The row cap, for readers that iterate ``bare_cells`` (past ``__iter__``)."""
        if number > self.limits.rows:
            raise LimitError(LimitExceeded("rows", self.limits.rows, number))

    def _open(self):
        return io.BytesIO(self.data) if self.data is not None else open(self.path, "rb")  # noqa: SIM115

    def _csv(self) -> Iterator[tuple[int, list]]:
        with self._open() as raw:
            head = raw.read(65536)
            if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or b"\x00" in head:
                raise TableError("not a text (CSV) file")
            try:
                sample = head.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
                    raise TableError("the CSV file is not UTF-8") from exc
                sample = head[: exc.start].decode("utf-8-sig")
            self.delimiter = sniff_delimiter(sample)
            raw.seek(0)
            self._fraction = lambda: raw.tell() / self.size
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            reader = self.reader = csv.reader(text, delimiter=self.delimiter)
            try:
                for cells in reader:
                    yield reader.line_num, cells
            except UnicodeDecodeError as exc:
                raise TableError(f"the CSV file is not UTF-8 (after line {reader.line_num})") from exc
            except csv.Error as exc:
                raise TableError(f"line {reader.line_num}: {exc}") from exc

    def _sheet(self) -> Iterator[tuple[int, list]]:
        from python_calamine import CalamineWorkbook

        limits = self.limits
        if self.suffix in ZIP_SUFFIXES:
            try:
                check_sheet_zip(io.BytesIO(self.data) if self.data is not None else str(self.path), self.suffix,
                                limits)
            except LimitExceeded:
                raise
            except Exception as exc:  # not a zip, or a damaged one
                raise TableError(f"not a readable spreadsheet ({type(exc).__name__})") from exc
        try:
            if self.data is not None:
                book = CalamineWorkbook.from_filelike(io.BytesIO(self.data))
            else:
                book = CalamineWorkbook.from_path(str(self.path))
            names = book.sheet_names
            if not names:
                raise TableError("the workbook has no sheet")
            sheet = book.get_sheet_by_index(0)
        except TableError:
            raise
        except Exception as exc:  # calamine raises its own errors for anything that is not a workbook
            raise TableError(f"not a readable spreadsheet ({type(exc).__name__})") from exc
        if sheet.height * sheet.width > limits.cells:  # .xls, and what the zip scan cannot see
            raise LimitExceeded("cells", limits.cells, sheet.height * sheet.width)
        total = max(sheet.total_height, 1)
        done = 0
        self._fraction = lambda: min(done / total, 1.0)
        for number, cells in enumerate(sheet.iter_rows(), start=1):  # calamine starts at the sheet's row 1
            done = number
            yield number, cells


def bare_cells(table: Table, pending: list[tuple[int, list]], rows: Iterator[tuple[int, list]]
               ) -> tuple[Iterator[list], list[int], object, int]:
    """The rows after the header as bare cell lists, for the million-row path: (cells, the row numbers of the
    ``pending`` rows that come first, the csv reader or None, the last pending row number).

    After the pending rows, a CSV row's number is the reader's ``line_num``; a spreadsheet's rows are consecutive.
    Iterating the csv reader directly spares a generator step per row; ``rows`` stays suspended (close it after).
    """
    reader = table.reader
    if getattr(rows, "gi_frame", True) is None:  # the generator is finished: everything is in pending
        reader, rest = None, iter(())
    else:
        rest = reader if reader is not None else (cells for _n, cells in rows)
    last = pending[-1][0] if pending else 0
    return chain([c for _n, c in pending], rest), [n for n, _c in pending], reader, last


def sniff_delimiter(sample: str) -> str:
    """";" or ",": the one that splits most sample lines into the same number (>1) of fields."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    best, best_score = ",", -1
    for delimiter in (",", ";"):
        counts: dict[int, int] = {}
        for row in csv.reader(lines, delimiter=delimiter):
            if len(row) > 1:
                counts[len(row)] = counts.get(len(row), 0) + 1
        score = max(counts.values(), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def cell_text(value) -> str:
    """A cell as text: "" for empty, 7810657.0 → "7810657", stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cell(value) -> str | dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return cell_text(value)


def read_rows(name: str, data: bytes, limits: Limits | None = None) -> list[list]:
    """All rows of the first sheet of a small file, cells as str (or date for spreadsheet dates)."""
    if len(data) > MAX_BYTES:
        raise TableError("file too large")
    return [[_cell(v) for v in cells] for _n, cells in Table(name=name, data=data, limits=limits)]


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
