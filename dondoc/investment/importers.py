"""`dondoc import plans FILE` and `dondoc import disbursements FILE`: read → validate → write, all or nothing.

Entry points for the `import` dispatcher: ``add_plans_arguments(parser)``/``handle_plans(options, stdout, stderr)``
and ``add_disbursements_arguments``/``handle_disbursements``; they return the exit status (0 done or a clean dry
run, 1 rejected — nothing written, 2 wrong usage). The web upload runs the same ``import_plans`` /
``import_disbursements`` through a job (``jobs.py``).

Streaming: the file is read row by row and disbursements are written in batches with one raw ``executemany``
(SQLite) or ``COPY`` (PostgreSQL) inside the import's transaction; any invalid row rolls everything back. The
batch is audited as one event (counts and file hash). Idempotent: a payment is identified by project, date,
amount and Treasury document number (or the file's hash and row); a cumulative figure is stored as the
difference from what is known; plan lines are compared with the stored ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from dondoc.core import audit, clock
from dondoc.domain import vn_numbers
from dondoc.domain.text import search_key

from .models import Assigner, BudgetLevel, Disbursement, ImportBatch, Investor, PlanLine, Project, Source
from .tables import AmountColumn, Layout, Table, TableError, bare_cells, find_layout, skip_row, source_in

MAX_ERRORS = 1000
FLUSH_ROWS = 10_000
PROGRESS_EVERY = 20_000
PREVIEW_ROWS = 10
UNITS = {"dong": vn_numbers.DONG, "trieu": vn_numbers.MILLION, "ty": vn_numbers.BILLION}
Progress = Callable[[int, float], None]
_CODE_FLOAT = re.compile(r"^(\d+)\.0+$")


class _Rollback(Exception):
    pass


@dataclass
class Outcome:
    """What an import did (or would do). ``errors`` non-empty means nothing was written."""

    kind: str
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    total_amount: int = 0
    projects: set = field(default_factory=set)
    warnings: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    preview: list[dict] = field(default_factory=list)
    batch_id: int | None = None
    file_hash: str = ""
    rejected_rows: set = field(default_factory=set)  # data rows with an error
    counted_rows: set = field(default_factory=set)  # rows counted in ``rows`` whose checks go on afterwards

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def error(self, row: int | None, column: str, message: str) -> None:
        self.error_count += 1
        if row is not None:
            self.rejected_rows.add(row)
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"row": row, "column": column, "message": message})

    def warn(self, row: int | None, column: str, message: str) -> None:
        if len(self.warnings) < MAX_ERRORS:
            self.warnings.append({"row": row, "column": column, "message": message})

    def as_dict(self) -> dict:
        """The --json contract."""
        # rows: every data row read, the rejected ones included (each once)
        rows = self.rows + len(self.rejected_rows - self.counted_rows)
        return {"rows": rows, "projects": len(self.projects), "created": self.created,
                "unchanged": self.unchanged, "warnings": self.warnings, "total_amount": str(self.total_amount),
                "errors": self.errors}

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


def parse_date(value) -> dt.date:
    """dd/mm/yyyy (d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy), yyyy-mm-dd, a spreadsheet date or serial number."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float | int) and not isinstance(value, bool) and 20000 < value < 80000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))  # Excel serial
    text = str(value or "").strip()
    if not text:
        raise ValueError("empty")
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time zone
        except ValueError:
            continue
    raise ValueError(text)


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _cell(cells: list, index: int | None):
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def _text(cells: list, index: int | None) -> str:
    value = _cell(cells, index)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if value is not None else ""


def _amount(out: Outcome, number: int, cells: list, col: AmountColumn) -> int | None:
    raw = _cell(cells, col.index)
    try:
        return vn_numbers.parse_amount(raw, col.unit)
    except ValueError:
        out.error(number, col.label, _("\"%(value)s\" is not an amount.") % {"value": raw})
        return None


def _check_units(out: Outcome, layout: Layout, roles: tuple[str, ...]) -> None:
    for col in layout.amounts:
        if col.role in roles and col.unit is None:
            out.error(None, col.label, _("The file states no unit for this column (\"Đơn vị: triệu đồng\" or "
                                         "\"(đồng)\" in the header); give --unit dong|trieu|ty."))


