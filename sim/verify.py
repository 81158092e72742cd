"""Verification of the calibration on synthetic truths (`coopsim calibrate --verify PLACE`): simulation-based
calibration of the posterior's intervals.

For each of `truths` parameter sets drawn from the prior: one run at the truth (its own seed, not the
calibration's) gives the "reported" calibration figures; the place is fitted to them exactly as to the article's
(sim/calibrate.py, sim/abc_smc.py); the posterior's central 50% and 90% intervals of each parameter either cover
the truth or not. Well-calibrated intervals cover it about 50% and 90% of the time. Written to
`results/calibration/<place>/verify.csv` (one row per truth and parameter).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from sim.abc_smc import StochasticModel, fit_posterior, weighted_quantile
from sim.calibrate import CALIBRATION_DIR, PlaceModel
from sim.io import atomic_write_text
from sim.places import Place

TRUTH_SEED = 7_919  # added to the calibration seed: the truths' draws and runs are not the calibration's


def coverage_rows(names: list[str], truth: dict, particles: np.ndarray, weights: np.ndarray) -> list[dict]:
    """Per parameter: the truth, the posterior's 50% and 90% intervals and whether each covers it."""
    rows = []
    for j, n in enumerate(names):
        q = [weighted_quantile(particles[:, j], weights, k) for k in (0.05, 0.25, 0.75, 0.95)]
        rows.append({"parameter": n, "truth": truth[n], "low_90": q[0], "low_50": q[1], "high_50": q[2],
                     "high_90": q[3], "covered_50": q[1] <= truth[n] <= q[2], "covered_90": q[0] <= truth[n] <= q[3]})
    return rows


def verify_model(observe: Callable[[dict, int], np.ndarray], make_model: Callable[[np.ndarray], StochasticModel],
                 priors: dict[str, tuple[float, float]], truths: int, seed: int, fit: dict,
                 log: Callable[[str], None] = lambda m: None) -> pd.DataFrame:
    """`observe(truth, i)`: the figures one run at the truth gives; `make_model(observed)`: a model with
    `__call__`, `distance`, `noise_floor` (sim.calibrate.PlaceModel); `fit`: fit_posterior's settings."""
    rng = np.random.default_rng(seed + TRUTH_SEED)
    rows = []
    for i in range(truths):
        truth = {k: float(rng.uniform(lo, hi)) for k, (lo, hi) in priors.items()}
        obs = observe(truth, i)
        if not (np.all(np.isfinite(obs)) and np.all(obs != 0)):
            log(f"  truth {i + 1}: a figure is 0 or undefined at {truth}; skipped (relative error undefined)")
            continue
        m = make_model(obs)
        post = fit_posterior(m, priors, m.distance, {"mean": obs}, m.noise_floor, seed=seed + i, **fit)
        rows += [{"truth_index": i, **r} for r in coverage_rows(list(priors), truth, post.particles, post.weights)]
        log(f"  truth {i + 1} of {truths}: {post.simulations} parameter sets, {post.stopped}")
    return pd.DataFrame(rows)


def verify(place: Place, truths: int = 20, population: int | None = None, replicates: int | None = None,
           workers: int = 1, root: Path | None = None, log: Callable[[str], None] = lambda m: None) -> pd.DataFrame:
    """Fit the place to `truths` synthetic truths; write and return the coverage table."""
    cs = place.info.calibration
    reps = replicates or cs.replicates
    folder = (root or CALIBRATION_DIR) / place.key
    priors = {p.path: (p.low, p.high) for p in place.info.free_parameters}
    fit = {"population": population or cs.population, "generations": cs.generations,
           "max_simulations": cs.max_simulations, "workers": workers, "db": None, "log": log}
    t0 = time.perf_counter()
    table = verify_model(lambda th, i: PlaceModel(place, 1, cs.seed + TRUTH_SEED + i).values(th)[0],
                         lambda obs: PlaceModel(place, reps, cs.seed, reported=obs), priors, truths, cs.seed, fit, log)
    atomic_write_text(folder / "verify.csv", table.to_csv(index=False))
    log(f"{place.key}: {truths} truths in {time.perf_counter() - t0:.0f} s; written {folder / 'verify.csv'}")
    return table


def coverage_line(table: pd.DataFrame) -> str:
    if table.empty:
        return "no truth could be fitted"
    n = table["truth_index"].nunique()
    return (f"{n} truths, {len(table)} parameter intervals: the 50% intervals cover the truth "
            f"{table['covered_50'].mean():.0%} of the time, the 90% intervals {table['covered_90'].mean():.0%}")
