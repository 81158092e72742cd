"""What the dashboard runs: a county sample, a budget and each line's share, run with no programme money on the
same seeds; the headline figures a planner reads (headcount, households lifted, public cost per extra household
lifted, the poor's income gained) with 95% intervals against that baseline, and a briefing PDF of kept scenarios."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from sim.charts import theme
from sim.compare import incremental_cost, mean_ci
from sim.config import load_funding
from sim.experiment import replicate_seeds
from sim.plan.evaluate import evaluate
from sim.plan.problem import BASELINE, Problem, load_problem

ROOT = Path(__file__).resolve().parents[2]
COUNTY = ROOT / "configs" / "county.yaml"
COUNTY_VILLAGES, COUNTY_BUDGET_YUAN = 578, 1_200_000_000  # configs/county.yaml, configs/funding/balanced.yaml
PLACES = {"county6": 6, "county20": 20, "county58": 58}  # villages of the county sampled (budget pro rata)
HEADLINE = ("headcount", "lifted", "cost_per_lifted", "income")


def default_shares() -> dict[str, float]:
    """The balanced scenario's shares of its budget (configs/funding/balanced.yaml)."""
    s = load_funding(ROOT / "configs" / "funding" / "balanced.yaml")
    return {k: v / s.budget_yuan for k, v in s.lines.items()}


def default_budget(place: str) -> float:
    return COUNTY_BUDGET_YUAN * PLACES[place] / COUNTY_VILLAGES


def problem_for(place: str, years: int) -> Problem:
    sets = [f"county.villages={PLACES[place]}", f"years={years}"]
    return load_problem(COUNTY, sets)


def split_for(budget_yuan: float, shares: dict[str, float]) -> dict[str, float]:
    """Shares (any non-negative weights) made into yuan adding up to the budget."""
    total = sum(max(v, 0.0) for v in shares.values())
    return {k: budget_yuan * max(v, 0.0) / total for k, v in shares.items()} if total > 0 else {}


def run_scenario(place: str, budget_yuan: float, shares: dict[str, float], replicates: int, years: int = 10,
                 seed: int = 2015, on_run: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """The runs of the split and of no programme money on the same `replicates` seeds."""
    problem = problem_for(place, years)
    runs, _ = evaluate(problem, {BASELINE: {}, "scenario": split_for(budget_yuan, shares)},
                       replicate_seeds(seed, replicates), 1, on_run)
    return runs


def _paired(runs: pd.DataFrame, column: str) -> np.ndarray:
    wide = runs.pivot_table(index="seed", columns="variant", values=column)
    return (wide["scenario"] - wide[BASELINE]).to_numpy(float)


def headline(runs: pd.DataFrame) -> dict[str, tuple[float, float, float]]:
    """(value, low, high) of each headline figure: the end-year headcount ratio of the split, and against no
    programme money on the same seeds: extra households lifted, public yuan per extra household lifted (bootstrap
    interval), extra income gained by the registered poor (yuan)."""
    s = runs[runs["variant"] == "scenario"]
    out = {"headcount": mean_ci(s["poverty_headcount_ratio"].to_numpy(float))[1:]}
    out["lifted"] = mean_ci(_paired(runs, "households_lifted_since_start"))[1:]
    cost = incremental_cost(runs.assign(point=0), "scenario", BASELINE)
    out["cost_per_lifted"] = (cost["mean"], cost["low"], cost["high"])
    out["income"] = mean_ci(_paired(runs, "income_gained_by_registered_poor_total"))[1:]
    return out


def briefing_pdf(kept: pd.DataFrame, title: str) -> bytes:
    """A one-page PDF of the kept scenarios' table (the dashboard's download)."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    buf = io.BytesIO()
    lang = "zh" if any(ord(c) > 0x3000 for c in title) else "en"
    with theme(lang), PdfPages(buf) as pdf:
        fig = plt.figure(figsize=(11.69, 8.27))
        fig.text(0.05, 0.92, title, fontsize=16)
        if len(kept):
            ax = fig.add_axes((0.05, 0.1, 0.9, 0.75))
            ax.axis("off")
            ax.table(cellText=kept.astype(str).to_numpy(), colLabels=list(kept.columns), loc="upper left")
        pdf.savefig(fig)
        plt.close(fig)
    return buf.getvalue()
