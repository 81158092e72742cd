"""What must emerge on the default village (10 years, replicates with shared seeds)."""

import numpy as np
import pytest

from sim.ledger import CATEGORY_INDEX
from sim.model import VillageModel
from sim.run import simulate

SEEDS = range(6)
BASELINE: list[str] = []
SHARES_AND_WAGES = ["cooperative", "land_shares", "wage_contracting", "distribution"]


@pytest.mark.slow
def test_land_shares_and_wage_contracting_lower_poverty_against_the_baseline():
    diffs = []
    for seed in SEEDS:
        base = simulate(seed=seed, overrides={"policies": BASELINE}).yearly
        coop = simulate(seed=seed, overrides={"policies": SHARES_AND_WAGES}).yearly
        diffs.append(coop.poverty_headcount_ratio.mean() - base.poverty_headcount_ratio.mean())
    diffs = np.array(diffs)
    # without national programmes (the baseline here), lower on every seed and by at least half a point on average,
    # paired by seed (measured at the issue-14 fit: 1.2 points, every seed 0.8-1.4)
    assert diffs.mean() < -0.005
    assert (diffs < 0).all()


def _yearly_wages(policies, seed):
    """Per household: wage income per year (from the ledger) and cooperative wages recorded in the flows."""
    model = VillageModel(rng=seed, policies=policies, economy__local_employment_probability_per_month=0.0)
    wages = []
    while model.running:
        model.step()
        if model.month_of_year == 0:  # December just closed
            wages.append(model.last_income_fen[CATEGORY_INDEX["wage"]] / 100)
    return model, np.array(wages)


@pytest.mark.slow
def test_contracted_poor_households_wage_income_rises_by_what_the_ledger_paid():
    # no local wage work, so wages can only come from the cooperative's contracts
    # a seed whose cooperative operates every year (a cooperative may stop and be struck off: coop_life.py)
    base, base_wages = _yearly_wages(BASELINE, seed=4)
    coop, coop_wages = _yearly_wages(SHARES_AND_WAGES, seed=4)
    assert base_wages.sum() == 0
    paid_by_ledger = sum(e["flows"].get(("coop_wage", "coop:0:coop", "households"), 0)
                         for e in coop.flows_history) / 100
    gain = coop_wages - base_wages
    assert gain.sum() == pytest.approx(paid_by_ledger)
    assert paid_by_ledger == pytest.approx(sum(row["wages_paid"] for row in coop.history))
    # the contracts went to registered-poor households with labour first
    contracted = coop.hh.contract_mu > 0
    assert coop.hh.registered_poor[contracted].mean() > coop.hh.registered_poor.mean()
    # (a household ill in the last year may have lost its only labour unit at home for the whole year)
    poor_contracted = contracted & coop.hh.registered_poor & ~coop.hh.ill_this_year
    assert poor_contracted.sum() > 10 and gain[-1, poor_contracted].min() > 0
