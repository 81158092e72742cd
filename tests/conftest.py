"""Shared helpers: a tiny deterministic village whose numbers can be worked out by hand."""

from __future__ import annotations

import copy

import pytest

from sim.config import Config, apply_overrides

TINY = {
    "start_year": 2015,
    "years": 1,
    "policies": [],
    "poverty_line": {"yuan_per_person_year": {2015: 3000}, "growth_per_year_after_table": 0.0},
    "village": {
        "households": 4,
        "persons": {"dist": "constant", "value": 2},
        "working_age_share": 1.0,           # 2 labour units each
        "elderly_household_share": 0.0,
        "migrant_share_of_labour": 0.0,
        "land_mu_per_person": {"dist": "constant", "value": 1.0},  # 2 mu each
        "skill": {"dist": "constant", "value": 1.0},
        "initial_ill_share": 0.0,
        "five_without_share": 0.0,
        "savings_yuan": {"dist": "constant", "value": 10000},
        "party_member_household_share": 0.0,
        "collective_assets_yuan": 100000,
    },
    "crop_lines": {
        "grain": {"revenue_yuan_per_mu_year": 1100, "cost_yuan_per_mu_year": 450, "labour_days_per_mu_year": 18,
                  "field_management_days_per_mu_year": 4, "harvest_months": [8, 9], "yield_sd": 0, "price_sd": 0},
        "cash_crop": {"revenue_yuan_per_mu_year": 2400, "cost_yuan_per_mu_year": 1000, "labour_days_per_mu_year": 30,
                      "field_management_days_per_mu_year": 4, "harvest_months": [6], "yield_sd": 0, "price_sd": 0},
    },
    "economy": {
        "own_line": "grain",
        "local_employment_probability_per_month": 0.0,
        "local_employment_concentration": 0.0,  # every household the same chance
        "local_work_share_of_spare_days": 0.5,
        "local_wage_yuan_per_day": 75,
        "household_yield_sd": 0.0,
        "nominal_growth_per_year": 0.0,
        "farm_subsidy_yuan_per_mu_year": 100,
        "remittance_yuan_per_migrant_month": 900,
    },
    "health": {  # nobody falls ill unless a test says so; costs as in the default village
        "minor": {"onsets_per_person_year": 0.0, "cost_yuan": {"dist": "lognormal", "mean": 150, "sd": 150}},
        "serious": {"onsets_per_person_year": 0.0, "cost_yuan": {"dist": "lognormal", "mean": 6000, "sd": 9000},
                    "spell_months": {"dist": "shifted_poisson", "mean": 2, "offset": 1, "high": 12}},
        "chronic": {"onsets_per_person_year": 0.0, "cost_yuan": {"dist": "lognormal", "mean": 300, "sd": 300},
                    "spell_months": {"dist": "lognormal", "mean": 48, "sd": 48}},
    },
    # no failed guarantees: registration is by income alone and no renovation money moves (tests/test_registration.py
    # sets its own)
    "registration": {"housing_unsafe_share": 0.0, "schooling_failure_share": 0.0, "medical_uninsured_share": 0.0,
                     "exit_income_poverty_lines": 1.0},  # exit at the line itself
    "household_business": {"enabled": False},  # no lines from savings unless a test asks (test_household_business.py)
    # informal debt free of interest, so income stays what the mechanisms paid (test_household_budget.py sets a rate)
    "household_budget": {"interest_rate_per_month": 0.0},
    # nobody leaves for or returns from migrant work unless a test asks (test_demography.py, test_talent_return.py)
    "demography": {"departure_rate_per_year": 0.0, "return_rate_per_year": 0.0},
    # four households: a cooperative of fewer than the law's five members would stop at once (coop_life.py;
    # tests/test_coop_life.py sets its own)
    "coop_life": {"min_members": 1},
    # the tiny cooperative's profit (1,400) cannot pay a chair; effort leaves the yield as it is (test_governance.py)
    "governance": {"leader_pay_yuan_per_year": 0, "effort_yield_gain": 0.0},
    "cooperatives": [{"name": "coop", "type": "capable_person_led", "village": 0, "line": "cash_crop",
                      "leader_cash_yuan": 0}],
    "cooperative": {"initial_member_share": 1.0, "join_probability_per_year": 0.0, "pooled_land_share": 0.5,
                    "land_rent_yuan_per_mu_year": 400, "member_cash_share_yuan": 1000, "wage_yuan_per_mu_year": 300,
                    "max_contract_mu_per_labour_unit": 1.0, "management_cost_yuan_per_year": 1400, "yield_sd": 0.0},
}


def tiny(overrides: dict | None = None) -> Config:
    """The tiny village, with dotted overrides."""
    return Config.model_validate(apply_overrides(copy.deepcopy(TINY), overrides or {}))


@pytest.fixture
def tiny_config():
    return tiny


@pytest.fixture(scope="session")
def small_results(tmp_path_factory):
    """A small experiment's results folder (3 variants x 3 replicates, 2 years, 60 households)."""
    from tests.briefing_folders import experiment_folder

    return experiment_folder(tmp_path_factory.mktemp("briefing"))


@pytest.fixture(scope="session")
def sensitivity_results(tmp_path_factory):
    """A tiny Sobol sensitivity folder (16 one-year runs) with its sensitivity.parquet."""
    from tests.briefing_folders import sensitivity_folder

    return sensitivity_folder(tmp_path_factory.mktemp("briefing_sens"))
