"""Illness and the three reimbursement layers, worked out by hand on the tiny village (4 households of
2 persons, registered poor: 750 yuan per person against a line of 3,000), and illness as a cause of
poverty on the default village."""

import numpy as np
import pytest
from conftest import tiny

from sim.model import VillageModel
from sim.policies.health import HealthParams, default_layers, reimbursed

# every household has one serious illness a year (1 - exp(-20 x 2) = 1) costing 100,000 yuan
SERIOUS = {"health.serious.onsets_per_person_year": 20.0,
           "health.serious.cost_yuan": {"dist": "constant", "value": 100000},
           "health.serious.spell_months": {"dist": "constant", "value": 1}}
# savings that pay the whole admission, so the household budget forgoes no care (household_budget.py)
PAYS = {"village.savings_yuan": {"dist": "constant", "value": 200000}}


def test_layers_by_hand_for_a_serious_illness():
    """100,000 yuan: in-policy 75,000. Basic insurance 0.75 x (75,000 - 500) = 55,875; serious-illness
    insurance 0.5 x (75,000 - 55,875 - 10,000) = 4,562.5; medical assistance (when eligible)
    0.7 x (75,000 - 55,875 - 4,562.5) = 10,193.75, under its 20,000 cap."""
    p = HealthParams()
    layers = default_layers(p, 2, 1.0)
    layers.assist_rate[1] = p.medical_assistance.rate
    basic, serious, assist = reimbursed(np.array([100000.0, 100000.0]), p.policy_range_share, layers)
    assert basic.tolist() == pytest.approx([55875, 55875])
    assert serious.tolist() == pytest.approx([4562.5, 4562.5])
    assert assist.tolist() == pytest.approx([0, 10193.75])


def test_the_ledger_pays_the_layers_and_dibao_households_get_medical_assistance():
    """Without programmes a household bears 100,000 - 55,875 - 4,562.5 = 39,562.5; a dibao household also
    gets 10,193.75 of medical assistance: 29,368.75 (per person: half)."""
    plain = VillageModel(config=tiny({**SERIOUS, **PAYS}), rng=2).run().history[0]
    assert plain["income_per_capita_medical"] == pytest.approx(-39562.5 / 2)
    dibao = VillageModel(config=tiny({**SERIOUS, **PAYS, "policies": ["dibao"], "dibao.exclusion_error_rate": 0.0,
                                      "dibao.standard_yuan_per_person_year": {2015: 2000},
                                      "dibao.coverage_share_of_persons": {2015: 1.0}}), rng=2).run()
    assert dibao.history[0]["income_per_capita_medical"] == pytest.approx(-29368.75 / 2)
    assert dibao.ledger.imbalance_fen() == 0


def test_health_poverty_alleviation_raises_the_poor_s_reimbursement_only_from_its_start_year():
    """2015 as without it: 39,562.5. From 2016 the registered poor get basic 0.8 x 74,500 = 59,600,
    serious-illness insurance 0.55 x (75,000 - 59,600 - 5,000) = 5,720 and medical assistance
    0.7 x (75,000 - 59,600 - 5,720) = 6,776: they bear 27,904."""
    m = VillageModel(config=tiny({**SERIOUS, **PAYS, "years": 2, "policies": ["health_poverty_alleviation"],
                                  "poverty_line.yuan_per_person_year": {2015: 3000, 2016: 3000}}), rng=2).run()
    assert m.hh.registered_poor.all()
    assert [y["income_per_capita_medical"] for y in m.history] == pytest.approx([-39562.5 / 2, -27904 / 2])


def test_a_chronic_spell_lasts_years_and_takes_a_labour_unit():
    m = VillageModel(config=tiny({"years": 3, "village.initial_ill_share": 1.0,
                                  "health.chronic.spell_months": {"dist": "constant", "value": 30},
                                  "health.chronic.cost_yuan": {"dist": "constant", "value": 100}}), rng=1)
    for _ in range(30):  # months 0-29 ill; the recovery event fires as month 30 begins
        m.step()
    assert m.hh.ill.all() and (m.hh.local_labour_units == 1).all()
    m.step()
    assert not m.hh.ill.any()


def test_programmes_do_not_shift_illness_draws():
    over = {"village.households": 100, "health.serious.onsets_per_person_year": 0.2, "years": 2}
    a = VillageModel(config=tiny({**over, "policies": []}), rng=3).run()
    b = VillageModel(config=tiny({**over, "policies": ["national_programmes"]}), rng=3).run()
    assert a.hh.ill_this_year.any() and np.array_equal(a.hh.ill_this_year, b.hh.ill_this_year)


ILLNESS_OFF = {"village.initial_ill_share": 0.0, "health.minor.onsets_per_person_year": 0.0,
               "health.serious.onsets_per_person_year": 0.0, "health.chronic.onsets_per_person_year": 0.0}


def test_illness_raises_poverty_on_the_same_seeds():
    """Behaviour: the same seeds with illness switched off have fewer poor household-years."""
    on = off = 0
    for seed in range(1, 5):
        over = {"village.households": 200}
        on += sum(y["poor_households"] for y in VillageModel(config="configs/village.yaml", rng=seed,
                                                             overrides=over).run().history)
        off += sum(y["poor_households"] for y in VillageModel(config="configs/village.yaml", rng=seed,
                                                              overrides={**over, **ILLNESS_OFF}).run().history)
    assert on > 1.2 * off


@pytest.mark.parametrize("counted, net", [(True, 100000 - 55875 - 4562.5), (False, 0.0)])
def test_registration_assesses_the_year_before_with_its_hospital_admission(counted, net):
    """Every household had an admission of 100,000 yuan the year before the start: its net cost after basic and
    serious-illness insurance (100,000 - 55,875 - 4,562.5 = 39,562.5, no assistance before the programmes) is taken
    off the assessed income (19,781.25 a person); not when the assessment leaves admissions out."""
    m = VillageModel(config=tiny({**SERIOUS, "health.assessment_counts_last_year_admissions": counted}), rng=1)
    assert m.economy.health.expected_net_cost_year().tolist() == pytest.approx([net] * 4)
    off = VillageModel(config=tiny({**SERIOUS, "health.assessment_counts_last_year_admissions": False}), rng=1)
    assert (off.assessed_income_per_capita - m.assessed_income_per_capita).tolist() == pytest.approx([net / 2] * 4)
