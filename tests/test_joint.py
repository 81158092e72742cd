"""The joint fit (sim/joint.py) on a tiny synthetic case whose truth is known: a shared parameter a (truth 1.2) seen
by two places and a national pattern, and place 1's own parameter b (truth 0.7). Step 1 fits a with b held at a
stale estimate (0.75, as a place's earlier posterior median would be); step 2 fits b given a's posterior median.
Each must cover its truth with its 90% interval. Figures are observed with normal noise (sd 0.02 a run)."""

import json
from pathlib import Path

import numpy as np
import pytest

from sim.abc_smc import weighted_quantile
from sim.calibrate import read_fit
from sim.joint import (
    JOINT_METHOD,
    SHARED,
    JointModel,
    JointSettings,
    PatternFigures,
    calibrate_joint,
    fit_shared,
    joint_path,
    read_joint,
    shared_priors,
)
from sim.patterns import Pattern
from tests.test_places import synthetic_place

SD, A, B = 0.02, 1.2, 0.7


class Block:
    """Figures f(params) observed `replicates` times with noise; errors relative to the reported (true) values."""

    def __init__(self, f, truth: dict, replicates: int = 2, seed: int = 0):
        self.f, self.r, self.rng = f, replicates, np.random.default_rng(seed)
        self.reported = f(truth)
        self.scale, self.noise_divisor = np.abs(self.reported), 1.0

    def values(self, params: dict) -> np.ndarray:
        return self.f(params) + self.rng.normal(0, SD, (self.r, len(self.reported)))

    def errors(self, mean: np.ndarray) -> np.ndarray:
        return (mean - self.reported) / self.scale


def _interval(post, j: int) -> tuple[float, float]:
    x = post.particles[:, j]
    return weighted_quantile(x, post.weights, 0.05), weighted_quantile(x, post.weights, 0.95)


def test_blocked_fit_recovers_a_shared_and_a_place_parameter(tmp_path: Path):
    truth = {"a": A, "b": B}
    place1 = lambda b: (lambda p: np.array([p["a"] + b, 2 * p["a"] * b]))  # noqa: E731
    blocks = [Block(lambda p: place1(0.75)(p), {"a": A}, seed=1),  # b held at a stale estimate
              Block(lambda p: np.array([p["a"] ** 2]), {"a": A}, seed=2)]  # a second place and a pattern
    blocks[0].reported = place1(B)(truth)  # the place reports at the truth
    blocks[0].scale = np.abs(blocks[0].reported)
    settings = JointSettings(seed=5, population=40, generations=5, max_simulations=1500)
    shared = fit_shared(JointModel(blocks, {"a": 1.0}), {"a": (0.5, 2.0)}, settings, 1, tmp_path / "abc.db")
    low, high = _interval(shared, 0)
    assert low <= A <= high and high - low < 0.5  # covered, and narrower than a third of the prior
    a_median = weighted_quantile(shared.particles[:, 0], shared.weights, 0.5)
    own = Block(lambda p: place1(p["b"])({"a": a_median}), {"b": B}, seed=3)
    own.reported = place1(B)(truth)
    post = fit_shared(JointModel([own], {"b": 1.0}), {"b": (0.0, 2.0)}, settings, 1, None)
    low, high = _interval(post, 0)
    assert low <= B <= high and high - low < 0.6
    assert len(shared.epsilons) >= 2 and shared.ess > 10


def test_a_figure_noisier_than_its_value_is_left_out_by_hand():
    """A figure reported 10 with one-run scatter 20 (2x its value) at the start is left out; one reported 4 with
    scatter 0.4 (0.1x) is kept. At values 15 and 5: the kept error is 0.25, its relative scatter 0.1; distance 0.25."""

    class Fixed:
        scale, noise_divisor = np.array([10.0, 4.0]), 1.0

        def values(self, params):
            d = np.array([20, 0.4]) / np.sqrt(2)  # two runs: sd (ddof 1) 20 and 0.4 about the means 15 and 5
            return np.array([[15, 5] + d, [15, 5] - d])

        def errors(self, mean):
            return (mean - np.array([10.0, 4.0])) / self.scale

    m = JointModel([Fixed()], {})
    np.testing.assert_allclose(m.spread, [2.0, 0.1])
    assert list(m.keep) == [False, True]
    s = m({})
    np.testing.assert_allclose(s["err"], [0.25])
    np.testing.assert_allclose(s["sd"], [0.1])
    assert m.distance(s, {"err": np.zeros(1)}) == pytest.approx(0.25) and m.noise_floor([s]) == pytest.approx(0.1)


def test_pattern_errors_are_distances_outside_the_interval_over_its_width():
    """Interval [1, 3] (width 2): 2 inside -> 0; 4 -> 0.5; NaN -> 1. Open above from 1.2 (width 1.2): 0.6 -> 0.5."""
    stat = lambda rep: 0.0  # noqa: E731
    pats = [Pattern("a", 2, 1, 3, "s", stat), Pattern("b", 2, 1.2, float("inf"), "s", stat),
            Pattern("c", 2, 1, 3, "s", stat, fitted=False)]
    f = PatternFigures("configs/village.yaml", 1, patterns=pats)
    assert [p.name for p in f.patterns] == ["a", "b"]  # a check the fit cannot see stays out
    np.testing.assert_allclose(f.errors(np.array([2.0, 0.6])), [0.0, 0.5])
    np.testing.assert_allclose(f.errors(np.array([4.0, np.nan])), [0.5, 1.0])


def test_shared_priors_come_from_the_economy_parameters():
    p = shared_priors()
    assert p["economy.local_wage_yuan_per_day"] == (60.0, 110.0) and len(p) == 5
    assert not any("land" in k or "health" in k for k in p)  # a place's own and an input pattern's stay out


def test_calibrate_joint_writes_a_guarded_fit_and_refits_the_place_given_the_shared(tmp_path: Path):
    """The synthetic place of tests/test_places.py and the national patterns on 1 run each: the joint fit file holds
    its posterior sample, method, simulations, runs, wall time and diagnostics; step 2 writes the place's fit
    conditional on the joint medians."""
    place, _ = synthetic_place(tmp_path)
    s = JointSettings(seed=3, population=20, generations=2, max_simulations=30, replicates=1, pattern_replicates=1)
    fit = calibrate_joint([place], None, s, workers=1, root=tmp_path / "cal", refit_places=True, force=True)
    written = json.loads(joint_path(tmp_path / "cal").read_text())
    assert written["method"] == JOINT_METHOD and list(written["fitted"]) == list(SHARED)
    assert written["runs"] == 2 * written["simulations"] and written["seconds"] > 0  # 1 place run + 1 pattern run
    assert len(written["posterior"]["sample"]) == 20 and len(written["epsilons"]) == written["generations"] >= 1
    assert written["places"] == {"synthetic": {"held": {}}}  # no place fit yet: the file's values were held
    assert "illness_share_of_registered_poor" not in written["patterns"]  # a check the fit cannot see
    assert read_joint([place], None, tmp_path / "cal") == written
    own = read_fit(place, tmp_path / "cal")
    assert own is not None and own["conditional_on"] == {k: v["value"] for k, v in fit["fitted"].items()}
    assert set(written["place_refits"]["synthetic"]) == {"simulations", "runs", "seconds"}
    assert len(written["figures"]) + len(written["left_out"]) == 1 + len(written["patterns"])
