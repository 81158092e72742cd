"""Policy crop insurance (sim/policies/crop_insurance.py) on the tiny village (tests/conftest.py): one
capable-person-led cooperative farming 4 pooled mu of cash crop (cost 1,000 yuan/mu); each of the 4 households
keeps 1 mu of grain (cost 450 yuan/mu) as its own farm. Premium rate 6%, subsidy 75%, trigger 30%, full from 70%.

Insured: the cooperative 4 x 1,000 = 4,000 yuan, premium 240, of which the public pays 180 and the cooperative 60;
each household 1 x 450 = 450 yuan, premium 27.00, public 20.25, household 6.75.
A normal year's cooperative profit (tests/test_reserve.py) is 1,400; with the premium 1,340."""

import numpy as np
import pytest
from conftest import tiny

from sim.ledger import CATEGORY_INDEX
from sim.model import VillageModel

POLICIES = ["cooperative", "crop_insurance"]


def run(coop_shock: float | None = None, household_shock: float | None = None, extra=None) -> VillageModel:
    """One year; the year's shocks set by hand after January's draws (the tiny village has none)."""
    m = VillageModel(config=tiny({"policies": POLICIES, **(extra or {})}), rng=1)
    m.step()  # January: the year opens, premiums are paid
    if coop_shock is not None:
        m.coops.shock[0] = coop_shock
    if household_shock is not None:
        m.economy.shock[:] = household_shock
    return m.run()


def test_premiums_split_between_the_insured_and_the_public_purse():
    m = run()
    y = m.history[0]
    assert y["insurance_premium_paid_yuan"] == pytest.approx(60 + 4 * 6.75)
    assert y["insurance_premium_subsidy_yuan"] == pytest.approx(180 + 4 * 20.25)
    assert y["insurance_indemnity_yuan"] == 0  # no loss
    assert y["coop_profit"] == pytest.approx(1340)
    assert y["ledger_imbalance"] == 0


def test_a_loss_past_the_trigger_is_paid_as_insured_amount_times_loss():
    """Cooperative shock 0.6: sales 4 x 2,400 x 0.6 = 5,760; loss 40% >= 30%: indemnity 4,000 x 0.4 = 1,600;
    profit 5,760 + 1,600 - (5,400 + 1,200 + 1,600 + 60) = -900 (uninsured it would be -2,440)."""
    m = run(coop_shock=0.6)
    assert m.coops.sales_year[0] == pytest.approx(5760)
    assert m.coops.other_income_year[0] == pytest.approx(1600)
    assert m.history[0]["coop_profit"] == pytest.approx(-900)


def test_a_loss_under_the_trigger_is_not_paid_and_a_near_total_loss_is_paid_in_full():
    """Household shock 0.75 (loss 25%): nothing. Shock 0.2 (loss 80% >= 70%): the whole 450 yuan each."""
    assert run(household_shock=0.75).history[0]["insurance_indemnity_yuan"] == 0
    m = run(household_shock=0.2)
    assert m.history[0]["insurance_indemnity_yuan"] == pytest.approx(4 * 450)
    flows = {k: v for k, v in m.last_flows.items() if k[0] == "insurance_indemnity"}
    assert sum(flows.values()) == 4 * 450 * 100


def test_households_pay_their_share_as_a_farm_cost():
    """Farm income of each household falls by its 6.75 share of the premium and rises by the 450 indemnity."""
    base = VillageModel(config=tiny({"policies": ["cooperative"]}), rng=1)
    base.step()
    base.economy.shock[:] = 0.2
    base.run()
    m = run(household_shock=0.2)
    farm = CATEGORY_INDEX["farm"]
    diff = (m.last_income_fen[farm] - base.last_income_fen[farm]) / 100
    assert diff.tolist() == pytest.approx([450 - 6.75] * 4)


def test_a_funding_line_that_cannot_pay_leaves_the_rest_uninsured():
    """With the line's allowance for 180 + 2 x 20.25 = 220.50 yuan: the cooperative and two households are insured."""
    m = VillageModel(config=tiny({"policies": POLICIES}), rng=1)
    ins = m.policy("crop_insurance")
    m.funder.fit = lambda line, amounts, allowance=None: np.cumsum(np.rint(np.asarray(amounts) * 100)) <= 22050
    m.step()
    assert ins.coop_insured_yuan.tolist() == [4000]
    assert ins.hh_insured_yuan.tolist() == [450, 450, 0, 0]


def test_trigger_above_full_is_refused():
    with pytest.raises(ValueError, match="full_loss_share"):
        tiny({"crop_insurance.trigger_loss_share": 0.8, "crop_insurance.full_loss_share": 0.7})
