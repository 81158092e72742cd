"""Project agency construction (docs/model.md §3.12) worked by hand on the tiny village (tests/conftest.py).

Tiny village: 4 households of 2 labour units (44 days a month); the cooperative pools 1 mu of each and
hires households 0 and 1 (most skilled first, ties by index) for 2 mu of field management each. A
household's free days a month: 44 - 1 mu x 18/12 (own farm) = 42.5, less 2 mu x 4/12 of contract work for
households 0 and 1 (41 5/6). Nobody is employed locally (employment probability 0).

The project here: 40,000 yuan, labour share 0.5 (a 20,000-yuan wage bill over 2 months: 10,000 a month,
100 days at 100 yuan), fee 5% (2,000), margin 10% (4,000), materials 35% (14,000).
"""

import pytest
from conftest import tiny
from pydantic import ValidationError

from sim.config import Config
from sim.model import VillageModel

PROJECT = {"project_agency.project_yuan": 40_000, "project_agency.labour_share": 0.5,
           "project_agency.fee_share": 0.05, "project_agency.margin_share": 0.1,
           "project_agency.day_wage_yuan_per_day": 100, "project_agency.start_month": 2,
           "project_agency.project_months": 2}


def model_with(extra=None, policies=("cooperative", "project_agency"), years=1, poor=(False, False, True, True)):
    cfg = tiny({"policies": list(policies), "years": years, **PROJECT, **(extra or {})})
    model = VillageModel(config=cfg, rng=3)
    model.hh.poor[:] = poor  # households 2 and 3 are poor (last year's classification)
    return model


def wage_income(model):
    """Each household's wage income of the year (the ledger's wage category)."""
    from sim.ledger import CATEGORY_INDEX

    return model.last_income_fen[CATEGORY_INDEX["wage"]] / 100


def test_a_project_pays_wages_to_poor_households_first_the_fee_to_the_committee_and_costs_the_public_its_value():
    m = model_with()
    m.run()
    y = m.history[0]
    # each month 100 days: households 2 and 3 (poor) 42.5 each, then household 0 the last 15 (ties by index);
    # households 0 and 1 also earn 600 of field-management wages (2 mu x 300)
    assert wage_income(m) == pytest.approx([600 + 2 * 1500, 600, 2 * 4250, 2 * 4250])
    assert y["project_wages_yuan"] == pytest.approx(20_000)
    assert y["projects"] == 1
    assert y["project_fees_yuan"] == pytest.approx(2000)
    assert m.ledger.balance_yuan(m.vill.account[0]) == pytest.approx(2000)
    assert y["collective_income"] == pytest.approx(2000) and y["empty_shell_villages"] == 0
    assert y["public_spending"] == pytest.approx(40_000)
    flows = m.flows_history[0]["flows"]
    assert flows[("project_funding", "public", "coop:0:coop")] == 4_000_000  # fen
    assert flows[("project_materials", "coop:0:coop", "market")] == 1_400_000
    assert ("project_outside_labour", "coop:0:coop", "market") not in flows
    assert y["ledger_imbalance"] == 0


def test_the_margin_is_the_cooperatives_profit():
    base = model_with(policies=("cooperative",)).run().history[0]
    with_project = model_with().run().history[0]
    assert with_project["coop_profit"] - base["coop_profit"] == pytest.approx(4000)
    assert base["empty_shell_villages"] == 1  # no collective income without the project's fee


def test_days_the_village_cannot_work_are_hired_from_outside():
    m = model_with({"project_agency.project_yuan": 80_000})  # 20,000 a month: 200 days, the village has 168 2/3
    m.run()
    capacity = 2 * 42.5 + 2 * (42.5 - 2 / 3)
    assert m.history[0]["project_wages_yuan"] == pytest.approx(2 * 100 * capacity, abs=0.05)
    outside = m.flows_history[0]["flows"][("project_outside_labour", "coop:0:coop", "market")] / 100
    assert outside == pytest.approx(2 * (20_000 - 100 * capacity), abs=0.05)
    assert m.history[0]["ledger_imbalance"] == 0


def test_no_cooperative_no_project():
    m = model_with()
    m.coops.active[:] = False
    m.run()
    assert m.history[0]["projects"] == 0 and m.history[0]["public_spending"] == 0


def test_a_small_funding_line_is_never_overspent():
    funding = {"budget_yuan": 100_000, "lines": {"project_agency": 100_000}}
    m = model_with({"funding": funding, "project_agency.projects_per_village_year": 3}, years=2)
    m.run()
    # year 1: 100,000 / 2 years = 50,000 buys one 40,000 project; year 2: 60,000 left buys one more
    assert [y["projects"] for y in m.history] == [1, 1]
    assert m.funder.spent("project_agency") == pytest.approx(80_000)
    assert all(y["ledger_imbalance"] == 0 for y in m.history)


def test_funded_projects_go_round_the_villages_in_random_order():
    county = {"county": {"villages": 4}}
    funding = {"budget_yuan": 100_000, "lines": {"project_agency": 100_000}}
    cfg = tiny({"policies": ["cooperative", "project_agency"], **PROJECT, **county, "funding": funding})
    m = VillageModel(config=cfg, rng=5).run()
    per_village = [v["projects"] for v in m.village_history[0]]
    assert sum(per_village) == 2 and max(per_village) == 1  # 100,000 buys two; one village never gets two
    assert m.funder.spent("project_agency") <= 100_000


def test_a_project_over_the_cap_is_rejected():
    with pytest.raises(ValidationError, match="project_cap_yuan"):
        Config.model_validate({"project_agency": {"project_yuan": 400_000}})


def test_the_finished_work_is_a_lasting_asset_raising_own_farm_yield():
    """The job ends in April (start March, 2 months); the harvests (September, October) are 1% higher: own farm
    1 mu x 650 x 1.01 per household; the gain stays for good, up to the cap."""
    with_asset = model_with({"years": 2, "project_agency.asset_yield_gain_cap": 0.015})
    with_asset.run()
    assert with_asset.vill.asset_yield_gain.tolist() == [0.015]  # 0.01 a year, capped at 0.015
    sales = [e["flows"][("farm_sales", "market", "households")] / 100 for e in with_asset.flows_history]
    assert sales == pytest.approx([4 * 650 * 1.01, 4 * 650 * 1.015], abs=8 * 0.01)  # a fen per harvest
