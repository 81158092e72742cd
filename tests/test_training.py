"""Training (docs/model.md §3.13) worked by hand on the tiny village (tests/conftest.py): 4 households of 2
persons and 2 labour units farming 2 mu of grain each (net 650 yuan/mu, skill 1); here households 2 and 3
are poor. One session of 2 trainees costing 5,000 yuan, skill gain 0.1."""

import numpy as np
import pytest
from conftest import tiny

from sim.ledger import CATEGORY_INDEX
from sim.model import VillageModel

SESSION = {"training.sessions_per_village_year": 1, "training.trainees_per_session": 2,
           "training.cost_yuan_per_session": 5000, "training.skill_gain": 0.1, "training.skill_cap": 1.5}


def model_with(extra=None, years=1, policies=("training",)):
    m = VillageModel(config=tiny({"policies": list(policies), "years": years, **SESSION, **(extra or {})}), rng=2)
    m.hh.poor[:] = [False, False, True, True]
    return m


def farm_income(m):
    return m.last_income_fen[CATEGORY_INDEX["farm"]] / 100


def test_a_session_trains_poor_households_first_raises_their_skill_and_yield_and_costs_its_price():
    m = model_with()
    m.run()
    assert m.hh.skill.tolist() == pytest.approx([1.0, 1.0, 1.1, 1.1])
    assert farm_income(m) == pytest.approx([1300, 1300, 1430, 1430])  # 2 mu x 650 x skill
    y = m.history[0]
    assert y["training_sessions"] == 1 and y["trainees"] == 2
    assert y["public_spending"] == pytest.approx(5000)
    assert m.flows_history[0]["flows"][("training_funding", "public", "trainers:0")] == 500_000
    assert y["ledger_imbalance"] == 0


def test_skill_is_capped_and_households_without_labour_are_not_trained():
    m = model_with()
    m.hh.skill[:] = [1.0, 1.0, 1.45, 1.6]
    m.hh.labour_units[1] = 0.0
    m.hh.poor[:] = [False, False, True, True]
    m.run()
    assert m.hh.skill.tolist() == pytest.approx([1.0, 1.0, 1.5, 1.6])  # capped at 1.5; above the cap kept


def test_without_labour_at_home_the_seat_goes_to_the_next_household():
    m = model_with()
    m.hh.labour_units[2] = 0.0
    m.run()
    trained = m.policy("training").trained_year
    assert trained[3] and not trained[2] and trained.sum() == 2  # the other seat goes to household 0 or 1


def test_sessions_repeat_yearly_and_skill_accumulates():
    m = model_with(years=2)
    for _ in range(12):
        m.step()
    m.hh.poor[:] = [False, False, True, True]  # (in the tiny village everyone is classified poor)
    m.run()
    assert m.hh.skill.tolist() == pytest.approx([1.0, 1.0, 1.2, 1.2])  # households 2, 3 trained twice


def test_a_small_funding_line_buys_only_what_it_can_and_is_never_overspent():
    funding = {"budget_yuan": 6000, "lines": {"training": 6000}}
    m = model_with({"funding": funding, "training.sessions_per_village_year": 2}, years=2)
    m.run()
    # year 1: 6,000 / 2 = 3,000 buys no 5,000-yuan session; year 2: the 6,000 left buys one
    assert [y["training_sessions"] for y in m.history] == [0, 1]
    assert m.funder.spent("training") == pytest.approx(5000)
    assert all(y["ledger_imbalance"] == 0 for y in m.history)


def test_switching_training_on_leaves_other_draws_alone():
    a = VillageModel(config=tiny({"policies": [], "health.serious.onsets_per_person_year": 0.25}), rng=9).run()
    b = VillageModel(config=tiny({"policies": ["training"], "training.skill_gain": 0.0,
                                  "health.serious.onsets_per_person_year": 0.25}), rng=9).run()
    assert np.array_equal(a.hh.ill_this_year, b.hh.ill_this_year)
    assert a.history[0]["mean_income_per_capita"] == pytest.approx(b.history[0]["mean_income_per_capita"])


def test_training_raises_the_chance_of_local_and_migrant_wage_work_up_to_the_caps():
    """Each training adds 0.05 to the monthly chance of local wage work (cap 0.15) and 0.02 to the yearly chance
    of leaving for migrant work (cap 0.06); trained each year, a household reaches the caps in three years."""
    m = model_with({"training.trainees_per_session": 4}, years=4)  # every household trained every year
    for _ in range(12):
        m.step()
    assert m.hh.work_chance_gain.tolist() == pytest.approx([0.05] * 4)
    assert m.hh.migration_chance_gain.tolist() == pytest.approx([0.02] * 4)
    m.run()
    assert m.hh.work_chance_gain.tolist() == pytest.approx([0.15] * 4)
    assert m.hh.migration_chance_gain.tolist() == pytest.approx([0.06] * 4)
    # the tiny village finds no local work (probability 0): now trained households do
    assert m.history[-1]["income_per_capita_wage"] > 0 and m.history[0]["income_per_capita_wage"] > 0
