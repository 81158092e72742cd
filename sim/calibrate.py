"""Calibration of a place (`coopsim calibrate PLACE`): a posterior of its free parameters by ABC-SMC.

Method (sim/abc_smc.py, pyabc): uniform priors from the place file (each with its source); every parameter set
is simulated `replicates` times with common random numbers (replicate seeds from numpy's SeedSequence of the
calibration seed, the same for every parameter set); the distance is the root mean square over the calibration
targets of the replicate mean's relative error; the run stops once epsilon reaches the noise floor (one run's
own relative scatter) or at its generation / simulation budget. Held-out targets are never used.

Written to `results/calibration/<place>/fit.json` (sim/fit_file.py guards it): the weighted posterior sample, per
parameter its weighted median, 50% and 90% intervals and a flag when the median lies within 5% of a prior
bound (a sign of structural misfit), the method, simulations, wall time and the convergence diagnostics.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from sim import __version__
from sim.abc_smc import METHOD, Posterior, fit_posterior, weighted_quantile
from sim.executors import run_experiment
from sim.experiment import Experiment, build_plan, replicate_seeds
from sim.fit_file import MIN_POPULATION, check_fit, write_fit
from sim.places import Place, target_values
from sim.run import git_commit, simulate

CALIBRATION_DIR = Path("results") / "calibration"
NEAR_BOUND = 0.05  # a posterior median within 5% of the prior's width from a bound is flagged


def fit_path(place: Place, root: Path | None = None) -> Path:
    return (root or CALIBRATION_DIR) / place.key / "fit.json"


def run_points(place: Place, experiment: dict, out: Path, workers: int, executor: str,
               progress: bool | None, own_seeds: bool = False) -> pd.DataFrame:
    """Run an experiment (plain data, sim.experiment.Experiment) on the place's config in `out`; return the
    target values per run. `own_seeds`: every run its own seed (not common random numbers across variants)."""
    exp = Experiment.model_validate({"name": f"{place.key}", "outcomes": place.outcomes(), "runs_per_task": 4,
                                     **experiment})
    plan = build_plan(exp, place.config_data(), place.file)
    if own_seeds:
        seeds = replicate_seeds(exp.seed, len(plan.runs))
        plan.runs = [dataclasses.replace(r, seed=seeds[r.run_id]) for r in plan.runs]
    if out.exists():
        shutil.rmtree(out)  # our own runs from before (perhaps other code or settings): they are cheap, start over
    run_experiment(plan, out, workers=workers, executor=executor, progress=progress)
    runs = pd.read_parquet(out / "runs.parquet")
    failed = runs[runs["status"] != "ok"]
    if len(failed):
        raise RuntimeError(f"{len(failed)} runs of {place.key} failed; first error: {failed['error'].iloc[0]}")
    series = pd.read_parquet(out / "series.parquet")
    return target_values(place, series)


class PlaceModel:
    """The place as a stochastic model for ABC: parameters -> the calibration targets' replicate mean and sd."""

    def __init__(self, place: Place, replicates: int, seed: int, reported: np.ndarray | None = None,
                 fixed: dict[str, float] | None = None):
        self.config, self.targets = place.config, place.calibration_targets
        self.fixed = dict(fixed or {})  # settings held at these values in every run (the joint fit's shared ones)
        self.integer = {p.path for p in place.info.free_parameters if p.integer}
        self.seeds = replicate_seeds(seed, replicates)
        self.reported = np.array([t.reported for t in self.targets]) if reported is None else reported

    def values(self, params: dict) -> np.ndarray:
        """(replicates, targets): each replicate's simulated targets."""
        over = {k: int(round(v)) if k in self.integer else float(v) for k, v in {**self.fixed, **params}.items()}
        runs = [simulate(self.config, seed=s, overrides=over).yearly for s in self.seeds]
        return np.array([[t.value(y) for t in self.targets] for y in runs], dtype=float)

    def __call__(self, params: dict) -> dict:
        v = self.values(dict(params))
        return {"mean": v.mean(axis=0), "sd": v.std(axis=0, ddof=1) if len(v) > 1 else np.zeros(v.shape[1])}

    def distance(self, sim: dict, obs: dict) -> float:
        """Root mean square of the replicate mean's relative error over the calibration targets."""
        err = (sim["mean"] - obs["mean"]) / np.abs(obs["mean"])
        return float(np.sqrt(np.mean(err**2))) if np.all(np.isfinite(err)) else float("inf")

    def noise_floor(self, stats: list[dict]) -> float:
        """Median over a population of one run's relative scatter (sd / reported, root mean square)."""
        rel = [np.sqrt(np.mean((s["sd"] / np.abs(self.reported)) ** 2)) for s in stats]
        return float(np.median(rel)) if rel else 0.0


