"""Fitting the economy's uncertain parameters jointly to the patterns (issue 14 item 10): a Latin hypercube
(scipy.stats.qmc) over the parameters' plausible ranges, each point run on the same replicate seeds (common random
numbers, with the patterns' counterfactuals), scored by how far each pattern's mean lies outside its acceptance
interval; the best point is the fit.

Score of a point: sum over the fitted patterns (a pattern marked `fitted=False` is a check the fit cannot see) of
(distance outside the interval / the interval's width)^2, plus 1% of (distance from the target / width)^2 to
prefer points near the targets among those inside every interval; a pattern that cannot be computed (NaN) scores
1. The width of an interval open above is its lower bound.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.io import atomic_write_text
from sim.patterns import PATTERNS, Pattern, judged
from sim.patterns_run import run_patterns


@dataclass(frozen=True)
class Parameter:
    path: str  # dotted config key
    low: float
    high: float
    linked: tuple[tuple[str, float], ...] = ()  # other keys set to this value times a factor (a derived input)

    def overrides(self, value: float) -> dict[str, float]:
        return {self.path: float(value), **{path: float(value) * factor for path, factor in self.linked}}


# The economy's parameters no source pins down (each an "assumption" in configs/village.yaml), with plausible ranges.
ECONOMY_PARAMETERS = [
    Parameter("economy.local_employment_probability_per_month", 0.2, 0.8),  # local wage work found in a month
    Parameter("economy.local_wage_yuan_per_day", 60, 110),  # rural day wages ~60-100 yuan (docs/model.md)
    # illness: the serious illness rate and the costs come from published figures (sim/policies/health.py); chronic
    # illness (below) is calibrated to how many of the registered poor were seriously or chronically ill, an input.
    # The share of the poor who are poor *because of* illness is left out of the fit's score (`fitted=False` in
    # sim/patterns.py): a pattern the model must reproduce, not a target to tune to
    Parameter("economy.remittance_yuan_per_migrant_month", 600, 1500),  # sent home: 20-50% of a migrant's wage
    Parameter("economy.nominal_growth_per_year", 0.07, 0.11),  # all rural ~8%/yr; poor areas ~11%/yr (2016-19, NBS)
    Parameter("dibao.coverage_multiple", 1.0, 3.0),  # a poor county's allowance quota over the national share
    # contracted land: ~2.6 mu per person nationally (third agricultural census 2016: 2.02bn mu of cultivated land,
    # ~230M rural households of ~3.4 persons), less in mountain villages
    Parameter("village.land_mu_per_person.mean", 0.8, 2.5),
    Parameter("registration.exit_income_poverty_lines", 1.0, 1.3),  # provinces' exit standards above the line
    Parameter("economy.local_employment_concentration", 0.5, 5.0),  # how lastingly households differ in local work
    Parameter("economy.local_work_share_of_spare_days", 0.3, 0.9),  # spare days worked when work is found
    Parameter("dibao.standard_multiple", 0.7, 1.0),  # poor western counties' standards below the national mean
    Parameter("dibao.exclusion_error_rate", 0.05, 0.6),  # before the linkage: large exclusion errors (surveys)
    # chronic illness that limits work: its onsets, and the chronically ill at the start as their steady state
    # (onsets x 3.4 persons x a 4-year mean spell)
    Parameter("health.chronic.onsets_per_person_year", 0.002, 0.02, linked=(("village.initial_ill_share", 13.6),)),
]


FITTED = tuple(p for p in PATTERNS if p.fitted)  # what the fit scores and runs (no counterfactual run needed)


def score(t: pd.DataFrame, patterns: tuple[Pattern, ...] = FITTED) -> float:
    """The fit's loss for one patterns table (rows in `patterns` order)."""
    total = 0.0
    for p, m in zip(patterns, t["simulated_mean"].to_numpy(float), strict=True):
        if not p.fitted:
            continue
        width = (p.high - p.low) if np.isfinite(p.high) else max(abs(p.low), 1e-9)
        if not np.isfinite(m):
            total += 1.0
            continue
        outside = max(p.low - m, 0.0, m - p.high) / width
        total += outside**2 + 0.01 * ((m - p.target) / width) ** 2
    return float(total)


def design(params: list[Parameter], samples: int, seed: int) -> np.ndarray:
    """Latin-hypercube points (samples x parameters) scaled to each parameter's range."""
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(params), seed=seed).random(samples)
    return qmc.scale(unit, [p.low for p in params], [p.high for p in params])