def _open(out: Outcome, path: Path, name: str | None, required: set[str], unit: int | None
          ) -> tuple[Table, Layout, list, Iterator] | None:
    """The table, its layout, the rows read past the header and the iterator of the rest (close it after)."""
    try:
        table = Table(path, name)
        rows = iter(table)
        layout, pending = find_layout(rows, required, unit)
    except TableError as exc:
        out.error(None, "", _("The file cannot be read: %(reason)s.") % {"reason": exc})
        return None
    except Exception as exc:  # a corrupt file must be an error message, never a traceback
        out.error(None, "", _("The file cannot be read: %(reason)s.") % {"reason": type(exc).__name__})
        return None
    return table, layout, pending, rows


class _Ticker:
    def __init__(self, table: Table, progress: Progress | None):
        self.table, self.progress, self.next = table, progress, PROGRESS_EVERY

    def __call__(self, rows: int) -> None:
        if rows >= self.next:
            self.next = rows + PROGRESS_EVERY
            if self.progress:
                self.progress(rows, self.table.fraction())


# Disbursements -------------------------------------------------------------------------------------------------


class BulkWriter:
    """Batches of disbursement rows into the table: INSERT OR IGNORE (SQLite) or COPY + ON CONFLICT (PostgreSQL),
    on the connection of the surrounding transaction. ``created`` counts the rows actually inserted.

    Rows are full tuples (COLUMNS) or, for the common payment, short ones (SHORT: no capital kind, source or
    cumulative flag) whose constant columns SQLite takes from the statement rather than binding them per row.
    (A writer thread was measured too: the GIL contention made the writes slower than they saved; ADR 0005.)
    """

    COLUMNS = ("project_id", "paid_on", "amount", "ref", "year", "extended", "source", "cumulative", "batch_id", "row")
    SHORT = ("project_id", "paid_on", "amount", "ref", "year", "row")
    CACHE_KIB = 32 * 1024  # SQLite page cache during the import (KiB)

    def __init__(self, batch_id: int):
        self.batch_id = batch_id
        self.rows: list[tuple] = []
        self.created = 0
        connection.ensure_connection()
        self.vendor = connection.vendor
        self.raw = connection.connection  # the DB-API connection of this transaction
        table = Disbursement._meta.db_table
        cols = ", ".join(self.COLUMNS)
        self.restore = None
        if self.vendor == "sqlite":
            self.sql = f"INSERT OR IGNORE INTO {table} ({cols}) VALUES ({', '.join('?' * len(self.COLUMNS))})"
            self.short_sql = (f"INSERT OR IGNORE INTO {table} ({cols}) VALUES (?, ?, ?, ?, ?, 0, '', 0, "
                              f"{int(batch_id)}, ?)")
            self.restore = self.raw.execute("PRAGMA cache_size").fetchone()[0]
            self.raw.execute(f"PRAGMA cache_size = -{self.CACHE_KIB}")
        elif self.vendor == "postgresql":
            with self.raw.cursor() as c:
                c.execute(f"CREATE TEMP TABLE IF NOT EXISTS _disb_in (LIKE {table} INCLUDING DEFAULTS) "
                          "ON COMMIT DROP")
                c.execute("ALTER TABLE _disb_in ALTER COLUMN id DROP NOT NULL")
            self.sql = (f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _disb_in "
                        "ON CONFLICT (ref, project_id, paid_on, amount) DO NOTHING")
            self.copy = f"COPY _disb_in ({cols}) FROM STDIN"

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.put(self.rows)
            self.rows = []

    def _full(self, row: tuple) -> tuple:
        pid, day, amount, ref, year, number = row
        return (pid, day, amount, ref, year, False, "", False, self.batch_id, number)

    def put(self, rows: Iterable[tuple], short: bool = False) -> None:
        """Insert ``rows`` (a list, or an iterator streamed through one executemany / COPY)."""
        if self.vendor == "sqlite":
            cursor = self.raw.cursor()
            cursor.executemany(self.short_sql if short else self.sql, rows)
            self.created += cursor.rowcount
            cursor.close()
            return
        if short:
            rows = map(self._full, rows)
        if self.vendor == "postgresql":
            with self.raw.cursor() as c:
                with c.copy(self.copy) as copy:
                    for row in rows:
                        copy.write_row(row)
                c.execute(self.sql)
                self.created += c.rowcount
                c.execute("TRUNCATE _disb_in")
        else:  # any other backend: the ORM
            objs = [Disbursement(**dict(zip(self.COLUMNS, r, strict=True))) for r in rows]
            self.created += len(Disbursement.objects.bulk_create(objs, ignore_conflicts=True))

    def close(self) -> None:
        """Write what is pending and restore the connection's settings."""
        self.flush()
        self.abort()

    def abort(self) -> None:
        self.rows = []
        if self.restore is not None:
            self.raw.execute(f"PRAGMA cache_size = {int(self.restore)}")
            self.restore = None


