"""Hierarchical line risk (sim/policies/risk.py): the market's price, the township's and the village's
weather, by hand on the tiny village and as correlations over many drawn years in a small county."""

import math

import numpy as np
import pytest

from sim.config import load_config
from sim.county import county_village_config, village_lines
from sim.model import VillageModel
from sim.policies.risk import shocks_from, year_line_shocks
from sim.rng import Streams
from tests.test_county import COUNTY, same


def test_shock_by_hand():
    """price 0, township +1, village -1, price_sd 0.1, yield_sd 0.2, township share 0.25:
    weather = 0.2 (0.5 x 1 + 0.866 x -1) = -0.073205; minus (0.01 + 0.04) / 2 = 0.025; exp(-0.098205) = 0.906463."""
    got = shocks_from(np.zeros(1), np.ones(1), -np.ones(1), np.array([0.1]), np.array([0.2]), 0.25)
    assert got[0] == pytest.approx(0.906463, abs=1e-6)


def test_the_tiny_village_cooperative_draws_market_township_and_village(tiny_config):
    """The cooperative's shock is the cash line's column built from streams `market`, `weather/t0`, `weather/v0`
    (one common normal then one per line: grain, cash_crop), times its own management shock (sd 0 here).
    Cash crop: price_sd 0.1, yield_sd 0.2; correlations 0.3 (price), 0.5 (weather), township share 0.35."""
    cfg = tiny_config({"policies": ["cooperative"], "crop_lines.cash_crop.yield_sd": 0.2,
                       "crop_lines.cash_crop.price_sd": 0.1})
    m = VillageModel(config=cfg, rng=5)
    m.step()  # January 1st: the year start draws the year's shocks
    s = Streams(5)
    p, t, v = (s[name].standard_normal(3) for name in ("market", "weather/t0", "weather/v0"))
    price = 0.1 * (math.sqrt(0.3) * p[0] + math.sqrt(0.7) * p[2])
    town = math.sqrt(0.5) * t[0] + math.sqrt(0.5) * t[2]
    vill = math.sqrt(0.5) * v[0] + math.sqrt(0.5) * v[2]
    want = math.exp(price + 0.2 * (math.sqrt(0.35) * town + math.sqrt(0.65) * vill) - (0.01 + 0.04) / 2)
    assert m.coops.shock[0] == pytest.approx(want, rel=1e-12)


def county(years: int = 1, **extra):
    small = {**COUNTY, "villages": 4, "households": {"dist": "constant", "value": 20}, "villages_per_township": 2}
    return load_config(None, {"county": {**small, **extra}, "years": years})


def drawn_years(years: int) -> np.ndarray:
    """log shocks, shape (years, villages, lines), from one model's streams drawn year after year."""
    m = VillageModel(config=county(), rng=3)
    return np.log(np.array([year_line_shocks(m) for _ in range(years)]))


def test_villages_share_price_and_township_weather_and_keep_the_lines_total_variance():
    """cash_crop: price_sd 0.15, yield_sd 0.25 -> total log-variance 0.085; two villages of one township correlate
    at (0.0225 + 0.35 x 0.0625) / 0.085 = 0.522, of different townships at 0.0225 / 0.085 = 0.265."""
    logs = drawn_years(4000)
    cash = list(load_config(None).crop_lines).index("cash_crop")
    x = logs[:, :, cash]
    assert x.var(axis=0).mean() == pytest.approx(0.085, rel=0.05)
    assert np.exp(x).mean() == pytest.approx(1.0, abs=0.02)
    assert np.corrcoef(x[:, 0], x[:, 1])[0, 1] == pytest.approx(0.522, abs=0.04)  # villages 0, 1: township 0
    assert np.corrcoef(x[:, 0], x[:, 2])[0, 1] == pytest.approx(0.265, abs=0.04)  # village 2: township 1


def test_a_village_on_a_drawn_line_gives_the_same_alone_as_in_its_township():
    cfg = county(years=2, line_mix={"silkworms": 1, "vegetables": 1, "fungi": 1})
    lines = village_lines(cfg)
    assert set(lines) <= {"silkworms", "vegetables", "fungi"}
    in_county = VillageModel(config=cfg, rng=8).run()
    assert list(in_county.coops.line) == lines
    alone = VillageModel(config=county_village_config(cfg, 3), rng=8).run()
    assert alone.config.village.township_key == 1 and list(alone.coops.line) == [lines[3]]
    for year, row in enumerate(alone.village_history):
        diff = {k: x for k, x in row[0].items() if not same(in_county.village_history[year][3][k], x)}
        assert not diff, f"year {year}: {diff}"


def test_a_line_mix_naming_an_unknown_line_is_refused():
    from sim.errors import UserInputError

    with pytest.raises(UserInputError, match="line_mix"):
        county(line_mix={"rice": 1})
