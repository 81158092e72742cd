"""What an experiment's fork server loads once for all its workers (sim/pool.py): the package with Mesa and
pandas, numba and the compiled kernels (a one-year run of a small village loads each from the disk cache)."""

from __future__ import annotations

import contextlib

from sim import executors  # noqa: F401 - imported for the workers: the task function and all it runs
from sim.run import simulate

with contextlib.suppress(Exception):  # a warm-up that fails costs the workers their head start, nothing else
    simulate(None, seed=0, years=1, overrides={"village.households": 20})