def _known_totals(year: int, as_of: dt.date, by_source: bool) -> dict[tuple, int]:
    """(project id, extended[, source]) -> sum of stored disbursements of the plan year up to ``as_of``."""
    fields = ["project_id", "extended"] + (["source"] if by_source else [])
    from django.db.models import Sum

    qs = Disbursement.objects.filter(year=year, paid_on__lte=as_of).values(*fields).annotate(total=Sum("amount"))
    return {tuple(r[f] for f in fields): r["total"] for r in qs}


def _disbursement_parts(out: Outcome, number: int, cells: list, cols: list[AmountColumn], capital_text: str,
                        row_source: str) -> list[tuple[int, bool, str, str]] | None:
    """(amount, extended, source, tag) of a row: totals, source columns, "of which extended capital"."""
    total = ext = None
    sources: dict[str, int] = {}
    bad = False
    for col in cols:
        value = _amount(out, number, cells, col)
        if value is None:
            bad = bad or _text(cells, col.index) != ""
            continue
        if col.part == "total":
            total = value if total is None else total + value
        elif col.part == "of_extended":
            ext = value if ext is None else ext + value
        else:
            sources[col.source or "KHAC"] = sources.get(col.source or "KHAC", 0) + value
    if bad:
        return None
    whole_extended = "keo dai" in search_key(capital_text)
    parts: list[tuple[int, bool, str, str]] = []
    if sources and ext is None:
        parts = [(v, whole_extended, s, s) for s, v in sorted(sources.items()) if v]
    else:
        base = total if total is not None else (sum(sources.values()) if sources else None)
        if base is None and ext is None:
            return []
        nonzero = [s for s, v in sources.items() if v]
        src = row_source or (nonzero[0] if len(nonzero) == 1 else "")
        if ext:
            parts.append((ext, True, src, "KD"))
        current = (base or 0) - (ext or 0)
        if current:
            parts.append((current, whole_extended, src, ""))
    return parts


def import_disbursements(*, path: Path, name: str | None = None, as_of: dt.date | None = None,
                         unit: int | None = None, year: int | None = None, dry_run: bool = False, actor=None,
                         progress: Progress | None = None) -> Outcome:
    """Payments (rows with a date) or cumulative amounts as of a date. Unknown project codes are errors."""
    out = Outcome("disbursements")
    opened = _open(out, path, name, {"code", "disbursed"}, unit)
    if opened is None:
        return out
    table, layout, pending, rows = opened
    try:
        return _import_disbursements(out, table, layout, pending, rows, as_of=as_of, unit=unit, year=year,
                                     dry_run=dry_run, actor=actor, progress=progress)
    finally:
        rows.close()


def _import_disbursements(out: Outcome, table: Table, layout: Layout, pending: list, rows, *, as_of, unit, year,
                          dry_run, actor, progress) -> Outcome:
    cols = layout.columns("disbursed")
    if "code" not in layout.fields or not cols:
        out.error(None, "", _("No column of amounts disbursed (\"Giải ngân\", \"Số tiền\", \"Lũy kế giải ngân\")."))
        return out
    _check_units(out, layout, ("disbursed",))
    payments = "date" in layout.fields
    cum_date = None if payments else (as_of or layout.date)
    if not payments and cum_date is None:
        out.error(None, "", _("A file of cumulative amounts needs their date: in the header (\"Giải ngân đến "
                              "ngày 30/9/2020\") or --as-of."))
    if not out.ok:
        return out
    out.file_hash = file_digest(table.path)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                kind=ImportBatch.Kind.DISBURSEMENTS, file_name=table.name, file_hash=out.file_hash,
                as_of=cum_date or as_of, actor=actor if getattr(actor, "is_authenticated", False) else None,
                options={"unit": unit, "year": year, "as_of": (as_of or cum_date or "") and str(as_of or cum_date)})
            writer = BulkWriter(batch.pk)
            try:
                if payments:
                    _payments(out, table, layout, pending, rows, cols, batch.pk, year, writer, progress)
                else:
                    _cumulative(out, table, layout, chain(pending, rows), cols, batch.pk, year or cum_date.year, cum_date, writer,
                                progress)
            finally:
                if out.ok:
                    writer.close()
                else:
                    writer.abort()
            if out.ok and out.rows == 0:
                out.error(None, "", _("The file has no data rows."))
            if not out.ok:
                raise _Rollback
            created = writer.created
            if payments:
                out.created, out.unchanged = created, out.rows - created
            out.batch_id = batch.pk
            if out.created == 0:
                transaction.set_rollback(True)  # nothing new: no batch, no audit event
                out.batch_id = None
                return out
            _finish(batch, out, actor)
            if dry_run:
                transaction.set_rollback(True)
                out.batch_id = None
    except _Rollback:
        out.batch_id = None
    except (TableError, UnicodeDecodeError, csv.Error) as exc:  # the last two: the csv reader read directly
        reason = "the CSV file is not UTF-8" if isinstance(exc, UnicodeDecodeError) else exc
        out.error(None, "", _("The file cannot be read: %(reason)s.") % {"reason": reason})
        out.batch_id = None
    return out


