"""Validation of places (`coopsim validate [PLACE...]`): runs each place at parameter draws from its posterior and
scores every declared target against the article's figure.

Uses `results/calibration/<place>/fit.json`, or calibrates first when there is none (said on stderr), and the
joint fit's shared posterior (`results/calibration/joint/fit.json`, sim/joint.py) where one matches the places.
Posterior-predictive: `validation.draws` parameter sets drawn from the posterior sample by weight, each run
`validation.replicates` times, every run on its own seed (from the place's validation seed, not the
calibration's), so the intervals carry parameter and stochastic uncertainty. Writes, per place and for all places
together, a table (Parquet + CSV under `results/validation/`): per target the reported value, the simulated
median, 50% and 90% intervals, the 90% interval's width relative to the reported value, the weighted interval
score, coverage and a verdict (sim/scoring.py). Held-out figures are reported as they come out; inputs and
identities are listed, not counted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibrate import calibrate, read_fit, run_points
from sim.io import atomic_write_parquet, atomic_write_text
from sim.places import Place, Target
from sim.scoring import score
from sim.validate_table import format_table, num

VALIDATION_DIR = Path("results") / "validation"
COLUMNS = ["place", "target", "figure", "figure_zh", "unit", "year", "role", "reported", "simulated_median", "low_50",
           "high_50", "low_90", "high_90", "width_relative", "wis", "wis_relative", "within_50", "within_90", "verdict",
           "parameter_sets", "runs", "source"]


def posterior_draws(post: dict, draws: int, seed: int, integer: set[str] | None = None) -> list[dict[str, float]]:
    """`draws` parameter sets drawn from a fit's weighted posterior sample by weight."""
    sample, w = np.asarray(post["sample"], dtype=float), np.asarray(post["weights"], dtype=float)
    rows = np.random.default_rng(seed).choice(len(w), size=draws, p=w / w.sum())
    return [{k: int(round(x)) if k in (integer or set()) else float(x)
             for k, x in zip(post["parameters"], sample[r], strict=True)} for r in rows]


def parameter_sets(place: Place, fit: dict, draws: int, seed: int, joint: dict | None = None) -> list[dict[str, float]]:
    """`draws` parameter sets drawn from the posterior sample by its weights (posterior-predictive); with a joint
    fit (sim/joint.py), each with the shared parameters drawn from its posterior (independently: see there)."""
    own = posterior_draws(fit["posterior"], draws, seed, {p.path for p in place.info.free_parameters if p.integer})
    if joint is None:
        return own
    shared = posterior_draws(joint["posterior"], draws, seed + 1)
    return [{**s, **o} for s, o in zip(shared, own, strict=True)]


def target_row(place: Place, t: Target, values: pd.DataFrame, n_sets: int) -> dict:
    year = (f"{t.year}-{t.sum_to}" if t.sum_to else str(t.year)) if t.year else "last"
    return {"place": place.key, "target": t.id, "figure": t.figure, "figure_zh": t.figure_zh, "unit": t.unit,
            "year": year, "role": t.role,
            "reported": t.reported, **score(values[t.id].to_numpy(dtype=float), t.reported, t.role),
            "parameter_sets": n_sets, "runs": len(values), "source": t.source}


def validate_place(place: Place, replicates: int | None = None, draws: int | None = None, workers: int = 0,
                   executor: str = "process",
                   calibration_root: Path | None = None, root: Path | None = None, progress: bool | None = None,
                   calibration: dict | None = None, log: Callable[[str], None] = lambda m: None,
                   joint: dict | None = None) -> pd.DataFrame:
    """The validation table of one place (written to results/validation/<place>/); `joint`: the joint fit whose
    shared posterior the draws take their shared parameters from."""
    fit = read_fit(place, calibration_root)
    if fit is None:
        log(f"{place.key}: no calibration found ({(calibration_root or Path('results/calibration')) / place.key}"
            f"/fit.json); calibrating first")
        fit = calibrate(place, workers=workers, executor=executor, root=calibration_root, progress=progress,
                        log=log, **(calibration or {}))
    vs = place.info.validation
    sets = parameter_sets(place, fit, draws or vs.draws, vs.seed, joint)
    folder = (root or VALIDATION_DIR) / place.key
    t0 = time.perf_counter()
    variants = [{"name": f"draw{i}", "overrides": s} for i, s in enumerate(sets)]
    values = run_points(place, {"replicates": replicates or vs.replicates, "seed": vs.seed, "variants": variants},
                        folder / "runs", workers, executor, progress, own_seeds=True)
    table = pd.DataFrame([target_row(place, t, values, len(sets)) for t in place.info.targets], columns=COLUMNS)
    atomic_write_parquet(folder / "validation.parquet", table)
    atomic_write_text(folder / "validation.csv", table.to_csv(index=False))
    log(f"{place.key}: {len(values)} runs at {len(sets)} parameter set(s) in {time.perf_counter() - t0:.1f} s")
    return table


def place_text(place: Place, table: pd.DataFrame, fit: dict | None = None) -> str:
    """The printed table of one place, headed by its name and fitted values."""
    head = f"{place.info.name} ({place.info.name_zh}; seed {place.info.seed})"
    fitted = "fitted: " + "; ".join(f"{k} = {num(v['value'])} [{num(v['low_5'])}, {num(v['high_95'])}]"
                                    for k, v in fit["fitted"].items()) if fit else ""
    return format_table(head, table, fitted)
