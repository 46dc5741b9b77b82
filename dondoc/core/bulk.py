"""Rows made ready for the database outside a write transaction, inserted inside it with one statement
(``executemany``; ``COPY`` on PostgreSQL).

For imports that must hold the write lock briefly (ADR 0012): the ORM's per-field work (``pre_save``,
``get_db_prep_save``: dates, JSON, defaults) is done before the transaction opens; inside it only the ids of rows
inserted in the same transaction are filled in (``late``) and the statement runs. Inserts only; no signals, no
``save()`` (derive what ``save()`` would before preparing)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connections, models, router


class PreparedRows:
    """``objs`` (unsaved instances of ``model``) as rows of DB values. ``late`` maps a field's attname to a function
    of the instance giving its value at insert time (an id not known yet when preparing)."""

    def __init__(self, model: type[models.Model], objs: Iterable[models.Model],
                 late: dict[str, Callable[[Any], Any]] | None = None):
        self.model = model
        self.objs = list(objs)
        self.late = late or {}
        self.connection = connections[router.db_for_write(model)]
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        unknown = set(self.late) - {f.attname for f in fields}
        if unknown:
            raise ValueError(f"{model.__name__} has no field {sorted(unknown)}")
        self.positions = [(i, self.late[f.attname]) for i, f in enumerate(fields) if f.attname in self.late]
        qn = self.connection.ops.quote_name
        table, columns = qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        self.copy = f"COPY {table} ({columns}) FROM STDIN"  # PostgreSQL: one COPY instead of a round trip a row
        self.rows = [[None if f.attname in self.late else f.get_db_prep_save(f.pre_save(obj, True), self.connection)
                      for f in fields] for obj in self.objs]

    def __len__(self) -> int:
        return len(self.rows)

    def insert(self) -> int:
        """Insert the rows in the current transaction (required); returns how many."""
        if not self.connection.in_atomic_block:
            raise RuntimeError("PreparedRows.insert() must run inside the transaction of the change")
        if not self.rows:
            return 0
        for obj, row in zip(self.objs, self.rows, strict=True):
            for i, value in self.positions:
                row[i] = value(obj)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, self.rows)
        return len(self.rows)