def _finish(batch: ImportBatch, out: Outcome, actor) -> None:
    batch.rows, batch.created, batch.unchanged = out.rows, out.created, out.unchanged
    batch.total_amount, batch.warnings = out.total_amount, out.warnings[:100]
    batch.save(update_fields=["rows", "created", "unchanged", "total_amount", "warnings"])
    audit.record(actor=actor, kind=f"investment.import_{batch.kind}", target=batch,
                 new={"file": batch.file_name, "file_hash": batch.file_hash, "rows": out.rows,
                      "projects": len(out.projects), "created": out.created, "unchanged": out.unchanged,
                      "total_amount": out.total_amount, "warnings": len(out.warnings)})


def _project_index() -> dict[str, int]:
    return dict(Project.objects.values_list("code", "id"))


def _find_project(out: Outcome, projects: dict[str, int], number: int, cells: list, layout: Layout,
                  code_raw) -> int | None:
    """The project id of a row, or None for a row that is not data (group, subtotal) or is wrong (error)."""
    code = norm_code(code_raw)
    pid = projects.get(code)
    if pid is not None:
        return pid
    if skip_row(cells, layout):
        return None
    column = layout.label("code")
    if not code:
        out.error(number, column, _("The project code is missing."))
    else:
        out.error(number, column, _("Unknown project code %(code)s.") % {"code": code})
    return None


def _payments(out: Outcome, table: Table, layout: Layout, pending: list, rows: Iterator, cols: list[AmountColumn],
              batch_id: int, year: int | None, writer: BulkWriter, progress: Progress | None) -> None:
    """One row per payment. The common shape (one amount column) is streamed straight into one executemany
    (COPY on PostgreSQL): parse, check and insert in one pass, no intermediate lists; 1M rows in seconds."""
    simple = len(cols) == 1 and cols[0].part == "total" and not {"capital", "source"} & set(layout.fields)
    projects = _project_index()  # read before the stream starts: nothing may query while a COPY runs
    produced = _payment_rows(out, projects, table, layout, pending, rows, cols, batch_id, year, writer, progress,
                             simple)
    if simple:
        writer.put(produced, short=True)
    else:
        for _row in produced:  # the general shape writes through writer.add
            pass