def parameter_summary(x: np.ndarray, w: np.ndarray, low: float, high: float, integer: bool = False,
                      source: str = "") -> dict:
    """One parameter's weighted median, mean, 50% and 90% intervals, prior and near-bound flag."""
    q = {f"q{int(k * 100)}": weighted_quantile(x, w, k) for k in (0.05, 0.25, 0.5, 0.75, 0.95)}
    near = min(q["q50"] - low, high - q["q50"]) <= NEAR_BOUND * (high - low)
    return {"value": int(round(q["q50"])) if integer else q["q50"], "mean": float(w @ x),
            "low_5": q["q5"], "low_25": q["q25"], "high_75": q["q75"], "high_95": q["q95"],
            "prior_low": low, "prior_high": high, "prior_source": source, "near_bound": bool(near)}


def summarise(place: Place, post: Posterior) -> dict:
    """Per parameter: weighted median, mean, 50% and 90% intervals, prior and a near-bound flag."""
    return {p.path: parameter_summary(post.particles[:, j], post.weights, p.low, p.high, p.integer, p.source)
            for j, p in enumerate(place.info.free_parameters)}


def fit_record(place: Place, post: Posterior, replicates: int, seconds: float,
               shared: dict[str, float] | None = None) -> dict:
    cs = place.info.calibration
    return {"place": place.key, "file": place.file, "place_fingerprint": place.fingerprint(), "method": METHOD,
            "conditional_on": dict(shared or {}),
            "fitted": summarise(place, post),
            "posterior": {"parameters": post.names, "sample": post.particles.tolist(),
                          "weights": post.weights.tolist()},
            "calibration_targets": [t.id for t in place.calibration_targets],
            "held_out_targets": [t.id for t in place.info.targets if t.role == "held_out"],
            "population": cs.population, "replicates": replicates, "simulations": post.simulations,
            "runs": post.simulations * replicates, "generations": len(post.epsilons), "epsilons": post.epsilons,
            "acceptance_rates": post.acceptance_rates, "ess": post.ess, "drift": post.drift,
            "noise_floor": post.noise_floor, "stopped": post.stopped,
            "seed": cs.seed, "version": __version__, "git_commit": git_commit(),
            "created": dt.datetime.now(dt.UTC).isoformat(), "seconds": round(seconds, 2)}


def calibrate(place: Place, population: int | None = None, replicates: int | None = None, workers: int = 0,
              executor: str = "process", root: Path | None = None, progress: bool | None = None,
              force: bool = False, log: Callable[[str], None] = lambda m: None,
              shared: dict[str, float] | None = None, **_: object) -> dict:
    """Fit the place's free parameters to its calibration targets; check, write and return fit.json's content.
    `shared`: settings held fixed in every run (the joint fit's shared parameters, sim/joint.py), recorded."""
    cs = place.info.calibration
    population, replicates = population or cs.population, replicates or cs.replicates
    if population < MIN_POPULATION and not force:  # refused before any run, not after
        check_fit({"population": population, "generations": cs.generations, "ess": population, "fitted": {}},
                  force, fit_path(place, root))
    model = PlaceModel(place, replicates, cs.seed, fixed=shared)
    priors = {p.path: (p.low, p.high) for p in place.info.free_parameters}
    log(f"calibrating {place.key}: ABC-SMC, population {population}, {replicates} replicates per parameter set, "
        f"at most {cs.generations} generations; {len(model.targets)} calibration targets")
    t0 = time.perf_counter()
    workers = 1 if executor == "serial" else (workers or 2)
    post = fit_posterior(model, priors, model.distance, {"mean": model.reported}, model.noise_floor,
                         population, cs.generations, cs.max_simulations, cs.seed, workers,
                         (root or CALIBRATION_DIR) / place.key / "abc.db", log)
    fit = fit_record(place, post, replicates, time.perf_counter() - t0, shared)
    fit["population"] = population
    check_fit(fit, force, fit_path(place, root))
    write_fit(fit, fit_path(place, root), force, log)
    log(f"{place.key}: " + ", ".join(f"{k} = {_fmt(v['value'])} [{_fmt(v['low_5'])}, {_fmt(v['high_95'])}]"
                                     + (" NEAR A PRIOR BOUND" if v["near_bound"] else "")
                                     for k, v in fit["fitted"].items())
        + f" ({fit['simulations']} parameter sets, {fit['runs']} runs, {fit['seconds']:.1f} s; {post.stopped})")
    return fit


def read_fit(place: Place, root: Path | None = None) -> dict | None:
    path = fit_path(place, root)
    if not path.exists():
        return None
    fit = json.loads(path.read_text(encoding="utf-8"))
    if fit.get("place_fingerprint") != place.fingerprint() or "posterior" not in fit:
        return None  # the place file changed since, or a fit of the old method: fit again
    return fit


def _fmt(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.0f}"
