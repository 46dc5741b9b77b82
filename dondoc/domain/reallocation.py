"""Reallocation proposals: move capital from projects that will not use it to projects that will. Pure Python.

Rules (seed 2.1.e, 2.3; Law on Public Investment 2019): transfers only within the same funding source, budget level
and year of origin (extended capital stays extended); a donor gives at most what its forecast says it will not use;
a receiver gets at most its declared additional need and its remaining total investment. The objective is the
capital expected to be disbursed by year end.

Two stages, both with SciPy's HiGHS:
1. amounts (``linprog``): per donor and receiver, maximising the expected disbursement (each receiver's absorption
   factor); a second solve keeps that optimum and prefers lower project codes, so equal answers are stable;
2. pairing (``milp``): which donor pays which receiver, with the fewest transfers, then codes in order. Groups too
   large for the exact pairing (more than ``EXACT_PAIRS`` donor × receiver pairs) are paired in code order
   (north-west corner), which also gives at most donors + receivers − 1 transfers.
Amounts move in whole millions of đồng, the unit plans are decided in. NumPy and SciPy are imported when a group is
solved, not with the module (importing ``scipy.optimize`` costs ~0.45 s, and the URL configuration reaches here).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

UNIT = 1_000_000  # đồng: transfers are whole millions
EXACT_PAIRS = 400
PAIRING_SECONDS = 1.0  # per group; beyond it the exact pairing gives way to the pairing in code order


@dataclass(frozen=True)
class Line:
    """One project's capital line in a reallocation group."""

    code: str
    source: str
    budget_level: str
    year: int  # year of origin of the capital
    surplus: int = 0  # đồng the forecast says it will not use
    need: int = 0  # đồng of declared additional need, already capped by the remaining total investment
    absorption: float = 1.0  # share of extra capital expected to be disbursed by year end

    @property
    def group(self) -> tuple[str, str, int]:
        return (self.source, self.budget_level, self.year)


@dataclass(frozen=True)
class Transfer:
    source_code: str
    target_code: str
    source: str
    budget_level: str
    year: int
    amount: int  # đồng


@dataclass(frozen=True)
class Proposal:
    transfers: list[Transfer]
    unplaced: int  # đồng of surplus nobody can use
    gained: int  # đồng of extra disbursement expected from the transfers


def _amounts(donors: list[Line], receivers: list[Line]) -> tuple[list[int], list[int]]:
    """Stage 1: how many units each donor gives and each receiver gets (integers)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp

    s = [ln.surplus // UNIT for ln in donors]
    n = [ln.need // UNIT for ln in receivers]
    d, r = len(s), len(n)
    if not d or not r or not sum(s) or not sum(n):
        return [0] * d, [0] * r
    # Variables: x (donors) then z (receivers). Sum x = sum z. Maximise sum a_j z_j.
    a = np.array([round(ln.absorption, 4) for ln in receivers])
    c = np.concatenate([np.zeros(d), -a])
    eq = LinearConstraint(np.concatenate([np.ones(d), -np.ones(r)])[None, :], 0, 0)
    bounds = Bounds(np.zeros(d + r), np.array(s + n, dtype=float))
    first = linprog(c, A_eq=eq.A, b_eq=[0], bounds=list(zip(bounds.lb, bounds.ub, strict=True)), method="highs")
    if first.status != 0:
        raise RuntimeError(f"HiGHS: {first.message}")
    best = -first.fun
    # Second solve: keep the optimum, prefer lower codes (rank weights), as integers.
    rank = np.concatenate([np.arange(1, d + 1), np.arange(1, r + 1)]).astype(float)
    keep = LinearConstraint(np.concatenate([np.zeros(d), a])[None, :], best - 1e-6 * max(1.0, best), np.inf)
    second = milp(rank, constraints=[eq, keep], bounds=bounds, integrality=np.ones(d + r))
    if second.status != 0:
        raise RuntimeError(f"HiGHS: {second.message}")
    values = [int(round(v)) for v in second.x]
    return values[:d], values[d:]


def _pair_exact(x: list[int], z: list[int]) -> list[tuple[int, int, int]]:
    """Stage 2: fewest transfers (binary arcs), then lower codes first."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    d, r = len(x), len(z)
    arcs = [(i, j) for i in range(d) for j in range(r)]
    m = len(arcs)
    big = np.array([min(x[i], z[j]) for i, j in arcs], dtype=float)
    # Variables: f (flows) then y (arc used). Minimise sum y * (1 + tiny rank).
    cost = np.concatenate([np.zeros(m), 1 + np.array([(i * r + j) for i, j in arcs]) / (10.0 * m * m)])
    rows, lb, ub = [], [], []
    for i in range(d):
        rows.append(np.concatenate([[1.0 if a[0] == i else 0.0 for a in arcs], np.zeros(m)]))
        lb.append(x[i])
        ub.append(x[i])
    for j in range(r):
        rows.append(np.concatenate([[1.0 if a[1] == j else 0.0 for a in arcs], np.zeros(m)]))
        lb.append(z[j])
        ub.append(z[j])
    link = np.hstack([np.eye(m), -np.diag(big)])  # f <= big * y
    constraints = [LinearConstraint(np.array(rows), lb, ub), LinearConstraint(link, -np.inf, 0)]
    res = milp(cost, constraints=constraints, bounds=Bounds(np.zeros(2 * m), np.concatenate([big, np.ones(m)])),
               integrality=np.ones(2 * m), options={"time_limit": PAIRING_SECONDS})
    if res.status != 0:  # not proven optimal in time (the fixed-charge pairing can be hard): pair in code order
        return _pair_in_order(x, z)
    return [(i, j, int(round(res.x[k]))) for k, (i, j) in enumerate(arcs) if round(res.x[k]) > 0]


def _pair_in_order(x: list[int], z: list[int]) -> list[tuple[int, int, int]]:
    out, i, j = [], 0, 0
    x, z = list(x), list(z)
    while i < len(x) and j < len(z):
        amount = min(x[i], z[j])
        if amount:
            out.append((i, j, amount))
        x[i] -= amount
        z[j] -= amount
        i += x[i] == 0
        j += z[j] == 0
    return out


def propose(lines: list[Line]) -> Proposal:
    groups: dict[tuple, list[Line]] = defaultdict(list)
    for ln in lines:
        groups[ln.group].append(ln)
    transfers, unplaced, gained = [], 0, 0
    for group in sorted(groups):
        members = sorted(groups[group], key=lambda ln: ln.code)
        donors = [ln for ln in members if ln.surplus >= UNIT]
        receivers = [ln for ln in members if ln.need >= UNIT and ln.surplus < UNIT]
        x, z = _amounts(donors, receivers)
        give = [(i, v) for i, v in enumerate(x) if v]
        take = [(j, v) for j, v in enumerate(z) if v]
        xs, zs = [v for _, v in give], [v for _, v in take]
        pairs = _pair_exact(xs, zs) if xs and len(xs) * len(zs) <= EXACT_PAIRS else _pair_in_order(xs, zs)
        for i, j, units in pairs:
            donor, receiver = donors[give[i][0]], receivers[take[j][0]]
            transfers.append(Transfer(donor.code, receiver.code, *group, units * UNIT))
            gained += int(units * UNIT * receiver.absorption)
        unplaced += sum(ln.surplus for ln in members) - sum(x) * UNIT
    return Proposal(transfers, unplaced, gained)
