"""Hierarchical yearly risk of the farm lines (issue 15, item 1): who shares which shock.

A line's yearly revenue shock (yield x price, mean one, lognormal) is split by who shares it:

- price: the county market, one shock per line, partly correlated across lines
  (`price_correlation_across_lines`): log-sd `price_sd` of the line;
- weather and yield: per township (`township_share_of_yield_variance` of the line's yield
  variance) and per village (the rest), each partly correlated across lines
  (`weather_correlation_across_lines`): together log-sd `yield_sd` of the line;
- the cooperative's own management shock (`cooperative.yield_sd`) stays in cooperative.py.

So a line's total log-variance in one village is price_sd^2 + yield_sd^2, as when one shock was
county-wide, but two villages' shocks on line l correlate (log scale) at
(price_sd^2 + share * yield_sd^2) / (price_sd^2 + yield_sd^2) in one township and
price_sd^2 / (price_sd^2 + yield_sd^2) across townships.

Draws are fixed-size (one common normal and one per configured line per stream, every year):
the market from stream `market`, township t from `weather/t<key>`, village v from its own
`weather/v<key>` (model.village_rng), so a village draws the same alone as in its county.
"""

from __future__ import annotations

import numpy as np

from sim.schema import Share, Strict


class RiskParams(Strict):
    """How a line's yearly shock is shared. Sources in configs/village.yaml (`risk:`)."""

    price_correlation_across_lines: Share = 0.3
    township_share_of_yield_variance: Share = 0.35
    weather_correlation_across_lines: Share = 0.5


def correlated(z: np.ndarray, rho: float) -> np.ndarray:
    """Standard normals for each line, correlated at `rho`, from z = (common, one per line...)."""
    return np.sqrt(rho) * z[..., :1] + np.sqrt(1.0 - rho) * z[..., 1:]


def line_log_sds(lines) -> tuple[np.ndarray, np.ndarray]:
    """(price_sd, yield_sd) per configured line, in config order."""
    price = np.array([line.price_sd for line in lines.values()], np.float64)
    yield_ = np.array([line.yield_sd for line in lines.values()], np.float64)
    return price, yield_


def year_line_shocks(model) -> np.ndarray:
    """This year's mean-one revenue shock, shape (villages, lines in config order)."""
    p, lines = model.config.risk, model.config.crop_lines
    n_lines = len(lines)
    price_sd, yield_sd = line_log_sds(lines)
    z_price = model.streams["market"].standard_normal(1 + n_lines)
    price = price_sd * correlated(z_price, p.price_correlation_across_lines)
    keys = model.vill.township_key
    township = {int(t): model.streams[f"weather/t{int(t)}"].standard_normal(1 + n_lines) for t in np.unique(keys)}
    z_town = np.array([township[int(t)] for t in keys]).reshape(len(keys), 1 + n_lines)
    z_village = np.array([model.village_rng("weather", v).standard_normal(1 + n_lines)
                          for v in range(model.vill.n)]).reshape(len(keys), 1 + n_lines)
    return shocks_from(price, correlated(z_town, p.weather_correlation_across_lines),
                       correlated(z_village, p.weather_correlation_across_lines), price_sd, yield_sd,
                       p.township_share_of_yield_variance)


def shocks_from(price_log: np.ndarray, town: np.ndarray, village: np.ndarray, price_sd: np.ndarray,
                yield_sd: np.ndarray, township_share: float) -> np.ndarray:
    """exp(price + yield_sd (sqrt(s) town + sqrt(1-s) village) - (price_sd^2 + yield_sd^2) / 2): mean one."""
    weather = yield_sd * (np.sqrt(township_share) * town + np.sqrt(1.0 - township_share) * village)
    return np.exp(price_log + weather - (price_sd**2 + yield_sd**2) / 2)
