"""Ranking variants across shock paths (issue 15, item 6): for each pair of variants the probability
that one beats the other on the same seed (Wilson interval), and each variant's regret.

Runs are paired by (point, seed): replicate r meets the same shocks in every variant, so "A beats B
on seed r" compares the two policies under one shock path. A tie counts half a win. Regret on a seed
is how much worse the variant did than the best variant on that seed (0 for the best); its mean over
seeds is what choosing that variant costs a planner who cannot know the coming shocks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

MIN_REPLICATES_TO_RANK = 30  # fewer shock paths give rankings that flip between batches (issue 15)
RANK_OUTCOME = "poverty_person_years_total"  # since the start (sim/poverty.py); lower is better
LOWER_IS_BETTER = {"poverty_person_years_total", "poverty_person_years", "poverty_headcount_ratio",
                   "poverty_gap_index_mean",
                   "poverty_severity_index_mean", "poverty_gap_index", "public_cost_per_household_lifted"}


def wilson(wins: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion wins/n (NaN when n is 0)."""
    if n <= 0:
        return np.nan, np.nan
    z = float(stats.norm.ppf(0.5 + level / 2))
    p = wins / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(centre - half), float(centre + half)


def by_seed(runs: pd.DataFrame, outcome: str, point: int = 0) -> pd.DataFrame:
    """One row per seed, one column per variant (variant order kept), only seeds every variant finished."""
    ok = runs[(runs["status"] == "ok") & (runs["point"] == point)]
    order = list(dict.fromkeys(ok["variant"]))
    wide = ok.pivot_table(index="seed", columns="variant", values=outcome, aggfunc="first")
    return wide[order].dropna()


def pairwise(wide: pd.DataFrame, lower_is_better: bool = True) -> pd.DataFrame:
    """variant, other, n, p_beats (share of seeds where variant beats other, ties half), ci_low, ci_high."""
    x = wide.to_numpy(float) * (1 if lower_is_better else -1)  # smaller is better from here on
    rows = []
    for i, a in enumerate(wide.columns):
        for j, b in enumerate(wide.columns):
            if i != j:
                wins = float((x[:, i] < x[:, j]).sum() + 0.5 * (x[:, i] == x[:, j]).sum())
                lo, hi = wilson(wins, len(x))
                rows.append({"variant": a, "other": b, "n": len(x), "p_beats": wins / len(x) if len(x) else np.nan,
                             "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows, columns=["variant", "other", "n", "p_beats", "ci_low", "ci_high"])


def regret(wide: pd.DataFrame, lower_is_better: bool = True) -> pd.DataFrame:
    """variant, rank (1 = best mean), mean, mean_regret, max_regret, share_best: regret per seed against
    the best variant on that seed, in the outcome's unit."""
    x = wide.to_numpy(float) * (1 if lower_is_better else -1)
    loss = x - x.min(axis=1, keepdims=True)
    means = wide.mean().to_numpy(float)
    order = np.argsort(means if lower_is_better else -means, kind="stable")
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    best = loss == 0
    return pd.DataFrame({"variant": wide.columns, "rank": rank, "mean": means, "mean_regret": loss.mean(axis=0),
                         "max_regret": loss.max(axis=0), "share_best": best.mean(axis=0)}).sort_values("rank")


def ranking(runs: pd.DataFrame, outcome: str = RANK_OUTCOME, point: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(pairwise table, regret table) of the variants on `outcome` at one sweep point."""
    wide = by_seed(runs, outcome, point)
    lower = outcome in LOWER_IS_BETTER
    return pairwise(wide, lower), regret(wide, lower)


def can_rank(n_seeds: int) -> bool:
    return n_seeds >= MIN_REPLICATES_TO_RANK
