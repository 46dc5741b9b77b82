"""Monthly sums of the published disbursements (``DisbursementMonth``): what province, investor and project figures
read instead of a million payments. A sum as of a date is the whole months before the date's month from here plus the
rows of that month from the raw table (``Disbursement`` indexes by project and by plan year, each with the date), so
an as-of date inside a month stays exact.

Kept exact by the writes of disbursements: an import's publish adds its batch (``batch_sums`` read before the
publish, ``add_sums`` inside it), the demo loader adds its batch; ``rebuild`` recomputes every sum from the raw rows
(the migration, the generator, ``dondoc investment summaries``) and ``differences`` compares them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import F

from .models import Disbursement, DisbursementMonth, ImportBatch

KEY = ("project_id", "year", "extended", "source", "month")
Sums = dict[tuple, tuple[int, int]]  # (project id, plan year, extended, source, month) -> (amount, payments)


def _month_sql() -> str:
    if connection.vendor == "postgresql":
        return "CAST(date_trunc('month', paid_on) AS date)"
    return "substr(paid_on, 1, 8) || '01'"  # SQLite stores a date as its ISO text


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _sums(where: str, params: list) -> Sums:
    table = Disbursement._meta.db_table
    sql = (f"SELECT project_id, year, extended, source, {_month_sql()} AS m, SUM(amount), COUNT(*) FROM {table} "
           f"WHERE {where} GROUP BY project_id, year, extended, source, m")
    with connection.cursor() as c:
        c.execute(sql, params)
        return {(pid, year, bool(ext), source, _as_date(month)): (int(amount), n)
                for pid, year, ext, source, month, amount, n in c.fetchall()}


def _published_where() -> tuple[str, list]:
    staging = list(ImportBatch.objects.filter(state=ImportBatch.State.STAGING).values_list("pk", flat=True))
    if not staging:
        return "1 = 1", []
    return f"batch_id NOT IN ({', '.join(['%s'] * len(staging))})", staging


def last_id() -> int:
    """The highest disbursement id now: a batch claimed after this read writes only ids above it."""
    return Disbursement.all_objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def batch_sums(batch_id: int, after_id: int = 0) -> Sums:
    """The sums of one batch's rows (ids above ``after_id``: the rows are appended, so the scan is a range of the
    primary key). Read before the publish, outside its transaction: a staging batch's rows do not change."""
    return _sums("id > %s AND batch_id = %s", [after_id, batch_id])


def add_sums(sums: Sums) -> None:
    """Add ``sums`` to the stored ones (inside the transaction that publishes the rows they sum)."""
    if not sums:
        return
    table = DisbursementMonth._meta.db_table
    sql = (f"INSERT INTO {table} (project_id, year, extended, source, month, amount, payments) "
           "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (project_id, year, month, extended, source) DO UPDATE "
           f"SET amount = {table}.amount + excluded.amount, payments = {table}.payments + excluded.payments")
    with connection.cursor() as c:
        c.executemany(sql, [(*key, amount, n) for key, (amount, n) in sums.items()])


def stored() -> Sums:
    return {(r[0], r[1], r[2], r[3], r[4]): (r[5], r[6]) for r in DisbursementMonth.objects.values_list(
        *KEY, "amount", "payments").iterator(chunk_size=10_000)}


def computed() -> Sums:
    """The sums of every published row, from the raw table."""
    return _sums(*_published_where())


def differences() -> list[tuple[tuple, tuple[int, int] | None, tuple[int, int] | None]]:
    """(key, stored, computed) for every key where the stored sums differ from the raw rows."""
    have, want = stored(), computed()
    return [(key, have.get(key), want.get(key)) for key in sorted(set(have) | set(want), key=repr)
            if have.get(key) != want.get(key) and (want.get(key) or (0, 0)) != (have.get(key) or (0, 0))]


@transaction.atomic
def rebuild() -> int:
    """Recompute every monthly sum from the published raw rows (the migration, the generator, ``dondoc investment
    summaries``). Returns the number of sums stored."""
    sums = computed()
    DisbursementMonth.objects.all().delete()
    add_sums(sums)
    return len(sums)


