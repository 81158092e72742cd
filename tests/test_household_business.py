"""Household lines started from savings and the industrial subsidy (issue 14 item 4), by hand on the tiny village
(4 registered-poor households of 2 persons; own farm 2 mu; floor 2 x 240 = 480 a month; no local work).

One line, pigs that never fail: 3,000 yuan of piglets bought in March sell for 3,000 x 1.25 = 3,750 in September.
"""

import pytest
from conftest import tiny

from sim.ledger import CATEGORY_INDEX
from sim.model import VillageModel

PIGS = {"pigs": {"net_return_per_yuan": 0.25, "failure_probability": 0.0, "salvage_share": 0.0, "months_to_sale": 6,
                 "choice_share": 1.0}}


def business_model(savings=10_000, policies=(), extra=None):
    cfg = tiny({"policies": list(policies), "village.savings_yuan": {"dist": "constant", "value": savings},
                "household_business": {"enabled": True, "start_probability_per_year": 1.0, "credit_lines": PIGS},
                "industrial_subsidy.start_year": 2015, **(extra or {})})
    return VillageModel(config=cfg, rng=8)


def test_a_household_with_savings_starts_a_line_and_its_net_return_is_farm_income():
    m = business_model()
    m.run()
    farm = m.last_income_fen[CATEGORY_INDEX["farm"]] / 100
    assert farm.tolist() == pytest.approx([2 * 650 + 3750 - 3000] * 4)
    assert m.history[0]["household_lines_started"] == 4 and m.history[0]["ledger_imbalance"] == 0


def test_without_cash_beyond_the_buffer_no_line_is_started():
    """4,000 of savings: January 4,000 + 200 subsidy, consumes 480 + 5% x (4,200 - 1,440) = 618; February
    480 + 5% x (3,582 - 1,440) = 587.10, leaving 2,994.90 in March, below 3,000 + 3 x 480 = 4,440."""
    m = business_model(savings=4000)
    m.run()
    assert m.history[0]["household_lines_started"] == 0


def test_the_industrial_subsidy_lets_a_poor_household_start_and_is_public_money():
    """The same household with the subsidy: 2,994.90 + 1,500 (half of 3,000) = 4,494.90 >= 4,440."""
    m = business_model(savings=4000, policies=["industrial_subsidy"])
    for _ in range(3):
        m.step()
    assert m.ledger.income_fen[CATEGORY_INDEX["transfer"], :4].tolist() == [(200 + 1500) * 100] * 4
    # March: 1,494.90 left after the piglets; consumption 480 + 5% x (1,494.90 - 1,440)
    left = 2994.90 + 1500 - 3000
    assert m.ledger.household_balance_yuan.tolist() == pytest.approx([left - 480 - 0.05 * (left - 1440)] * 4, abs=0.01)
    m.run()
    y = m.history[0]
    assert y["household_lines_started"] == 4 and y["industrial_subsidy_yuan"] == 4 * 1500
    assert y["public_spending"] == pytest.approx(4 * 1500)


def test_a_funding_line_pays_subsidies_until_it_is_spent():
    line = {"name": "subsidy", "budget_yuan": 3000, "lines": {"industrial_subsidy": 3000}}
    m = business_model(savings=4000, policies=["industrial_subsidy"], extra={"funding": line})
    m.run()
    assert m.history[0]["household_lines_started"] == 2 and m.history[0]["industrial_subsidy_yuan"] == 3000


def test_no_subsidy_before_its_start_year():
    m = business_model(savings=4000, policies=["industrial_subsidy"], extra={"industrial_subsidy.start_year": 2016})
    m.run()
    assert m.history[0]["industrial_subsidy_yuan"] == 0 and m.history[0]["household_lines_started"] == 0
