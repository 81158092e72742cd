"""What the re-run on fresh seeds says about each split: its score and measures with 95% intervals, what it does
against no programme money, its gain over the current split and the chance the optimal split beats it on the same
shock path (paired by seed: sim/compare.py's intervals, sim/ranking.py's probabilities)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.compare import mean_ci
from sim.plan.objective import MEASURES
from sim.plan.problem import BASELINE, Problem
from sim.ranking import by_seed, pairwise


def _role(name: str, problem: Problem, optimal: str) -> str:
    if name == optimal:
        return "optimal"
    if name == problem.current:
        return "current"
    if name == BASELINE:
        return "baseline"
    return "finalist" if name.startswith("candidate_") else "shipped"


def _candidate_label(name: str, optimal: str) -> tuple[str, str]:
    if name == BASELINE:
        return "No programme money", "无项目资金"
    if name == optimal:
        return "Optimal split", "最优分配"
    n = name.rsplit("_", 1)[-1]
    return f"Finalist {n}", f"候选方案{n}"


def _ci(prefix: str, values) -> dict[str, float]:
    _, m, lo, hi = mean_ci(np.asarray(values, float))
    return {f"{prefix}": m, f"{prefix}_low": lo, f"{prefix}_high": hi}


def summarise(runs: pd.DataFrame, problem: Problem, optimal: str, splits: dict) -> pd.DataFrame:
    """One row per split (fresh seeds; `runs` carries `score`)."""
    wide = {m: by_seed(runs, col) for m, (col, _) in MEASURES.items()}
    scores = by_seed(runs, "score")
    wins = pairwise(scores, lower_is_better=False).set_index(["variant", "other"])
    current = problem.current if problem.current in scores.columns else optimal
    rows = []
    for name in scores.columns:
        en, zh = problem.labels.get(name, _candidate_label(name, optimal))
        row: dict = {"variant": name, "label_en": en, "label_zh": zh, "role": _role(name, problem, optimal),
                     "budget_yuan": float(sum(splits[name].values())), "n": len(scores)}
        row |= _ci("score", scores[name])
        for m, (_, sign) in MEASURES.items():
            row |= _ci(m, wide[m][name])
            if BASELINE in scores.columns:
                row |= _ci(f"{m}_vs_baseline", sign * (wide[m][name] - wide[m][BASELINE]))
        row |= _ci("gain_vs_current", scores[name] - scores[current])
        beat = wins.loc[(optimal, name)] if name != optimal else None
        row |= {"p_optimal_better": np.nan if beat is None else beat["p_beats"],
                "p_low": np.nan if beat is None else beat["ci_low"],
                "p_high": np.nan if beat is None else beat["ci_high"]}
        rows.append(row)
    order = {"optimal": 0, "current": 1, "shipped": 2, "finalist": 3, "baseline": 4}
    return pd.DataFrame(rows).sort_values("role", key=lambda s: s.map(order), kind="stable", ignore_index=True)
