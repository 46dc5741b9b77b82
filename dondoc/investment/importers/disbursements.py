"""`dondoc import disbursements FILE`: payments (one row each, streamed) or cumulative amounts as of a date."""

from __future__ import annotations

import csv
import datetime as dt
from array import array
from collections import defaultdict
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dondoc.domain import vn_numbers
from dondoc.domain.formats import format_number
from dondoc.domain.text import search_key
from dondoc.domain.vn_dates import parse_date
from dondoc.importers.tables import Table, TableError, bare_cells

from .. import actions
from ..models import ImportBatch, Project
from .bulk import BulkWriter, known_totals
from .common import (
    PREVIEW_ROWS,
    Outcome,
    Progress,
    Ticker,
    amount_at,
    amount_clear,
    cell_at,
    check_units,
    file_digest,
    norm_code,
    open_layout,
    text_at,
)
from .layout import AmountColumn, Layout, skip_row, source_in


def _disbursement_parts(out: Outcome, number: int, cells: list, cols: list[AmountColumn], capital_text: str,
                        row_source: str) -> list[tuple[int, bool, str, str]] | None:
    """(amount, extended, source, tag) of a row: totals, source columns, "of which extended capital"."""
    total = ext = None
    sources: dict[str, int] = {}
    bad = False
    for col in cols:
        value = amount_at(out, number, cells, col)
        if value is None:
            bad = bad or text_at(cells, col.index) != ""
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
    opened = open_layout(out, path, name, {"code", "disbursed"}, unit)
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
    check_units(out, layout, ("disbursed",))
    payments = "date" in layout.fields
    cum_date = None if payments else (as_of or layout.date)
    if not payments and cum_date is None:
        out.error(None, "", _("A file of cumulative amounts needs their date: in the header (\"Giải ngân đến "
                              "ngày 30/9/2020\") or --as-of."))
    if not out.ok:
        return out
    out.file_hash = file_digest(table.path)

    def apply(batch, write) -> Outcome:
        writer = BulkWriter(batch.pk, write)
        try:
            if payments:
                _payments(out, table, layout, pending, rows, cols, batch.pk, year, writer, progress)
            else:
                _cumulative(out, table, layout, chain(pending, rows), cols, batch.pk, year or cum_date.year, cum_date,
                            writer, progress)
        finally:
            if out.ok:
                writer.close()
            else:
                writer.abort()
        if out.ok and out.rows == 0:
            out.error(None, "", _("The file has no data rows."))
        if payments and out.ok:
            out.created, out.unchanged = writer.created, out.rows - writer.created
        return out

    try:
        batch = actions.import_staged(
            actor=actor, kind=ImportBatch.Kind.DISBURSEMENTS, file_name=table.name, file_hash=out.file_hash,
            as_of=cum_date or as_of, options={"unit": unit, "year": year,
                                              "as_of": (as_of or cum_date or "") and str(as_of or cum_date)},
            dry_run=dry_run, apply=apply)
        out.batch_id = batch.pk if batch else None
    except ValidationError as exc:  # another disbursement file is being imported
        out.error(None, "", " ".join(exc.messages))
        out.batch_id = None
    except (TableError, UnicodeDecodeError, csv.Error) as exc:  # the last two: the csv reader read directly
        reason = "the CSV file is not UTF-8" if isinstance(exc, UnicodeDecodeError) else exc
        out.error(None, "", _("The file cannot be read: %(reason)s.") % {"reason": reason})
        out.batch_id = None
    return out


