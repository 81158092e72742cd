"""The household budget (issue 14 item 5): buffer-stock consumption, informal borrowing up to a limit, debt
repaid first, interest booked as a cost; worked out by hand, then the no-overdraft property on the default
village.

The tiny village (tests/conftest.py) has 4 households of 2 persons; with no savings and no work their only
money before the harvest is the farm subsidy (2 mu x 100 = 200 yuan in January). Floor: 2 x 240 = 480 yuan a
month. Limit: half a year's assessed income, 0.5 x 2 persons x 750 yuan (2 mu x 650 net + 200 subsidy, / 2) = 750
(here without the minimum of 3 months of the floor, 1,440, unless a test says so).
"""

import numpy as np
import pytest
from conftest import tiny

from sim.ledger import CATEGORY_INDEX
from sim.model import VillageModel
from sim.policies.household_budget import budget_month


def settle(cash, debt=0.0, limit=750.0, rate=0.005):
    """budget_month for one household in yuan: floor 480, target 3 x 480, share 0.05."""
    fen = lambda x: np.array([round(x * 100)], np.int64)  # noqa: E731
    r = budget_month(fen(cash), fen(debt), fen(limit), fen(480), fen(1440), 0.05, rate)
    return {k: v[0] / 100 if v.dtype != bool else bool(v[0]) for k, v in r.items()}


def test_a_saver_consumes_the_floor_and_a_share_of_cash_above_its_buffer():
    r = settle(10_000)
    assert r["consumption"] == pytest.approx(480 + 0.05 * (10_000 - 1440))  # 908
    assert r["loan"] == r["debt"] == r["interest"] == 0 and not r["hardship"]


def test_a_shortfall_is_borrowed_and_debt_is_repaid_from_later_income_first():
    short = settle(100)  # needs 480, has 100: borrows 380
    assert short["consumption"] == 480 and short["loan"] == 380 and short["debt"] == 380
    later = settle(2000, debt=1000)  # interest 1000 x 0.5% = 5; net 995 is below the buffer: the floor only
    assert later["interest"] == 5 and later["consumption"] == 480
    assert later["repayment"] == 1000 and later["debt"] == 0  # 2,000 - 5 - 480 = 1,515 left: all debt repaid


def test_at_the_limit_consumption_is_cut_and_nothing_beyond_the_limit_is_owed():
    near = settle(0, debt=500)  # interest 2.50; it may borrow 750 - 502.50 = 247.50 more
    assert near["consumption"] == pytest.approx(247.5) and near["hardship"] and near["debt"] == 750
    at = settle(0, debt=750)  # interest 3.75 and no room: nothing consumed, the 3.75 written off
    assert at["consumption"] == 0 and at["written_off"] == pytest.approx(3.75) and at["debt"] == 750


def test_without_informal_credit_consumption_is_what_cash_allows():
    r = settle(100, limit=0.0)
    assert r["consumption"] == 100 and r["loan"] == 0 and r["hardship"]


def no_savings(extra=None):
    cfg = {"village.savings_yuan": {"dist": "constant", "value": 0}, "household_budget.interest_rate_per_month": 0.005,
           "household_budget.borrowing_limit_min_months_of_floor": 0, **(extra or {})}
    return VillageModel(config=tiny(cfg), rng=1)


def test_the_limit_is_at_least_a_few_months_of_the_floor():
    m = no_savings({"household_budget.borrowing_limit_min_months_of_floor": 3})
    m.step()
    assert m.economy.budget.limit_fen.tolist() == [3 * 480_00] * 4  # above 750: 3 x 480


