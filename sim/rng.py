"""Named random streams: each mechanism draws from its own stream, so switching one policy on
never shifts another mechanism's draws (common random numbers across variants)."""

from __future__ import annotations

import zlib

import numpy as np


class Streams:
    """`streams["illness"]` is a Generator seeded from (seed, name) alone."""

    def __init__(self, seed: int):
        if seed < 0:
            raise ValueError("seed must be >= 0")
        self.seed = int(seed)
        self._streams: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        if name not in self._streams:
            key = zlib.crc32(name.encode("utf-8"))
            self._streams[name] = np.random.Generator(
                np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=(key,)))
            )
        return self._streams[name]


def fresh_seed() -> int:
    """A seed from OS entropy, for runs where the user gave none (it is recorded in the results)."""
    return int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> 1)


# a draw this close above a step of the Poisson CDF is left to scipy's own inverse (whose root finder is
# accurate to ~1e-8 in k): every other draw's quantile is the CDF table's, which is scipy's answer
_POISSON_MARGIN = 1e-5


def poisson_quantile(u: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """`scipy.stats.poisson.ppf(u, mu)`, the same numbers at a fraction of the cost: mu takes few values (a rate
    times persons), so each value's CDF steps are tabulated with scipy's own `pdtr` and each draw looked up; draws
    too near a step, outside (0, 1) or with an unusual mu go to scipy (tests/test_rng_quantile.py proves equality)."""
    from scipy import special, stats

    u = np.asarray(u, dtype=np.float64)
    mu = np.broadcast_to(np.asarray(mu, dtype=np.float64), u.shape)
    out = np.empty(u.shape)
    unsure = ~((u > 0) & (u < 1) & (mu > 0) & (mu < 1000))  # NaN fails every comparison: unsure
    levels, level_of = np.unique(np.where(unsure, 1.0, mu), return_inverse=True)
    for j, m in enumerate(levels.tolist()):
        sel = (level_of.reshape(u.shape) == j) & ~unsure
        steps = special.pdtr(np.arange(int(m + 12 * np.sqrt(m) + 40)), m)  # the CDF at k = 0, 1, 2, ...
        k = np.searchsorted(steps, u[sel], side="left")  # the smallest k with CDF(k) >= u
        below = np.where(k > 0, steps[np.maximum(k - 1, 0)], -1.0)
        unsure[sel] = (k >= steps.size) | (u[sel] - below < _POISSON_MARGIN)
        out[sel] = k
    if unsure.any():
        out[unsure] = stats.poisson.ppf(u[unsure], mu[unsure])
    return out
