"""The one interface to the posterior library: pyabc's ABC-SMC turns uniform priors, a stochastic model and a
distance into a weighted posterior sample with its diagnostics (why pyabc: docs/ODD.md, calibration).

The run stops at the first of: `generations` populations, `max_simulations` parameter sets, or (from the second
generation on: the first is a rejection sample at the prior's median distance) an epsilon at or below the noise
floor — the distance one run scatters from its own mean, measured on each new population (so at the posterior,
not the prior, whose corners can be far noisier), below which a single reported figure cannot tell parameters apart
(ABC's acceptance kernel read as the observation's error: Wilkinson 2013, Stat Appl Genet Mol Biol 12: 129).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

METHOD = "pyabc ABC-SMC (Toni et al. 2009; Schälte et al. 2022): adaptive epsilon (median), multivariate normal " \
         "kernel, uniform priors"


class StochasticModel(Protocol):
    """Parameters -> summary statistics; a distance to the observed ones; one run's scatter over a population."""

    def __call__(self, params: dict) -> dict: ...

    def distance(self, sim: dict, obs: dict) -> float: ...

    def noise_floor(self, stats: list[dict]) -> float: ...


@dataclass
class Posterior:
    names: list[str]
    particles: np.ndarray  # (n, parameters)
    weights: np.ndarray  # (n,), sum 1
    simulations: int  # parameter sets simulated (each with the model's replicates)
    epsilons: list[float] = field(default_factory=list)  # per generation
    acceptance_rates: list[float] = field(default_factory=list)
    ess: float = 0.0  # effective sample size of the last population (Kish)
    drift: float = float("nan")  # max over parameters of |change of the posterior mean| between the last two
    #                              generations, in prior widths (a convergence diagnostic: small = settled)
    stopped: str = ""
    noise_floor: float = float("nan")  # one run's relative scatter over the last population


def _sampler(workers: int):
    from pyabc.sampler import MulticoreEvalParallelSampler, SingleCoreSampler

    return SingleCoreSampler() if workers <= 1 else MulticoreEvalParallelSampler(n_procs=workers)


def _population(history, names: list[str], t: int) -> tuple[np.ndarray, np.ndarray]:
    frame, w = history.get_distribution(m=0, t=t)
    return frame[names].to_numpy(dtype=float), np.asarray(w, dtype=float) / np.sum(w)


def _mean(particles: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return weights @ particles


def _floor_stop(pyabc, noise_floor: Callable[[list[dict]], float], floors: list[float]):
    """ABCSMC that sets its stopping epsilon, after each generation, to the noise floor of that population."""

    class FloorStop(pyabc.ABCSMC):
        def check_terminate(self, t: int, acceptance_rate: float) -> bool:
            stats = self.history.get_population(t=t).get_accepted_sum_stats()
            floors.append(noise_floor(list(stats)))
            self.minimum_epsilon = floors[-1] if t >= 1 else 0.0  # generation 0 is a rejection sample: go on
            return super().check_terminate(t, acceptance_rate)

    return FloorStop


def fit_posterior(model: Callable[[dict], dict], priors: dict[str, tuple[float, float]],
                  distance: Callable[[dict, dict], float], observed: dict, noise_floor: Callable[[list[dict]], float],
                  population: int, generations: int, max_simulations: int, seed: int, workers: int,
                  db: Path | None, log: Callable[[str], None] = lambda m: None) -> Posterior:
    """Run ABC-SMC; `model(params) -> summary dict`, `distance(sim, observed)`; returns the last population."""
    import pyabc

    logging.getLogger("ABC").setLevel(logging.WARNING)
    np.random.seed(seed % 2**32)  # pyabc draws from numpy's global generator
    prior = pyabc.Distribution(**{n: pyabc.RV("uniform", lo, hi - lo) for n, (lo, hi) in priors.items()})
    floors: list[float] = []
    abc = _floor_stop(pyabc, noise_floor, floors)(model, prior, distance, population_size=population,
                                                  sampler=_sampler(workers))
    if db is not None:
        db.parent.mkdir(parents=True, exist_ok=True)
        db.unlink(missing_ok=True)
    abc.new(f"sqlite:///{db}" if db is not None else "sqlite://", observed)  # None: in memory
    history = abc.run(minimum_epsilon=0.0, max_nr_populations=generations, max_total_nr_simulations=max_simulations)
    post = _posterior(history, list(priors), np.array([hi - lo for lo, hi in priors.values()]), population,
                      floors[-1] if floors else float("nan"))
    log(f"  {post.stopped}; {post.simulations} parameter sets")
    return post


def _posterior(history, names: list[str], widths: np.ndarray, population: int, floor: float) -> Posterior:
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0]
    post = Posterior(names, *_population(history, names, history.max_t),
                     simulations=int(history.total_nr_simulations),
                     epsilons=[float(e) for e in pops["epsilon"]],
                     acceptance_rates=[population / max(int(s), 1) for s in pops["samples"]])
    post.ess = float(1 / np.sum(post.weights**2))
    if history.max_t >= 1:
        before = _mean(*_population(history, names, history.max_t - 1))
        post.drift = float(np.max(np.abs(_mean(post.particles, post.weights) - before) / widths))
    post.noise_floor = floor
    post.stopped = (f"epsilon {post.epsilons[-1]:.3g} at the noise floor {floor:.3g}" if post.epsilons[-1] <= floor
                    else f"{len(post.epsilons)} generations, epsilon {post.epsilons[-1]:.3g} above the noise floor "
                         f"{floor:.3g} (the budget ended it)")
    return post


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """The q-quantile of a weighted sample (the smallest x whose cumulative weight reaches q)."""
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order]) / np.sum(w)
    i = min(int(np.searchsorted(cum, q - 1e-12)), len(x) - 1)
    return float(x[order][i])
