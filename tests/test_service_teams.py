"""Office funds, service teams and the points supermarket (docs/model.md §3.13) on the tiny village
(tests/conftest.py): 4 equal households with labour, households 2 and 3 poor. One cadre paid 100 yuan a
month, 1,200 yuan of office costs, a small village's team fund of 3,000 yuan (80% wages for 2 members:
1,200 each; 600 of equipment), a 1,000-yuan points start-up, 1,400 yuan of points a year, everyone
taking part."""

import numpy as np
import pytest
from conftest import tiny

from sim.ledger import CATEGORY_INDEX
from sim.model import VillageModel

SERVICES = {"service_teams.cadres_per_village": 1, "service_teams.cadre_pay_yuan_per_cadre_month": 100,
            "service_teams.office_costs_yuan_per_village_year": 1200,
            "service_teams.service_team_yuan_small_village_year": 3000,
            "service_teams.team_members_per_village": 2, "service_teams.team_wage_share": 0.8,
            "service_teams.points_startup_yuan": 1000, "service_teams.points_redeemed_yuan_per_village_year": 1400,
            "service_teams.participation_probability_per_year": 1.0}


def model_with(extra=None, policies=("service_teams",), years=1):
    m = VillageModel(config=tiny({"policies": list(policies), "years": years, **SERVICES, **(extra or {})}), rng=6)
    m.hh.poor[:] = [False, False, True, True]
    return m


def income(m, category):
    return m.last_income_fen[CATEGORY_INDEX[category]] / 100


def test_cadre_pay_team_wages_and_points_reach_the_right_households():
    m = model_with()
    m.run()
    y = m.history[0]
    # household 0: the cadre (all equally capable: the first); households 2 and 3 (poor): the team
    assert income(m, "wage") == pytest.approx([1200, 0, 1200, 1200])
    # points: only the 1,000-yuan start-up is in the committee's hands (no collective income): 250 each
    assert income(m, "transfer") - 200 == pytest.approx([250, 250, 250, 250])  # 200: the farm subsidy
    assert y["cadre_pay_yuan"] == 1200 and y["service_team_wages_yuan"] == 2400 and y["points_redeemed_yuan"] == 1000
    assert y["public_spending"] == pytest.approx(1200 + 1200 + 3000 + 1000)
    flows = m.flows_history[0]["flows"]
    assert flows[("office_costs", "committee:0", "market")] == 120_000
    assert flows[("service_team_equipment", "committee:0", "market")] == 60_000
    assert m.ledger.balance_yuan(m.vill.account[0]) == 0
    assert y["empty_shell_villages"] == 1  # money passed on is no collective income
    assert y["ledger_imbalance"] == 0


def test_pay_is_monthly():
    m = model_with()
    for _ in range(3):
        m.step()
    assert m.ledger.income_fen[CATEGORY_INDEX["wage"]].tolist() == [30_000, 0, 30_000, 30_000]  # 3 x 100 yuan


def test_the_start_up_is_paid_once_and_points_then_need_collective_income():
    m = model_with(years=2)
    m.run()
    assert [y["points_redeemed_yuan"] for y in m.history] == [1000, 0]
    assert m.history[1]["public_spending"] == pytest.approx(1200 + 1200 + 3000)
    # with a public works fee (collective income, 2,000 a year) the supermarket redeems its full 1,400
    project = {"project_agency.project_yuan": 40_000, "project_agency.labour_share": 0.5,
               "project_agency.fee_share": 0.05, "project_agency.margin_share": 0.1}
    m = model_with({**project}, policies=("cooperative", "project_agency", "service_teams"), years=2)
    m.run()
    assert [y["points_redeemed_yuan"] for y in m.history] == [1400, 1400]


def test_a_team_member_needs_labour_at_home_and_is_not_a_cadre():
    m = model_with()
    m.hh.labour_units[3] = 0.0
    m.run()
    wage = income(m, "wage")
    assert wage[0] == 1200 and wage[2] == 1200 and wage[3] == 0 and wage[1] == 1200  # household 1 takes the seat


def test_a_small_office_service_line_scales_every_need_down_and_is_never_overspent():
    funding = {"budget_yuan": 3200, "lines": {"office_service": 3200}}
    m = model_with({"funding": funding})
    m.run()
    # needs 6,400 against a 3,200 share: everything halves
    assert income(m, "wage") == pytest.approx([600, 0, 600, 600])
    assert m.history[0]["points_redeemed_yuan"] == 500
    assert m.funder.spent("office_service") == pytest.approx(3200)
    assert m.history[0]["ledger_imbalance"] == 0


def test_the_village_secretary_is_a_cadre():
    m = model_with({"village.party_member_household_share": 1.0}, policies=("cooperative", "party_organisation",
                                                                           "service_teams"))
    from sim.population import VILLAGE_SECRETARY

    pm = m.party
    secretary = int(pm.household[np.flatnonzero(pm.member & (pm.role == VILLAGE_SECRETARY))[0]])
    m.run()
    assert m.policy("service_teams").cadre_fen[secretary] == 120_000
