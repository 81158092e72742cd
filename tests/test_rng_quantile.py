"""`poisson_quantile` (sim/rng.py) gives scipy.stats.poisson.ppf's numbers exactly: on random draws, on draws at and
next to every step of the CDF, and at the edges (0, 1, a zero or non-finite mean)."""

from __future__ import annotations

import numpy as np
from scipy import special, stats

from sim.rng import poisson_quantile


def _same(u: np.ndarray, mu: np.ndarray) -> None:
    np.testing.assert_array_equal(poisson_quantile(u, mu), stats.poisson.ppf(u, mu))


def test_random_draws_give_scipys_quantiles():
    rng = np.random.default_rng(17)
    u = rng.random(200_000)
    mu = rng.choice([0.05, 0.3, 1.0, 1.4, 2.8, 4.2, 7.0, 25.0, 140.0], u.size) * rng.integers(1, 4, u.size)
    _same(u, mu)


def test_draws_at_and_next_to_every_step_give_scipys_quantiles():
    mu = np.repeat([0.15, 0.9, 3.3, 12.0], 40)
    k = np.tile(np.arange(40), 4)
    step = special.pdtr(k, mu)
    ok = step < 1.0
    for u in (step, np.nextafter(step, 0), np.nextafter(step, 1), step + 1e-9, step - 1e-9, step + 2e-5):
        _same(np.clip(u[ok], 0.0, 1.0), mu[ok])


def test_edges_give_scipys_quantiles():
    u = np.array([0.0, 1.0, 0.5, 0.5, 0.5, 1e-300, 1 - 1e-16, 0.5])
    mu = np.array([2.0, 2.0, 0.0, np.inf, np.nan, 3.0, 3.0, 1e-12])
    _same(u, mu)
