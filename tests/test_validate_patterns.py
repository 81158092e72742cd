"""The national patterns in the validation table (sim/validate_patterns.py) and the joint fit's shared draws in a
place's posterior-predictive parameter sets (sim/validate.py)."""

from pathlib import Path

import numpy as np
import pandas as pd

from sim.patterns import PATTERNS
from sim.validate import COLUMNS, posterior_draws
from sim.validate_patterns import KEY, validate_patterns


def test_patterns_rows_roles_and_files(tmp_path: Path):
    """Without a joint fit: one parameter set (the defaults), draws x replicates runs (2 x 1 = 2): every pattern a
    row, fitted ones `calibration`, the illness readings the fit cannot see `held_out`, diagnostics `diagnostic`
    (never counted)."""
    table = validate_patterns(None, draws=2, replicates=1, workers=1, root=tmp_path)
    assert list(table.columns) == COLUMNS and list(table["target"]) == [p.name for p in PATTERNS]
    assert (table["place"] == KEY).all() and (table["runs"] == 2).all() and (table["parameter_sets"] == 1).all()
    roles = dict(zip(table["target"], table["role"], strict=True))
    assert {p.name for p in PATTERNS if not p.fitted and p.role == "pattern"} == {
        k for k, r in roles.items() if r == "held_out"}
    assert {p.name for p in PATTERNS if p.role == "diagnostic"} == {k for k, r in roles.items() if r == "diagnostic"}
    assert (table.loc[table["role"] == "diagnostic", "verdict"] == "diagnostic").all()
    assert list(table["reported"]) == [p.target for p in PATTERNS]
    assert len(pd.read_parquet(tmp_path / KEY / "validation.parquet")) == len(PATTERNS)


def test_posterior_draws_follow_the_weights():
    """Weights (0, 1, 0): every draw is the middle particle; integers rounded."""
    post = {"parameters": ["a", "n"], "sample": [[0.1, 1.2], [0.5, 2.6], [0.9, 3.0]], "weights": [0, 1, 0]}
    draws = posterior_draws(post, 4, seed=1, integer={"n"})
    assert draws == [{"a": 0.5, "n": 3}] * 4 and all(isinstance(d["n"], int) for d in draws)


def test_joint_draws_join_a_places_own():
    from sim.places import load_place
    from sim.validate import parameter_sets

    place = load_place("acheng")
    own = {"parameters": [place.info.free_parameters[0].path], "sample": [[1.0], [2.0]], "weights": [0.5, 0.5]}
    joint = {"posterior": {"parameters": ["economy.local_wage_yuan_per_day"], "sample": [[70.0]], "weights": [1]}}
    sets = parameter_sets(place, {"posterior": own}, 6, 3, joint)
    assert all(s["economy.local_wage_yuan_per_day"] == 70.0 for s in sets)
    assert {s[own["parameters"][0]] for s in sets} <= {1.0, 2.0} and len(sets) == 6
    assert np.all([len(s) == 2 for s in sets])
