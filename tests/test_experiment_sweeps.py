"""Experiment expansion: replicate seeds from SeedSequence spawn keys, shared by every variant and sweep
point; grid, Latin-hypercube and Sobol points worked out by hand; swept values reach the run's config."""

import json
from pathlib import Path

import numpy as np
import pytest

from sim.config import Config
from sim.errors import UserInputError
from sim.experiment import load_experiment, replicate_seeds

ROOT = Path(__file__).resolve().parents[1]
BASE = str(ROOT / "configs" / "village.yaml")
REMIT = "economy.remittance_yuan_per_migrant_month"
WAGE = "cooperative.wage_yuan_per_mu_year"


def write(tmp_path, **extra) -> Path:
    spec = {"name": "s", "base": BASE, "years": 1, "replicates": 3, "seed": 7,
            "variants": [{"name": "a", "overrides": {"policies": []}}, {"name": "b"}]}
    spec.update(extra)
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(spec))
    return path


def test_replicate_seed_is_the_spawn_key_child_of_the_experiment_seed():
    # child r of SeedSequence(7).spawn(n) is SeedSequence(7, spawn_key=(r,)), whatever n is
    expected = [int(np.random.SeedSequence(7, spawn_key=(r,)).generate_state(1, np.uint64)[0] >> 1) for r in range(4)]
    assert replicate_seeds(7, 4) == expected
    assert replicate_seeds(7, 2) == expected[:2]  # more replicates later keep the first ones' seeds
    assert replicate_seeds(8, 4) != expected
    assert all(0 <= s < 2**63 for s in expected)


def test_grid_points_and_seeds_shared_across_variants_and_points(tmp_path):
    plan = load_experiment(write(tmp_path, sweep={"method": "grid", "levels": 3, "parameters": {
        REMIT: {"low": 300, "high": 1500}, WAGE: {"values": [200, 300]}}}))
    assert plan.points == [{REMIT: 300.0, WAGE: 200}, {REMIT: 300.0, WAGE: 300}, {REMIT: 900.0, WAGE: 200},
                           {REMIT: 900.0, WAGE: 300}, {REMIT: 1500.0, WAGE: 200}, {REMIT: 1500.0, WAGE: 300}]
    assert len(plan.runs) == 2 * 6 * 3
    seeds = replicate_seeds(7, 3)
    for spec in plan.runs:
        assert spec.seed == seeds[spec.replicate]  # common random numbers: one seed per replicate
        cfg = json.loads(spec.config)
        point = plan.points[spec.point]
        assert dict(spec.params) == point
        assert cfg["economy"]["remittance_yuan_per_migrant_month"] == point[REMIT]
        assert cfg["cooperative"]["wage_yuan_per_mu_year"] == point[WAGE]
        assert cfg["policies"] == ([] if spec.variant == "a" else Config().policies)
        assert cfg["years"] == 1 and spec.years == 1
    assert [s.run_id for s in plan.runs] == list(range(len(plan.runs)))


def test_latin_hypercube_puts_one_point_in_each_stratum_and_is_repeatable(tmp_path):
    sweep = {"method": "lhs", "samples": 5, "parameters": {REMIT: {"low": 0, "high": 1000},
                                                           "village.households": {"low": 50, "high": 100,
                                                                                  "integer": True}}}
    plan = load_experiment(write(tmp_path, sweep=sweep))
    remit = sorted(p[REMIT] for p in plan.points)
    # five strata of width 200: [0, 200), [200, 400), ...
    assert [int(v // 200) for v in remit] == [0, 1, 2, 3, 4]
    households = [p["village.households"] for p in plan.points]
    assert all(isinstance(h, int) and 50 <= h <= 100 for h in households)
    assert load_experiment(write(tmp_path, sweep=sweep)).points == plan.points
    assert load_experiment(write(tmp_path, sweep=sweep, seed=8)).points != plan.points


def test_sobol_sample_has_n_times_d_plus_2_points_within_bounds(tmp_path):
    plan = load_experiment(write(tmp_path, variants=[{"name": "a"}], replicates=2, sweep={
        "method": "sobol", "samples": 8, "parameters": {REMIT: {"low": 300, "high": 1500},
                                                        WAGE: {"low": 200, "high": 400}}}))
    assert len(plan.points) == 8 * (2 + 2) and len(plan.runs) == 64
    r = np.array([p[REMIT] for p in plan.points])
    w = np.array([p[WAGE] for p in plan.points])
    assert (r >= 300).all() and (r <= 1500).all() and (w >= 200).all() and (w <= 400).all()


def test_lhs_with_values_instead_of_a_range_is_refused(tmp_path):
    with pytest.raises(UserInputError, match=r"lhs needs low and high") as err:
        load_experiment(write(tmp_path, sweep={"method": "lhs", "parameters": {WAGE: {"values": [1, 2]}}}))
    assert str(tmp_path / "s.yaml") in str(err.value)


def test_sweep_value_the_config_rejects_names_the_point(tmp_path):
    # households must be >= 1: a grid value of 0 is caught when the point is resolved, before any run
    with pytest.raises(UserInputError, match=r"variants\.0 at sweep point 1: village\.households"):
        load_experiment(write(tmp_path, sweep={"parameters": {"village.households": {"values": [10, 0]}}}))


def test_default_experiments_resolve():
    pv = load_experiment(ROOT / "experiments" / "policy_variants.yaml")
    assert [v.name for v in pv.experiment.variants] == [
        "no_cooperative", "capable_person", "party_land_shares", "plus_wage_contracting",
        "plus_paired_assistance", "full_package"]
    assert pv.experiment.baseline_variant == "no_cooperative" and pv.experiment.replicates >= 30
    assert len(pv.runs) == 6 * pv.experiment.replicates
    sens = load_experiment(ROOT / "experiments" / "sensitivity.yaml")
    assert sens.experiment.sweep.method == "sobol"
    assert len(sens.runs) == sens.experiment.sweep.samples * (len(sens.experiment.sweep.parameters) + 2)
