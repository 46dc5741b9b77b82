#!/usr/bin/env python3
"""Benchmark `dondoc import plans` creating N new projects: how long it holds the write lock.

Generates a plan CSV of N projects (200 investors, 5 sources of the year + 5 of extended capital: 10 plan lines a
project), imports it into a fresh database, then imports it again. Prints the import time, the number of write
transactions and the longest one (time from BEGIN to COMMIT, measured around Django's outermost ``atomic``), and on
SQLite the longest wait of a second process that writes meanwhile (one short ``BEGIN IMMEDIATE`` … ``UPDATE`` …
``COMMIT`` every 50 ms, as a web request would; target < 2 s, issue 12).

Usage: scripts/bench_plans.py [--projects 3000] [--database-url URL] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

SOURCES = ["NSTW", "NSĐP", "ODA", "CTMTQG", "Khác"]


def generate(path: Path, projects: int) -> None:
    rng = random.Random(2020)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["KẾ HOẠCH VỐN ĐẦU TƯ CÔNG NĂM 2020 (dữ liệu tổng hợp cho đo hiệu năng)"])
        w.writerow(["STT", "Mã dự án", "Tên dự án", "Chủ đầu tư", "Nhóm", "Kế hoạch vốn năm 2020 (triệu đồng)",
                    *[""] * 4, "Vốn kéo dài (triệu đồng)", *[""] * 4])
        w.writerow(["", "", "", "", "", *SOURCES, *SOURCES])
        for i in range(1, projects + 1):
            w.writerow([i, str(8_000_000 + i), f"Dự án đo hiệu năng số {i}", f"Ban QLDA đo hiệu năng {i % 200}",
                        "C", *[rng.randint(1, 5000) for _ in range(10)]])


class TransactionClock:
    """Durations of the outermost atomic blocks (each one write transaction: BEGIN IMMEDIATE … COMMIT on SQLite)."""

    def __init__(self):
        from django.db import transaction

        self.durations: list[float] = []
        self._atomic = transaction.Atomic
        self._enter, self._exit = transaction.Atomic.__enter__, transaction.Atomic.__exit__
        clock = self

        def enter(atomic):
            from django.db import connections

            atomic._bench_outer = not connections[atomic.using or "default"].in_atomic_block
            atomic._bench_start = time.perf_counter()
            return clock._enter(atomic)

        def exit_(atomic, *exc):
            try:
                return clock._exit(atomic, *exc)
            finally:
                if atomic._bench_outer:
                    clock.durations.append(time.perf_counter() - atomic._bench_start)

        transaction.Atomic.__enter__, transaction.Atomic.__exit__ = enter, exit_

    def reset(self) -> None:
        self.durations.clear()

    def summary(self) -> str:
        d = sorted(self.durations)
        return (f"{len(d)} write transactions, longest {d[-1] * 1000:.0f} ms" if d else "no write transaction")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=3000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dondoc-bench-plans-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DONDOC_DEBUG", "0")
    os.environ.setdefault("DONDOC_SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dondoc.investment.importers import import_plans
    from dondoc.investment.models import PlanLine, Project

    call_command("migrate", verbosity=0)
    path = tmp / "plans.csv"
    generate(path, args.projects)
    print(f"generated {args.projects:,} projects; database: {connection.vendor} ({connection.settings_dict['NAME']})")
    clock = TransactionClock()
    for label in ("new projects", "same file again"):
        writer = None
        if connection.vendor == "sqlite":
            import multiprocessing

            from bench_import import concurrent_writer

            ctx = multiprocessing.get_context("fork")
            stop, (receive, send) = ctx.Event(), ctx.Pipe(duplex=False)
            connection.close()  # not shared with the forked writer
            writer = ctx.Process(target=concurrent_writer, args=(str(connection.settings_dict["NAME"]), stop, send))
            writer.start()
            time.sleep(0.2)
        clock.reset()
        start = time.perf_counter()
        out = import_plans(path=path)
        elapsed = time.perf_counter() - start
        waits_text = ""
        if writer is not None:
            stop.set()
            writes, failures, waits = receive.recv()
            writer.join()
            waits.sort()
            waits_text = (f"; concurrent writes {writes} done, {failures} failed, longest wait "
                          f"{waits[-1] * 1000:.0f} ms (target < 2000 ms)" if waits else "; no concurrent write done")
        if not out.ok:
            print(f"import failed: {out.error_count} errors: {out.errors[:3]}")
            return 1
        print(f"{label}: {elapsed:.2f} s, created {out.created:,}, unchanged {out.unchanged:,}; {clock.summary()}"
              f"{waits_text}")
    print(f"stored: {Project.objects.count():,} projects, {PlanLine.objects.count():,} plan lines")
    if not args.keep:
        import shutil

        connection.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
