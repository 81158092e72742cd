"""Morris screening on the real model: a parameter the model never reads has no elementary effect at all
(common random numbers make its runs identical); one that drives the outcome has a large one."""

import json
from pathlib import Path

import pytest

from sim.errors import UserInputError
from sim.executors import run_experiment
from sim.experiment import load_experiment
from sim.sensitivity import analyse, check_plan

ROOT = Path(__file__).resolve().parents[1]
FLOOR = "land_shares.guaranteed_floor_yuan_per_mu_year"  # read only by land_shares, which is off
REMIT = "economy.remittance_yuan_per_migrant_month"


def test_morris_unread_parameter_has_zero_effect_and_driver_a_large_one(tmp_path):
    spec = {"name": "m", "base": str(ROOT / "configs" / "village.yaml"), "years": 1, "replicates": 1,
            "seed": 4, "overrides": {"village.households": 60}, "outcomes": ["mean_income_per_capita"],
            "variants": [{"name": "none", "overrides": {"policies": []}}], "runs_per_task": 12,
            "sweep": {"method": "morris", "samples": 4, "levels": 4,
                      "parameters": {FLOOR: {"low": 0, "high": 800}, REMIT: {"low": 300, "high": 1500}}}}
    path = tmp_path / "m.yaml"
    path.write_text(json.dumps(spec))
    plan = load_experiment(path)
    check_plan(plan)
    assert len(plan.runs) == 4 * (2 + 1)  # trajectories x (parameters + 1)
    run_experiment(plan, tmp_path / "out", executor="serial", progress=False)
    t = analyse(tmp_path / "out", plan).set_index("parameter")
    assert t.loc[FLOOR, "mu_star"] == 0 and t.loc[FLOOR, "sigma"] == 0
    assert t.loc[REMIT, "mu_star"] > 100  # yuan per capita for a step of 2/3 of the range
    assert (tmp_path / "out" / "sensitivity.parquet").exists()


def test_sensitivity_needs_one_variant(tmp_path):
    spec = {"name": "m", "base": str(ROOT / "configs" / "village.yaml"), "replicates": 1,
            "variants": [{"name": "a"}, {"name": "b"}],
            "sweep": {"method": "sobol", "samples": 4, "parameters": {REMIT: {"low": 300, "high": 1500}}}}
    path = tmp_path / "m.yaml"
    path.write_text(json.dumps(spec))
    with pytest.raises(UserInputError, match="variants: sensitivity analyses one variant"):
        check_plan(load_experiment(path))
