"""`coopsim optimise`: the search on shared seeds, then the finalists, the current split, the shipped splits and no
programme money re-run on fresh seeds; the best finalist there is the optimal split, and its gain over each other
split is measured on those fresh seeds, paired by seed (so the reported gain is not the search's luck)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from sim.experiment import replicate_seeds
from sim.plan.absorb import capacity, capped, spent_by_line
from sim.plan.evaluate import evaluate
from sim.plan.objective import score, weights_for
from sim.plan.problem import BASELINE, Problem
from sim.plan.search import finalists, search
from sim.plan.split import Bounds, binding, make_bounds
from sim.plan.summary import summarise

Log = Callable[[str], None]


@dataclass
class Settings:
    objective: str = "person_years"
    weights: dict[str, float] = field(default_factory=dict)
    mins: dict[str, str] = field(default_factory=dict)
    maxs: dict[str, str] = field(default_factory=dict)
    fixed: dict[str, str] = field(default_factory=dict)
    trials: int = 40
    search_seeds: int = 4
    fresh_seeds: int = 20
    finalists: int = 3
    seed: int = 2015
    workers: int = 1
    cap_at_use: bool = False  # no line gets more than it can use (sim/plan/absorb.py)

    def measure_weights(self) -> dict[str, float]:
        return weights_for(self.objective, self.weights)

    def seed_sets(self) -> tuple[list[int], list[int]]:
        """Search seeds and fresh seeds: children of one SeedSequence, so the two sets never share a shock path."""
        seeds = replicate_seeds(self.seed, self.search_seeds + self.fresh_seeds)
        return seeds[:self.search_seeds], seeds[self.search_seeds:]


@dataclass
class Found:
    """One budget's search and re-evaluation."""

    bounds: Bounds
    trials: pd.DataFrame
    runs: pd.DataFrame  # fresh seeds: every variant, with a `score` column
    splits: dict[str, dict[str, float]]
    optimal: str
    summary: pd.DataFrame


def search_at(problem: Problem, settings: Settings, bounds: Bounds, log: Log, tag: str = "") -> pd.DataFrame:
    """The search at one budget: candidates scored by their mean over the search seeds."""
    seeds, _ = settings.seed_sets()
    weights = settings.measure_weights()
    done = [0]

    def score_batch(splits: list[dict[str, float]]) -> list[float]:
        named = {f"trial{done[0] + i}": s for i, s in enumerate(splits)}
        runs, _ = evaluate(problem, named, seeds, settings.workers)
        done[0] += len(splits)
        log(f"{tag}search: {done[0]} of {settings.trials} splits tried")
        means = score(runs, weights).groupby(runs["variant"]).mean()
        return [float(means[n]) for n in named]

    starts = [s for s in problem.scenarios.values()]
    return search(score_batch, bounds, settings.trials, max(settings.workers, 1), settings.seed, starts)


def optimise_at(problem: Problem, settings: Settings, budget_yuan: float, log: Log, tag: str = "",
                references: bool = True) -> Found:
    """Search at `budget_yuan`, then re-run the finalists (and, with `references`, the current and shipped splits
    and no programme money) on the fresh seeds."""
    bounds = make_bounds(problem.lines, budget_yuan, settings.mins, settings.maxs, settings.fixed)
    if settings.cap_at_use:
        if problem.capacity is None:
            problem.capacity = capacity(problem, settings.seed_sets()[0], settings.workers)
            log(f"what each line can use: {', '.join(f'{k} {v / 1e6:,.2f}M' for k, v in problem.capacity.items())}")
        bounds = capped(bounds, problem.capacity)
    trials = search_at(problem, settings, bounds, log, tag)
    chosen = finalists(trials, problem.lines, settings.finalists)
    splits = {f"candidate_{i + 1}": s for i, s in enumerate(chosen)}
    if references:
        splits = {BASELINE: {}, **problem.scenarios, **splits}
    _, fresh = settings.seed_sets()
    log(f"{tag}re-running {len(splits)} splits on {len(fresh)} fresh seeds")
    runs, _ = evaluate(problem, splits, fresh, settings.workers)
    runs = runs.assign(score=score(runs, settings.measure_weights()))
    means = runs[runs["variant"].str.startswith("candidate_")].groupby("variant")["score"].mean()
    optimal = str(means.idxmax())
    summary = summarise(runs, problem, optimal, splits)
    return Found(bounds, trials, runs, splits, optimal, summary)


def split_table(found: Found, problem: Problem) -> pd.DataFrame:
    """Per split and line: yuan, share of the split's total, mean yuan spent on the fresh seeds, the line's bounds,
    and what binds (optimal only)."""
    binds = binding(found.splits[found.optimal], found.bounds)
    spent = spent_by_line(found.runs, problem.lines)
    rows = []
    for name, split in found.splits.items():
        total = sum(split.values())
        for line in problem.lines:
            amount = float(split.get(line, 0.0))
            rows.append({"variant": name, "line": line, "yuan": amount, "share": amount / total if total else 0.0,
                         "spent_yuan": float(spent.loc[name, line]) if name in spent.index else float("nan"),
                         "low_yuan": found.bounds.low[line], "high_yuan": found.bounds.high[line],
                         "binds": binds[line] if name == found.optimal else ""})
    return pd.DataFrame(rows)
