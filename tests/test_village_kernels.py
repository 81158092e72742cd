"""Per-village Gini and top decile (sim/village_kernels.py): the compiled loops equal their numpy twins exactly on
random villages of every size (empty, one household, ties, losses), the twin's top decile is numpy's quantile, and
the per-village Gini is the one-village Gini of each slice."""

from __future__ import annotations

import numpy as np
import pytest

from sim import village_kernels as vk

numba = pytest.importorskip("numba")


def villages(seed: int):
    rng = np.random.default_rng(seed)
    sizes = np.array([0, 1, 2, 7, 8, 9, 10, 11, 129, 400, 0, 3, 1000])
    bounds = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    n = int(bounds[-1])
    income = rng.lognormal(8, 1, n) - 800  # some losses
    income[rng.random(n) < 0.2] = 2500.0  # ties
    return income, rng.integers(1, 8, n), bounds


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_gini_loop_equals_its_twin_and_each_slice_alone(seed: int) -> None:
    income, persons, bounds = villages(seed)
    twin, loop = vk.gini.numpy_twin(income, persons, bounds), numba.njit(vk.gini.loop)(income, persons, bounds)
    assert np.array_equal(twin, loop)
    alone = [vk.gini.numpy_twin(income[a:b], persons[a:b], np.array([0, b - a]))[0]
             for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    assert np.array_equal(twin, alone)
    assert twin[0] == 0.0 and twin[1] == 0.0 and 0.1 < twin[-1] < 0.9


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_top_decile_loop_equals_its_twin_and_numpy_quantile(seed: int) -> None:
    values, _, bounds = villages(seed)
    compiled = numba.njit(vk.top_decile.loop)
    twin, loop = vk.top_decile.numpy_twin(values, bounds), compiled(values, bounds)
    assert np.array_equal(twin, loop)
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        if b > a:
            assert np.array_equal(twin[a:b], values[a:b] >= np.quantile(values[a:b], 0.9))
    for n in range(1, 300):  # every interpolation weight numpy's quantile meets at these sizes
        x = np.random.default_rng(n).normal(size=n)
        assert np.array_equal(compiled(x, np.array([0, n])), x >= np.quantile(x, 0.9))


def test_gini_by_hand() -> None:
    # two villages: incomes 1 (3 persons) and 3 (1 person): Lorenz shares 0.5, 1; B = (3 x 0.5 + 1 x 1.5) / 4 / 2 =
    # 0.375, G = 0.25; then one earner of two: B = 0.25, G = 0.5
    income, persons, bounds = np.array([3.0, 1.0, 0.0, 10.0]), np.array([1, 3, 1, 1]), np.array([0, 2, 4])
    for gini in (vk.gini.numpy_twin, numba.njit(vk.gini.loop)):
        assert gini(income, persons, bounds).tolist() == pytest.approx([0.25, 0.5])
