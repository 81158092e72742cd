"""Cooperative types (docs/model.md §2): who founds, who may join, how the surplus is split; the two-cooperative
config; the party policies keep other mechanisms' random draws (common random numbers)."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import tiny

from sim.config import load_config
from sim.errors import UserInputError
from sim.model import VillageModel
from sim.policies.cooperative import TYPE_RULES
from sim.population import COOP_LEADER, VILLAGE_SECRETARY

ROOT = Path(__file__).resolve().parents[1]
PARTY_POLICIES = ["party_organisation", "paired_assistance", "governance", "line_switch", "pilot_first"]


def village(coops, extra=None, policies=("cooperative",)):
    return tiny({"policies": list(policies), "village.households": 40, "village.party_member_household_share": 0.3,
                 "village.skill": {"dist": "uniform", "low": 0.5, "high": 1.5},
                 "village.savings_yuan": {"dist": "uniform", "low": 0, "high": 5000},
                 "poverty_line.yuan_per_person_year": {2015: 700},  # income 650 x skill + 100: ~40% poor
                 "cooperative.initial_member_share": 0.2, "cooperatives": coops, **(extra or {})})


def coop(name, type_, **kw):
    return {"name": name, "type": type_, "village": 0, "line": "cash_crop", "leader_cash_yuan": 0, **kw}


def test_founders_by_type_each_a_different_household():
    m = VillageModel(config=village([coop("a", "party_member_led"), coop("b", "party_member_led"),
                                     coop("c", "mutual_aid"), coop("d", "capable_person_led")]), rng=1)
    pm, hh, c = m.party, m.hh, m.coops
    order = np.argsort(-pm.capability)
    # the two most capable party members found the party-member-led ones; the next is the village secretary
    assert c.leader_household[:2].tolist() == pm.household[order[:2]].tolist()
    assert pm.role[order[:2]].tolist() == [COOP_LEADER, COOP_LEADER]
    assert pm.role[order[2]] == VILLAGE_SECRETARY and (pm.role == VILLAGE_SECRETARY).sum() == 1
    assert c.leader_household[2] == pm.household[order[2]]  # the mutual-aid cooperative: chaired by the secretary
    # the capable-person-led one: the most capable farmer (skill x land) not leading another
    score = hh.skill * hh.land_mu
    score[c.leader_household[:3]] = -1
    assert c.leader_household[3] == np.argmax(score)
    assert len(set(c.leader_household.tolist())) == 4


def test_who_may_join():
    m = VillageModel(config=village([coop("p", "party_member_led"), coop("m", "mutual_aid"),
                                     coop("k", "capable_person_led")]), rng=2)
    hh, led = m.hh, m.ledger
    # mutual aid: every registered-poor household not in another cooperative joins at founding
    assert 0 < hh.registered_poor.mean() < 1
    assert ((hh.coop == 1) | (hh.coop == 0) | ~hh.registered_poor).all()
    # capable-person-led: only households that could buy a cash share (here 2 x 1,000) joined, besides its founder
    joined = np.flatnonzero(hh.coop == 2)
    joined = joined[joined != m.coops.leader_household[2]]
    assert joined.size > 0 and (led.balance[joined] >= 1000 * 100).all()  # after paying for the share
    assert TYPE_RULES["capable_person_led"].may_join == "cash_share_buyers"
    # a spec may override the type's rule
    open_ = VillageModel(config=village([coop("k", "capable_person_led", may_join="anyone")]), rng=2)
    assert (open_.hh.coop == 0).sum() > joined.size + 1


def test_surplus_split_and_owner_by_type():
    cfg = village([coop("b", "party_branch_collective"), coop("k", "capable_person_led", collective_share=0.0)],
                  policies=("cooperative", "distribution"))
    m = VillageModel(config=cfg, rng=3)
    d = m.policy("distribution")
    assert d.reserve_share.tolist() == [0.1, 0.1]
    assert d.collective_share.tolist() == [0.3, 0.0]  # the branch-led collective keeps more for the village
    # with no distribution rule the branch-led cooperative's surplus is the village's, not its chair's
    m = VillageModel(config=tiny({"policies": ["cooperative"], "cooperatives.0.type": "party_branch_collective",
                                  "village.party_member_household_share": 1.0}), rng=1)
    m.run()
    flows = m.flows_history[0]["flows"]
    assert ("owner_profit", "coop:0:coop", "households") not in flows
    assert flows[("collective_accumulation", "coop:0:coop", "committee:0")] / 100 == pytest.approx(1400)
    assert m.history[0]["collective_income"] == pytest.approx(1400)


def test_split_that_exceeds_the_surplus_is_rejected():
    with pytest.raises(UserInputError, match="exceed 1"):
        load_config(None, {"cooperatives.0.collective_share": 0.95})


def test_switching_the_party_policies_on_keeps_illness_and_yield_draws():
    def trace(policies):
        m = VillageModel(rng=7, years=2, policies=policies)
        ill, shocks = [], []
        while m.running:
            m.step()
            ill.append(m.hh.ill.copy())
            shocks.append(m.economy.shock.copy())
        return np.array(ill), np.array(shocks), m

    core = ["cooperative", "land_shares", "wage_contracting", "assistance_fund", "distribution"]
    ill_a, shock_a, a = trace(core)
    ill_b, shock_b, b = trace(core + PARTY_POLICIES)
    np.testing.assert_array_equal(ill_a, ill_b)
    np.testing.assert_array_equal(shock_a, shock_b)
    np.testing.assert_array_equal(a.hh.registered_poor, b.hh.registered_poor)
    assert a.coops.leader_household.tolist() == b.coops.leader_household.tolist()


def test_two_cooperatives_config_runs_side_by_side(tmp_path):
    cfg = load_config(ROOT / "configs" / "two_cooperatives.yaml")
    assert [c.type for c in cfg.cooperatives] == ["party_member_led", "capable_person_led"]
    assert all(p in cfg.policies for p in PARTY_POLICIES)
    out = tmp_path / "two"
    res = subprocess.run([sys.executable, "-m", "sim", "run", str(ROOT / "configs" / "two_cooperatives.yaml"),
                          "--years", "2", "--seed", "3", "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "Party organisation" in res.stdout and "leakage" in res.stdout
    yearly = pd.read_parquet(out / "yearly.parquet")
    for name in ("party_branches", "party_groups", "instructors", "party_members", "activists", "pairings",
                 "paired_households_lifted", "leakage", "leader_removals", "elite_capture_share", "pilot_trials",
                 "line_switch_losses"):
        assert name in yearly.columns
    assert (yearly.coop_active == 2).all() and (yearly.ledger_imbalance == 0).all()
    assert (yearly.pairings > 0).all() and (yearly.party_members > 0).all()
    flows = pd.read_parquet(out / "flows.parquet")
    assert {"coop:0:party_led", "coop:1:capable_person_led"} <= set(flows["from"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert "leakage_total" in manifest["final"]


def test_the_party_table_is_shown_only_when_a_party_policy_is_on():
    from io import StringIO

    from rich.console import Console

    from sim.report_table import print_yearly_table
    from sim.run import simulate

    buf = StringIO()
    print_yearly_table(simulate(tiny({"policies": ["cooperative"]}), seed=1), Console(file=buf, width=160))
    assert "Party organisation" not in buf.getvalue()
    buf = StringIO()
    print_yearly_table(simulate(tiny({"policies": ["cooperative", "party_organisation"]}), seed=1),
                       Console(file=buf, width=160))
    assert "Party organisation" in buf.getvalue()


def test_the_documentation_example_runs(capsys):
    import os
    import re

    text = (ROOT / "docs" / "party_and_governance.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        for block in blocks:
            exec(compile(block, "docs/party_and_governance.md", "exec"), {})
    finally:
        os.chdir(cwd)
    assert "full" in capsys.readouterr().out