def _payment_rows(out: Outcome, projects: dict[str, int], table: Table, layout: Layout, pending: list,
                  rows: Iterator, cols: list[AmountColumn], batch_id: int, year: int | None, writer: BulkWriter,
                  progress: Progress | None, simple: bool) -> Iterator[tuple]:
    """The rows to insert (short tuples) for the simple shape; the general shape goes through ``writer.add``.
    Once an error is found nothing more is yielded (the transaction is rolled back), but checking goes on.
    It must not touch the database: it runs inside the executemany / COPY it feeds."""
    tick = _Ticker(table, progress)
    code_i, date_i = layout.fields["code"], layout.fields["date"]
    doc_i = layout.fields.get("docno")
    cap_i, src_i = layout.fields.get("capital"), layout.fields.get("source")
    amount_i, unit = cols[0].index, cols[0].unit or 1
    width = max([code_i, date_i, amount_i, doc_i or 0, cap_i or 0, src_i or 0] + [c.index for c in cols]) + 1
    prefix = f"#{out.file_hash[:12]}:"
    dates: dict = {}
    pids = out.projects
    n_rows = total = 0
    next_tick = tick.next
    amount_label = cols[0].label
    clean = out.ok
    preview = PREVIEW_ROWS
    cells_iter, numbers, reader, number = bare_cells(table, pending, rows)
    first = len(numbers)
    index = 0
    for cells in cells_iter:
        if index < first:
            number = numbers[index]
            index += 1
        elif reader is not None:
            number = reader.line_num
        else:
            number += 1
        if len(cells) < width:
            cells = list(cells) + [""] * (width - len(cells))
        code = cells[code_i]
        pid = projects.get(code) if type(code) is str else None
        if pid is None:
            pid = _find_project(out, projects, number, cells, layout, code)
            clean = out.ok
            if pid is None:
                continue
        raw_date = cells[date_i]
        day = dates.get(raw_date)
        if day is None:
            try:
                parsed = parse_date(raw_date)
            except (ValueError, TypeError):
                out.error(number, layout.label("date"), _("\"%(value)s\" is not a date (dd/mm/yyyy).")
                          % {"value": raw_date})
                clean = False
                continue
            day = dates[raw_date] = (parsed.isoformat(), year or parsed.year)
        if doc_i is None:
            ref = f"{prefix}{number:09d}"
        else:
            ref = cells[doc_i]
            ref = ref.strip() if type(ref) is str else _text(cells, doc_i)
            if not ref:
                ref = f"{prefix}{number:09d}"
        if simple:
            raw = cells[amount_i]
            if type(raw) is str and raw.isdigit():
                amount = int(raw) * unit
            else:
                try:
                    amount = vn_numbers.parse_amount(raw, unit)
                except ValueError:
                    amount = None
                if amount is None:
                    out.error(number, amount_label, _("\"%(value)s\" is not an amount.") % {"value": raw}
                              if _text(cells, amount_i) else _("The amount is missing."))
                    clean = False
                    continue
                if amount < 0:
                    _negative(out, number, amount_label, amount)
            n_rows += 1
            total += amount
            pids.add(pid)
            if clean:
                yield (pid, day[0], amount, ref, day[1], number)
            if preview:
                preview -= 1
                out.preview.append({"row": number, "code": norm_code(code), "date": day[0], "amount": str(amount),
                                    "extended": False})
        else:
            parts = _disbursement_parts(out, number, cells, cols, _text(cells, cap_i),
                                        (source_in(_text(cells, src_i)) or "") if src_i is not None else "")
            if parts == []:
                out.error(number, amount_label, _("The amount is missing."))
            clean = out.ok
            if not parts:
                continue
            n_rows += 1
            if number in out.rejected_rows:  # counted here and rejected: count it once
                out.counted_rows.add(number)
            pids.add(pid)
            for amount, extended, source, tag in parts:
                total += amount
                if amount < 0:
                    _negative(out, number, amount_label, amount)
                if clean:
                    writer.add((pid, day[0], amount, f"{ref}/{tag}" if tag else ref, day[1], extended, source,
                                False, batch_id, number))
            if preview:
                preview -= 1
                out.preview.append({"row": number, "code": norm_code(code), "date": day[0],
                                    "amount": str(sum(p[0] for p in parts)), "extended": any(p[1] for p in parts)})
        if n_rows >= next_tick:
            tick(n_rows)
            next_tick = tick.next
    out.rows, out.total_amount = n_rows, total


def _negative(out: Outcome, number: int, label: str, amount: int) -> None:
    out.warn(number, label, _("Negative amount %(amount)s đồng (a recovery) stored as a correction.")
             % {"amount": vn_numbers.format_number(amount)})


def _cumulative(out: Outcome, table: Table, layout: Layout, rows: Iterator, cols: list[AmountColumn],
                batch_id: int, year: int, as_of: dt.date, writer: BulkWriter, progress: Progress | None) -> None:
    projects = _project_index()
    by_source = any(c.part == "source" for c in cols)
    known = _known_totals(year, as_of, by_source)
    tick = _Ticker(table, progress)
    code_i = layout.fields["code"]
    cap_i, src_i = layout.fields.get("capital"), layout.fields.get("source")
    seen: dict[int, int] = {}
    prefix = f"~{out.file_hash[:12]}:"
    iso = as_of.isoformat()
    codes = {v: k for k, v in projects.items()}
    for number, cells in rows:
        if number <= layout.data_after:
            continue
        pid = _find_project(out, projects, number, cells, layout, _cell(cells, code_i))
        if pid is None:
            continue
        if pid in seen:
            out.error(number, layout.label("code"), _("Project %(code)s already appears on row %(row)s.")
                      % {"code": codes[pid], "row": seen[pid]})
            continue
        seen[pid] = number
        parts = _disbursement_parts(out, number, cells, cols, _text(cells, cap_i),
                                    (source_in(_text(cells, src_i)) or "") if src_i is not None else "")
        if parts is None:
            continue
        out.rows += 1
        out.counted_rows.add(number)
        out.projects.add(pid)
        changed = False
        stated: dict[tuple, int] = defaultdict(int)
        for amount, extended, source, _tag in parts:
            stated[(extended, source if by_source else "")] += amount
            out.total_amount += amount
        for extended in (False, True):  # a capital kind the row leaves out is not a statement of zero
            for (ext, source), amount in sorted(stated.items()):
                if ext != extended:
                    continue
                key = (pid, extended, source) if by_source else (pid, extended)
                diff = amount - known.get(key, 0)
                if diff == 0:
                    continue
                if diff < 0:
                    out.warn(number, cols[0].label, _(
                        "Project %(code)s: cumulative %(new)s đồng is lower than the %(old)s đồng known; the "
                        "difference %(diff)s đồng is stored as a correction.") % {
                        "code": codes[pid], "new": vn_numbers.format_number(amount),
                        "old": vn_numbers.format_number(known.get(key, 0)), "diff": vn_numbers.format_number(diff)})
                tag = ("KD" if extended else "") + (f"/{source}" if source else "")
                writer.add((pid, iso, diff, f"{prefix}{number:09d}{'/' + tag if tag else ''}", year, extended, source,
                            True, batch_id, number))
                changed = True
        if changed:
            out.created += 1
        else:
            out.unchanged += 1
        if len(out.preview) < PREVIEW_ROWS:
            out.preview.append({"row": number, "code": codes[pid], "date": iso,
                                "amount": str(sum(p[0] for p in parts)), "extended": any(p[1] for p in parts)})
        tick(out.rows)


