"""Joint fitting (`coopsim calibrate --joint`): the economy's shared parameters fitted to every place's calibration
targets and the national patterns together; each place's own parameters stay per place (issue 16 item 2).

Blocked (Gibbs-like) ABC, one sweep:
1. the shared parameters (SHARED, priors from sim/fit_patterns.py ECONOMY_PARAMETERS) by ABC-SMC (sim/abc_smc.py),
   each place's own parameters held at its current posterior median (results/calibration/<place>/fit.json; the
   place file's values where it has no fit);
2. with `refit_places`, each place's own parameters fitted again (sim/calibrate.py) with the shared ones held at
   the joint posterior median, recorded in the place's fit as `conditional_on`.
One sweep, conditioning on point values: a place's posterior does not carry the shared parameters' uncertainty, and
`validate` draws the two independently (the product of the conditional posteriors: an approximation).

A parameter set's figures: every place's calibration targets, `replicates` runs each (common random numbers, the
place's calibration seeds), and the fitted national patterns (sim/patterns.py, `fitted=True` only: the illness
readings stay out) on `pattern_replicates` runs of the default village. A figure's error: a place target's relative
error of the replicate mean; a pattern's distance outside its acceptance interval over the interval's width (0
inside, as sim/fit_patterns.py scores it). A figure whose single run scatters by more than its own value (relative
sd, or sd over the interval's width, above 1 at the start: Cuiping's per-cooperative ratios) is left out and listed
in the fit: it cannot tell parameter sets apart, and would set the noise floor by itself. The distance is the root
mean square over the figures kept; the noise floor one run's scatter on the same scale (as in the per-place fit) for
a place's figure, the replicate mean's for a national pattern (a mean over many villages, not one realisation).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from sim import __version__
from sim.abc_smc import METHOD, Posterior, fit_posterior
from sim.calibrate import CALIBRATION_DIR, PlaceModel, calibrate, parameter_summary, read_fit
from sim.config import resolve_config
from sim.errors import UserInputError
from sim.experiment import replicate_seeds
from sim.fit_file import check_fit, write_fit
from sim.fit_patterns import ECONOMY_PARAMETERS
from sim.io import atomic_write_json
from sim.patterns import PATTERNS, Pattern, needed_runs
from sim.patterns_run import DEFAULT_SEED, run_replicate
from sim.places import Place
from sim.run import git_commit

# the economy's inputs that move incomes and exits in every place (the others of ECONOMY_PARAMETERS are the
# allowance's, land per person (a place's own), and chronic illness (an input pattern))
SHARED = ("economy.local_employment_probability_per_month", "economy.local_wage_yuan_per_day",
          "economy.remittance_yuan_per_migrant_month", "economy.nominal_growth_per_year",
          "registration.exit_income_poverty_lines")
JOINT_METHOD = "blocked (Gibbs-like) ABC, one sweep: shared parameters by " + METHOD


def joint_path(root: Path | None = None) -> Path:
    return (root or CALIBRATION_DIR) / "joint" / "fit.json"


@dataclass
class JointSettings:
    seed: int = 20261130
    population: int = 40  # particles per generation
    generations: int = 4  # at most
    max_simulations: int = 320  # parameter sets at most
    replicates: int = 2  # runs per place and parameter set (common random numbers)
    pattern_replicates: int = 4  # runs of the default village per parameter set
    refit_population: int | None = None  # step 2's particles per generation (None: each place's own setting)


def shared_priors(paths: Sequence[str] = SHARED) -> dict[str, tuple[float, float]]:
    by = {p.path: p for p in ECONOMY_PARAMETERS}
    return {k: (float(by[k].low), float(by[k].high)) for k in paths}


class Figures(Protocol):
    """A block of the joint model's figures: shared parameters -> (replicates, figures) values; their errors."""

    scale: np.ndarray
    noise_divisor: float  # one run's scatter over this: the figure's noise against the reported value

    def values(self, shared: dict) -> np.ndarray: ...

    def errors(self, mean: np.ndarray) -> np.ndarray: ...


class PlaceFigures:
    """A place's calibration targets, its own parameters held at `held`."""

    def __init__(self, place: Place, held: dict[str, float], replicates: int):
        self.model = PlaceModel(place, replicates, place.info.calibration.seed, fixed=held)
        self.scale = np.abs(self.model.reported)
        self.noise_divisor = 1.0  # the reported figure is one realisation (one place): one run's scatter

    def values(self, shared: dict) -> np.ndarray:
        return self.model.values(shared)

    def errors(self, mean: np.ndarray) -> np.ndarray:
        return (mean - self.model.reported) / self.scale


