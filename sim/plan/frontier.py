"""The budget-outcome frontier: the optimal split at several budget levels, each re-run on the same fresh seeds,
so the outcome's band, the marginal gain of the next 10 million yuan and any dip of the frontier are measured
paired by seed (a dip whose paired interval holds zero is noise, not a smaller budget doing more)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.compare import mean_ci
from sim.plan.objective import MEASURES
from sim.plan.optimise import Found, Log, Settings, optimise_at
from sim.plan.problem import BASELINE, Problem

LEVELS = (0.25, 0.5, 1.0, 1.5, 2.0)  # multiples of the base budget
STEP_YUAN = 10_000_000  # the marginal gain is that of the next 10 million yuan


def by_seed(found: Found, column: str) -> pd.Series:
    runs = found.runs[found.runs["variant"] == found.optimal]
    return runs.set_index("seed")[column].astype(float).sort_index()


def levels_found(problem: Problem, settings: Settings, levels, base: Found, log: Log) -> dict[float, Found]:
    """The optimal split at each level (the base budget's from `base`)."""
    out = {}
    for m in levels:
        if abs(m - 1.0) < 1e-9:
            out[m] = base
        else:
            out[m] = optimise_at(problem, settings, m * problem.budget_yuan, log, f"{m:g}x budget: ", False)
    return out


def _ci(prefix: str, values) -> dict[str, float]:
    _, m, lo, hi = mean_ci(np.asarray(values, float))
    return {prefix: m, f"{prefix}_low": lo, f"{prefix}_high": hi}


def level_rows(found_at: dict[float, Found], base: Found, budget_yuan: float) -> pd.DataFrame:
    """One row per level: budget, the score and each measure against no programme money (paired, 95% interval),
    the marginal gain of the next 10 million yuan to the next level, and whether the frontier dips there."""
    zero = base.runs[base.runs["variant"] == BASELINE].set_index("seed").sort_index()
    levels = sorted(found_at)
    rows = []
    for i, m in enumerate(levels):
        f = found_at[m]
        row: dict = {"level": m, "budget_yuan": m * budget_yuan, **_ci("score", by_seed(f, "score"))}
        for name, (col, sign) in MEASURES.items():
            row |= _ci(f"{name}_vs_baseline", sign * (by_seed(f, col) - zero[col].astype(float)))
        if i + 1 < len(levels):
            nxt = found_at[levels[i + 1]]
            step = by_seed(nxt, "score") - by_seed(f, "score")
            per = STEP_YUAN / ((levels[i + 1] - m) * budget_yuan)
            row |= _ci("marginal_per_10m", step * per)
            row |= {"dips_next": bool(step.mean() < 0), "dip_within_noise": bool(step.mean() < 0 and
                                                                                   row["marginal_per_10m_high"] >= 0)}
        rows.append(row)
    return pd.DataFrame(rows)


def frontier_table(found_at: dict[float, Found], levels: pd.DataFrame, lines: list[str]) -> pd.DataFrame:
    """frontier.parquet: one row per budget level and line (the level's figures repeated on each of its lines)."""
    rows = []
    for _, lv in levels.iterrows():
        f = found_at[float(lv["level"])]
        split = f.splits[f.optimal]
        for line in lines:
            rows.append({**lv.to_dict(), "line": line, "yuan": split.get(line, 0.0),
                         "share": split.get(line, 0.0) / lv["budget_yuan"] if lv["budget_yuan"] else 0.0})
    return pd.DataFrame(rows)


def monotonicity(levels: pd.DataFrame) -> str:
    """One sentence: is the frontier monotone, and is any dip within noise?"""
    dips = levels[levels.get("dips_next", pd.Series(False, index=levels.index)).fillna(False).astype(bool)]
    if not len(dips):
        return "the frontier rises (or stays level) with every step of the budget"
    real = dips[~dips["dip_within_noise"].astype(bool)]
    where = ", ".join(f"{lv:g}x" for lv in dips["level"])
    if len(real):
        return f"the frontier falls after {where}, beyond noise (paired 95% interval below zero): check the split"
    return f"the frontier dips after {where}, within noise (the paired 95% interval holds zero)"
