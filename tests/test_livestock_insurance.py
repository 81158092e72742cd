"""Policy livestock insurance (issue 15 item 2), by hand on the tiny village: 4 households each start one line of
pigs from savings in March (3,000 yuan, six months to sale in September; household lines: test_household_business.py).
Premium 6% of 3,000 = 180, the public pays 80% (144), the household 36."""

import numpy as np
import pytest
from conftest import tiny

from sim.ledger import CATEGORY_INDEX
from sim.model import VillageModel


def pigs(failure):
    return {"pigs": {"net_return_per_yuan": 0.25, "failure_probability": failure, "salvage_share": 0.4,
                     "months_to_sale": 6, "choice_share": 1.0}}


def insured_model(failure, policies=("livestock_insurance",), extra=None):
    cfg = tiny({"policies": list(policies), "village.savings_yuan": {"dist": "constant", "value": 10_000},
                "household_business": {"enabled": True, "start_probability_per_year": 1.0,
                                       "credit_lines": pigs(failure)}, **(extra or {})})
    return VillageModel(config=cfg, rng=8).run()


def test_a_failed_line_is_paid_its_insured_amount_less_the_salvage_at_its_sale_month():
    """Every line fails: the salvage brings 0.4 x 3,000 = 1,200 in September and the insurer pays 3,000 - 1,200 =
    1,800. Farm income: 2 x 650 of crops, -3,000 + 1,200 + 1,800 for the pigs, -36 of premium = 1,264."""
    m = insured_model(failure=1.0)
    farm = m.last_income_fen[CATEGORY_INDEX["farm"]] / 100
    assert farm.tolist() == pytest.approx([2 * 650 - 3000 + 1200 + 1800 - 36] * 4)
    y = m.history[0]
    assert y["livestock_insured_lines"] == 4 and y["livestock_indemnity_yuan"] == pytest.approx(4 * 1800)
    assert y["public_spending"] == pytest.approx(4 * 144) and y["ledger_imbalance"] == 0


def test_a_line_that_does_not_fail_pays_only_the_premium():
    """No failure: 3,000 x 1.25 = 3,750 at the sale, no indemnity; farm income 1,300 + 750 - 36."""
    m = insured_model(failure=0.0)
    farm = m.last_income_fen[CATEGORY_INDEX["farm"]] / 100
    assert farm.tolist() == pytest.approx([2 * 650 + 750 - 36] * 4)
    assert m.history[0]["livestock_indemnity_yuan"] == 0


def test_a_funding_line_subsidises_lines_until_its_share_is_spent():
    """A 300-yuan line subsidises two lines (2 x 144 = 288); the other two start uninsured."""
    line = {"name": "ins", "budget_yuan": 300, "lines": {"livestock_insurance": 300}}
    m = insured_model(failure=1.0, extra={"funding": line})
    y = m.history[0]
    assert y["livestock_insured_lines"] == 2 and y["livestock_indemnity_yuan"] == pytest.approx(2 * 1800)


def test_insurance_moves_no_other_mechanism_s_draws():
    """The insurance draws nothing: on the default village, switched on or off, the same lines start in the first
    year (later, indemnities leave some households the cash to start more: behaviour, not draws), and illness and
    migration follow the same draws."""
    on = VillageModel(rng=5, years=3, policies=["livestock_insurance"]).run()
    off = VillageModel(rng=5, years=3, policies=[]).run()
    assert on.history[0]["household_lines_started"] == off.history[0]["household_lines_started"] > 0
    assert np.array_equal(on.hh.ill, off.hh.ill) and np.array_equal(on.hh.migrant_units, off.hh.migrant_units)
    assert on.history[0]["livestock_insured_lines"] == on.history[0]["household_lines_started"]