def add_batch(batch_id: int, after_id: int = 0) -> int:
    """Add a batch that is being published in the current transaction (a loader's; an import reads its sums before
    the publish and calls ``add_sums``)."""
    sums = batch_sums(batch_id, after_id)
    add_sums(sums)
    return len(sums)


# Reads ---------------------------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def pieces(as_of: dt.date, since: dt.date | None = None
           ) -> tuple[tuple[dt.date | None, dt.date] | None, list[tuple[dt.date | None, dt.date]]]:
    """How [since, as_of] is read: ((first month, month after the last) of the sums, or None; [(first day, last
    day)] of the raw rows). Whole months come from the sums; the days of a month cut by ``since`` or ``as_of`` from
    the raw rows (``as_of`` on a month's last day: that month is whole)."""
    end = as_of + dt.timedelta(days=1)
    end_month = end if end.day == 1 else as_of.replace(day=1)  # months before it are whole
    raw = [] if end.day == 1 else [(end_month, as_of)]
    if since is None:
        return (None, end_month), raw
    first = since if since.day == 1 else _next_month(since)
    if first >= end_month:
        return None, [(since, as_of)]
    if since < first:
        raw.insert(0, (since, first - dt.timedelta(days=1)))
    return (first, end_month), raw


def month_rows(year: int, first: dt.date | None, end: dt.date, *, by_project: bool):
    """Monthly sums of plan ``year`` for the months in [first, end). ``by_project``: the caller restricts them to
    some projects (a list, or one project in a correlated subquery), so the key index (project first) must serve the
    query: the plan year is compared as ``year + 0``, else SQLite takes the province's covering index by year and
    scans every project's months of the year for each project."""
    rows = DisbursementMonth.objects.filter(month__lt=end)
    if first is not None:
        rows = rows.filter(month__gte=first)
    if by_project:
        return rows.annotate(plan_year=F("year") + 0).filter(plan_year=year)
    return rows.filter(year=year)


def raw_rows(year: int, first: dt.date, last: dt.date, *, by_project: bool):
    """Published payments of plan ``year`` paid in [first, last]. ``by_project``: the caller restricts them to some
    projects, so the index by (project, date) must serve the query: the plan year is compared as ``year + 0``, which
    no index matches, else SQLite takes the (year, date) index and reads every project's rows of those days."""
    rows = Disbursement.objects.filter(paid_on__gte=first, paid_on__lte=last)
    if by_project:
        return rows.annotate(plan_year=F("year") + 0).filter(plan_year=year)
    return rows.filter(year=year)


def totals(*, year: int, as_of: dt.date, projects=None, since: dt.date | None = None,
           fields: tuple[str, ...] = ("project_id", "extended")) -> dict[tuple, int]:
    """Sum of published disbursements of plan ``year`` paid in [``since``, ``as_of``], grouped by ``fields`` (of
    ``project_id``, ``extended``, ``source``, ``month`` — the first day of the month paid). ``projects``: a queryset
    or ids to restrict to."""
    from django.db.models import Sum

    months, days = pieces(as_of, since)
    group = [f for f in fields if f != "month"]
    parts = []
    if months is not None:
        parts.append((month_rows(year, *months, by_project=projects is not None), "month"))
    for first, last in days:
        parts.append((raw_rows(year, first, last, by_project=projects is not None), "paid_on"))
    out: dict[tuple, int] = defaultdict(int)
    for qs, day in parts:
        if projects is not None:
            qs = qs.filter(project__in=projects)
        names = group + ([day] if "month" in fields else [])
        for row in qs.values_list(*names).annotate(total=Sum("amount")).order_by():
            values = dict(zip(names, row[:-1], strict=True))
            if "month" in fields:
                values["month"] = month_start(values.pop(day))
            out[tuple(values[f] for f in fields)] += row[-1]
    return dict(out)
