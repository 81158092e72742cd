"""The Gini coefficient (sim/metrics.py), hand-worked."""

import numpy as np
import pytest

from sim.metrics import gini


def test_gini_of_equal_incomes_is_zero():
    assert gini(np.array([5.0, 5.0, 5.0]), np.ones(3)) == pytest.approx(0.0, abs=1e-15)


def test_gini_of_one_earner_among_two_is_one_half():
    # cumulative income shares 0, 1: B = (1 * (0 + 0) + 1 * (1 + 0)) / 2 / 2 = 0.25, G = 1 - 2B = 0.5
    assert gini(np.array([10.0, 0.0]), np.ones(2)) == pytest.approx(0.5)


def test_gini_weights_persons_and_counts_losses_as_nothing():
    # incomes 1 (3 persons) and 3 (1 person): shares 0.5, 1; B = (3 * 0.5 + 1 * 1.5) / 4 / 2 = 0.375, G = 0.25
    assert gini(np.array([3.0, 1.0]), np.array([1.0, 3.0])) == pytest.approx(0.25)
    assert gini(np.array([-40.0, 1.0]), np.ones(2)) == pytest.approx(0.5)  # a loss is income 0
    assert gini(np.array([-1.0, -2.0]), np.ones(2)) == 0.0  # nothing to share