class PatternFigures:
    """The fitted national patterns on the default village (sim/patterns.py)."""

    def __init__(self, config: Any, replicates: int, seed: int = DEFAULT_SEED, patterns: Sequence[Pattern] = PATTERNS):
        self.config, self.patterns = resolve_config(config), tuple(p for p in patterns if p.fitted)
        self.seeds, self.runs = replicate_seeds(seed, replicates), needed_runs(self.patterns)
        self.low, self.high = np.array([p.low for p in self.patterns]), np.array([p.high for p in self.patterns])
        self.scale = np.where(np.isfinite(self.high), self.high - self.low, np.maximum(np.abs(self.low), 1e-9))
        self.noise_divisor = float(np.sqrt(replicates))  # a national figure is a mean over many villages, not one
        #                                                  village's realisation: the replicate mean's scatter

    def values(self, shared: dict) -> np.ndarray:
        cfg = resolve_config(self.config, {k: float(v) for k, v in shared.items()} or None)
        reps = [run_replicate((cfg, s, self.runs)) for s in self.seeds]
        return np.array([[p.statistic(r) for p in self.patterns] for r in reps], dtype=float)

    def errors(self, mean: np.ndarray) -> np.ndarray:
        out = np.maximum(np.maximum(self.low - mean, 0.0), mean - self.high) / self.scale
        return np.where(np.isfinite(mean), out, 1.0)


