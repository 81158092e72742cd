"""A mechanism declares itself once (sim/policies/base.py) and every central catalogue follows.

One test closes every silent gap an outcome could fall into; another shows that a made-up mechanism, defined
here and registered through `registry.register`, reaches the results folder, experiments, funding scenarios
and the briefing labels without any central edit.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.config import Config, load_config, load_funding
from sim.declarations import FundingLine, Outcome
from sim.executors import run_experiment
from sim.experiment import Experiment, load_experiment
from sim.i18n import outcome_label
from sim.ledger import Source
from sim.model import VillageModel
from sim.policies import registry
from sim.policies.base import Policy
from sim.results import load
from sim.run import collect, write_run
from sim.schema import NonNegative, Strict

ROOT = Path(__file__).resolve().parents[1]
SMALL = {"village.households": 60, "years": 2}


def _model(policies: list[str]) -> VillageModel:
    return VillageModel(config=ROOT / "configs" / "village.yaml", rng=4, overrides={**SMALL, "policies": policies})


@pytest.fixture(scope="module")
def every_on():
    return _model(list(registry.policy_names())).run()


@pytest.fixture(scope="module")
def every_off():
    return _model([]).run()


def test_every_declared_outcome_is_collected_has_a_column_off_a_run_total_and_an_experiment_choice(
        every_on, every_off):
    on, off = collect(every_on), collect(every_off)
    collected = every_on.datacollector.get_model_vars_dataframe()
    for name, outcome in registry.outcomes().items():
        owner = registry.owner(name)
        assert name in collected.columns, f"{name} ({owner}) is not collected by the DataCollector"
        assert name in off.yearly.columns, f"{name} ({owner}) has no column when its policy is off"
        if not registry.policy_class(owner).always_on:
            assert (off.yearly[name].fillna(0) == 0).all(), f"{name} is not zero with {owner} off"
        if outcome.kind == "flow":  # a run total (the outcome itself when it is declared, as public_spending_total)
            assert outcome.total in on.final, f"flow {name} ({owner}) has no run total {outcome.total}"
            if outcome.total not in registry.outcomes():
                assert on.final[outcome.total] == pytest.approx(on.yearly[name].sum())
        chosen = [name, *([outcome.total] if outcome.kind == "flow" else [])]
        Experiment(name="x", outcomes=chosen)  # selectable in an experiment file's `outcomes:`


def test_each_mechanism_reports_exactly_what_it_declares(every_on):
    for name in every_on.active_policies:
        policy = every_on.policy(name)
        declared = {o.name for part in (policy, *getattr(policy, "parts", ())) for o in part.outcomes}
        assert set(every_on.policy(name).year_outcomes(np.zeros(every_on.hh.n, bool))) == declared, name


def test_catalogues_are_derived_from_the_declarations():
    names = registry.policy_names()
    assert set(Config.model_fields) >= {"economy", *names}  # one config section per mechanism
    assert all(registry.policy_class(n).Params is type(Config().section(n)) for n in names)
    sources = [s.name for s in registry.sources()]
    assert len(sources) == len(set(sources))
    for line in registry.funding_lines().values():  # a line's money is booked under programme sources
        assert all(next(s for s in registry.sources() if s.name == src).public_programme for src in line.sources)
    # the schedule order honours every `after`
    for n in names:
        assert all(names.index(a) < names.index(n) for a in registry.policy_class(n).after if a in names)


def test_a_funding_line_pacing_decides_what_it_makes_available(tmp_path):
    """A yearly line makes an even share of what is left available each year; a start line all of it."""
    path = tmp_path / "s.yaml"
    path.write_text("budget_yuan: 1000\nlines:\n  training: 400\n  subsidy_shares: 600\n")
    m = VillageModel(config=ROOT / "configs" / "village.yaml", rng=1,
                     overrides={**SMALL, "years": 4, "funding": str(path), "policies": [
                         "cooperative", "land_shares", "distribution", "training"]})
    assert registry.funding_lines()["training"].pacing == "yearly"
    spent = m.funder.spent("training")
    assert m.funder.available("training") == pytest.approx((400 - spent) / 4)  # 4 years left at the start
    assert m.funder.available("subsidy_shares") == pytest.approx(600 - m.funder.spent("subsidy_shares"))


# -- a made-up mechanism, defined here: its file, its test and configs/village.yaml are all it needs --------
class CompostParams(Strict):
    grant_yuan_per_household_year: NonNegative = 10.0  # assumption (a test's mechanism)


class CompostGrants(Policy):
    """Every household gets a compost grant from public money in January."""

    name = "compost_grants"
    Params = CompostParams
    requires = ("cooperative",)
    after = ("cooperative",)
    sources = (Source("compost_grant", "transfer", public_programme=True),)
    outcomes = (Outcome("compost_grants_yuan", "yuan/year", "Compost grants", "堆肥补贴", "flow"),)
    funding_line = FundingLine("compost", "yearly", "a grant per household, in January", ("compost_grant",))

    def year_start(self) -> None:
        m = self.model
        amount = np.full(m.hh.n, self.p.grant_yuan_per_household_year)
        m.ledger.pay_households(m.acct_public, amount, "compost_grant")
        self.paid_year = np.bincount(m.hh.village, weights=amount, minlength=m.vill.n)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        return {"compost_grants_yuan": self.paid_year.copy()}


@pytest.fixture
def compost():
    registry.register(CompostGrants)
    yield CompostGrants
    registry.unregister(CompostGrants.name)


def test_a_new_mechanism_reaches_results_experiments_funding_and_labels(compost, tmp_path):
    """60 households x 10 yuan = 600 yuan of grants a year; 1,200 over the two years."""
    cfg = load_config(ROOT / "configs" / "village.yaml", {**SMALL, "policies": ["cooperative", "compost_grants"],
                                                          "compost_grants.grant_yuan_per_household_year": 10})
    model = VillageModel(config=cfg, rng=3).run()
    out = write_run(tmp_path / "run", collect(model))
    yearly = pd.read_parquet(out / "yearly.parquet")
    assert yearly["compost_grants_yuan"].tolist() == [600.0, 600.0]
    assert json.loads((out / "manifest.json").read_text())["final"]["compost_grants_yuan_total"] == 1200.0
    assert model.ledger.imbalance_fen() == 0
    # an experiment selects its outcome and its run total
    exp = tmp_path / "exp.yaml"
    exp.write_text(json.dumps({"name": "compost", "base": str(ROOT / "configs" / "village.yaml"), "years": 1,
                               "replicates": 1, "overrides": {"village.households": 60},
                               "variants": [{"name": "on", "overrides": {"policies": ["cooperative",
                                                                                      "compost_grants"]}}],
                               "outcomes": ["compost_grants_yuan", "compost_grants_yuan_total"]}))
    run_experiment(load_experiment(exp), tmp_path / "exp", executor="serial", progress=False)
    assert load(tmp_path / "exp").runs["compost_grants_yuan_total"].tolist() == [600.0]
    # a funding scenario may give its line money; the briefing has its labels
    scenario = tmp_path / "f.yaml"
    scenario.write_text("budget_yuan: 100\nlines:\n  compost: 100\n")
    assert load_funding(scenario).amount("compost") == 100
    assert outcome_label("compost_grants_yuan", "zh") == "堆肥补贴"
    assert outcome_label("compost_grants_yuan", "en") == "Compost grants"


def test_a_removed_mechanism_leaves_no_trace(compost):
    registry.unregister(compost.name)
    try:
        assert "compost_grants" not in Config.model_fields and "compost_grants_yuan" not in registry.outcomes()
    finally:
        registry.register(compost)
