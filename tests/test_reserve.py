"""The reserve (公积金, sim/policies/reserve.py) on the tiny village (tests/conftest.py): one capable-person-led
cooperative farming 4 pooled mu of cash crop; each of the 4 member households holds a 1,000-yuan cash share.

A normal year: sales 4 x 2,400 = 9,600; costs 4 x 1,000 + 1,400 = 5,400; wages 4 x 300 = 1,200; rent 4 x 400 =
1,600; profit 1,400. With revenue 1,000 yuan/mu: sales 4,000, loss 4,200."""

import numpy as np
import pytest
from conftest import tiny

from sim.model import VillageModel

POLICIES = ["cooperative", "distribution", "reserve"]


def model(reserve_yuan: float, revenue: float = 2400, extra=None) -> VillageModel:
    cfg = tiny({"policies": POLICIES, "crop_lines.cash_crop.revenue_yuan_per_mu_year": revenue, **(extra or {})})
    m = VillageModel(config=cfg, rng=1)
    m.ledger.transfer(m.acct_market, m.policy("reserve").accounts[0], reserve_yuan, "reserve")
    return m


def reserve_yuan(m) -> float:
    return m.ledger.balance[m.policy("reserve").accounts[0]] / 100


def test_the_reserve_pays_back_a_loss_as_far_as_it_holds_money():
    """Loss 4,200, reserve 3,000: it pays 3,000 back and is empty; 1,200 stays a loss: a losing year."""
    m = model(3000, revenue=1000).run()
    assert m.history[0]["coop_profit"] == pytest.approx(-4200)
    assert m.history[0]["reserve_drawdown_yuan"] == pytest.approx(3000)
    assert reserve_yuan(m) == 0
    assert m.coops.loss_years[0] == 1
    assert m.history[0]["ledger_imbalance"] == 0


def test_a_loss_the_reserve_covers_in_full_is_not_a_losing_year():
    """Loss 4,200, reserve 5,000: it pays 4,200 and keeps 800; the failure rule sees no loss."""
    m = model(5000, revenue=1000).run()
    assert m.history[0]["reserve_drawdown_yuan"] == pytest.approx(4200)
    assert reserve_yuan(m) == pytest.approx(800)
    assert m.coops.loss_years[0] == 0


def test_without_loss_absorption_the_reserve_stays_put():
    m = model(5000, revenue=1000, extra={"reserve.absorb_losses": False}).run()
    assert m.history[0]["reserve_drawdown_yuan"] == 0 and reserve_yuan(m) == 5000 and m.coops.loss_years[0] == 1


def test_dividends_are_topped_up_to_the_floor_by_shares():
    """Past dividends 800 and 600 (mean 700) x floor 0.5 = 350; this year 100 was paid: 250 from the reserve
    (1,000 held), 62.50 to each of the four equal shareholders; 750 stays in the reserve."""
    m = model(1000)
    r = m.policy("reserve")
    r.past_dividends = np.array([[800.0], [600.0]])
    m.coops.dividends_year[0] = 100.0
    before = m.ledger.household_balance_yuan.copy()
    r.pay_assistance()
    assert (m.ledger.household_balance_yuan - before).tolist() == pytest.approx([62.5] * 4)
    assert r.topup_year[0] == pytest.approx(250) and m.coops.dividends_year[0] == pytest.approx(350)
    assert reserve_yuan(m) == pytest.approx(750)
    assert r.past_dividends[-1, 0] == 100  # the year's own dividends, before the top-up, feed the average


def test_no_top_up_above_the_floor_or_in_the_first_year():
    m = model(1000)
    r = m.policy("reserve")
    m.coops.dividends_year[0] = 100.0
    r.pay_assistance()  # no past years: no floor yet
    r.pay_assistance()  # past mean 100 x 0.5 = 50 < 100 paid
    assert r.topup_year[0] == 0 and reserve_yuan(m) == 1000