def _mean_sd(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(all="ignore"):
        mean = np.nanmean(v, axis=0) if np.isfinite(v).any() else np.full(v.shape[1], np.nan)
        sd = np.nanstd(v, axis=0, ddof=1) if len(v) > 1 else np.zeros(v.shape[1])
    return mean, np.nan_to_num(sd)


class JointModel:
    """Shared parameters -> the informative figures' errors and one run's scatter (sim/abc_smc.StochasticModel)."""

    def __init__(self, blocks: Sequence[Figures], start: dict[str, float]):
        self.blocks = list(blocks)
        self.keep = np.ones(sum(len(b.scale) for b in self.blocks), bool)
        self.spread = self(start)["sd"]  # each figure's one-run scatter at the start, relative
        self.keep = self.spread <= 1.0  # a figure scattering by more than its own value cannot tell sets apart

    def __call__(self, params: dict) -> dict:
        stats = [_mean_sd(b.values(dict(params))) for b in self.blocks]
        err = np.concatenate([b.errors(m) for b, (m, _) in zip(self.blocks, stats, strict=True)])
        sd = np.concatenate([s / b.scale / b.noise_divisor for b, (_, s) in zip(self.blocks, stats, strict=True)])
        return {"err": err[self.keep], "sd": sd[self.keep]}

    def distance(self, sim: dict, obs: dict) -> float:
        e = sim["err"] - obs["err"]
        return float(np.sqrt(np.mean(e**2))) if np.all(np.isfinite(e)) else float("inf")

    def noise_floor(self, stats: list[dict]) -> float:
        rel = [np.sqrt(np.mean(s["sd"] ** 2)) for s in stats]
        return float(np.median(rel)) if rel else 0.0


def fit_shared(model: JointModel, priors: dict[str, tuple[float, float]], s: JointSettings, workers: int,
               db: Path | None, log: Callable[[str], None] = lambda m: None) -> Posterior:
    """Step 1: ABC-SMC of the shared parameters against every figure (observed errors: zero)."""
    return fit_posterior(model, priors, model.distance, {"err": np.zeros(int(model.keep.sum()))}, model.noise_floor,
                         s.population, s.generations, s.max_simulations, s.seed, workers, db, log)


def held_values(place: Place, root: Path | None = None) -> dict[str, float]:
    """A place's own parameters at its posterior median (none: the place file's values)."""
    fit = read_fit(place, root)
    return {k: v["value"] for k, v in fit["fitted"].items()} if fit else {}


def fingerprint(places: Sequence[Place], config: Any, priors: dict) -> str:
    """Changes when a place, the default village's config or the shared priors change (the joint fit is stale)."""
    blob = json.dumps([sorted(p.fingerprint() for p in places), resolve_config(config).model_dump(mode="json"),
                       priors], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def joint_record(priors: dict, post: Posterior, s: JointSettings, held: dict, fp: str, seconds: float) -> dict:
    runs_per_set = s.replicates * len(held) + s.pattern_replicates
    return {"place": "joint", "place_fingerprint": fp, "method": JOINT_METHOD,
            "fitted": {k: parameter_summary(post.particles[:, j], post.weights, priors[k][0], priors[k][1],
                                            source="sim/fit_patterns.py ECONOMY_PARAMETERS")
                       for j, k in enumerate(post.names)},
            "posterior": {"parameters": post.names, "sample": post.particles.tolist(),
                          "weights": post.weights.tolist()},
            "places": {k: {"held": v} for k, v in held.items()},
            "patterns": [p.name for p in PATTERNS if p.fitted], "settings": asdict(s),
            "population": s.population, "replicates": s.replicates, "simulations": post.simulations,
            "runs": post.simulations * runs_per_set, "generations": len(post.epsilons), "epsilons": post.epsilons,
            "acceptance_rates": post.acceptance_rates, "ess": post.ess, "drift": post.drift,
            "noise_floor": post.noise_floor, "stopped": post.stopped, "version": __version__,
            "git_commit": git_commit(), "created": dt.datetime.now(dt.UTC).isoformat(), "seconds": round(seconds, 2)}


def calibrate_joint(places: Sequence[Place], config: Any, s: JointSettings, workers: int = 2,
                    root: Path | None = None, force: bool = False, refit_places: bool = False,
                    log: Callable[[str], None] = lambda m: None) -> dict:
    """Both steps; check, write and return the joint fit (results/calibration/joint/fit.json)."""
    priors = shared_priors()
    held = {p.key: held_values(p, root) for p in places}
    blocks: list[Figures] = [PlaceFigures(p, held[p.key], s.replicates) for p in places]
    blocks.append(PatternFigures(config, s.pattern_replicates))
    t0 = time.perf_counter()
    model = JointModel(blocks, {})
    names = [f"{p.key}/{t.id}" for p in places for t in p.calibration_targets]
    names += [f"national/{p.name}" for p in PATTERNS if p.fitted]
    left_out = [n for n, k in zip(names, model.keep, strict=True) if not k]
    log(f"joint fit: {len(priors)} shared parameters, {int(model.keep.sum())} figures ({len(places)} places, "
        f"{len(blocks[-1].scale)} patterns; left out, one run scattering by more than the value: "
        f"{', '.join(left_out) or 'none'}); population {s.population}, at most {s.generations} generations")
    post = fit_shared(model, priors, s, workers, joint_path(root).with_name("abc.db"), log)
    fit = joint_record(priors, post, s, held, fingerprint(places, config, priors), time.perf_counter() - t0)
    fit["figures"] = [n for n, k in zip(names, model.keep, strict=True) if k]
    fit["left_out"] = {n: float(x) for n, x, k in zip(names, model.spread, model.keep, strict=True) if not k}
    check_fit(fit, force, joint_path(root))
    write_fit(fit, joint_path(root), force, log)
    if refit_places:
        medians = {k: v["value"] for k, v in fit["fitted"].items()}
        fit["place_refits"] = refit(places, medians, s.refit_population, workers, root, log)
        atomic_write_json(joint_path(root), fit)  # the same fit, with step 2's record
    return fit


def refit(places: Sequence[Place], shared: dict[str, float], population: int | None, workers: int,
          root: Path | None, log: Callable[[str], None]) -> dict:
    """Step 2: each place's own parameters given the shared ones; per place its parameter sets and wall time."""
    out: dict[str, dict] = {}
    for p in places:
        try:
            f = calibrate(p, population, workers=workers, root=root, shared=shared, log=log)
            out[p.key] = {"simulations": f["simulations"], "runs": f["runs"], "seconds": f["seconds"]}
        except UserInputError as err:  # refused by the guard: said, the place's previous fit kept
            out[p.key] = {"refused": err.message}
            log(f"{p.key}: {err.message}")
    return out


def read_joint(places: Sequence[Place], config: Any, root: Path | None = None) -> dict | None:
    """The joint fit, unless a place, the default village or the priors changed since."""
    path = joint_path(root)
    if not path.exists():
        return None
    fit = json.loads(path.read_text(encoding="utf-8"))
    return fit if fit.get("place_fingerprint") == fingerprint(places, config, shared_priors()) else None
