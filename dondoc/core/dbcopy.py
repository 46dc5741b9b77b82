"""Copy every table from the configured database into another one (``dondoc copydb --to DATABASE_URL``): the move
from SQLite to PostgreSQL, and back. Operations, not business data: rows are copied as they are, not re-created
through actions, and nothing is audited.

The target is migrated to this code's schema, emptied (what ``migrate`` itself wrote: content types,
permissions), then filled table by table in one transaction — Django declares foreign keys DEFERRABLE INITIALLY
DEFERRED on both engines, so they are checked at commit and the order of tables does not matter; PostgreSQL
sequences are reset after. Each value goes through its field (read with the source's converters, written with the
target's), so booleans, dates, decimals and JSON arrive in the target's own types, and no ``auto_now`` fires.
Then every table is compared: row count, and a sum per numeric column (booleans counted, text by total length).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

import dj_database_url
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

TARGET = "copydb_target"
BATCH = 2000
# What `migrate` writes into a new database by itself: a target holding only these is empty.
MIGRATE_WRITES = {"django_migrations", "django_content_type", "auth_permission"}


class CopyError(Exception):
    """A copy that cannot start; the message says why and what to do."""


def target_settings(url: str) -> dict:
    """Settings of the target database from its URL, with the options settings.py gives SQLite."""
    try:
        db = dj_database_url.parse(url, conn_max_age=0)
    except Exception as exc:  # dj_database_url raises several types for a bad URL
        raise CopyError(f"--to: cannot read the database URL: {exc}") from exc
    if not db.get("ENGINE"):
        raise CopyError("--to: unsupported database URL (use sqlite:////abs/path.sqlite3 or postgresql://…)")
    if db["ENGINE"] == "django.db.backends.sqlite3":
        if not db.get("NAME") or db["NAME"] == ":memory:":
            raise CopyError("--to: an SQLite target needs a file path: sqlite:////abs/path.sqlite3")
        db["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20,
                         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"}
    return db


def _same_database(a: dict, b: dict) -> bool:
    keys = ("ENGINE", "NAME", "HOST", "PORT")
    return all(str(a.get(k) or "") == str(b.get(k) or "") for k in keys)


def open_target(url: str, *, source: str = DEFAULT_DB_ALIAS) -> str:
    """Register the target as a connection alias and return the alias."""
    db = target_settings(url)
    if _same_database(db, connections[source].settings_dict):
        raise CopyError("--to names the configured database itself: copy into another database")
    if db["ENGINE"] == "django.db.backends.sqlite3":
        from pathlib import Path

        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    configured = connections.configure_settings({DEFAULT_DB_ALIAS: dict(connections.settings[source]), TARGET: db})
    connections.settings[TARGET] = configured[TARGET]
    return TARGET


def copied_models() -> list[type[models.Model]]:
    """Every table the code owns, once: all apps, many-to-many tables included, proxies and unmanaged skipped."""
    seen, found = set(), []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        found.append(model)
    return sorted(found, key=lambda m: m._meta.db_table)


def non_empty_tables(alias: str) -> list[str]:
    """Tables of the database at ``alias`` holding rows, apart from those ``migrate`` fills by itself."""
    conn = connections[alias]
    with conn.cursor() as cursor:
        names = conn.introspection.table_names(cursor)
        full = []
        for name in names:
            if name in MIGRATE_WRITES or name.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT 1 FROM {conn.ops.quote_name(name)} LIMIT 1")
            if cursor.fetchone():
                full.append(name)
    return full


def copy_rows(model: type[models.Model], *, source: str, target: str) -> int:
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    tconn = connections[target]
    qn = tconn.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    rows = (model._base_manager.using(source).order_by("pk").values_list(*(f.attname for f in fields))
            .iterator(chunk_size=BATCH))
    count, batch = 0, []
    with tconn.cursor() as cursor:
        for row in rows:
            batch.append([f.get_db_prep_save(value, connection=tconn) for f, value in zip(fields, row, strict=True)])
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def copy_database(*, source: str, target: str, log=None) -> int:
    """Empty the (migrated) target and copy every table into it in one transaction; return the rows copied."""
    tconn = connections[target]
    model_list = copied_models()
    total = 0
    with transaction.atomic(using=target):
        tables = [m._meta.db_table for m in model_list]
        for statement in tconn.ops.sql_flush(no_style(), tables, allow_cascade=True):
            with tconn.cursor() as cursor:
                cursor.execute(statement)
        for model in model_list:
            n = copy_rows(model, source=source, target=target)
            total += n
            if log:
                log(f"  {model._meta.db_table}: {n} rows")
        for statement in tconn.ops.sequence_reset_sql(no_style(), model_list):
            with tconn.cursor() as cursor:
                cursor.execute(statement)
    return total


# --- the comparison ---------------------------------------------------------------------------------------------


@dataclass
class TableCheck:
    table: str
    source_rows: int
    target_rows: int
    columns: int
    differing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and not self.differing


def _measures(model, conn) -> list[tuple[str, str, models.Field]]:
    """(label, SQL aggregate, field) per checked column."""
    qn = conn.ops.quote_name
    out = []
    for f in model._meta.concrete_fields:
        col = qn(f.column)
        internal = f.get_internal_type()
        if internal in {"BooleanField", "NullBooleanField"}:
            out.append((f.column, f"SUM(CASE WHEN {col} THEN 1 ELSE 0 END)", f))
        elif isinstance(f, (models.IntegerField, models.AutoField, models.DecimalField, models.FloatField,
                            models.ForeignKey)):
            if isinstance(f, models.ForeignKey) and not isinstance(f.target_field,
                                                                   (models.IntegerField, models.AutoField)):
                continue  # a key to a text primary key: its length is measured on the referenced table
            out.append((f.column, f"SUM({col})", f))
        elif isinstance(f, (models.CharField, models.TextField)) and not isinstance(f, models.JSONField):
            out.append((f"length({f.column})", f"SUM(LENGTH({col}))", f))
    return out


def _aggregate(model, alias: str) -> tuple[int, list]:
    conn = connections[alias]
    measures = _measures(model, conn)
    select = ", ".join(["COUNT(*)", *(expr for _label, expr, _f in measures)])
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM {conn.ops.quote_name(model._meta.db_table)}")
        row = cursor.fetchone()
    return row[0], list(row[1:])


def _same(a, b, f: models.Field) -> bool:
    if a is None or b is None:
        return (a or 0) == (b or 0)
    if isinstance(f, models.FloatField) or isinstance(a, float) or isinstance(b, float):
        # SQLite keeps decimals as floating point: compare to the field's precision.
        places = getattr(f, "decimal_places", None)
        if places is not None:
            return abs(Decimal(str(a)) - Decimal(str(b))) < Decimal(10) ** -places
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return Decimal(str(a)) == Decimal(str(b))


def compare(*, source: str, target: str) -> list[TableCheck]:
    checks = []
    for model in copied_models():
        labels = [(label, f) for label, _expr, f in _measures(model, connections[source])]
        src_rows, src_sums = _aggregate(model, source)
        dst_rows, dst_sums = _aggregate(model, target)
        differing = [label for (label, f), a, b in zip(labels, src_sums, dst_sums, strict=True) if not _same(a, b, f)]
        checks.append(TableCheck(model._meta.db_table, src_rows, dst_rows, len(labels), differing))
    return checks


def migrate_target(target: str) -> None:
    call_command("migrate", database=target, interactive=False, verbosity=0)