def test_care_the_household_cannot_pay_or_borrow_for_is_forgone():
    """Ill from the start with 1,000 a month out of pocket and no savings: its assessed income is negative
    (2 mu x 650 + 200 - 12 x 1,000), so its limit is 0 (no minimum here). January's 200 of subsidy pays 200 of
    care; the other 800 is forgone (it goes back from the health account) and nothing is left for food."""
    m = no_savings({"village.initial_ill_share": 1.0,  # chronically ill from the start, nothing reimbursed
                    "health.chronic": {"onsets_per_person_year": 0.0, "cost_yuan": {"dist": "constant", "value": 1000},
                                       "spell_months": {"dist": "constant", "value": 24}},
                    "health.basic_insurance.rate": 0.0, "health.serious_illness_insurance.rate": 0.0,
                    "health.medical_assistance.rate": 0.0})
    m.step()
    budget, led = m.economy.budget, m.ledger
    assert (budget.limit_fen == 0).all() and (budget.debt_fen == 0).all() and (led.balance[:4] == 0).all()
    assert led.flows[("medical_care_forgone", "health", "households")] == 4 * 800_00
    assert (led.income_fen[CATEGORY_INDEX["medical"], :4] == -200_00).all()
    assert led.flows[("consumption", "households", "market")] == 0 and budget.hardship_year.all()
    m.run()
    assert m.history[0]["medical_care_forgone_yuan"] > 0 and m.history[0]["ledger_imbalance"] == 0


def test_tiny_village_borrows_for_the_floor_and_books_interest_through_the_ledger():
    m = no_savings()
    budget, led = m.economy.budget, m.ledger
    m.step()  # January: 200 of subsidy, 480 consumed: 280 borrowed
    assert budget.limit_fen.tolist() == [750_00] * 4
    assert (budget.debt_fen == 280_00).all() and (led.balance[:4] == 0).all()
    m.step()  # February: interest 280 x 0.5% = 1.40; room 750 - 281.40 = 468.60 consumed, all borrowed
    assert (budget.debt_fen == 750_00).all()
    assert (led.income_fen[CATEGORY_INDEX["interest"], :4] == -140).all()
    assert led.flows[("informal_interest", "households", "informal_lenders")] == 4 * 140
    assert led.flows[("consumption", "households", "market")] == 4 * (480_00 + 468_60)
    assert budget.hardship_year.all() and led.imbalance_fen() == 0


def test_the_harvest_repays_the_debt_first_and_the_year_reports_it():
    m = no_savings()
    for _ in range(8):
        m.step()  # March-August at the limit: interest 3.75 a month, nothing consumed, the 3.75 written off
    assert (m.economy.budget.debt_fen == 750_00).all()
    m.step()  # September: half the harvest, 650; interest 3.75, the floor 480; 166.25 left repays debt
    assert (m.economy.budget.debt_fen == 750_00 - 166_25).all()
    m.run()
    y = m.history[0]
    assert y["households_in_debt"] == 4 and y["hardship_households"] == 4
    # back at the limit in November (Oct repays 167.08, Nov borrows 331.25 for food): December's interest is
    # written off too, so 7 months of 3.75
    assert y["informal_debt_written_off_yuan"] == pytest.approx(4 * 7 * 3.75)
    assert y["income_per_capita_interest"] == pytest.approx(-y["informal_interest_yuan"] / 8)
    assert y["ledger_imbalance"] == 0


def test_no_household_ends_a_month_below_its_borrowing_limit():
    """Heavy illness costs on the default village: cash never below 0, debt never above the limit."""
    m = VillageModel(rng=4, years=4, health__chronic={
        "onsets_per_person_year": 0.12, "cost_yuan": {"dist": "lognormal", "mean": 3000, "sd": 4000},
        "spell_months": {"dist": "constant", "value": 6}})
    budget, n = m.economy.budget, m.hh.n
    while m.running:
        m.step()
        assert (m.ledger.balance[:n] >= 0).all()
        assert (budget.debt_fen <= budget.limit_fen).all()
        assert m.ledger.imbalance_fen() == 0
    assert (budget.debt_fen > 0).any() and (budget.debt_fen == budget.limit_fen).any()
    net = (m.ledger.balance[:n] - budget.debt_fen) / np.maximum(budget.limit_fen, 1)
    assert net.min() >= -1


def test_the_poor_are_in_debt_more_often_than_others():
    m = VillageModel(rng=2, years=5)
    m.run()
    indebted = m.economy.budget.debt_fen > 0
    poor = m.hh.poor_at_start
    assert indebted[poor].mean() > indebted[~poor].mean()
