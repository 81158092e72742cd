"""The household economy, worked out by hand on the tiny village (4 identical households, no shocks)."""

import numpy as np
import pytest
from conftest import tiny

from sim.ledger import CATEGORY_INDEX
from sim.model import VillageModel
from sim.run import simulate


def test_own_farm_income_is_land_times_net_yield_times_skill():
    run = simulate(tiny(), seed=3)
    # 2 mu x (1,100 - 450) yuan/mu x skill 1 x full effort, over two harvests; 2 persons
    assert run.yearly.income_per_capita_farm.iloc[0] == pytest.approx(2 * 650 / 2)


def test_farm_subsidy_and_no_other_income_when_no_work_is_found():
    run = simulate(tiny(), seed=3)
    y = run.yearly.iloc[0]
    assert y.income_per_capita_transfer == pytest.approx(2 * 100 / 2)  # 100 yuan/mu on 2 mu
    assert y.income_per_capita_wage == 0
    assert y.mean_income_per_capita == pytest.approx(650 + 100)


def test_local_wage_when_always_employed():
    run = simulate(tiny({"economy.local_employment_probability_per_month": 1.0}), seed=3)
    # 2 units x 22 days = 44 days; own farm needs 2 mu x 18/12 = 3 days; 41 spare, half worked at 75 yuan
    monthly = (44 - 3) * 0.5 * 75
    assert run.yearly.income_per_capita_wage.iloc[0] == pytest.approx(12 * monthly / 2)


def test_remittances_from_migrant_labour():
    # the fixed remittance per migrant (demography off; with it, tests/test_demography.py)
    run = simulate(tiny({"village.migrant_share_of_labour": 1.0, "demography.enabled": False}), seed=3)
    y = run.yearly.iloc[0]
    assert y.income_per_capita_remittance == pytest.approx(2 * 900 * 12 / 2)
    # nobody at home: the farm gets no labour and yields nothing
    assert y.income_per_capita_farm == 0


def test_households_without_labour_get_no_allowance_from_the_economy_itself():
    """The unconditional allowance for households without labour is gone: only the land subsidy is paid
    (means-tested assistance is the dibao policy's, tests/test_dibao.py)."""
    run = simulate(tiny({"village.working_age_share": 0.0}), seed=3)
    y = run.yearly.iloc[0]
    assert y.income_per_capita_transfer == pytest.approx(100)  # 100 yuan/mu x 2 mu / 2 persons
    assert y.income_per_capita_farm == 0


def test_illness_costs_net_of_insurance_and_takes_a_labour_unit():
    """A chronic spell of 1,000 yuan a month all year: 12,000; in-policy 9,000; basic insurance
    0.75 x (9,000 - 500) = 6,375; serious-illness insurance 0.5 x (9,000 - 6,375 - 10,000 < 0) = 0;
    out of pocket 12,000 - 6,375 = 5,625 a household, 2,812.5 per person."""
    cfg = tiny({"village.initial_ill_share": 1.0,
                "health.chronic.spell_months": {"dist": "constant", "value": 24},
                "health.chronic.cost_yuan": {"dist": "constant", "value": 1000},
                "economy.local_employment_probability_per_month": 1.0})
    model = VillageModel(config=cfg, rng=5)
    model.run()
    y = model.history[0]
    assert y["income_per_capita_medical"] == pytest.approx(-5625 / 2)
    # one of two labour units is lost: 22 days available, 3 for the farm, 19 spare, half worked
    assert y["income_per_capita_wage"] == pytest.approx(12 * (22 - 3) * 0.5 * 75 / 2)
    assert model.hh.ill.all()


def test_illness_spell_ends_on_its_scheduled_month():
    cfg = tiny({"years": 2, "village.initial_ill_share": 1.0,
                "health.chronic.spell_months": {"dist": "constant", "value": 3},
                "health.chronic.cost_yuan": {"dist": "constant", "value": 1000},
                "health.basic_insurance.rate": 0.0})
    model = VillageModel(config=cfg, rng=5)
    for _ in range(3):  # months 0, 1, 2: ill
        model.step()
    assert model.hh.ill.all()
    model.step()  # month 3: the recovery event fires before the month's body
    assert not model.hh.ill.any()
    model.run()
    assert model.history[0]["income_per_capita_medical"] == pytest.approx(-3 * 1000 / 2)


def test_poverty_status_follows_the_line():
    low = simulate(tiny({"poverty_line.yuan_per_person_year": {2015: 751}}), seed=1).yearly.iloc[0]
    high = simulate(tiny({"poverty_line.yuan_per_person_year": {2015: 749}}), seed=1).yearly.iloc[0]
    assert low.poverty_headcount_ratio == 1.0 and low.poor_households == 4
    assert low.poverty_gap_index == pytest.approx((751 - 750) / 751)
    assert high.poverty_headcount_ratio == 0.0


def test_household_income_by_source_is_what_the_ledger_paid():
    model = VillageModel(config=tiny({"economy.local_employment_probability_per_month": 0.5}), rng=9)
    for _ in range(11):
        model.step()
    # before the year closes, the ledger's income rows are the year so far
    farm = model.ledger.income_fen[CATEGORY_INDEX["farm"]].sum() / 100
    assert farm == pytest.approx(4 * 2 * 650)
    flows = model.ledger.flows
    assert flows[("farm_sales", "market", "households")] / 100 == pytest.approx(farm)
    wage = model.ledger.income_fen[CATEGORY_INDEX["wage"]].sum() / 100
    assert flows[("local_wage", "employers", "households")] / 100 == pytest.approx(wage)
    assert wage > 0


def test_households_differ_lastingly_in_finding_local_work():
    """Concentration 0: every household has the mean chance. Concentration 1: chances drawn once per household,
    Beta(0.5, 0.5) around the mean 0.5 — spread out, mean kept — and the same every month; the draws are the
    household's own stream, so another policy switched on leaves them alone."""
    base = {"village.households": 2000, "economy.local_employment_probability_per_month": 0.5}
    same = VillageModel(config=tiny(base), rng=1).economy.employment_chance
    assert np.all(same == 0.5)
    spread = VillageModel(config=tiny({**base, "economy.local_employment_concentration": 1.0}), rng=1)
    chance = spread.economy.employment_chance
    assert abs(chance.mean() - 0.5) < 0.03 and chance.std() > 0.3  # Beta(0.5, 0.5): sd 0.354
    other = VillageModel(config=tiny({**base, "economy.local_employment_concentration": 1.0,
                                      "policies": ["training"]}), rng=1)
    assert np.array_equal(chance, other.economy.employment_chance)


def test_medical_spending_is_consumption_not_negative_income():
    """Poverty is drawn on disposable income (NBS): a household that spends on care is not poorer by that spending,
    though the spending is reported as the medical category. Tiny village, everyone chronically ill from the start
    (one unit of two lost, 300 yuan a month of care): the medical category is negative, and mean income per person
    plus the care it paid equals the income with care counted, to the yuan."""
    y = simulate(tiny({"village.initial_ill_share": 1.0}), seed=3).yearly.iloc[0]
    assert y.income_per_capita_medical < 0
    cats = ["farm", "wage", "dividend", "remittance", "transfer", "assistance", "interest"]
    assert y.mean_income_per_capita == pytest.approx(sum(y[f"income_per_capita_{c}"] for c in cats))
