#!/usr/bin/env python3
"""Benchmark the program parser on the seed document: median time of parse_text over N runs.

Usage: scripts/bench_parser.py [--runs N] [--file PATH]   (target: well under 100 ms a parse)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dondoc.domain.agencies import Registry  # noqa: E402
from dondoc.domain.program_parser import parse_text  # noqa: E402
from dondoc.domain.program_reader import read_file  # noqa: E402

SEED = "000_6fc47d815985a4e8.txt"
CANDIDATES = [ROOT / "dondoc/fixtures/07-CTr-UBND-2020.txt", ROOT.parent / "shared" / "seeds" / SEED]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--file", type=Path, default=next((p for p in CANDIDATES if p.exists()), None))
    args = parser.parse_args()
    if args.file is None:
        print(f"seed document {SEED} not found; pass --file", file=sys.stderr)
        return 1
    registry = Registry.from_reference(json.loads((ROOT / "dondoc/reference/laocai_2020.json").read_text("utf-8")))
    text = read_file(args.file)
    result = parse_text(text, registry)  # warm-up: regex compilation, registry scanner
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        parse_text(text, registry)
        times.append(time.perf_counter() - start)
    median = statistics.median(times) * 1000
    print(f"{args.file.name}: {len(result['tasks'])} tasks, {len(text)} characters")
    print(f"parse_text median over {args.runs} runs: {median:.1f} ms (min {min(times) * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
