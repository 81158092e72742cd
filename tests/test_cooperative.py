"""Cooperative mechanisms worked out by hand on the tiny village.

Tiny village: 4 identical households (2 persons, 2 labour units, 2 mu, savings 10,000); one
cooperative on a cash crop (2,400 revenue, 1,000 cost per mu, one harvest), every household a
member pooling 1 mu (4 mu in all) and buying a 1,000-yuan cash share; field management 300
yuan/mu/yr, at most 1 mu per labour unit (2 mu per household); management 1,400 yuan/yr.
Year's coop accounts: sales 4 x 2,400 = 9,600; running costs 4 x 1,000 + 1,400 = 5,400 (450 a month);
wages 4 mu x 300 = 1,200, to the first two households in hiring order.
"""

import numpy as np
import pytest
from conftest import tiny

from sim.model import VillageModel
from sim.policies.cooperative import allocate_contracts

SALES, COSTS, WAGES = 9600.0, 5400.0, 1200.0


def run_tiny(overrides=None, tweak=None, seed=1):
    model = VillageModel(config=tiny(overrides), rng=seed)
    if tweak:
        tweak(model)
    model.run()
    return model


def hh_income(model):
    """Each household's income in the last closed year (as classified for poverty)."""
    return model.hh.income_per_capita_last_year * model.hh.persons


def test_capable_person_cooperative_rents_land_and_the_owner_keeps_the_profit():
    m = run_tiny({"policies": ["cooperative"]})
    y = m.history[0]
    rent = 4 * 400
    assert y["coop_profit"] == pytest.approx(SALES - COSTS - WAGES - rent)
    assert y["wages_paid"] == pytest.approx(WAGES)
    assert y["land_payments_paid"] == pytest.approx(rent)
    inc = hh_income(m)
    own_farm, subsidy = 1 * 650, 200
    # household 0 is the leader (hiring: most skilled first; ties by index) and takes the profit
    profit = SALES - COSTS - WAGES - rent
    assert inc == pytest.approx([own_farm + subsidy + 600 + 400 + profit, own_farm + subsidy + 600 + 400,
                                 own_farm + subsidy + 400, own_farm + subsidy + 400])
    assert m.ledger.balance_yuan(m.coops.account[0]) == pytest.approx(4000)  # the members' cash shares
    assert y["ledger_imbalance"] == 0


def test_land_shares_pay_dividends_by_share_value_after_reserve_and_collective():
    # all by shares: the cooperative law's 60% by transactions switched off (tested below)
    m = run_tiny({"policies": ["cooperative", "land_shares", "distribution"],
                  "distribution.specialised_min_by_transactions_share": 0.0})
    y = m.history[0]
    profit = SALES - COSTS - WAGES  # no rent: land earns dividends (floor 0)
    assert y["coop_profit"] == pytest.approx(profit)
    members = profit * 0.8  # 10% reserve, 10% collective
    # shares: land 1 mu x 1,000 + cash 1,000 + subsidy 5,000 = 7,000 per household; collective 100,000
    per_household = members * 7000 / 128000
    assert y["dividends_paid"] == pytest.approx(4 * per_household, abs=0.05)
    assert y["collective_income"] == pytest.approx(profit * 0.1 + members * 100000 / 128000, abs=0.05)
    assert y["public_spending"] == pytest.approx(4 * 5000)  # subsidy shares for the 4 registered-poor households
    assert m.hh.registered_poor.all()
    assert y["empty_shell_villages"] == 0
    inc = hh_income(m)
    assert inc[2] == pytest.approx(650 + 200 + per_household, abs=0.01)


