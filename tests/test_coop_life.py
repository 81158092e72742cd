"""The cooperative's life (sim/policies/coop_life.py), worked out by hand on the tiny village.

Tiny village (tests/conftest.py): 4 households of 2 persons with 10,000 yuan of savings each, all members of
one capable-person-led cooperative pooling 1 mu each (4 mu of a cash crop, one harvest, no shocks) and each
paying a 1,000-yuan cash share (savings above the buffer of 2 persons x 240 x 3 months = 1,440 cover it).
Accounts at the default revenue: sales 4 x 2,400 = 9,600; running costs 4 x 1,000 + 1,400 = 5,400; wages
4 x 300 = 1,200; rent 4 x 400 = 1,600.
"""

import numpy as np
import pytest
from conftest import tiny

from sim.model import VillageModel


def model(overrides=None):
    """The tiny village; the expected profit judged on the last year's shock alone, from the first year."""
    return VillageModel(config=tiny({"policies": ["cooperative"], "coop_life.expectation_years": 1,
                                     **(overrides or {})}), rng=1)


def run_years(m, years):
    for _ in range(12 * years):
        m.step()
    return m


def test_losses_beyond_equity_wind_the_cooperative_up():
    """Revenue 100 a mu: profit 400 - 5,400 - 1,200 - 1,600 = -7,800 against an equity of the 4,000 of cash
    shares: -3,800 at the year end, so it fails at once; nothing is left to refund, the land goes back."""
    m = run_years(model({"years": 2, "crop_lines.cash_crop.revenue_yuan_per_mu_year": 100}), 2)
    assert m.ledger.balance_yuan(m.coops.account[0]) == pytest.approx(-3800)
    assert m.coops.failed[0] and not m.coops.active[0] and not m.coops.dormant[0]
    assert m.history[0]["coop_insolvent"] == 1 and m.history[0]["coop_failed"] == 1
    assert (m.hh.coop == -1).all() and (m.hh.pooled_land_mu == 0).all()
    assert m.history[1]["coop_profit"] == 0 and m.history[1]["wages_paid"] == 0


def test_expected_losses_with_equity_left_make_a_shell_struck_off_after_two_idle_years():
    """Revenue 1,500 a mu: profit 6,000 - 5,400 - 1,200 - 1,600 = -2,200; equity 4,000 - 2,200 = 1,800 >= 0,
    so it does not fail, but the expected profit 4 x (1,500 - 1,000 - 300 - 400) - 1,400 = -2,200 < 0: it stops
    operating (a shell) and its members farm their land again. With the clean-up from 2016 it is struck off
    at the end of 2017, its second idle year, refunding 1,800 / 4 = 450 to each shareholder."""
    m = run_years(model({"years": 3, "crop_lines.cash_crop.revenue_yuan_per_mu_year": 1500,
                         "coop_life.clean_up_year": 2016}), 3)
    h = m.history
    assert h[0]["coop_profit"] == pytest.approx(-2200)
    assert (h[0]["coop_suspended"], h[0]["coop_dormant"], h[0]["coop_insolvent"]) == (1, 1, 0)
    assert (h[1]["coop_dormant"], h[1]["coop_sales"], h[1]["coop_deregistered"]) == (1, 0, 0)
    assert (h[2]["coop_deregistered"], h[2]["coop_dormant"], h[2]["coop_failed"]) == (1, 0, 0)
    assert m.coops.deregistered[0] and not m.coops.failed[0]
    assert m.flows_history[2]["flows"][("share_refund", "coop:0:coop", "households")] == 180000  # fen
    assert h[2]["ledger_imbalance"] == 0


def test_a_shell_resumes_when_the_expected_profit_turns_positive():
    """Suspended after 2015 (as above). In 2016 the line's shock is 2, so the expected profit is
    4 x (1,500 x 2 - 1,700) - 1,400 = 3,800 > 0, and it operates again in 2017, its members pooling their land
    again. Judged on two years (the default), a young cooperative is not stopped after its first year."""
    m = run_years(model({"years": 3, "crop_lines.cash_crop.revenue_yuan_per_mu_year": 1500}), 1)
    m.step()  # January 2016: the year's shocks are drawn
    m.coops.shock[0] = 2.0
    run_years(m, 1)
    assert m.history[1]["coop_revived"] == 1 and m.coops.active[0] and not m.coops.dormant[0]
    assert m.hh.pooled_land_mu.tolist() == pytest.approx([1.0] * 4)
    young = run_years(model({"years": 1, "crop_lines.cash_crop.revenue_yuan_per_mu_year": 1500,
                             "coop_life.expectation_years": 2}), 1)
    assert young.coops.active[0] and young.history[0]["coop_suspended"] == 0


def test_fewer_than_five_members_trading_make_a_shell():
    """Farmers' Specialised Cooperatives Law art. 12: five members. The tiny village has four."""
    m = run_years(model({"years": 1, "coop_life.min_members": 5}), 1)
    assert m.history[0]["coop_profit"] > 0 and m.history[0]["coop_suspended"] == 1 and m.coops.dormant[0]


def test_the_leaders_stake_comes_from_savings_above_the_buffer_and_a_bank_loan_with_interest():
    """Stake 20,000. The leader (household 0) first pays a member's 1,000 share: 9,000 left, 7,560 above the
    1,440 buffer go in; the other 12,440 are lent at 4.35% a year, repaid over 3 years: 1,244,000 / 36 =
    34,555.6 -> 34,556 fen of principal a month, interest 0.3625% a month on what is outstanding."""
    m = run_years(model({"years": 1, "cooperatives.0.leader_cash_yuan": 20000}), 1)
    assert m.hh.cash_share_yuan[0] == pytest.approx(21000)
    assert m.ledger.balance_yuan(m.coops.account[0]) > 0
    outstanding = [1244000 - j * 34556 for j in range(12)]
    interest = sum(np.rint(o * 0.0435 / 12) for o in outstanding) / 100
    assert m.history[0]["stake_loan_interest_yuan"] == pytest.approx(interest)  # ~458 yuan
    assert m.history[0]["stake_loans_yuan"] == pytest.approx((1244000 - 12 * 34556) / 100)
    assert m.last_income_fen.sum() > 0 and m.history[0]["ledger_imbalance"] == 0


def test_pro_poor_hiring_costs_output_where_the_poor_are_less_skilled():
    """Skills 1.5, 1.5, 0.5, 0.5; households 2 and 3 registered poor. Skill first, households 0 and 1 manage
    the 4 mu: yield factor 1 + 0.3 x (4 x 0.5) / 4 = 1.15, sales 9,600 x 1.15 = 11,040. Poor first: 0.85, 8,160."""
    def skills(m):
        m.hh.skill[:] = [1.5, 1.5, 0.5, 0.5]
        m.hh.registered_poor[:] = [False, False, True, True]

    sales = {}
    for name, policies in (("skill", ["cooperative"]), ("poor", ["cooperative", "wage_contracting"])):
        m = model({"years": 1, "policies": policies})
        skills(m)
        sales[name] = run_years(m, 1).history[0]["coop_sales"]
    assert sales == pytest.approx({"skill": 11040, "poor": 8160})
