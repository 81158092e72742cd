"""Random valid configs run without an exception, a RuntimeWarning (divide by zero, NaN) or a ledger imbalance
(issue 18: 34 of 650 random valid-looking configs crashed or warned; a project day wage of 0 divided by zero)."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sim.config import load_config
from sim.errors import UserInputError
from sim.model import VillageModel
from tests.random_configs import random_configs


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(overrides=random_configs(), seed=st.integers(0, 10_000))
def test_random_valid_configs_run_clean(overrides, seed):
    try:
        cfg = load_config(None, overrides)
    except UserInputError:
        assume(False)  # refused with a clear message: the malformed-input corpus covers those
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        model = VillageModel(config=cfg, rng=seed)
        model.run()
    assert all(y["ledger_imbalance"] == 0 for y in model.history)


def test_project_day_wage_of_zero_is_refused():
    """The project bill is divided by the day wage: 0 was accepted and divided by zero."""
    with pytest.raises(UserInputError, match="project_agency.day_wage_yuan_per_day: Input should be greater than 0"):
        load_config(None, ["project_agency.day_wage_yuan_per_day=0"])


def test_a_county_whose_villages_have_no_land_runs():
    """A village factor of 0 scaled the template's lognormal to a mean of 0, which failed inside the model."""
    cfg = load_config(None, {"years": 1, "village.households": 15, "county": {
        "villages": 2, "households": {"dist": "constant", "value": 12}, "min_households_per_village": 10,
        "land_factor": {"dist": "constant", "value": 0}}})
    model = VillageModel(config=cfg, rng=1)
    model.run()
    assert model.hh.land_mu.sum() == 0 and model.history[-1]["ledger_imbalance"] == 0
