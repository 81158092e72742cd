"""Joint cooperatives (sim/policies/joint_cooperative.py) on the tiny village (tests/conftest.py) with two cooperatives
of one township: "a" farms 2 mu of cash crop (2,400 yuan/mu at a shock of one), "b" 2 mu of grain (1,100 yuan/mu);
households 0-1 are a's members, 2-3 b's, each pooling 1 mu.

Risk pool, shocks 0.5 (a) and 1.2 (b): expected sales E = 4,800 and 2,200 (sum 7,000); shock effects
d = 4,800 x -0.5 = -2,400 and 2,200 x 0.2 = +440 (sum -1,960). a gets 4,800/7,000 x -1,960 + 2,400 = 1,056 from the
pool, b pays 2,200/7,000 x -1,960 - 440 = -1,056: both now lose 28% of expected sales (-1,344 and -616).

Marketing: sales 4,800 x 0.5 = 2,400 and 2,200 x 1.2 = 2,640 (5,040); the 5% gain is 120 + 132 = 252; the running
cost 100 per member, 200; the 52 left goes back by sales: a 2,400/5,040 x 52 = 24.76, b 27.23 (fen rounded down)."""

import numpy as np
import pytest
from conftest import tiny

from sim.model import VillageModel
from sim.policies.joint_cooperative import pool_transfers_yuan


def two_coops(extra=None) -> VillageModel:
    spec = {"type": "capable_person_led", "leader_cash_yuan": 0}
    cfg = tiny({"policies": ["cooperative", "joint_cooperative"],
                "cooperatives": [{"name": "a", "line": "cash_crop", **spec}, {"name": "b", "line": "grain", **spec}],
                "joint_cooperative.running_cost_yuan_per_member_year": 100, **(extra or {})})
    m = VillageModel(config=cfg, rng=1)
    m.hh.coop[:] = [0, 0, 1, 1]
    m.hh.pooled_land_mu[:] = 1.0
    m.coops.shock[:] = [0.5, 1.2]
    m.coops.sales_year[:] = [2400, 2640]
    return m


def coop_cash(m) -> np.ndarray:
    return m.ledger.balance[m.coops.account] / 100


def test_the_pool_shares_the_shocks_by_expected_sales():
    m = two_coops()
    jc, before = m.policy("joint_cooperative"), coop_cash(m)
    jc._pool(m.coops.active)
    assert (coop_cash(m) - before).tolist() == pytest.approx([1056, -1056])
    assert m.coops.other_income_year.tolist() == pytest.approx([1056, -1056])
    assert jc.pool_year.tolist() == pytest.approx([1056, -1056])
    assert m.ledger.imbalance_fen() == 0


def test_the_joint_sale_returns_its_gain_net_of_running_cost_by_sales():
    m = two_coops()
    jc, before = m.policy("joint_cooperative"), coop_cash(m)
    jc._market(m.coops.active)
    assert jc.gain_year.tolist() == pytest.approx([120, 132])
    assert (coop_cash(m) - before).tolist() == pytest.approx([24.76, 27.23])
    assert m.ledger.balance[jc.account[0]] == 1  # one fen left by rounding down stays with the joint cooperative


def test_a_running_cost_above_the_gain_is_paid_by_the_members_by_sales():
    """Running cost 1,000 each: 252 - 2,000 = -1,748; a's share -832.381, b's -915.619, rounded down to the fen:
    a pays 832.39, b 915.62."""
    m = two_coops({"joint_cooperative.running_cost_yuan_per_member_year": 1000})
    jc, before = m.policy("joint_cooperative"), coop_cash(m)
    jc._market(m.coops.active)
    assert (coop_cash(m) - before).tolist() == pytest.approx([-832.39, -915.62])


def test_pool_transfers_add_to_zero_and_vanish_for_a_common_shock():
    e = np.array([100.0, 300.0, 600.0])
    t = pool_transfers_yuan(e, np.array([-50.0, 30.0, 80.0]), 1.0)
    assert t.sum() == pytest.approx(0)
    assert pool_transfers_yuan(e, e * -0.2, 1.0) == pytest.approx(np.zeros(3))  # the township's own shock stays
    assert pool_transfers_yuan(e, np.array([-50.0, 30.0, 80.0]), 0.5) == pytest.approx(t / 2)


def test_a_whole_year_runs_with_the_pool_in_the_profit():
    """A whole year on the tiny village (one cooperative, one township): the pool has nothing to share; the gain,
    5% of 9,600 = 480, less the 100 running cost is the cooperative's other income, in its profit (1,400 + 380)."""
    m = VillageModel(config=tiny({"policies": ["cooperative", "joint_cooperative"],
                                  "joint_cooperative.running_cost_yuan_per_member_year": 100}), rng=1).run()
    y = m.history[0]
    assert y["joint_marketing_gain_yuan"] == pytest.approx(480) and y["risk_pool_net_yuan"] == 0
    assert y["coop_profit"] == pytest.approx(1780)
    assert y["ledger_imbalance"] == 0


def test_the_pro_forma_profit_counts_the_joint_sale():
    """coop_life's pro-forma, one cooperative farming 4 mu of cash crop: 5% of 9,600 less the 100 running cost: 380."""
    m = VillageModel(config=tiny({"policies": ["cooperative", "joint_cooperative"],
                                  "joint_cooperative.running_cost_yuan_per_member_year": 100}), rng=1).run()
    assert m.coops.expected_other_income_yuan[0] == pytest.approx(380)


def test_the_pool_shares_within_each_township_of_a_county_and_not_across():
    """Four villages, two per township, one cooperative each: each township's members' pool transfers add to zero
    (to the fen left by rounding), the members of one township end with the same relative shock effect, and a
    township's pool never pays the other's."""
    from sim.config import load_config

    county = {"villages": 4, "villages_per_township": 2, "households": {"dist": "constant", "value": 60}}
    cfg = load_config(None, {"county": county, "years": 1, "joint_cooperative.price_gain_share": 0.0,
                             "joint_cooperative.running_cost_yuan_per_member_year": 0.0,
                             "policies": ["cooperative", "distribution", "joint_cooperative"]})
    m = VillageModel(config=cfg, rng=5)
    while m.month_of_year != 11 or m.month == 0:
        m.step()
    jc, c = m.policy("joint_cooperative"), m.coops
    before = c.other_income_year.copy()
    jc.pay()
    net = c.other_income_year - before
    town = m.vill.township_key[c.village]
    assert len(set(town.tolist())) == 2
    for t in set(town.tolist()):
        mine = town == t
        assert abs(net[mine].sum()) < 0.05
        land = m.policy("cooperative").land_mu()[mine]
        revenue = np.array([m.config.crop_lines[name].revenue_yuan_per_mu_year for name in np.array(c.line)[mine]])
        expected = land * revenue * m.price_index * c.productivity[mine]
        after = (expected * (c.shock[mine] - 1) + net[mine]) / expected
        assert after == pytest.approx(np.full(mine.sum(), after.mean()), abs=1e-6)
    assert np.ptp(c.shock) > 0 and np.abs(net).max() > 0
