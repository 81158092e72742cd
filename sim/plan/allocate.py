"""Sharing a county budget across places by their budget-outcome curves: each place takes exactly one of the
budgets it was simulated at, the total within the county budget, the summed outcome as large as it can be (a
multiple-choice knapsack, solved exactly with scipy.optimize.milp).

Why a knapsack solved by an integer program rather than greedy marginal allocation: greedy allocation on the
curves' concave hulls is optimal only for concave curves and can stop short of the budget, while the curves of a
stochastic model are rarely concave (a village may need a threshold of money before anyone crosses the line).
Choosing among the budgets actually simulated needs no interpolation between them, and SciPy's `milp` (the HiGHS
solver, maintained with SciPy) solves a few hundred binary choices exactly in well under a second."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

Curve = Sequence[tuple[float, float]]  # (yuan, outcome) points of one place, higher outcome is better


def allocate(curves: Mapping[str, Curve], budget_yuan: float) -> dict[str, int]:
    """Per place, the index of the chosen point of its curve: the choice with the largest summed outcome whose
    yuan add up to no more than `budget_yuan` (every curve needs a point within reach, e.g. 0 yuan)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    names = list(curves)
    sizes = [len(curves[n]) for n in names]
    if min((min(y for y, _ in curves[n]) for n in names), default=0.0) > budget_yuan:
        raise ValueError("no choice fits the budget: give every place a point it can afford (0 yuan)")
    yuan = np.array([y for n in names for y, _ in curves[n]], float)
    value = np.array([v for n in names for _, v in curves[n]], float)
    one_each = np.zeros((len(names), yuan.size))
    start = np.cumsum([0, *sizes])
    for i in range(len(names)):
        one_each[i, start[i]:start[i + 1]] = 1.0
    cons = [LinearConstraint(one_each, 1, 1), LinearConstraint(yuan[None, :], -np.inf, budget_yuan * (1 + 1e-9))]
    res = milp(-value, constraints=cons, integrality=np.ones(yuan.size), bounds=Bounds(0, 1))
    if res.x is None:
        raise RuntimeError(f"the allocation could not be solved: {res.message}")
    pick = np.round(res.x).astype(int)
    return {n: int(np.argmax(pick[start[i]:start[i + 1]])) for i, n in enumerate(names)}


def grouped(curves: Mapping[str, Curve], groups: Mapping[str, Sequence[str]]) -> dict[str, list[tuple[float, float]]]:
    """Curves of groups of places (a township's villages) that move together: point k of a group is the sum of
    point k of each member's curve (every member's curve has the same number of points)."""
    out = {}
    for g, members in groups.items():
        k = len(curves[members[0]])
        out[g] = [(sum(curves[m][i][0] for m in members), sum(curves[m][i][1] for m in members)) for i in range(k)]
    return out
