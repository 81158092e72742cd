"""Demonstration-cooperative awards (docs/model.md §3.13, seed 000) on the tiny village (tests/conftest.py): one
cooperative with all 4 households as members, all registered poor; its yearly profit is
9,600 - 5,400 - 1,200 - 1,600 = 1,400 yuan (tests/test_cooperative.py)."""

import pytest
from conftest import tiny

from sim.model import VillageModel

LEVELS = [{"name": "city", "award_yuan": 10_000, "min_members": 4, "min_poor_member_share": 0.5,
           "min_profitable_years": 1},
          {"name": "province", "award_yuan": 20_000, "min_members": 4, "min_poor_member_share": 0.5,
           "min_profitable_years": 2},
          {"name": "nation", "award_yuan": 30_000, "min_members": 5, "min_poor_member_share": 0.5,
           "min_profitable_years": 3}]


def run(extra=None, years=3, policies=("cooperative", "awards")):
    cfg = tiny({"policies": list(policies), "years": years, "awards.levels": LEVELS, **(extra or {})})
    return VillageModel(config=cfg, rng=4).run()


def test_each_level_is_awarded_once_when_its_criteria_are_met():
    m = run()
    assert [y["award_yuan"] for y in m.history] == [10_000, 20_000, 0]  # nation level needs 5 members
    assert [y["awards"] for y in m.history] == [1, 1, 0]
    assert [y["public_spending"] for y in m.history] == [10_000, 20_000, 0]
    assert m.policy("awards").level[0] == 2
    assert all(y["ledger_imbalance"] == 0 for y in m.history)


def test_the_award_is_capital_not_profit():
    without = run(policies=("cooperative",), years=1)
    with_award = run(years=1)
    assert with_award.history[0]["coop_profit"] == pytest.approx(without.history[0]["coop_profit"])
    acct = with_award.coops.account[0]
    assert (with_award.ledger.balance_yuan(acct) - without.ledger.balance_yuan(without.coops.account[0])
            == pytest.approx(10_000))


def test_no_award_without_enough_poor_members_or_without_profit():
    few_poor = [dict(lv, min_poor_member_share=1.0) for lv in LEVELS]
    m = VillageModel(config=tiny({"policies": ["cooperative", "awards"], "years": 1, "awards.levels": few_poor}),
                     rng=4)
    m.hh.registered_poor[3] = False  # 3 of 4 members registered poor: under the required share
    m.run()
    assert m.history[0]["awards"] == 0 and m.history[0]["public_spending"] == 0
    loss = run({"crop_lines.cash_crop.revenue_yuan_per_mu_year": 1000}, years=2)  # the cooperative loses money
    assert [y["awards"] for y in loss.history] == [0, 0]


def test_a_small_awards_line_pays_as_due_until_spent():
    funding = {"budget_yuan": 15_000, "lines": {"awards": 15_000}}
    m = run({"funding": funding})
    # city (10,000) is paid; the province award (20,000) does not fit in the 5,000 left: never paid
    assert [y["award_yuan"] for y in m.history] == [10_000, 0, 0]
    assert m.funder.spent("awards") == pytest.approx(10_000)
    assert m.policy("awards").level[0] == 1
