"""Calibration of a place (`coopsim calibrate PLACE`): Latin hypercube + ABC rejection.

Method (sampling, not an optimiser):
1. `samples` points of the declared free parameters from a Latin hypercube over their ranges
   (scipy.stats.qmc, seeded by the place's calibration seed);
2. `replicates` runs at every point with common random numbers (replicate seeds from numpy's
   SeedSequence of the calibration seed: replicate r has the same seed at every point), run by the
   experiment machinery (sim/executors.py: serial, local processes or Dask, with its progress bar);
3. every point's distance = mean over the calibration targets of the squared relative error of the
   replicates' mean simulated value against the reported figure;
4. ABC rejection: the best `accept_share` of the points are accepted; the fitted value of each
   parameter is the mean of the accepted points, with their 5th-95th percentile as its interval.

Written to `results/calibration/<place>/fit.json` (atomically): fitted values, intervals, method,
samples, accepted count, seeds, code version. Held-out targets are not used, and no reported figure is
written as an output. The runs themselves stay in `results/calibration/<place>/runs/`.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from sim import __version__
from sim.executors import run_experiment
from sim.experiment import Experiment, Sweep, build_plan, sweep_points
from sim.io import atomic_write_json
from sim.places import Place, target_values
from sim.run import git_commit

CALIBRATION_DIR = Path("results") / "calibration"
METHOD = ("Latin hypercube (scipy.stats.qmc) over the free parameters, replicates with common random numbers "
          "(numpy SeedSequence), ABC rejection: the best accept_share of points by the mean squared relative "
          "error over the calibration targets; fitted value = mean of the accepted points, interval = their "
          "5th-95th percentiles")


def fit_path(place: Place, root: Path | None = None) -> Path:
    return (root or CALIBRATION_DIR) / place.key / "fit.json"


def run_points(place: Place, experiment: dict, out: Path, workers: int, executor: str,
               progress: bool | None) -> pd.DataFrame:
    """Run an experiment (plain data, sim.experiment.Experiment) on the place's config in `out`, reusing
    finished runs of the same experiment; return the target values per run."""
    exp = Experiment.model_validate({"name": f"{place.key}", "outcomes": place.outcomes(), "runs_per_task": 4,
                                     **experiment})
    plan = build_plan(exp, place.config_data(), place.file)
    if out.exists():
        shutil.rmtree(out)  # our own runs from before (perhaps other code or settings): they are cheap, start over
    run_experiment(plan, out, workers=workers, executor=executor, progress=progress)
    runs = pd.read_parquet(out / "runs.parquet")
    failed = runs[runs["status"] != "ok"]
    if len(failed):
        raise RuntimeError(f"{len(failed)} runs of {place.key} failed; first error: {failed['error'].iloc[0]}")
    series = pd.read_parquet(out / "series.parquet")
    return target_values(place, series)


def distances(place: Place, values: pd.DataFrame) -> pd.Series:
    """Per point: mean over the calibration targets of the squared relative error of the replicate mean."""
    cal = place.calibration_targets
    means = values.groupby("point")[[t.id for t in cal]].mean()
    err = np.column_stack([(means[t.id] - t.reported) / abs(t.reported) for t in cal])
    d = np.nanmean(err**2, axis=1)
    d[np.isnan(err).all(axis=1)] = np.inf
    return pd.Series(d, index=means.index, name="distance")


def calibrate(place: Place, samples: int | None = None, replicates: int | None = None,
              workers: int = 0, executor: str = "process", root: Path | None = None,
              progress: bool | None = None, log: Callable[[str], None] = lambda m: None) -> dict:
    """Fit the place's free parameters to its calibration targets; write and return fit.json's content."""
    cs = place.info.calibration
    samples = samples or cs.samples
    replicates = replicates or cs.replicates
    free = place.info.free_parameters
    folder = (root or CALIBRATION_DIR) / place.key
    log(f"calibrating {place.key}: {samples} Latin-hypercube points x {replicates} replicates = "
        f"{samples * replicates} runs; {len(place.calibration_targets)} calibration targets")
    t0 = time.perf_counter()
    experiment = {"replicates": replicates, "seed": cs.seed,
                  "sweep": {"method": "lhs", "samples": samples,
                            "parameters": {p.path: {"low": p.low, "high": p.high, "integer": p.integer}
                                           for p in free}}}
    values = run_points(place, experiment, folder / "runs", workers, executor, progress)

    points, _ = sweep_points(Sweep.model_validate(experiment["sweep"]), cs.seed)
    params = pd.DataFrame(points)  # row = point index
    dist = distances(place, values)
    n_accept = max(1, int(round(cs.accept_share * len(dist))))
    accepted = dist.sort_values(kind="stable").index[:n_accept]
    acc = params.loc[accepted]
    fitted = {}
    for p in free:
        x = acc[p.path].to_numpy(dtype=float)
        mean = float(x.mean())
        fitted[p.path] = {"value": int(round(mean)) if p.integer else mean,
                          "low_5": float(np.quantile(x, 0.05)), "high_95": float(np.quantile(x, 0.95)),
                          "prior_low": p.low, "prior_high": p.high}
    fit = {
        "place": place.key,
        "file": place.file,
        "place_fingerprint": place.fingerprint(),
        "method": METHOD,
        "fitted": fitted,
        "calibration_targets": [t.id for t in place.calibration_targets],
        "held_out_targets": [t.id for t in place.info.targets if t.role == "held_out"],
        "samples": samples,
        "replicates": replicates,
        "runs": samples * replicates,
        "accept_share": cs.accept_share,
        "accepted": int(n_accept),
        "distance_accepted_max": float(dist.loc[accepted].max()),
        "distance_best": float(dist.loc[accepted].min()),
        "seed": cs.seed,
        "version": __version__,
        "git_commit": git_commit(),
        "created": dt.datetime.now(dt.UTC).isoformat(),
        "seconds": round(time.perf_counter() - t0, 2),
    }
    atomic_write_json(folder / "fit.json", fit)
    log(f"{place.key}: " + ", ".join(f"{k} = {_fmt(v['value'])} [{_fmt(v['low_5'])}, {_fmt(v['high_95'])}]"
                                     for k, v in fitted.items()) + f" ({fit['seconds']:.1f} s)")
    return fit


def read_fit(place: Place, root: Path | None = None) -> dict | None:
    path = fit_path(place, root)
    if not path.exists():
        return None
    fit = json.loads(path.read_text(encoding="utf-8"))
    if fit.get("place_fingerprint") != place.fingerprint():
        return None  # the place file changed since: fit again
    return fit


def _fmt(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.0f}"
