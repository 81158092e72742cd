"""Health's month kernel: the compiled loop equals its numpy twin exactly over a year of random months (caps,
deductibles and thresholds reached), and a hand-worked household."""

from __future__ import annotations

import numpy as np
import pytest

from sim.policies import health_kernels as hk

numba = pytest.importorskip("numba")


def layers(n: int, rng: np.random.Generator) -> tuple:
    return (0.75, rng.choice([0.0, 0.75], n), np.full(n, 500.0), rng.choice([2000.0, np.inf], n),
            rng.choice([0.0, 0.5], n), rng.choice([0.0, 3000.0], n), rng.choice([0.0, 0.7], n), np.full(n, 1500.0))


def test_a_year_of_months_on_both_paths_is_the_same_to_the_fen() -> None:
    rng = np.random.default_rng(3)
    n = 2000
    lay = layers(n, rng)
    loop = numba.njit(hk.month.loop)
    cost = {path: np.zeros(n) for path in ("twin", "loop")}
    so_far = {path: np.zeros((3, n)) for path in ("twin", "loop")}
    paid_total = np.zeros(3, np.int64)
    for _ in range(12):
        ill, med = rng.random(n) < 0.3, rng.lognormal(5, 1, n)
        admission = np.where(rng.random(n) < 0.05, rng.lognormal(8, 1, n), 0.0)
        a = hk.month.numpy_twin(cost["twin"], ill, med, 1.03, admission, *lay, so_far["twin"])
        b = loop(cost["loop"], ill, med, 1.03, admission, *lay, so_far["loop"])
        assert np.array_equal(a, b) and np.array_equal(cost["twin"], cost["loop"])
        assert np.array_equal(so_far["twin"], so_far["loop"])
        paid_total += a.sum(axis=1)
    assert (paid_total > 0).all()  # every layer paid


def test_one_household_by_hand() -> None:
    # 1,000 yuan of chronic treatment this month: 750 in the policy range; basic 0.75 x (750 - 500) = 187.50;
    # no serious-illness payment below its 10,000 threshold; assistance 0.7 x (750 - 187.50) = 393.75
    for month in (hk.month.numpy_twin, numba.njit(hk.month.loop)):
        cost, so_far = np.zeros(1), np.zeros((3, 1))
        one = lambda v: np.array([float(v)])  # noqa: E731
        paid = month(cost, np.array([True]), one(1000), 1.0, one(0), 0.75, one(0.75), one(500), one(150000),
                     one(0.5), one(10000), one(0.7), one(20000), so_far)
        assert paid[:, 0].tolist() == [18750, 0, 39375] and cost[0] == 1000.0
        # a second month of the same: basic 0.75 x (1500 - 500) = 750 owed, 562.50 more; assistance
        # 0.7 x (1500 - 750) = 525 owed, 131.25 more
        paid = month(cost, np.array([True]), one(1000), 1.0, one(0), 0.75, one(0.75), one(500), one(150000),
                     one(0.5), one(10000), one(0.7), one(20000), so_far)
        assert paid[:, 0].tolist() == [56250, 0, 13125]
