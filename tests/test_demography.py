"""Persons with ages (issue 14 item 3): labour by age, ageing, migrant departure and return, remittances by
wage and ties; worked out by hand on the tiny village (4 households of 2 persons of working age, 2 mu each)."""

import numpy as np
import pytest
from conftest import tiny

from sim.model import VillageModel
from sim.policies.demography import DemographyParams, labour_of_age, migrant_wage
from sim.run import simulate


def test_labour_by_age():
    ages = np.array([0, 15, 16, 40, 64, 65, 74, 75, 90])
    assert labour_of_age(ages, DemographyParams()).tolist() == [0, 0, 1, 1, 1, 0.5, 0.5, 0, 0]


def test_migrant_wage_series_and_its_growth_after_the_table():
    p = DemographyParams()
    assert migrant_wage(p, 2016) == 3275 and migrant_wage(p, 2022) == pytest.approx(4072 * 1.05**2)


def test_migrants_without_dependants_at_home_send_less():
    """Both members away (migrant share 1): no one at home, so each sends 0.6 x 900 = 540 a month;
    per person 2 x 540 x 12 / 2 = 6,480 a year (wage factor 1: no spread)."""
    y = simulate(tiny({"village.migrant_share_of_labour": 1.0, "demography.migrant_wage_sd": 0.0}), seed=3).yearly
    assert y.income_per_capita_remittance.iloc[0] == pytest.approx(2 * 0.6 * 900 * 12 / 2)
    old = simulate(tiny({"village.migrant_share_of_labour": 1.0, "demography.enabled": False}), seed=3).yearly
    assert old.income_per_capita_remittance.iloc[0] == pytest.approx(2 * 900 * 12 / 2)  # the fixed remittance


def tiny_model(**extra):
    cfg = {"years": 3, "demography.migrant_wage_sd": 0.0, "demography.departure_rate_per_year": 0.0,
           "demography.return_rate_per_year": 0.0, **extra}
    return VillageModel(config=tiny(cfg), rng=2)


def set_members(m, ages, away):
    d = m.economy.demography
    d.age[:] = -1
    d.away[:] = False
    d.age[:, : len(ages)] = ages
    d.away[:, : len(away)] = away
    d._derive()


def run_year(m):
    for _ in range(12):
        m.step()


def test_ageing_moves_a_worker_to_half_labour_and_a_migrant_home():
    m = tiny_model()
    run_year(m)
    set_members(m, [64, 54], [False, True])  # a worker at 64 at home, a migrant at 54 away
    assert m.hh.labour_units.tolist() == [2] * 4 and m.hh.migrant_units.tolist() == [1] * 4
    m.step()  # the Spring Festival: 65 farms half a unit; the migrant turns 55 and comes home
    assert m.hh.labour_units.tolist() == [1.5] * 4 and m.hh.migrant_units.tolist() == [0] * 4


def test_departures_and_remittances_with_ties():
    m = tiny_model(**{"demography.departure_rate_per_year": 1.0})
    run_year(m)
    set_members(m, [30, 8], [False, False])  # a worker and a child at home
    m.step()  # the worker leaves (rate 1); the child at home: the full 900 at 2016's wage index 3,275/3,072
    d = m.economy.demography
    assert m.hh.migrant_units.tolist() == [1] * 4
    assert d.remittance_yuan_month == pytest.approx(np.full(4, 900 * 3275 / 3072))
    run_year(m)  # a year away: ties 0.97; 2017's wage
    assert d.remittance_yuan_month == pytest.approx(np.full(4, 900 * 3485 / 3072 * 0.97))


def test_the_drawn_village_keeps_its_labour_and_migrants():
    m = VillageModel(rng=5, years=1)
    p = m.config.village
    assert (m.hh.labour_units <= p.labour_units_max).all()
    d = m.economy.demography
    members = (d.age >= 0).sum(axis=1)
    assert (members == np.minimum(m.hh.persons, 12)).all()
    assert (d.away.sum(axis=1) == m.hh.migrant_units).all()


def test_demography_draws_leave_illness_and_yields_alone():
    on = VillageModel(rng=7, years=2)
    off = VillageModel(rng=7, years=2, demography__enabled=False)
    for _ in range(14):
        on.step()
        off.step()
    assert (on.hh.ill == off.hh.ill).all() and (on.economy.shock == off.economy.shock).all()


def test_migration_keeps_a_share_of_labour_away_over_the_years():
    m = VillageModel(rng=3, years=10)
    m.run()
    shares = [h["migrant_labour_units"] / h["labour_units"] for h in m.history]
    assert min(shares) > 0.25 and max(shares) < 0.45


@pytest.mark.parametrize("setting, says", [
    ("demography.full_labour_ages=[70, 20]", "not above the last"),
    ("demography.half_labour_until_age=10", "must not be below the last full-labour age"),
    ("demography.migrant_wage_yuan_per_month={2015: 0}", "every wage above 0"),
    ("household_business.credit_lines={}", "at least one line"),
])
def test_inconsistent_settings_are_refused_naming_the_setting(setting, says):
    from sim.config import load_config
    from sim.errors import UserInputError

    with pytest.raises(UserInputError, match=says):
        load_config(None, [setting])


@pytest.mark.parametrize("carer, migrants", [(True, [1, 1, 2, 2]), (False, [2, 2, 2, 2])])
def test_a_household_with_a_chronic_spell_keeps_an_able_adult_at_home(carer, migrants):
    """Departure rate 1: both adults (30, 40) leave at the Spring Festival, except that in households 0 and 1,
    where a member is in a chronic spell (ill, paying monthly treatment), the first leaver stays to care."""
    m = tiny_model(**{"demography.departure_rate_per_year": 1.0, "health.chronic.onsets_per_person_year": 0.0,
                      "health.serious.onsets_per_person_year": 0.0,
                      "demography.carer_stays_with_chronic_illness": carer})
    run_year(m)
    set_members(m, [30, 40], [False, False])
    m.hh.ill[:2], m.hh.medical_yuan_per_month[:2] = True, 300.0
    m.step()
    assert m.hh.migrant_units.tolist() == migrants
    assert m.economy.demography.away[:2, 0].tolist() == ([False, False] if carer else [True, True])


def test_a_household_in_a_chronic_spell_at_the_start_has_its_carer_at_home():
    """Every adult drawn away (migrant share 1), every household chronically ill at the start: each keeps its
    first able adult at home, so 2 labour units, 1 away; without the rule both stay away."""
    cfg = {"village.migrant_share_of_labour": 1.0, "village.initial_ill_share": 1.0}
    on = VillageModel(config=tiny(cfg), rng=2)
    off = VillageModel(config=tiny({**cfg, "demography.carer_stays_with_chronic_illness": False}), rng=2)
    assert on.hh.migrant_units.tolist() == [1] * 4 and off.hh.migrant_units.tolist() == [2] * 4