class FirstRows:
    """The row each identity hash was first seen on. A set of the hashes and two flat arrays (hash, row) in the order
    read: ~80 bytes a row, where a dict of a million hashes to row numbers takes ~110 MB (the import's peak memory
    stays under 200 MB). The first row of a repeated hash is looked up in a dict built from the arrays at the first
    repeat (a file with repeated payments pays the dict's memory, one without does not)."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.keys = array("q")
        self.rows = array("q")
        self.firsts: dict[int, int] | None = None

    def add(self, key: int, row: int) -> None:
        """Remember a new ``key`` (not in ``seen``) first seen on ``row``."""
        self.seen.add(key)
        if self.firsts is None:
            self.keys.append(key)
            self.rows.append(row)
        else:
            self.firsts[key] = row

    def first(self, key: int, row: int) -> int:
        """The first row of ``key``: ``row`` when it is new (then remembered)."""
        if key not in self.seen:
            self.add(key, row)
            return row
        if self.firsts is None:
            self.firsts = {}
            for k, r in zip(self.keys, self.rows, strict=True):
                self.firsts.setdefault(k, r)
            self.keys, self.rows = array("q"), array("q")
        return self.firsts[key]


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
    """One row per payment. The common shape (one amount column) is streamed into executemany (COPY on
    PostgreSQL) ``FLUSH_ROWS`` at a time, each its own short transaction: parse, check and insert in one pass."""
    simple = len(cols) == 1 and cols[0].part == "total" and not {"capital", "source"} & set(layout.fields)
    projects = _project_index()  # read before the stream starts: nothing may query while a COPY runs
    produced = _payment_rows(out, projects, table, layout, pending, rows, cols, batch_id, year, writer, progress,
                             simple)
    if simple:
        writer.stream(produced, short=True)
    else:
        for _row in produced:  # the general shape writes through writer.add
            pass


def _payment_rows(out: Outcome, projects: dict[str, int], table: Table, layout: Layout, pending: list,
                  rows: Iterator, cols: list[AmountColumn], batch_id: int, year: int | None, writer: BulkWriter,
                  progress: Progress | None, simple: bool) -> Iterator[tuple]:
    """The rows to insert (short tuples) for the simple shape; the general shape goes through ``writer.add``.
    Once an error is found nothing more is yielded (the transaction is rolled back), but checking goes on.
    It does not touch the database (it once ran inside the executemany it feeds)."""
    tick = Ticker(table, progress)
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
    seen = FirstRows()  # hash of a payment's identity -> its first row
    seen_hashes, remember = seen.seen, seen.add  # the common case inline: a new identity
    has_doc = doc_i is not None
    # Per-column fast path: once the file has shown Vietnamese separators (dots between thousands), an amount that
    # is only digits in groups of three after dots reads as the general parser would read it, with no doubt
    # (amount_doubt) and no change of convention (SeparatorStyles) — so it skips both.
    dots = out.styles.style == "vi"
    dot_groups = vn_numbers.DOT_GROUPS.match
    cells_iter, numbers, reader, number = bare_cells(table, pending, rows)
    first = len(numbers)
    index = 0
    row_cap = table.limits.rows
    for cells in cells_iter:
        if index < first:
            number = numbers[index]
            index += 1
        elif reader is not None:
            number = reader.line_num
        else:
            number += 1
        if number > row_cap:  # a CSV read past Table.__iter__
            table.check_row(number)
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
            ref = ref.strip() if type(ref) is str else text_at(cells, doc_i)
            if not ref:
                ref = f"{prefix}{number:09d}"
        if simple:
            raw = cells[amount_i]
            if type(raw) is str and raw.isdigit():
                amount = int(raw) * unit
            elif dots and type(raw) is str and dot_groups(raw):  # "1.234.567" once the file writes dots: exact
                amount = int(raw.replace(".", "")) * unit
            else:
                if type(raw) is str and not amount_clear(out, number, amount_label, raw, unit):
                    clean = False
                    continue
                dots = out.styles.style == "vi"
                try:
                    amount = vn_numbers.parse_amount(raw, unit)
                except ValueError:
                    amount = None
                if amount is None:
                    out.error(number, amount_label, _("\"%(value)s\" is not an amount.") % {"value": raw}
                              if text_at(cells, amount_i) else _("The amount is missing."))
                    clean = False
                    continue
                if amount < 0:
                    _negative(out, number, amount_label, amount)
            identity = hash((pid, day[0], amount, ref if has_doc else ""))
            if identity not in seen_hashes:
                remember(identity, number)
            elif _same_payment(out, number, seen.first(identity, number), amount_label, has_doc):
                clean = False
                continue
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
            parts = _disbursement_parts(out, number, cells, cols, text_at(cells, cap_i),
                                        (source_in(text_at(cells, src_i)) or "") if src_i is not None else "")
            if parts == []:
                out.error(number, amount_label, _("The amount is missing."))
            if parts:
                first_row = seen.first(hash((pid, day[0], tuple(parts), ref if has_doc else "")), number)
                if first_row != number and _same_payment(out, number, first_row, amount_label, has_doc):
                    parts = None
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


def _same_payment(out: Outcome, number: int, first: int, label: str, has_doc: bool) -> bool:
    """Two rows of one file with the same identity. With document numbers they would collapse into one payment:
    an error (True). Without, each row is its own payment (they are kept): a warning naming both rows."""
    if has_doc:
        out.error(number, label, _("Rows %(first)s and %(row)s are the same payment (project, date, document number "
                                   "and amount): list a payment once; if they are two payments, give them "
                                   "different document numbers.") % {"first": first, "row": number},
                  "duplicate_payment")
        return True
    out.warn(number, label, _("Rows %(first)s and %(row)s have the same project, date and amount; both are stored "
                              "as two payments (the file has no document numbers to tell them apart): delete one "
                              "if it is listed twice.") % {"first": first, "row": number}, "same_payment")
    return False


def _negative(out: Outcome, number: int, label: str, amount: int) -> None:
    out.warn(number, label, _("Negative amount %(amount)s đồng (a recovery) stored as a correction.")
             % {"amount": format_number(amount)})


def _cumulative(out: Outcome, table: Table, layout: Layout, rows: Iterator, cols: list[AmountColumn],
                batch_id: int, year: int, as_of: dt.date, writer: BulkWriter, progress: Progress | None) -> None:
    projects = _project_index()
    by_source = any(c.part == "source" for c in cols)
    known = known_totals(year, as_of, by_source)
    tick = Ticker(table, progress)
    code_i = layout.fields["code"]
    cap_i, src_i = layout.fields.get("capital"), layout.fields.get("source")
    seen: dict[int, int] = {}
    prefix = f"~{out.file_hash[:12]}:"
    iso = as_of.isoformat()
    codes = {v: k for k, v in projects.items()}
    for number, cells in rows:
        if number <= layout.data_after:
            continue
        pid = _find_project(out, projects, number, cells, layout, cell_at(cells, code_i))
        if pid is None:
            continue
        if pid in seen:
            out.error(number, layout.label("code"), _("Project %(code)s already appears on row %(row)s.")
                      % {"code": codes[pid], "row": seen[pid]})
            continue
        seen[pid] = number
        parts = _disbursement_parts(out, number, cells, cols, text_at(cells, cap_i),
                                    (source_in(text_at(cells, src_i)) or "") if src_i is not None else "")
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
                        "code": codes[pid], "new": format_number(amount),
                        "old": format_number(known.get(key, 0)), "diff": format_number(diff)})
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