# Plans ---------------------------------------------------------------------------------------------------------


def resolve_agency(name: str, registry, agencies: dict[str, object]):
    """The registry agency an investor rolls up to: its own name, or a district/department named inside it
    ("Ban QLDA đầu tư xây dựng huyện Bát Xát" → UBND huyện Bát Xát)."""
    code = registry.resolve(name)
    if code and code in agencies:
        return agencies[code]
    key = f" {search_key(name)} "
    best = None
    for agency in agencies.values():
        bare = search_key(agency.name)
        for prefix in ("ubnd ", "uy ban nhan dan "):
            if bare.startswith(prefix):
                bare = bare[len(prefix):]
        if len(bare) > 6 and f" {bare} " in key and (best is None or len(bare) > best[0]):
            best = (len(bare), agency)
    return best[1] if best else None


def budget_level(source: str, agency) -> str:
    if source in (Source.NSTW, Source.ODA, Source.CTMTQG):
        return BudgetLevel.CENTRAL
    return BudgetLevel.DISTRICT if agency is not None and agency.kind == "district" else BudgetLevel.PROVINCE


def _plan_lines(out: Outcome, number: int, cells: list, layout: Layout, plan_year: int, row_source: str | None
                ) -> list[tuple[str, int, int]] | None:
    """(source, year of origin, amount) of a plan row; None when a cell is wrong (errors recorded)."""
    values: dict[int, int | None] = {}
    bad = False
    for col in layout.amounts:
        if col.role in ("plan", "extended"):
            values[col.index] = _amount(out, number, cells, col)
            if values[col.index] is None and _text(cells, col.index):
                bad = True
            elif (values[col.index] or 0) < 0:
                out.error(number, col.label, _("A plan amount cannot be negative."))
                bad = True
    if bad:
        return None
    plan = layout.columns("plan")
    ext = layout.columns("extended")
    p_total = next((values[c.index] for c in plan if c.part == "total" and values[c.index] is not None), None)
    p_src = {c.source: values[c.index] or 0 for c in plan if c.part == "source"}
    p_of = next((c for c in plan if c.part == "of_extended"), None)
    years = [y for c in ext + ([p_of] if p_of else []) for y in c.years if y < plan_year]
    origin = max(years) if years else plan_year - 1
    ext_lines: dict[str, int] = {}
    if ext:
        e_src = {c.source: values[c.index] or 0 for c in ext if c.part == "source"}
        e_total = sum(values[c.index] or 0 for c in ext if c.part == "total")
        ext_lines = {s: v for s, v in e_src.items() if v} if e_src else (
            {row_source or Source.OTHER: e_total} if e_total else {})
    elif p_of is not None and values.get(p_of.index):
        nonzero = [s for s, v in p_src.items() if v]
        src = row_source or (nonzero[0] if len(nonzero) == 1 else None) or (None if p_src else Source.OTHER)
        if src is None:
            out.error(number, p_of.label, _("Cannot tell which funding source the extended capital belongs to: "
                                            "add a \"Nguồn vốn\" column."))
            return None
        ext_lines = {src: values[p_of.index]}
    ext_sum = sum(ext_lines.values())
    inclusive = p_of is not None or any(c.includes_extended for c in plan)
    if p_src:
        current = dict(p_src)
        if p_total is not None and p_of is None and sum(current.values()) != p_total and not inclusive:
            out.warn(number, plan[0].label, _("\"Tổng số\" %(total)s differs from the sum of the sources %(sum)s.")
                     % {"total": vn_numbers.format_number(p_total),
                        "sum": vn_numbers.format_number(sum(current.values()))})
        if inclusive and ext_sum and not (p_total is not None and sum(current.values()) == p_total - ext_sum):
            for s, v in ext_lines.items():
                current[s] = current.get(s, 0) - v
                if current[s] < 0:
                    out.error(number, p_of.label if p_of else plan[0].label,
                              _("The extended capital is larger than the %(source)s plan it is part of.")
                              % {"source": s})
                    return None
    elif plan:
        amount = (p_total or 0) - (ext_sum if inclusive else 0)
        if amount < 0:
            out.error(number, plan[0].label, _("The extended capital is larger than the plan it is part of."))
            return None
        current = {row_source or Source.OTHER: amount}
    else:
        current = {}
    lines = [(s, plan_year, v) for s, v in current.items()] + [(s, origin, v) for s, v in ext_lines.items()]
    return lines


