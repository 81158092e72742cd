"""Funding scenarios (docs/model.md §4): a budget and its split, validated with clear errors; the funder's
lines are envelopes never overspent; public spending and its cost per household lifted come exactly from
the ledger; a run prints the scenario's lines and totals."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.config import load_config, load_funding
from sim.errors import UserInputError
from sim.model import VillageModel
from sim.policies import registry
from sim.run import simulate, write_run

SOURCES = registry.sources()

ROOT = Path(__file__).resolve().parents[1]
FUNDING = ROOT / "configs" / "funding"
COUNTY = {"villages": 3, "households": {"dist": "lognormal", "mean": 120, "sd": 40}}


def scenario(tmp_path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_split_over_the_budget_is_rejected_naming_the_file_and_the_excess(tmp_path):
    path = scenario(tmp_path, "name: greedy\nbudget_yuan: 1000000\nlines:\n  subsidy_shares: 700000\n"
                              "  training: 400000\n")
    with pytest.raises(UserInputError) as err:
        load_funding(path)
    msg = str(err.value)
    assert str(path) in msg and "1,100,000" in msg and "100,000 more than budget_yuan 1,000,000" in msg


@pytest.mark.parametrize("line, allowed", [("subsidy_share: 10", "did you mean 'subsidy_shares'"),
                                           ("training: -5", "must be >= 0"),
                                           ("training: lots", "must be a number of yuan")])
def test_unknown_lines_and_bad_amounts_are_named(tmp_path, line, allowed):
    path = scenario(tmp_path, f"budget_yuan: 100\nlines:\n  {line}\n")
    with pytest.raises(UserInputError) as err:
        load_funding(path)
    assert str(path) in str(err.value) and allowed in str(err.value)


def test_a_funded_line_needs_its_policy_switched_on(tmp_path):
    path = scenario(tmp_path, "budget_yuan: 100\nlines:\n  subsidy_shares: 100\n")
    with pytest.raises(UserInputError) as err:
        load_config(None, {"funding": str(path), "policies": ["cooperative"]})
    assert "land_shares" in str(err.value) and str(path) in str(err.value)


def test_the_command_line_rejects_an_over_budget_scenario_with_exit_2(tmp_path):
    path = scenario(tmp_path, "budget_yuan: 10\nlines:\n  subsidy_shares: 11\n")
    res = subprocess.run([sys.executable, "-m", "sim", "run", "--years", "1", "--set", f"funding={path}",
                          "--out", str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr and str(path) in res.stderr and "more than budget_yuan" in res.stderr
    assert not (tmp_path / "out").exists()


def test_every_line_is_booked_under_public_programme_sources_of_its_own():
    by_name = {s.name: s for s in SOURCES}
    booked = [s for line in registry.funding_lines().values() for s in line.sources]
    assert len(booked) == len(set(booked))  # no source counts for two lines
    assert all(by_name[s].public_programme for s in booked)


def test_a_line_is_never_overspent_and_what_it_spent_is_read_from_the_ledger(tmp_path):
    """Three villages want 5,000 yuan of subsidy shares per poor household; a 200,000-yuan line is split
    equally among the poor households joining, and never exceeded."""
    path = scenario(tmp_path, "budget_yuan: 300000\nlines:\n  subsidy_shares: 200000\n")
    cfg = load_config(None, {"county": COUNTY, "years": 2, "funding": str(path)})
    m = VillageModel(config=cfg, rng=3).run()
    spent = m.funder.spent("subsidy_shares")
    poor_shareholders = int((m.hh.subsidy_share_yuan > 0).sum())
    each = np.floor(200000 / poor_shareholders * 100) / 100
    assert spent == pytest.approx(each * poor_shareholders, abs=0.01) and spent <= 200000
    assert 200000 - spent < poor_shareholders * 0.01 + 1e-9  # all but the rounding is spent
    assert m.funder.remaining("subsidy_shares") == pytest.approx(200000 - spent)
    assert m.funder.remaining("training") == 0.0  # a line left out gets nothing
    # the run's public spending is exactly the ledger's programme money, and balances
    assert m.history[-1]["public_spending_total"] == pytest.approx(spent, abs=1e-6)
    assert all(row["ledger_imbalance"] == 0 for row in m.history)


def test_without_a_scenario_every_line_is_open():
    m = VillageModel(rng=1, years=1)
    assert not m.funder.limited and m.funder.remaining("training") == float("inf")
    assert m.funder.fit("training", [1e12]).all()


def test_fit_pays_in_priority_order_until_the_envelope_runs_out(tmp_path):
    path = scenario(tmp_path, "budget_yuan: 1000\nlines:\n  subsidy_shares: 1000\n")
    m = VillageModel(config=load_config(None, {"funding": str(path)}), rng=1, years=1)
    m.funder.scenario.lines["subsidy_shares"] = m.funder.spent("subsidy_shares") + 250.0
    assert m.funder.fit("subsidy_shares", [100, 100, 100, 10]).tolist() == [True, True, False, False]
    assert m.funder.fit("subsidy_shares", [100, 100], allowance=150).tolist() == [True, False]


def test_public_cost_per_household_lifted_is_spending_over_households_lifted(tmp_path):
    path = scenario(tmp_path, "budget_yuan: 2000000\nlines:\n  subsidy_shares: 1500000\n")
    cfg = load_config(None, {"county": COUNTY, "years": 4, "funding": str(path)})
    run = simulate(cfg, seed=5)
    flows = run.flows
    programme = {s.name for s in SOURCES if s.public_programme}
    out = flows[flows.source.isin(programme) & (flows["from"] == "public")].amount_yuan.sum()
    back = flows[flows.source.isin(programme) & (flows["to"] == "public")].amount_yuan.sum()
    assert run.final["public_spending_total"] == pytest.approx(out - back, abs=1e-6)
    lifted = run.final["households_lifted_since_start"]
    assert lifted > 0
    assert run.final["public_cost_per_household_lifted"] == pytest.approx(run.final["public_spending_total"] / lifted)
    by_village = run.yearly_by_village
    last = by_village[by_village.year == by_village.year.max()]
    assert last.public_spending_total.sum() == pytest.approx(run.final["public_spending_total"], abs=1e-6)
    # the funding table and its Parquet file
    write_run(tmp_path / "res", run)
    table = pd.read_parquet(tmp_path / "res" / "funding.parquet")
    row = table.set_index("line").loc["subsidy_shares"]
    assert row.allocated_yuan == 1500000 and row.spent_yuan == pytest.approx(run.final["public_spending_total"])
    assert set(table.scenario) == {"scenario"}


def test_run_prints_the_scenario_lines_and_totals(tmp_path):
    path = scenario(tmp_path, "name: shares_only\nbudget_yuan: 400000\nlines:\n  subsidy_shares: 300000\n")
    res = subprocess.run([sys.executable, "-m", "sim", "run", "--years", "2", "--set", f"funding={path}",
                          "--out", str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "Funding scenario 'shares_only': budget 400,000 yuan" in res.stdout
    assert "scenario 'shares_only' totals: households lifted" in res.stdout and "per household lifted" in res.stdout
    assert (tmp_path / "out" / "funding.parquet").exists()


def test_a_config_file_names_its_scenario_relative_to_itself(tmp_path):
    (tmp_path / "funding").mkdir()
    scenario(tmp_path / "funding", "name: local\nbudget_yuan: 100\nlines:\n  subsidy_shares: 100\n", "a.yaml")
    cfg_file = tmp_path / "county.yaml"
    cfg_file.write_text("funding: funding/a.yaml\n")
    cfg = load_config(cfg_file)
    assert cfg.funding.name == "local" and cfg.funding.file == str(tmp_path / "funding" / "a.yaml")


def test_experiment_variants_name_scenarios_relative_to_the_experiment_file(tmp_path):
    from sim.experiment import load_experiment

    (tmp_path / "funding").mkdir()
    for name, amount in (("low", 1000), ("high", 2000)):
        scenario(tmp_path / "funding", f"name: {name}\nbudget_yuan: 2000\nlines:\n  subsidy_shares: {amount}\n",
                 f"{name}.yaml")
    exp = tmp_path / "exp.yaml"
    exp.write_text(f"name: f\nbase: {ROOT / 'configs' / 'village.yaml'}\nreplicates: 1\nyears: 1\nvariants:\n"
                   "  - {name: low, overrides: {funding: funding/low.yaml}}\n"
                   "  - {name: high, overrides: {funding: funding/high.yaml}}\n")
    plan = load_experiment(exp)
    import json

    lines = {r.variant: json.loads(r.config)["funding"]["lines"]["subsidy_shares"] for r in plan.runs}
    assert lines == {"low": 1000.0, "high": 2000.0}


def test_a_sample_of_the_county_gets_its_share_of_the_budget(tmp_path):
    """`funding.scale` multiplies the budget and every line, also when the scenario is named by its file."""
    path = scenario(tmp_path, "budget_yuan: 1000000\nlines:\n  subsidy_shares: 800000\n")
    cfg = load_config(None, {"funding": str(path), "funding.scale": 0.1, "years": 1})
    assert cfg.funding.scale == 0.1 and cfg.funding.amount("subsidy_shares") == pytest.approx(80000)
    m = VillageModel(config=cfg, rng=2)
    assert 79000 < m.funder.spent("subsidy_shares") <= 80000
    with pytest.raises(UserInputError) as err:
        load_config(None, {"funding": str(path), "funding.scale": 0})
    assert "funding.scale" in str(err.value)


SHIPPED = ["balanced", "credit_first", "works_first", "shares_first"]


def test_the_shipped_scenarios_split_one_budget_and_fit_the_county():
    budgets = {name: load_funding(ROOT / "configs" / "funding" / f"{name}.yaml").budget_yuan for name in SHIPPED}
    assert len(set(budgets.values())) == 1  # the same money, split differently
    for name in SHIPPED:
        cfg = load_config(ROOT / "configs" / "county.yaml", {"funding": str(FUNDING / f"{name}.yaml")})
        assert sum(cfg.funding.lines.values()) == cfg.funding.budget_yuan  # every yuan given to a line
        assert {registry.funding_line_policy(line) for line in cfg.funding.lines} <= set(cfg.policies)
    none = load_config(ROOT / "configs" / "county.yaml",
                       {"funding": str(ROOT / "configs" / "funding" / "no_programme.yaml")})
    assert none.funding.budget_yuan == 0 and none.funding.lines == {}


def test_the_funding_experiment_compares_every_scenario_with_no_programme_on_shared_seeds():
    import json

    from sim.experiment import load_experiment

    plan = load_experiment(ROOT / "experiments" / "funding_scenarios.yaml")
    assert plan.experiment.baseline == "no_programme"
    variants = {r.variant for r in plan.runs}
    assert variants == {"no_programme", *SHIPPED}
    seeds = {v: sorted(r.seed for r in plan.runs if r.variant == v) for v in variants}
    assert all(s == seeds["no_programme"] for s in seeds.values())  # common random numbers
    for r in plan.runs:
        cfg = json.loads(r.config)
        assert cfg["county"]["villages"] == 58
        if r.variant != "no_programme":
            assert cfg["funding"]["scale"] == 0.1 and cfg["funding"]["budget_yuan"] == 1_200_000_000


def test_programme_money_leaves_fewer_poverty_person_years_than_none_on_the_same_draws():
    """Behaviour: on the same county and seed, the balanced scenario's money (shares, credit, works, office
    funds) leaves fewer poverty person-years over the run and more income gained by the poor than no programme
    money, and spends within its scaled budget. (With the national programmes on, the end-year count of households
    lifted hardly differs: the allowance takes most over the line either way.)"""
    county = {"villages": 6, "households": {"dist": "lognormal", "mean": 150, "sd": 40}}
    out = {}
    for name in ("no_programme", "balanced"):
        overrides = {"county": county, "years": 5, "funding": str(ROOT / "configs" / "funding" / f"{name}.yaml"),
                     "funding.scale": 6 / 578}
        out[name] = [simulate(ROOT / "configs" / "county.yaml", seed=s, overrides=overrides) for s in (1, 2)]
    for none, funded in zip(out["no_programme"], out["balanced"], strict=True):
        assert funded.final["poverty_person_years_total"] < none.final["poverty_person_years_total"]
        gained = "income_gained_by_registered_poor_total"
        assert funded.final[gained] > none.final[gained]
        assert funded.funding.spent_yuan.sum() <= 1_200_000_000 * 6 / 578 + 1e-6
        assert funded.funding.spent_yuan.sum() > 0.5 * 1_200_000_000 * 6 / 578  # most of it finds a use
