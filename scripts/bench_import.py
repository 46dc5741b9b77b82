#!/usr/bin/env python3
"""Benchmark `dondoc import disbursements` on a generated payments CSV against the floor measured in the same run.

floor  = stdlib csv parse of the file + one raw executemany of the same rows (as read) into a plain table of the
         same database, in one transaction;
import = importers.import_disbursements() on the same file: header detection, Vietnamese numbers and dates,
         project lookup, validation, idempotence keys, bulk insert with the unique index, audit.
Prints rows/s of both, the ratio floor time ÷ import time (target ≥ 0.5) and the peak memory of each phase.
On SQLite, a second process writes (one short UPDATE transaction every 50 ms, as a web request would) during the
import and the longest wait for the write lock is printed (target < 2 s: the import writes in short transactions,
ADR 0012).

Usage: scripts/bench_import.py [--rows 1000000] [--projects 3000] [--database-url URL] [--keep]
(default database: a fresh SQLite file in the temporary directory; pass a postgresql:// URL to measure there).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(path: Path, rows: int, codes: list[str]) -> None:
    rng = random.Random(2020)
    start = dt.date(2020, 1, 1)
    days = [(start + dt.timedelta(days=i)).strftime("%d/%m/%Y") for i in range(366)]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["KHO BẠC NHÀ NƯỚC TỈNH LÀO CAI"])
        w.writerow(["BẢNG KÊ CHỨNG TỪ THANH TOÁN VỐN ĐẦU TƯ NĂM 2020 (dữ liệu tổng hợp cho đo hiệu năng)"])
        w.writerow(["STT", "Mã dự án", "Ngày thanh toán", "Số chứng từ", "Số tiền (đồng)"])
        for i in range(1, rows + 1):
            w.writerow([i, rng.choice(codes), rng.choice(days), f"KB{i:08d}", rng.randint(1, 5000) * 100_000])


def concurrent_writer(db_path: str, stop, results) -> None:
    """In another process: short write transactions until ``stop`` is set; sends (writes, failures, waits)."""
    import sqlite3

    con = sqlite3.connect(db_path, timeout=20, isolation_level=None)  # the web's busy timeout
    waits, failures = [], 0
    while not stop.is_set():
        start = time.perf_counter()
        try:
            con.execute("BEGIN IMMEDIATE")
            waits.append(time.perf_counter() - start)
            con.execute("UPDATE investment_project SET additional_need = additional_need WHERE id = "
                        "(SELECT MIN(id) FROM investment_project)")
            con.execute("COMMIT")
        except sqlite3.OperationalError:
            failures += 1
        time.sleep(0.05)
    con.close()
    results.send((len(waits), failures, waits))


def floor(path: Path) -> float:
    """csv parse + one raw executemany of the rows as read, into a plain table, in one transaction."""
    from django.db import connection, transaction

    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS bench_floor")
        c.execute("CREATE TABLE bench_floor (stt TEXT, code TEXT, paid_on TEXT, ref TEXT, amount TEXT)")
    start = time.perf_counter()
    with transaction.atomic(), open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        for _ in range(3):
            next(reader)
        if connection.vendor == "sqlite":
            cursor = connection.connection.cursor()
            cursor.executemany("INSERT INTO bench_floor VALUES (?, ?, ?, ?, ?)", reader)
        else:
            with connection.cursor() as c:
                c.cursor.executemany("INSERT INTO bench_floor VALUES (%s, %s, %s, %s, %s)", reader)
    elapsed = time.perf_counter() - start
    with connection.cursor() as c:
        c.execute("DROP TABLE bench_floor")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--projects", type=int, default=3000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dondoc-bench-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DONDOC_DEBUG", "0")
    os.environ.setdefault("DONDOC_SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dondoc.investment.importers import import_disbursements
    from dondoc.investment.models import Disbursement, Investor, Project

    call_command("migrate", verbosity=0)
    investor, _ = Investor.objects.get_or_create(name="Ban QLDA đo hiệu năng")
    codes = [str(7_000_000 + i) for i in range(args.projects)]
    Project.objects.bulk_create([Project(code=c, name=f"Dự án {c}", investor=investor) for c in codes],
                                ignore_conflicts=True)
    path = tmp / "payments.csv"
    start = time.perf_counter()
    generate(path, args.rows, codes)
    size = path.stat().st_size
    print(f"generated {args.rows:,} rows ({size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s; "
          f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    before = peak_mb()
    t_floor = floor(path)
    floor_peak = peak_mb()
    print(f"floor : {t_floor:6.2f} s  {args.rows / t_floor:>10,.0f} rows/s  (csv parse + one raw executemany)")
    writer = None
    if connection.vendor == "sqlite":
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        stop, (receive, send) = ctx.Event(), ctx.Pipe(duplex=False)
        connection.close()  # not shared with the forked writer
        writer = ctx.Process(target=concurrent_writer, args=(str(connection.settings_dict["NAME"]), stop, send))
        writer.start()
    start = time.perf_counter()
    out = import_disbursements(path=path)
    t_import = time.perf_counter() - start
    if writer is not None:
        stop.set()
        writes, failures, waits = receive.recv()
        writer.join()
        waits.sort()
        print(f"concurrent writes during the import: {writes} done, {failures} failed (database is locked), "
              f"wait for the lock p50 {waits[len(waits) // 2] * 1000:.0f} ms, max {waits[-1] * 1000:.0f} ms "
              f"(target < 2000 ms)" if waits else f"concurrent writes: none done, {failures} failed")
    if not out.ok or out.created != args.rows:
        print(f"import failed: {out.error_count} errors, created {out.created}: {out.errors[:3]}")
        return 1
    print(f"import: {t_import:6.2f} s  {args.rows / t_import:>10,.0f} rows/s  "
          f"({out.created:,} created, total {out.total_amount:,} đồng)")
    print(f"ratio floor/import: {t_floor / t_import:.2f}   (target ≥ 0.5)")
    print(f"peak RSS: {before:.0f} MB before, {floor_peak:.0f} MB after the floor, {peak_mb():.0f} MB after the "
          f"import (file {size / 1e6:.0f} MB; the import's SQLite page cache is capped at 32 MB)")
    start = time.perf_counter()
    again = import_disbursements(path=path)
    print(f"same file again: {time.perf_counter() - start:.2f} s, created {again.created}, "
          f"unchanged {again.unchanged:,}")
    assert Disbursement.objects.count() == args.rows
    if not args.keep:
        import shutil

        connection.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
