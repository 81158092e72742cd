"""What each funding line can use: the county run with every line's envelope far above any need (so no line is
short), on the search seeds; the most a line spent on any seed is its capacity. `--cap-at-use` makes it the line's
maximum, so the search never gives a line money it would leave unspent."""

from __future__ import annotations

import pandas as pd

from sim.plan.evaluate import evaluate
from sim.plan.problem import Problem
from sim.plan.split import Bounds
from sim.policies import registry
from sim.run import PUBLIC_PREFIX

OPEN_YUAN = 1e12  # an envelope no line reaches


def spent_by_line(runs: pd.DataFrame, lines: list[str]) -> pd.DataFrame:
    """Mean yuan each split's runs spent per line (the line's public-programme sources in the ledger): a line
    that cannot use its allocation leaves the rest unspent."""
    sources = registry.funding_lines()
    out = {}
    for line in lines:
        cols = [f"{PUBLIC_PREFIX}{s}" for s in sources[line].sources if f"{PUBLIC_PREFIX}{s}" in runs.columns]
        out[line] = runs[cols].sum(axis=1) if cols else pd.Series(0.0, index=runs.index)
    return pd.DataFrame(out).groupby(runs["variant"]).mean()


def capacity(problem: Problem, seeds: list[int], workers: int = 1) -> dict[str, float]:
    """The most each line spent on any of `seeds` with an envelope it cannot exhaust (yuan); infinite for a line
    that takes whatever it is given (a mutual-aid fund's capital)."""
    runs, _ = evaluate(problem, {"open": dict.fromkeys(problem.lines, OPEN_YUAN)}, seeds, workers)
    per_seed = spent_by_line(runs.assign(variant=runs["seed"].astype(str)), problem.lines)
    most = {line: float(per_seed[line].max()) for line in problem.lines}
    return {k: float("inf") if v >= OPEN_YUAN / 2 else v for k, v in most.items()}


def capped(bounds: Bounds, caps: dict[str, float]) -> Bounds:
    """The bounds with each line's maximum no higher than its capacity (and never below its minimum)."""
    high = {n: max(min(bounds.high[n], caps.get(n, bounds.high[n])), bounds.low[n]) for n in bounds.lines}
    return Bounds(bounds.budget_yuan, dict(bounds.low), high)
