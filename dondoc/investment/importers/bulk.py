"""The bulk writer of disbursement rows (raw executemany / COPY), run by ``actions.import_staged``: each batch of
rows is written in its own short transaction (``write``), under a staging batch readers do not see (ADR 0012)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from itertools import islice

from django.db import connection

from ..models import Disbursement
from .common import FLUSH_ROWS


class BulkWriter:
    """Batches of disbursement rows into the table: INSERT OR IGNORE (SQLite) or COPY + ON CONFLICT (PostgreSQL),
    ``FLUSH_ROWS`` at a time, each batch in its own transaction through ``write(fn)`` (``actions.import_staged``:
    a short write lock, so web writes get through between batches). ``created`` counts the rows actually inserted.

    Rows are full tuples (COLUMNS) or, for the common payment, short ones (SHORT: no capital kind, source or
    cumulative flag) whose constant columns SQLite takes from the statement rather than binding them per row.
    (A writer thread was measured too: the GIL contention made the writes slower than they saved; ADR 0005.)
    """

    COLUMNS = ("project_id", "paid_on", "amount", "ref", "year", "extended", "source", "cumulative", "batch_id", "row")
    SHORT = ("project_id", "paid_on", "amount", "ref", "year", "row")
    CACHE_KIB = 16 * 1024  # SQLite page cache during the import (KiB): with the identity hashes, under 200 MB at 1M rows
    # WAL pages between checkpoints during the import (SQLite's default 1000): each chunk rewrites the leaf pages of
    # the indexes by project and by date it touches; checkpointing every ~80 MB copies each page once per several
    # chunks into the database instead of once per chunk.
    CHECKPOINT_PAGES = 20_000

    def __init__(self, batch_id: int, write: Callable = lambda fn: fn()):
        self.batch_id = batch_id
        self.write = write
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
            self.restore_checkpoint = self.raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
            self.raw.execute(f"PRAGMA wal_autocheckpoint = {self.CHECKPOINT_PAGES}")
        elif self.vendor == "postgresql":
            self.temp = (f"CREATE TEMP TABLE IF NOT EXISTS _disb_in (LIKE {table} INCLUDING DEFAULTS) "
                         "ON COMMIT DROP", "ALTER TABLE _disb_in ALTER COLUMN id DROP NOT NULL")
            self.sql = (f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _disb_in "
                        "ON CONFLICT (ref, project_id, paid_on, amount) DO NOTHING")
            self.copy = f"COPY _disb_in ({cols}) FROM STDIN"

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            rows, self.rows = self.rows, []
            self.write(lambda: self.put(rows))

    def stream(self, rows: Iterable[tuple], short: bool = False) -> None:
        """Write an iterator of rows, ``FLUSH_ROWS`` per transaction (read between transactions, not inside)."""
        rows = iter(rows)
        while chunk := list(islice(rows, FLUSH_ROWS)):
            self.write(lambda chunk=chunk: self.put(chunk, short))

    def _full(self, row: tuple) -> tuple:
        pid, day, amount, ref, year, number = row
        return (pid, day, amount, ref, year, False, "", False, self.batch_id, number)

    def put(self, rows: Iterable[tuple], short: bool = False) -> None:
        """Insert ``rows`` (a list, or an iterator streamed through one executemany / COPY) in the current
        transaction."""
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
                for statement in self.temp:  # dropped at the commit of each batch
                    c.execute(statement)
                with c.copy(self.copy) as copy:
                    for row in rows:
                        copy.write_row(row)
                c.execute(self.sql)
                self.created += c.rowcount
                # Emptied now, not only at the commit: inside an outer transaction the next put would insert these
                # rows again (a discarded batch's rows came back under their old batch).
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
            self.raw.execute(f"PRAGMA wal_autocheckpoint = {int(self.restore_checkpoint)}")
            self.restore = None


def known_totals(year: int, as_of: dt.date, by_source: bool) -> dict[tuple, int]:
    """(project id, extended[, source]) -> sum of stored disbursements of the plan year up to ``as_of``."""
    fields = ["project_id", "extended"] + (["source"] if by_source else [])
    from django.db.models import Sum

    qs = Disbursement.objects.filter(year=year, paid_on__lte=as_of).values(*fields).annotate(total=Sum("amount"))
    return {tuple(r[f] for f in fields): r["total"] for r in qs}