def _latest_lines(year: int) -> dict[tuple, PlanLine]:
    latest: dict[tuple, PlanLine] = {}
    for line in PlanLine.objects.filter(year=year).order_by("id"):
        latest[line.key] = line
    return latest


def import_plans(*, path: Path, name: str | None = None, as_of: dt.date | None = None, unit: int | None = None,
                 year: int | None = None, assigner: str = Assigner.TINH, decision: str = "", revised: bool = False,
                 dry_run: bool = False, actor=None, progress: Progress | None = None) -> Outcome:
    """Capital plans: projects and investors created as met; plan lines compared with the stored ones."""
    from dondoc.accounts.models import Agency
    from dondoc.accounts.reference import registry_from_db

    out = Outcome("plans")
    opened = _open(out, path, name, {"code", "plan"}, unit)
    if opened is None:
        return out
    table, layout, pending, rest = opened
    rows = chain(pending, rest)
    if "code" not in layout.fields or not [c for c in layout.amounts if c.role in ("plan", "extended")]:
        out.error(None, "", _("No column of capital plan amounts (\"Kế hoạch vốn năm …\", \"Vốn kéo dài\")."))
        return out
    _check_units(out, layout, ("plan", "extended"))
    plan_year = year or layout.year
    if plan_year is None:
        out.error(None, "", _("The plan year is not stated (\"năm 2020\" in the title or header); give --year."))
    if not out.ok:
        return out
    out.file_hash = file_digest(table.path)
    registry = registry_from_db()
    agencies = {a.code: a for a in Agency.objects.all()}
    projects = {p.code: p for p in Project.objects.select_related("investor")}
    investors = {i.search_name: i for i in Investor.objects.select_related("agency")}
    latest = _latest_lines(plan_year)
    effective = as_of or (clock.today() if revised else None)
    kind = PlanLine.Kind.REVISED if revised else PlanLine.Kind.ORIGINAL
    tick = _Ticker(table, progress)
    f = layout.fields
    seen: dict[tuple, int] = {}
    new_lines: list[PlanLine] = []
    real_actor = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                kind=ImportBatch.Kind.PLANS, file_name=table.name, file_hash=out.file_hash, as_of=as_of,
                actor=real_actor, options={"year": plan_year, "assigner": assigner, "decision": decision,
                                           "revised": revised, "unit": unit})
            for number, cells in rows:
                if number <= layout.data_after:
                    continue
                code = norm_code(_cell(cells, f["code"]))
                if not code:
                    if skip_row(cells, layout):
                        continue
                    out.error(number, layout.label("code"), _("The project code is missing."))
                    continue
                lines = _plan_lines(out, number, cells, layout, plan_year,
                                    source_in(_text(cells, f.get("source"))) if "source" in f else None)
                if lines is None:
                    continue
                out.rows += 1
                out.counted_rows.add(number)
                row_changed = False
                project = projects.get(code)
                investor_name = " ".join(_text(cells, f.get("investor")).split())
                project_name = " ".join(_text(cells, f.get("name")).split())
                if project is None:
                    if not project_name:
                        out.error(number, layout.label("name") if "name" in f else "",
                                  _("New project %(code)s has no name.") % {"code": code})
                        continue
                    if not investor_name:
                        out.error(number, layout.label("investor") if "investor" in f else "",
                                  _("New project %(code)s has no investor (\"Chủ đầu tư\").") % {"code": code})
                        continue
                    investor = investors.get(search_key(investor_name))
                    if investor is None:
                        investor = Investor.objects.create(
                            name=investor_name, agency=resolve_agency(investor_name, registry, agencies))
                        investors[investor.search_name] = investor
                        if investor.agency is None:
                            out.warn(number, layout.label("investor"), _(
                                "Investor \"%(name)s\" is not linked to an agency of the registry; set its agency "
                                "so that the agency's officers see it.") % {"name": investor_name})
                    try:
                        total_investment = vn_numbers.parse_amount(_cell(cells, f.get("total_investment")),
                                                                   layout.note_unit or unit or vn_numbers.MILLION)
                    except ValueError:
                        total_investment = None
                    project = Project.objects.create(
                        code=code, name=project_name[:500], investor=investor, group=_text(cells, f.get("group"))[:16],
                        district=_text(cells, f.get("district"))[:100], total_investment=total_investment,
                        leader=_text(cells, f.get("leader"))[:255])
                    projects[code] = project
                    row_changed = True
                elif investor_name and search_key(investor_name) != project.investor.search_name:
                    out.warn(number, layout.label("investor"), _(
                        "Project %(code)s belongs to \"%(stored)s\"; the file says \"%(file)s\" (kept as stored).")
                        % {"code": code, "stored": project.investor.name, "file": investor_name})
                out.projects.add(code)
                for source, origin, amount in lines:
                    out.total_amount += amount
                    key = (project.pk, source, plan_year, origin, assigner)
                    if key in seen:
                        out.error(number, layout.label("code"), _(
                            "Project %(code)s already has this plan line on row %(row)s.")
                            % {"code": code, "row": seen[key]})
                        continue
                    seen[key] = number
                    stored = latest.get(key)
                    if stored is not None and stored.amount == amount:
                        continue
                    if stored is None and amount == 0:
                        continue
                    if stored is not None and not revised:
                        out.error(number, layout.label("code"), _(
                            "Project %(code)s: the stored %(source)s plan is %(old)s đồng, the file says %(new)s; "
                            "import a changed plan with --revised and --decision.")
                            % {"code": code, "source": Source(source).label, "old":
                               vn_numbers.format_number(stored.amount), "new": vn_numbers.format_number(amount)})
                        continue
                    new_lines.append(PlanLine(
                        project=project, source=source, year=plan_year, origin_year=origin, assigner=assigner,
                        kind=kind, amount=amount, decision=decision[:255], effective_on=effective, batch=batch,
                        budget_level=budget_level(source, project.investor.agency)))
                    row_changed = True
                if row_changed:
                    out.created += 1
                else:
                    out.unchanged += 1
                if len(out.preview) < PREVIEW_ROWS:
                    out.preview.append({"row": number, "code": code, "name": project.name,
                                        "investor": project.investor.name,
                                        "amount": str(sum(v for _s, _o, v in lines)),
                                        "lines": [{"source": s, "origin_year": o, "amount": str(v)}
                                                  for s, o, v in lines]})
                if len(new_lines) >= 1000 and out.ok:
                    PlanLine.objects.bulk_create(new_lines)
                    new_lines = []
                tick(out.rows)
            if out.ok and out.rows == 0:
                out.error(None, "", _("The file has no data rows."))
            if not out.ok:
                raise _Rollback
            PlanLine.objects.bulk_create(new_lines)
            if out.created == 0:
                transaction.set_rollback(True)
                return out
            out.batch_id = batch.pk
            _finish(batch, out, actor)
            if dry_run:
                transaction.set_rollback(True)
                out.batch_id = None
    except _Rollback:
        out.batch_id = None
    except TableError as exc:
        out.error(None, "", _("The file cannot be read: %(reason)s.") % {"reason": exc})
        out.batch_id = None
    finally:
        rest.close()
    return out


# Command-line adapters -------------------------------------------------------------------------------------------


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
                          f"{vn_numbers.format_number(rows)} rows ({vn_numbers.format_number(rate)}/s)")
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
             f"{out.unchanged} unchanged, total {vn_numbers.format_number(out.total_amount)} đồng"
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
    out = import_plans(path=parsed["path"], as_of=parsed["as_of"], unit=parsed["unit"], year=parsed["year"],
                       assigner=options.get("assigner") or Assigner.TINH, decision=options.get("decision") or "",
                       revised=bool(options.get("revised")), dry_run=parsed["dry_run"], progress=bar)
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