def fit(config: Any, params: list[Parameter], samples: int = 40, replicates: int = 4, seed: int = 1,
        workers: int = 0, log: Callable[[str], None] = lambda m: None) -> pd.DataFrame:
    """One row per point: the parameter values, each pattern's mean, within, and the score; best first."""
    rows = []
    for i, point in enumerate(design(params, samples, seed)):
        overrides = {k: v for p, x in zip(params, point, strict=True) for k, v in p.overrides(x).items()}
        t = run_patterns(config, replicates=replicates, workers=workers, overrides=overrides, patterns=FITTED)
        rows.append({**overrides, **dict(zip(t["pattern"], t["simulated_mean"], strict=True)),
                     "within": int(judged(t)["within"].sum()), "score": score(t)})
        log(f"point {i + 1}/{samples}: score {rows[-1]['score']:.3f}, {rows[-1]['within']} of {len(t)} within")
    return pd.DataFrame(rows).sort_values("score", ignore_index=True)


def around(params: list[Parameter], best: pd.Series, share: float) -> list[Parameter]:
    """The parameters' box narrowed to `share` of each prior width around the best point, inside the prior: the
    next stage of a sequential search (the prior stays what `ranges_of_good_points` reports against)."""
    out = []
    for p in params:
        half = share * (p.high - p.low) / 2
        centre = float(best[p.path])
        out.append(Parameter(p.path, max(p.low, centre - half), min(p.high, centre + half), p.linked))
    return out


def fit_in_stages(config: Any, params: list[Parameter], samples: int, replicates: int, seed: int, stages: int = 1,
                  share: float = 0.4, workers: int = 0, log: Callable[[str], None] = lambda m: None) -> pd.DataFrame:
    """`stages` Latin hypercubes, each (after the first) in a box `share` as wide as the prior around the best point
    so far; every point of every stage, best first."""
    points = fit(config, params, samples, replicates, seed, workers, log)
    for stage in range(1, stages):
        box = around(params, points.iloc[0], share**stage)
        log(f"stage {stage + 1}: " + ", ".join(f"{p.path} [{p.low:.4g}, {p.high:.4g}]" for p in box))
        more = fit(config, box, samples, replicates, seed + stage, workers, log)
        points = pd.concat([points, more]).sort_values("score", ignore_index=True)
    return points


FRESH_SEED = 99  # the re-evaluation's seeds: not the fit's (sim/patterns_run.py DEFAULT_SEED)


def reevaluate(config: Any, params: list[Parameter], points: pd.DataFrame, top: int = 8, replicates: int = 16,
               seed: int = FRESH_SEED, workers: int = 0, log: Callable[[str], None] = lambda m: None) -> pd.DataFrame:
    """The best `top` points run again on `replicates` fresh seeds (not the fit's), scored again, best first: the
    fit is the best of these, so the chosen point is not the search's luck on a few seeds."""
    rows = []
    for i in range(min(top, len(points))):
        values = {p.path: float(points[p.path].iloc[i]) for p in params}
        overrides = {k: v for p in params for k, v in p.overrides(values[p.path]).items()}
        t = run_patterns(config, replicates=replicates, seed=seed, workers=workers, overrides=overrides,
                         patterns=FITTED)
        rows.append({**overrides, **dict(zip(t["pattern"], t["simulated_mean"], strict=True)),
                     "within": int(judged(t)["within"].sum()), "score": score(t), "search_rank": i})
        log(f"fresh seeds, point {i + 1}/{top}: score {rows[-1]['score']:.3f}, {rows[-1]['within']} of {len(t)} within")
    return pd.DataFrame(rows).sort_values("score", ignore_index=True)


def ranges_of_good_points(points: pd.DataFrame, params: list[Parameter], share: float = 0.1,
                          best: pd.Series | None = None) -> pd.DataFrame:
    """For each parameter: the fitted value (`best`, else the best point), the range over the best `share` of points,
    the prior, and `near_bound` when the fitted value lies within 5% of the prior's width of a bound (a sign that
    the fit pushes against the prior: structural misfit)."""
    good = points.head(max(1, int(round(share * len(points)))))
    best = points.iloc[0] if best is None else best
    rows = []
    for p in params:
        value, margin = float(best[p.path]), 0.05 * (p.high - p.low)
        rows.append({"path": p.path, "fitted": value, "good_low": good[p.path].min(), "good_high": good[p.path].max(),
                     "prior_low": p.low, "prior_high": p.high,
                     "near_bound": bool(value <= p.low + margin or value >= p.high - margin)})
    return pd.DataFrame(rows)


def write(points: pd.DataFrame, ranges: pd.DataFrame, out: Path, fresh: pd.DataFrame | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / "fit_points.csv", points.to_csv(index=False))
    atomic_write_text(out / "fit_ranges.csv", ranges.to_csv(index=False))
    if fresh is not None:
        atomic_write_text(out / "fit_reevaluated.csv", fresh.to_csv(index=False))
