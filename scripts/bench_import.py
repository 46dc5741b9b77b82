#!/usr/bin/env python3
"""Time `dondoc import disbursements payments.csv --json` as users run it (a child process, start to exit) against
a floor measured in the same run.

floor  = a child Python process: stdlib csv reads the same file and one executemany inserts its rows (project id
         from a dict of codes, the date and amount turned into ISO text and an integer) into a fresh SQLite table
         with the same columns and indexes as the product's disbursement table (its DDL is copied), one commit;
import = the CLI on a fresh copy of a migrated database holding the projects: header detection, Vietnamese numbers
         and dates, validation, idempotence keys, the staged write, the monthly sums, audit.
Each is run ``--runs`` times (default 5), alternating; the medians and their ratio floor ÷ import (target ≥ 0.6)
are printed with the peak memory of each child (ru_maxrss of RUSAGE_CHILDREN; target < 200 MB).

Usage: scripts/bench_import.py [--rows 1000000] [--projects 1000] [--runs 5] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DONDOC = str(Path(PYTHON).with_name("dondoc"))

FLOOR = r"""
import csv, sqlite3, sys
db, path, table = sys.argv[1], sys.argv[2], sys.argv[3]
con = sqlite3.connect(db)
codes = dict(con.execute("SELECT code, id FROM investment_project"))
def rows():
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        for _ in range(3):
            next(reader)
        for r in reader:
            d = r[2]
            yield (codes[r[1]], d[6:] + "-" + d[3:5] + "-" + d[:2], int(r[4].replace(".", "")), r[3], int(d[6:]),
                   0, "", 0, 1, reader.line_num)
