"""Village processing workshops (sim/policies/processing_workshop.py) on the tiny village (tests/conftest.py): the
cooperative harvests 4 mu x 2,400 = 9,600 yuan of cash crop in July; its workshop processes half, 4,800 yuan, which
sells for 30% more (1,440) and costs 10% in materials (480); it needs 2 days per 1,000 yuan, 9.6 days, at 70 yuan a
day (672), offered to the registered poor first, up to 10 days per labour unit (20 per household).

Household 2 (registered poor) works all 9.6 days: 672 yuan of wages. The cooperative's year: 1,400
(tests/test_reserve.py) + 1,440 - 480 - 672 = 1,688.
The building, 300,000 yuan, is public money paid on to the builders."""

import numpy as np
import pytest
from conftest import tiny

from sim.ledger import CATEGORY_INDEX
from sim.model import VillageModel


def run(extra=None, poor=(False, False, True, False), fit=None) -> VillageModel:
    m = VillageModel(config=tiny({"policies": ["cooperative", "processing_workshop"], **(extra or {})}), rng=1)
    m.hh.registered_poor[:] = poor
    if fit is not None:
        m.funder.fit = fit
    return m.run()


def workshop_wages(m) -> np.ndarray:
    return m.last_income_fen[CATEGORY_INDEX["wage"]] / 100 - m.hh.contract_mu * 300  # less field management


def test_the_workshop_adds_value_and_pays_the_poor_first():
    m = run()
    y = m.history[0]
    assert workshop_wages(m).tolist() == pytest.approx([0, 0, 672, 0])
    assert y["workshop_value_added_yuan"] == pytest.approx(1440) and y["workshop_wages_yuan"] == pytest.approx(672)
    assert y["coop_profit"] == pytest.approx(1688)
    assert y["workshops"] == 1
    assert y["ledger_imbalance"] == 0


def test_the_building_is_public_money():
    m = run()
    assert m.ledger.total_fen[m.ledger.source_index["workshop_construction"]] == 2 * 300_000 * 100  # in and on
    assert m.history[0]["public_spending"] >= 300_000


def test_days_beyond_the_poor_household_go_to_the_others_in_order():
    """At most 2 days per labour unit (4 a household): household 2 works 4, then household 0 4 and household 1 1.6."""
    m = run({"processing_workshop.days_per_labour_unit_month": 2})
    assert workshop_wages(m).tolist() == pytest.approx([280, 112, 280, 0])


def test_days_nobody_in_the_village_can_work_are_hired_from_outside():
    """No room for anyone: the 672 yuan of labour goes to outside workers; the cooperative's profit is the same."""
    m = run({"processing_workshop.days_per_labour_unit_month": 0})
    assert workshop_wages(m).tolist() == pytest.approx([0, 0, 0, 0])
    assert m.history[0]["coop_profit"] == pytest.approx(1688)


def test_without_the_money_for_the_building_there_is_no_workshop():
    m = run(fit=lambda line, amounts, allowance=None: np.zeros(np.asarray(amounts).size, bool))
    y = m.history[0]
    assert y["workshops"] == 0 and y["workshop_value_added_yuan"] == 0 and y["coop_profit"] == pytest.approx(1400)


def test_the_pro_forma_profit_counts_the_workshop():
    """coop_life's pro-forma: half of 9,600 processed nets 30% - 10% - 2 x 70 / 1,000 = 6%: 288 yuan."""
    m = run()
    assert m.coops.expected_other_income_yuan[0] == pytest.approx(288)


def test_processing_days_are_per_thousand_yuan_at_start_year_prices():
    """With prices up 10% the harvest is worth 10,560 and half of it 5,280, but it is the same crop: 9.6 days,
    paid 70 x 1.1 = 77 a day (739.20)."""
    m = run({"economy.nominal_growth_per_year": 0.1, "years": 2})
    assert m.history[1]["workshop_wages_yuan"] == pytest.approx(9.6 * 77)
