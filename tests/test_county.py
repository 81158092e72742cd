"""A county of villages: built from distributions, each village drawing from its own streams, so a
village gives the same outcomes alone and inside the county (with the same seed and config)."""

import math

import numpy as np
import pytest

from sim.config import load_config
from sim.county import county_village_config, village_params
from sim.errors import UserInputError
from sim.model import VillageModel

COUNTY = {
    "villages": 3,
    "households": {"dist": "lognormal", "mean": 120, "sd": 40},
    "land_factor": {"dist": "lognormal", "mean": 1.0, "sd": 0.3},
    "skill_factor": {"dist": "lognormal", "mean": 1.0, "sd": 0.2},
    "elderly_household_share": {"dist": "uniform", "low": 0.05, "high": 0.15},
    "party_member_household_share": {"dist": "uniform", "low": 0.03, "high": 0.09},
    "collective_assets_yuan": {"dist": "lognormal", "mean": 200000, "sd": 150000},
}


def county_config(**extra):
    return load_config(None, {"county": COUNTY, "years": 3, **extra})


def same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def test_villages_vary_and_are_contiguous():
    cfg = county_config()
    params = village_params(cfg)
    assert len(params) == 3 and len({p.households for p in params}) == 3
    assert [p.stream_key for p in params] == [0, 1, 2]
    m = VillageModel(config=cfg, rng=4)
    assert m.hh.n == sum(p.households for p in params)
    for v in range(3):
        sl = m.village_slice(v)
        assert (m.hh.village[sl] == v).all() and sl.stop - sl.start == params[v].households
    assert list(m.coops.village) == [0, 1, 2]  # the cooperatives list is each village's template
    assert (np.diff(m.hh.village[m.party.household]) >= 0).all()  # party members live in their own village


@pytest.mark.parametrize("v", [0, 2])
def test_a_village_gives_the_same_outcomes_alone_and_in_the_county(v):
    cfg = county_config()
    county = VillageModel(config=cfg, rng=11).run()
    alone = VillageModel(config=county_village_config(cfg, v), rng=11).run()
    sl = county.village_slice(v)
    np.testing.assert_array_equal(county.hh.persons[sl], alone.hh.persons)
    np.testing.assert_array_equal(county.hh.registered_poor[sl], alone.hh.registered_poor)
    for year, row in enumerate(alone.village_history):
        in_county = county.village_history[year][v]
        diff = {k: (in_county[k], x) for k, x in row[0].items() if not same(in_county[k], x)}
        assert not diff, f"year {year}: {diff}"
    np.testing.assert_array_equal(county.ledger.balance[sl], alone.ledger.balance[: alone.hh.n])


def test_county_ledger_balances():
    m = VillageModel(config=county_config(), rng=2).run()
    assert all(y["ledger_imbalance"] == 0 for y in m.history)
    assert m.ledger.imbalance_fen() == 0


def test_county_cooperatives_must_be_a_template():
    with pytest.raises(UserInputError, match="template"):
        load_config(None, {"county": COUNTY, "cooperatives.0.village": 1})
