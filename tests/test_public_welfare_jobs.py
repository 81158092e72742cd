"""Public-welfare jobs (公益岗位, issue 14 item 3), by hand on the tiny village (4 registered-poor households of
2 persons; assessed income 750 a person, below the 3,000 line). Members are set by hand: household 0 is an
old farmer (70: half a unit) and a child, household 1 a parent (30) and a child, households 2-3 two workers."""

import numpy as np
import pytest
from conftest import tiny

from sim.model import VillageModel

MEMBERS = [([70, 5], 0.5), ([30, 8], 1.0), ([30, 30], 2.0), ([30, 30], 2.0)]


def jobs_model(posts, extra=None):
    cfg = tiny({"policies": ["public_welfare_jobs"], "public_welfare_jobs.start_year": 2015,
                "public_welfare_jobs.posts_per_village": posts, **(extra or {})})
    m = VillageModel(config=cfg, rng=4)
    d = m.economy.demography
    for h, (ages, _) in enumerate(MEMBERS):
        d.age[h, :2] = ages
    d._derive()
    assert m.hh.labour_units.tolist() == [units for _, units in MEMBERS]
    return m


def test_weak_labour_registered_poor_households_hold_the_posts_and_are_paid_monthly():
    m = jobs_model(posts=5)
    m.run()
    jobs = m.policy("public_welfare_jobs")
    assert jobs.holder.tolist() == [True, True, False, False]  # two or more units at home: not weak labour
    wage = m.last_income_fen[1] / 100  # the wage category
    assert wage.tolist() == [12 * 400, 12 * 400, 0, 0]
    y = m.history[0]
    assert y["public_welfare_posts"] == 2 and y["public_spending"] == pytest.approx(2 * 12 * 400)


def test_posts_are_limited_per_village_and_holders_keep_them():
    m = jobs_model(posts=1, extra={"years": 2})
    m.step()
    first = m.policy("public_welfare_jobs").holder.copy()
    assert first.sum() == 1 and first[:2].any()
    m.run()
    assert (m.policy("public_welfare_jobs").holder == first).all()


def test_no_posts_before_the_start_year():
    m = jobs_model(posts=5, extra={"public_welfare_jobs.start_year": 2016})
    m.run()
    assert m.history[0]["public_welfare_posts"] == 0 and m.history[0]["income_per_capita_wage"] == 0


def test_a_funding_line_funds_that_many_posts():
    line = {"name": "jobs", "budget_yuan": 4800, "lines": {"public_welfare_jobs": 4800}}
    m = jobs_model(posts=5, extra={"funding": line})
    m.run()
    assert m.history[0]["public_welfare_posts"] == 1 and m.history[0]["public_spending"] == pytest.approx(4800)
    assert np.isclose(m.funder.remaining("public_welfare_jobs"), 0)


def test_on_the_default_village_posts_lift_weak_labour_households_paired_by_seed():
    """Behaviour: the same seeds with and without the posts; holders' income rises by what the ledger paid them,
    and fewer of them are poor."""
    base = ["cooperative", "land_shares", "wage_contracting", "assistance_fund", "distribution"]
    poor_with = poor_without = 0
    for seed in (1, 2, 3):
        on = VillageModel(rng=seed, years=3, policies=[*base, "public_welfare_jobs"])
        off = VillageModel(rng=seed, years=3, policies=base)
        on.run()
        off.run()
        holders = on.policy("public_welfare_jobs").holder
        assert 0 < holders.sum() <= 10
        paid = on.flows_history[-1]["flows"][("public_welfare_job_wage", "public", "households")] / 100
        index = (1 + on.config.economy.nominal_growth_per_year) ** 2  # the third year's prices
        # each monthly payment is rounded to the fen: at most a fen per holder-month off the exact amount
        assert paid == pytest.approx(holders.sum() * 12 * 400 * index, abs=0.01 * 12 * holders.sum())
        poor_with += on.hh.poor[holders].sum()
        poor_without += off.hh.poor[holders].sum()
    assert poor_with < poor_without
