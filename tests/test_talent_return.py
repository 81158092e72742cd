"""Return of capable migrants (能人回引, issue 14 item 3; seeds 000, 003) by hand on the tiny village: 4 households,
both members migrants (migrant share 1), every migrant at the average wage (no spread), no own returns or
departures, no party members at the start."""

import numpy as np
import pytest
from conftest import tiny

from sim.model import VillageModel
from sim.population import APPLICANT, FULL


def talent_model(extra=None):
    cfg = tiny({"policies": ["cooperative", "party_organisation", "talent_return"], "years": 2,
                "village.migrant_share_of_labour": 1.0, "demography.migrant_wage_sd": 0.0,
                "demography.departure_rate_per_year": 0.0, "demography.return_rate_per_year": 0.0,
                "talent_return.capable_wage_factor": 1.0, "talent_return.return_probability_per_year": 1.0,
                **(extra or {})})
    return VillageModel(config=cfg, rng=6)


def test_capable_migrants_come_home_at_the_spring_festival_and_join_the_party_rolls():
    m = talent_model({"talent_return.party_member_share": 1.0})
    for _ in range(12):
        m.step()
    assert m.hh.migrant_units.tolist() == [2] * 4 and m.party.n == 0  # the first year: nobody is moved
    m.step()  # the next Spring Festival: all 8 come home; one per household on the party's rolls
    assert m.hh.migrant_units.tolist() == [0] * 4 and m.hh.labour_units.tolist() == [2] * 4
    assert m.party.n == 4 and (m.party.stage == FULL).all() and m.hh.party_members.tolist() == [1] * 4
    assert m.party.capability == pytest.approx(np.full(4, 0.45))  # 0.45 x wage factor 1
    m.run()
    assert m.history[1]["talent_returns"] == 8 and m.history[1]["talent_returns_to_party_rolls"] == 4


def test_returnees_not_party_members_start_cultivation_as_applicants():
    m = talent_model({"talent_return.party_member_share": 0.0})
    for _ in range(13):
        m.step()
    assert (m.party.stage == APPLICANT).all() and m.party.n == 4 and m.hh.party_members.sum() == 0


def test_migrants_below_the_capable_wage_stay_away():
    m = talent_model({"talent_return.capable_wage_factor": 1.01})
    m.run()
    assert m.hh.migrant_units.tolist() == [2] * 4 and m.history[1]["talent_returns"] == 0
