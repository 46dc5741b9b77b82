"""Benchmark: reallocation proposal for a province of N projects (default 3,000). Target: under 5 s.

Usage: .venv/bin/python scripts/bench_reallocate.py [N]
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dondoc.domain.reallocation import Line, propose  # noqa: E402

M = 1_000_000


def province(n: int, seed: int = 7) -> list[Line]:
    rng = random.Random(seed)
    lines = []
    for k in range(n):
        source = rng.choice(["NSTW", "NSĐP", "ODA", "CTMTQG"])
        level = rng.choice(["tỉnh", "huyện"])
        year = rng.choice([2019, 2020, 2020, 2020])
        if rng.random() < 0.35:
            lines.append(Line(f"{7000000 + k}", source, level, year, surplus=rng.randint(1, 8000) * M))
        else:
            lines.append(Line(f"{7000000 + k}", source, level, year, need=rng.randint(0, 4000) * M,
                              absorption=rng.choice([0.6, 0.8, 0.9, 1.0])))
    return lines


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    lines = province(n)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        result = propose(lines)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"{n} projects: {len(result.transfers)} transfers, {sum(t.amount for t in result.transfers) // M:,} "
          f"million đồng moved, {result.unplaced // M:,} million unplaced")
    print(f"median {median:.3f} s over 3 runs; target 5 s → ratio {median / 5:.2f}")


if __name__ == "__main__":
    main()
