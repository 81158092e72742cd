"""Demography's member kernels: the compiled loops equal their numpy twins exactly on random members (every branch:
returns by rate and by age, departures by the own and the assisted rate, the carer kept at home), and a hand-worked
household."""

from __future__ import annotations

import numpy as np
import pytest

from sim.kernels import Kernel
from sim.policies import demography_kernels as dk

numba = pytest.importorskip("numba")


def members(seed: int, n: int = 3000, k: int = 12):
    rng = np.random.default_rng(seed)
    age = np.where(rng.random((n, k)) < 0.7, rng.integers(0, 90, (n, k)), -1).astype(np.int64)
    away = (age >= 16) & (age <= 60) & (rng.random((n, k)) < 0.4)
    years_away = np.where(away, rng.integers(0, 15, (n, k)), 0).astype(np.int64)
    wage_factor = rng.lognormal(0, 0.3, (n, k))
    return rng, age, away, years_away, wage_factor


def both(k: Kernel, *args):
    return k.numpy_twin(*args), numba.njit(k.loop)(*args)


def assert_equal(a, b) -> None:
    for x, y in zip(a, b, strict=True):
        assert x.dtype.kind == y.dtype.kind and np.array_equal(x, y)


@pytest.mark.parametrize("keep_carer", [True, False])
def test_move_loop_equals_its_twin(keep_carer: bool) -> None:
    rng, age, away, years_away, wage_factor = members(1)
    n, k = age.shape
    u, wage = rng.random((n, k)), rng.lognormal(0, 0.3, (n, k))
    gain, assisted = rng.choice([0.0, 0.05], n), rng.choice([0.0, 0.1, 0.3], n)
    care = rng.random(n) < 0.3
    out = both(dk.move, age, away, years_away, wage_factor, u, wage, gain, assisted, care, 0.2, 0.1, 55, 16, 64, 50,
               keep_carer)
    assert_equal(*out)
    assert out[0][4].sum() > 100 and out[0][5].sum() > 100 and out[0][6].sum() > 10  # every branch ran


def test_labour_and_remittance_loops_equal_their_twins() -> None:
    rng, age, away, years_away, wage_factor = members(2)
    max_units = rng.choice([2.0, 3.5, 12.0], age.shape[0])
    assert_equal(*both(dk.labour, age, away, 16, 64, 74, max_units))
    decay = 0.97 ** np.arange(years_away.max() + 1)
    a, b = both(dk.sent, age, away, years_away, wage_factor, decay, 0.6, 16, 64, 1234.5)
    assert np.array_equal(a, b) and np.array_equal(a.sum(axis=1), b.sum(axis=1))


def test_a_household_by_hand() -> None:
    # members aged 30 (away 2 years), 49 (home), 70 (home), none; next year 31, 50, 71
    age = np.array([[30, 49, 70, -1]])
    away = np.array([[True, False, False, False]])
    years_away = np.array([[2, 0, 0, 0]])
    wage_factor = np.array([[1.5, 1.0, 1.0, 1.0]])
    u = np.array([[0.5, 0.01, 0.01, 0.01]])  # the migrant stays away; the 50-year-old leaves (0.01 < 0.06)
    for k in (dk.move.numpy_twin, numba.njit(dk.move.loop)):
        age2, away2, years2, wage2, left, returned, assisted = k(
            age, away, years_away, wage_factor, u, np.full((1, 4), 0.8), np.zeros(1), np.zeros(1), np.zeros(1, bool),
            0.06, 0.1, 55, 16, 64, 50, True)
        assert age2.tolist() == [[31, 50, 71, -1]] and away2.tolist() == [[True, True, False, False]]
        assert years2.tolist() == [[3, 0, 0, 0]] and wage2.tolist() == [[1.5, 0.8, 1.0, 1.0]]
        assert (left[0], returned[0], assisted[0]) == (1, 0, 0)
    # labour: 31 and 50 are full units, 71 half (until 74): 2.5 units, 2 of them away
    for k in (dk.labour.numpy_twin, numba.njit(dk.labour.loop)):
        total, migrant = k(np.array([[31, 50, 71, -1]]), np.array([[True, True, False, False]]), 16, 64, 74,
                           np.array([12.0]))
        assert (total[0], migrant[0]) == (2.5, 2.0)
    # remittance: the 71-year-old is a dependant at home: ties 1; 100 yuan x wage factor x 0.97 ** years away
    sent = dk.sent.numpy_twin(np.array([[31, 50, 71, -1]]), np.array([[True, True, False, False]]),
                              np.array([[3, 0, 0, 0]]), np.array([[1.5, 0.8, 1.0, 1.0]]), 0.97 ** np.arange(4), 0.6,
                              16, 64, 100.0)
    assert sent[0] == pytest.approx([150 * 0.97 ** 3, 80.0, 0.0, 0.0])