def test_a_specialised_cooperative_returns_sixty_percent_of_the_members_surplus_by_transactions():
    """Farmers' Specialised Cooperatives Law art. 44: >= 60% of the distributable surplus by transactions.

    Profit 9,600 - 5,400 - 1,200 = 3,000; members' part 80% = 2,400 (10% reserve, 10% collective).
    By transactions 60% = 1,440, by patronage = pooled mu + field-management mu worked: households 0 and 1
    pooled 1 mu and managed 2 mu (3 each), households 2 and 3 pooled 1 mu (1 each), 8 in all:
    540, 540, 180, 180. By shares 40% = 960 x 7,000 / 128,000 = 52.5 per household (the collective's 100,000
    shares take 750). Dividends 1,440 + 4 x 52.5 = 1,650; household 2 gets 180 + 52.5 = 232.5.
    """
    m = run_tiny({"policies": ["cooperative", "land_shares", "distribution"]})
    y = m.history[0]
    assert y["dividends_paid"] == pytest.approx(1650, abs=0.05)
    assert hh_income(m)[2] == pytest.approx(650 + 200 + 232.5, abs=0.01)
    assert hh_income(m)[0] - hh_income(m)[2] == pytest.approx(540 - 180 + 600, abs=0.01)  # + 2 mu of wages
    collective = run_tiny({"policies": ["cooperative", "land_shares", "distribution"],
                           "cooperatives.0.type": "mutual_aid"})  # a collective enterprise: all by shares
    assert collective.history[0]["dividends_paid"] < 1650


def test_guaranteed_floor_is_paid_per_mu_before_the_surplus():
    m = run_tiny({"policies": ["cooperative", "land_shares", "distribution"],
                  "land_shares.guaranteed_floor_yuan_per_mu_year": 300})
    y = m.history[0]
    assert y["land_payments_paid"] == pytest.approx(4 * 300)
    assert y["coop_profit"] == pytest.approx(SALES - COSTS - WAGES - 1200)


def test_assistance_fund_takes_five_percent_and_pays_ill_households_poorest_first():
    m = run_tiny({"policies": ["cooperative", "land_shares", "distribution", "assistance_fund"],
                  "distribution.specialised_min_by_transactions_share": 0.0,  # all by shares
                  "village.initial_ill_share": 1.0,
                  "health.chronic.spell_months": {"dist": "constant", "value": 24},
                  "health.chronic.cost_yuan": {"dist": "constant", "value": 0}})
    y = m.history[0]
    profit = SALES - COSTS - WAGES
    fund = 0.05 * profit
    assert y["assistance_paid"] == pytest.approx(fund)
    # households 2 and 3 earned no wages, so they are poorest; 2 comes first and the fund (160 < cap) all goes to it
    inc = hh_income(m)
    members = (profit - fund) * 0.8
    dividend = members * 7000 / 128000
    assert inc[2] == pytest.approx(650 + 200 + dividend + fund, abs=0.01)
    assert inc[3] == pytest.approx(650 + 200 + dividend, abs=0.01)


def test_wage_contracting_gives_field_work_to_poor_households_first():
    def mark_only_last_poor(model):
        model.hh.registered_poor[:] = [False, False, False, True]

    off = run_tiny({"policies": ["cooperative"]}, tweak=mark_only_last_poor)
    on = run_tiny({"policies": ["cooperative", "wage_contracting"]}, tweak=mark_only_last_poor)
    assert off.hh.contract_mu.tolist() == [2, 2, 0, 0]
    assert on.hh.contract_mu.tolist() == [2, 0, 0, 2]  # the poor household first, then by need (ties by index)
    wages_on = on.flows_history[0]["flows"][("coop_wage", "coop:0:coop", "households")] / 100
    assert wages_on == pytest.approx(WAGES)
    # monthly: 2 mu x 300 / 12 = 50 yuan a month to household 3
    assert on.history[0]["wages_paid"] == pytest.approx(WAGES)


def test_wages_are_paid_monthly():
    model = VillageModel(config=tiny({"policies": ["cooperative", "wage_contracting"]}), rng=1)
    paid = []
    for _ in range(3):
        model.step()
        paid.append(model.coops.wages_year[0])
    assert paid == pytest.approx([100, 200, 300])  # 4 mu x 300 / 12 each month


def test_allocate_contracts_fills_capacity_in_priority_order():
    got = allocate_contracts(5.0, np.array([10, 11, 12, 13]), np.array([2.0, 2.0, 2.0, 2.0]),
                             np.array([3.0, 1.0, 2.0, 1.0]))
    assert got.tolist() == [0.0, 2.0, 1.0, 2.0]  # 11 and 13 (key 1, by index), then 12 gets the last mu
