"""Registration, exit, return and monitoring (sim/policies/registration.py) by hand on the tiny village: 4
households of 2 persons, each earning 750 yuan per person every year (650 own farm + 100 land subsidy), which is
also their assessed income at registration."""

import pytest
from conftest import tiny

from sim.model import VillageModel

NO_FAILURES = {"registration.housing_unsafe_share": 0.0, "registration.schooling_failure_share": 0.0,
               "registration.medical_uninsured_share": 0.0}
# the line: 1,000 in 2015 (all poor), 700 in 2016-17 (all above), 800 from 2018 (all poor again)
LINES = {"poverty_line.yuan_per_person_year": {2015: 1000, 2016: 700, 2018: 800}}


def model(years: int, extra: dict | None = None) -> VillageModel:
    """The tiny village with the campaign's programmes on (guarantees fixed, monitoring)."""
    cfg = {"years": years, "policies": ["poverty_campaign"], **NO_FAILURES, **LINES, **(extra or {})}
    m = VillageModel(config=tiny(cfg), rng=1)
    return m.run()


def test_registration_from_assessed_income_and_failed_guarantees():
    """750 < 1,000: all registered. At a line of 700 (750 = 1.07 lines) only a failed guarantee registers them,
    and only below 1.2 lines."""
    assert VillageModel(config=tiny(NO_FAILURES | {"poverty_line.yuan_per_person_year": {2015: 1000}}),
                        rng=1).hh.registered_poor.all()
    at_700 = {"poverty_line.yuan_per_person_year": {2015: 700}}
    assert not VillageModel(config=tiny(NO_FAILURES | at_700), rng=1).hh.registered_poor.any()
    failing = {**NO_FAILURES, **at_700, "registration.housing_unsafe_share": 1.0}
    m = VillageModel(config=tiny(failing), rng=1)
    assert m.hh.registered_poor.all() and not m.hh.housing_safe.any()
    tight = VillageModel(config=tiny({**failing, "registration.register_with_failed_guarantee_lines": 1.05}), rng=1)
    assert not tight.hh.registered_poor.any()


def test_exit_after_two_assessments_above_the_line():
    """Above the line in 2016 and 2017: certified out at the 2017 assessment, all four."""
    y = model(3).history
    assert [r["registered_exits"] for r in y] == [0, 0, 4]
    assert [r["registered_poor_households"] for r in y] == [4, 4, 0]
    assert y[1]["poverty_headcount_ratio"] == 0  # the income view: out of poverty in 2016 already


def test_no_exit_while_a_guarantee_fails_and_programmes_fix_it_at_a_public_cost():
    """Every house unsafe: without the campaign's programmes nobody exits. With them and a 2016 deadline, each house
    is renovated in 2015 with probability 1/2 and the rest in 2016; 4 x 14,000 = 56,000 yuan of public transfers (a
    national programme, not a funding line), and the exit follows at the 2017 assessment."""
    unsafe = {"registration.housing_unsafe_share": 1.0, "poverty_campaign.guarantee_deadline_year": 2016}
    off = model(3, {**unsafe, "policies": []}).history
    assert off[-1]["registered_exits_since_start"] == 0 and off[-1]["guarantee_failures"] == 4
    on = model(3, unsafe).history
    assert sum(r["housing_renovations"] for r in on) == 4 and on[1]["guarantee_failures"] == 0
    assert on[0]["public_transfers"] + on[1]["public_transfers"] == pytest.approx(4 * 14000 + 4 * 2 * 100 * 2)
    assert on[1]["public_spending_total"] == 0  # no funding line spent
    assert on[2]["registered_exits"] == 4


def test_return_to_poverty_is_counted_but_exit_is_one_way():
    """The line rises to 800 in 2018: the exited households are below it again (returns), still certified out."""
    y = model(4).history
    assert y[3]["registered_returns"] == 4 and y[3]["registered_returns_since_start"] == 4
    assert y[3]["registered_poor_households"] == 0 and y[3]["poverty_headcount_ratio"] == 1.0


def test_monitoring_supports_households_below_the_monitoring_line():
    """Monitoring from 2018: the monitoring line is 1.5 x 800 = 1,200; poor at 750, each household is monitored and
    gets 0.5 x (1,200 - 750) = 225 yuan per person over 2019 (2 persons: 450 per household, 1,800 in all),
    public money counted as assistance income; at 975 it stays monitored (below 1,200) but is no longer poor."""
    y = model(5, {"poverty_campaign.monitoring_start_year": 2018}).history
    assert y[3]["monitored_households"] == 4 and y[3]["monitoring_support_yuan"] == 0
    assert y[4]["monitoring_support_yuan"] == pytest.approx(1800)
    assert y[4]["income_per_capita_assistance"] == pytest.approx(225)
    assert y[4]["monitored_households"] == 4 and y[4]["poverty_headcount_ratio"] == 0
    assert y[4]["ledger_imbalance"] == 0


def test_monitoring_off_pays_nothing():
    y = model(5, {"poverty_campaign.monitoring_start_year": 2018, "policies": []}).history
    assert y[4]["monitored_households"] == 0 and y[4]["monitoring_support_yuan"] == 0


def test_a_higher_exit_standard_delays_exit():
    """With the exit standard at 1.1 lines (770 at the 700 line) income 750 never clears it: no exit."""
    y = model(3, {"registration.exit_income_poverty_lines": 1.1}).history
    assert y[-1]["registered_exits_since_start"] == 0 and y[1]["poverty_headcount_ratio"] == 0


def test_near_poor_households_with_a_chronically_ill_member_are_registered():
    """At a line of 700 the tiny households assess at 750 = 1.07 lines: not poor by income. Registration takes
    health into account (综合考虑健康): a household with a member in a chronic spell (ill, paying monthly treatment)
    is registered below 1.2 lines; a household ill without monthly treatment (an admission) is not, and at
    1.3 lines the chronic household is not either."""
    m = VillageModel(config=tiny(NO_FAILURES | {"poverty_line.yuan_per_person_year": {2015: 700}}), rng=1)
    m.hh.ill[:] = [True, True, False, False]
    m.hh.medical_yuan_per_month[:] = [300.0, 0.0, 0.0, 0.0]
    assert m.registration.register(m.hh.persons * 0 + 750.0).tolist() == [True, False, False, False]
    assert not m.registration.register(m.hh.persons * 0 + 910.0).any()  # 1.3 lines
    off = VillageModel(config=tiny(NO_FAILURES | {"poverty_line.yuan_per_person_year": {2015: 700},
                                                  "registration.register_with_chronic_illness": False}), rng=1)
    off.hh.ill[:], off.hh.medical_yuan_per_month[:] = True, 300.0
    assert not off.registration.register(off.hh.persons * 0 + 750.0).any()
