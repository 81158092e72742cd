"""The joint fit to the patterns (sim/fit_patterns.py): its score by hand, the design inside the ranges."""

import numpy as np
import pandas as pd
import pytest

from sim import fit_patterns as fp
from sim.patterns import Pattern

PATS = (Pattern("a", 0.3, 0.25, 0.35, "s", None), Pattern("b", 2.0, 1.2, float("inf"), "s", None))


def test_score_by_hand():
    """a at its target and b inside: 0 + 0.01 x ((2.4 - 2) / 1.2)^2 = 0.00111. a at 0.45 is 0.1 outside a 0.1-wide
    interval: 1 + 0.01 x (0.15 / 0.1)^2 = 1.0225. b NaN scores 1."""
    t = lambda a, b: pd.DataFrame({"simulated_mean": [a, b]})  # noqa: E731
    assert fp.score(t(0.3, 2.0), PATS) == 0
    assert fp.score(t(0.3, 2.4), PATS) == pytest.approx(0.01 * (0.4 / 1.2) ** 2)
    assert fp.score(t(0.45, 2.0), PATS) == pytest.approx(1.0225)
    assert fp.score(t(0.3, np.nan), PATS) == 1


def test_design_is_a_latin_hypercube_inside_the_ranges():
    params = [fp.Parameter("x", 0, 10), fp.Parameter("y", 100, 200)]
    d = fp.design(params, 5, seed=3)
    assert d.shape == (5, 2) and (d[:, 0] >= 0).all() and (d[:, 0] <= 10).all() and (d[:, 1] >= 100).all()
    assert sorted(np.floor(d[:, 0] / 2).astype(int).tolist()) == [0, 1, 2, 3, 4]  # one point per stratum
    points = pd.DataFrame({"x": [1.0, 5, 9], "y": [150.0, 110, 190], "score": [0.1, 0.2, 0.3]})
    r = fp.ranges_of_good_points(points, params, share=0.67).set_index("path")
    assert r.loc["x", "fitted"] == 1 and (r.loc["x", "good_low"], r.loc["x", "good_high"]) == (1, 5)


def test_a_pattern_left_out_of_the_fit_does_not_score():
    """b marked fitted=False: its NaN (which would score 1) and any distance are ignored."""
    pats = (PATS[0], Pattern("b", 2.0, 1.2, float("inf"), "s", None, fitted=False))
    assert fp.score(pd.DataFrame({"simulated_mean": [0.3, np.nan]}), pats) == 0


def test_linked_parameters_and_the_box_around_the_best_point():
    """A linked key is set to the value times its factor; the next stage's box is `share` of the prior's width around
    the best point, clipped to the prior; a fitted value within 5% of a bound is flagged."""
    p = fp.Parameter("x", 0, 10, linked=(("z", 2.0),))
    assert p.overrides(3.0) == {"x": 3.0, "z": 6.0}
    box = fp.around([p, fp.Parameter("y", 100, 200)], pd.Series({"x": 9.5, "y": 150.0}), 0.4)
    assert (box[0].low, box[0].high, box[0].linked) == (7.5, 10, (("z", 2.0),))
    assert (box[1].low, box[1].high) == (130, 170)
    r = fp.ranges_of_good_points(pd.DataFrame({"x": [9.7], "y": [150.0], "score": [0.0]}),
                                 [p, fp.Parameter("y", 100, 200)]).set_index("path")
    assert r.loc["x", "near_bound"] and not r.loc["y", "near_bound"]