con.executemany(f"INSERT INTO {table} (project_id, paid_on, amount, ref, year, extended, source, cumulative, "
                "batch_id, row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
con.commit()
print(con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
"""


def generate(path: Path, rows: int, codes: list[str]) -> None:
    """A Treasury payment list: title rows, a header, one payment a row, amounts as "1.234.000"."""
    rng = random.Random(2020)
    start = dt.date(2020, 1, 1)
    days = [(start + dt.timedelta(days=i)).strftime("%d/%m/%Y") for i in range(366)]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["KHO BẠC NHÀ NƯỚC TỈNH LÀO CAI"])
        w.writerow(["BẢNG KÊ CHỨNG TỪ THANH TOÁN VỐN ĐẦU TƯ NĂM 2020 (dữ liệu tổng hợp cho đo hiệu năng)"])
        w.writerow(["STT", "Mã dự án", "Ngày thanh toán", "Số chứng từ", "Số tiền (đồng)"])
        for i in range(1, rows + 1):
            w.writerow([i, rng.choice(codes), rng.choice(days), f"KB{i:08d}",
                        f"{rng.randint(1, 5000) * 100_000:,}".replace(",", ".")])


def run_isolated(cmd: list[str], env: dict) -> tuple[float, float, str]:
    """Run ``cmd`` from a fresh intermediate process so that its RUSAGE_CHILDREN peak is the command's own."""
    code = ("import json, resource, subprocess, sys, time; s = time.perf_counter(); "
            "d = subprocess.run(sys.argv[1:], capture_output=True, text=True); w = time.perf_counter() - s; "
            "print(json.dumps([d.returncode, w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, "
            "d.stdout[-4000:], d.stderr[-2000:]]))")
    done = subprocess.run([PYTHON, "-c", code, *cmd], env=env, capture_output=True, text=True, check=True)
    rc, wall, peak, out, err = json.loads(done.stdout)
    if rc != 0:
        raise SystemExit(f"{cmd[:3]} failed ({rc}): {err}")
    return wall, peak, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dondoc-bench-"))
    template = tmp / "template.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{template}", "DONDOC_DEBUG": "0",
           "DONDOC_SECRET_KEY": os.environ.get("DONDOC_SECRET_KEY") or "bench-only-" + "x" * 50,
           "DONDOC_HOME": str(tmp), "DONDOC_TODAY": "2020-12-31"}
    subprocess.run([DONDOC, "migrate", "--verbosity", "0"], env=env, check=True)
    codes = [str(7_000_000 + i) for i in range(args.projects)]
    con = sqlite3.connect(template)
    con.execute("INSERT INTO investment_investor (name, search_name, created_at) VALUES (?, ?, ?)",
                ("Ban QLDA đo hiệu năng", "ban qlda do hieu nang", dt.datetime.now(dt.UTC).isoformat()))
    investor = con.execute("SELECT id FROM investment_investor").fetchone()[0]
    con.executemany("INSERT INTO investment_project (code, name, investor_id, \"group\", district, leader, "
                    "additional_need, version, created_at) VALUES (?, ?, ?, '', '', '', 0, 1, ?)",
                    [(c, f"Dự án {c}", investor, dt.datetime.now(dt.UTC).isoformat()) for c in codes])
    con.commit()
    table = "investment_disbursement"
    ddl = [r[0] for r in con.execute("SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL "
                                     "ORDER BY type = 'index'", (table,))]
    con.close()
    path = tmp / "payments.csv"
    start = time.perf_counter()
    generate(path, args.rows, codes)
    size = path.stat().st_size
    print(f"generated {args.rows:,} payments against {args.projects:,} projects ({size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - start:.1f} s; SQLite; {args.runs} runs of each, alternating")
    print("floor table and indexes (as the product's):", "; ".join(d.split("(")[0].strip() for d in ddl))
    floors, imports, floor_peaks, import_peaks = [], [], [], []
    for n in range(1, args.runs + 1):
        floor_db = tmp / f"floor-{n}.sqlite3"
        c = sqlite3.connect(floor_db)
        c.execute("CREATE TABLE investment_project (id INTEGER PRIMARY KEY, code TEXT UNIQUE)")
        c.executemany("INSERT INTO investment_project (code) VALUES (?)", [(x,) for x in codes])
        for statement in ddl:
            c.execute(statement)
        c.commit()
        c.close()
        wall, peak, out = run_isolated([PYTHON, "-c", FLOOR, str(floor_db), str(path), table], env)
        assert int(out.strip()) == args.rows, out
        floors.append(wall)
        floor_peaks.append(peak)
        run_db = tmp / f"run-{n}.sqlite3"
        shutil.copyfile(template, run_db)
        run_env = {**env, "DATABASE_URL": f"sqlite:///{run_db}"}
        wall, peak, out = run_isolated([DONDOC, "import", "disbursements", str(path), "--json"], run_env)
        result = json.loads(out)
        assert result["created"] == args.rows and not result["errors"], result
        imports.append(wall)
        import_peaks.append(peak)
        print(f"run {n}: floor {floors[-1]:6.2f} s ({floor_peaks[-1]:.0f} MB)   import {imports[-1]:6.2f} s "
              f"({import_peaks[-1]:.0f} MB)   ratio {floors[-1] / imports[-1]:.2f}", flush=True)
        floor_db.unlink()
        if n < args.runs:
            run_db.unlink()
    t_floor, t_import = statistics.median(floors), statistics.median(imports)
    print(f"floor : median {t_floor:6.2f} s  {args.rows / t_floor:>10,.0f} rows/s  peak {max(floor_peaks):.0f} MB "
          "(csv + one executemany into the same table and indexes)")
    print(f"import: median {t_import:6.2f} s  {args.rows / t_import:>10,.0f} rows/s  peak {max(import_peaks):.0f} "
          f"MB (`dondoc import disbursements FILE --json`, process start to exit)")
    print(f"ratio floor/import: {t_floor / t_import:.2f}   (target ≥ 0.6; peak target < 200 MB)")
    wall, _peak, out = run_isolated([DONDOC, "import", "disbursements", str(path), "--json"], run_env)
    again = json.loads(out)
    print(f"same file again: {wall:.2f} s, created {again['created']}, unchanged {again['unchanged']:,}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"kept {tmp}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
