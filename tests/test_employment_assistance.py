"""Employment assistance (就业扶贫, issue 14 items 3 and 8), by hand on the tiny village: 4 registered-poor households
(assessed income 750 a person, below the 3,000 line) of two workers aged 30 at home."""

import numpy as np
import pytest
from conftest import tiny

from sim.model import VillageModel


def assisted(rate, extra=None):
    cfg = tiny({"policies": ["employment_assistance"], "years": 2, "employment_assistance.start_year": 2016,
                "employment_assistance.added_departure_rate_per_year": rate,
                "employment_assistance.travel_subsidy_yuan": 500, **(extra or {})})
    m = VillageModel(config=cfg, rng=4)
    m.economy.demography.age[:, :2] = 30
    m.economy.demography._derive()
    m.run()
    return m


def test_with_certain_assistance_every_worker_leaves_at_the_second_spring_festival_and_is_paid_the_subsidy():
    """Rate 1 from 2016: none leaves in 2015 (the first January is the drawn village's); in 2016 all 8 workers
    leave, 8 x 500 = 4,000 yuan of travel subsidy, 1,000 a household (500 a person) of transfer income."""
    m = assisted(1.0)
    assert m.hh.registered_poor.all()
    first, second = m.history
    assert first["assisted_migrant_departures"] == 0 and second["assisted_migrant_departures"] == 8
    assert second["migrant_labour_units"] == 8
    assert m.last_flows[("employment_travel_subsidy", "public", "households")] == 4000 * 100
    assert second["public_spending"] == 0  # the employment funds', outside the county's poverty budget


def test_no_assistance_no_departures():
    """Demography's own rate is 0 in the tiny village: without assistance nobody leaves."""
    m = assisted(0.0)
    assert m.history[1]["migrant_labour_units"] == 0 and m.history[1]["assisted_migrant_departures"] == 0


def test_non_registered_households_are_not_assisted():
    """A line of 500 leaves every household above it: nobody registered, nobody assisted."""
    m = assisted(1.0, {"poverty_line.yuan_per_person_year": {2015: 500}})
    assert not m.hh.registered_poor.any() and m.history[1]["assisted_migrant_departures"] == 0


def test_assistance_moves_no_other_draws_and_raises_the_registered_poor_s_migration():
    """Behaviour on the default village, paired by seed: the same persons leave on their own with and without the
    programme (demography's draws are shared), and the registered poor have more migrant labour with it."""
    base = ["dibao", "tekun"]
    on = VillageModel(rng=3, years=4, policies=[*base, "employment_assistance"])
    off = VillageModel(rng=3, years=4, policies=base)
    on.run(), off.run()
    reg = on.hh.registered_poor
    assert np.array_equal(reg, off.hh.registered_poor)
    assert on.hh.migrant_units[reg].sum() > off.hh.migrant_units[reg].sum()
    assert np.array_equal(on.hh.migrant_units[~reg], off.hh.migrant_units[~reg])
    assert sum(h["assisted_migrant_departures"] for h in on.history) > 0
    assert on.history[0]["poverty_headcount_ratio"] == pytest.approx(off.history[0]["poverty_headcount_ratio"])
