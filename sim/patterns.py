"""Patterns (issue 14 item 10): what the default village must reproduce of how poverty arose and ended in
China's poor villages, each with its source and an honest acceptance interval, measured over replicates with
common random numbers (and the counterfactual runs a pattern needs, on the same seeds).

`coopsim patterns [CONFIG] [--replicates N] [--out DIR]` prints the table and writes `DIR/patterns.csv`:
pattern, target, source, simulated_mean, low, high, within (`low <= simulated_mean <= high`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.compare import mean_ci

# the counterfactual runs patterns need: name -> overrides on top of the config (same seeds). Illness off: every
# illness class's onsets to zero where the config has a `health` section (severity classes), else the economy's
# single illness rate; and nobody ill at the start.
ILLNESS_CLASSES = ("minor", "serious", "chronic")


def counterfactual(name: str, config: Any) -> dict[str, Any] | None:
    """The overrides of counterfactual `name` for this config (None for the config itself)."""
    if name != "no_illness":
        return None
    off: dict[str, Any] = {"village.initial_ill_share": 0.0}
    if hasattr(config, "health"):
        off.update({f"health.{c}.onsets_per_person_year": 0.0 for c in ILLNESS_CLASSES
                    if hasattr(config.health, c)})
    else:
        off["economy.illness_rate_per_household_year"] = 0.0
    return off


@dataclass
class Replicate:
    """One seed's runs: yearly outcomes (a row per year) and household snapshots (per year: `pc` income per person,
    `line`, `registered`, `no_labour`), for the config (`base`) and each counterfactual."""

    yearly: dict[str, pd.DataFrame] = field(default_factory=dict)
    households: dict[str, dict[int, dict[str, np.ndarray]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Pattern:
    name: str
    target: float
    low: float
    high: float
    source: str
    statistic: Callable[[Replicate], float]
    needs: tuple[str, ...] = ()  # counterfactual runs
    fitted: bool = True  # False: left out of the fit's score (scripts/fit_patterns.py), a check the fit cannot see
    role: str = "pattern"  # "pattern": judged against its interval; "diagnostic": reported, not judged (see source)


def _year(rep: Replicate, year: int, run: str = "base") -> pd.Series:
    y = rep.yearly[run]
    return y[y["year"] == year].iloc[0]


# -- the statistics (each from one replicate; hand-worked tests in tests/test_patterns.py) -------------------------
def illness_share(rep: Replicate, year: int = 2015) -> float:
    """Of the registered-poor households below the line on income net of out-of-pocket medical spending in `year`,
    the share the same seed without illness leaves at or above the line: poor because of illness (因病致贫), the
    cause the registration (建档立卡) recorded for 44.1% of them. Income net of what a household pays for care is
    the standard measure of impoverishment by health payments (van Doorslaer et al. 2006; O'Donnell et al. 2008,
    ch. 19): the line's basket does not include care."""
    return _lifted_without_illness(rep, year, net_of_care=True)


def _lifted_without_illness(rep: Replicate, year: int, net_of_care: bool) -> float:
    """Of the registered poor below the line in `year` (on income net of medical spending, or before it), the
    share the same seed without illness leaves at or above the line."""
    base, well = rep.households["base"][year], rep.households["no_illness"][year]
    income, income_well = base["pc"], well["pc"]
    if net_of_care:
        income, income_well = income + base["medical_pc"], income_well + well["medical_pc"]
    poor = base["registered"] & (income < base["line"])
    return float((income_well[poor] >= well["line"]).mean()) if poor.any() else float("nan")


def illness_necessary_cause_share(rep: Replicate, year: int = 2015) -> float:
    """Of the registered-poor households, the share the same seed without illness would not have registered."""
    base, well = rep.households["base"][year]["registered"], rep.households["no_illness"][year]["registered"]
    return float((~well[base]).mean()) if base.any() else float("nan")


def illness_main_cause_share(rep: Replicate, year: int = 2015) -> float:
    """Of the registered-poor households, the share whose main cause of poverty is illness, as the registration
    recorded one main cause (主要致贫原因) per household: registered only because of illness (the same seed without
    illness would not register them), or assessed below the line with illness accounting for more than half of the
    shortfall: (min(assessed income without illness, line) - assessed income) > (line - assessed income) / 2."""
    base, well = rep.households["base"][year], rep.households["no_illness"][year]
    reg, line, a = base["registered"], base["assessed_line"], base["assessed"]
    illness_part = np.minimum(well["assessed"], line) - a
    main = ~well["registered"] | ((a < line) & (illness_part > (line - a) / 2))
    return float(main[reg].mean()) if reg.any() else float("nan")


def illness_share_of_income_poor(rep: Replicate, year: int = 2015) -> float:
    """Of the registered-poor households income-poor in `year` (income before medical spending), the share that the
    same seed without illness leaves at or above the line: illness through lost income alone."""
    return _lifted_without_illness(rep, year, net_of_care=False)


def chronic_share_of_registered(rep: Replicate, year: int = 2015) -> float:
    """Share of the registered-poor households with a member chronically ill (a chronic spell) at the end of `year`."""
    h = rep.households["base"][year]
    return float(h["chronic"][h["registered"]].mean()) if h["registered"].any() else float("nan")


def no_labour_representation(rep: Replicate, year: int = 2015) -> float:
    """Share of households without labour among the registered poor over their share among all households
    (above 1: over-represented)."""
    h = rep.households["base"][year]
    reg, nolab = h["registered"], h["no_labour"]
    if not reg.any() or not nolab.any():
        return float("nan")
    return float(nolab[reg].mean() / nolab.mean())


def income_in(year: int) -> Callable[[Replicate], float]:
    return lambda rep: float(_year(rep, year)["mean_income_per_capita"])


def headcount_ratio_2019_to_2015(rep: Replicate) -> float:
    start = _year(rep, 2015)["poverty_headcount_ratio"]
    return float(_year(rep, 2019)["poverty_headcount_ratio"] / start) if start > 0 else float("nan")


def certified_out_by_2020(rep: Replicate) -> float:
    registered = rep.households["base"][2015]["registered"].sum()
    return float(_year(rep, 2020)["registered_exits_since_start"] / registered) if registered else float("nan")


def returns_share_of_exits(rep: Replicate, year: int = 2019) -> float:
    row = _year(rep, year)
    exits = row["registered_exits_since_start"]
    return float(row["registered_returns_since_start"] / exits) if exits > 0 else float("nan")


def dividend_share_of_poor_income(rep: Replicate, years: range = range(2015, 2020)) -> float:
    y = rep.yearly["base"]
    y = y[y["year"].isin(list(years))]
    total = y["mean_income_per_capita_registered"].sum()
    return float(y["income_per_capita_registered_dividend"].sum() / total) if total > 0 else float("nan")


PATTERNS: tuple[Pattern, ...] = (
    Pattern("illness_main_cause_share_of_registered_poor", 0.441, 0.34, 0.54,
            "44.1% of registered-poor households with illness as the main cause recorded at registration (因病致贫/"
            "因病返贫), end-2015 (State Council LGOP, SCIO press conference June 2016; NHFPC 健康扶贫 action plan): "
            "here registered only because of illness, or with illness more than half of the assessed shortfall "
            "(the same seed without illness). Interval +/-10 points: one village is not the national mean",
            illness_main_cause_share, needs=("no_illness",), fitted=False),
    Pattern("illness_share_of_registered_poor", 0.441, 0.34, 0.54,
            "the same 44.1%, measured with illness switched off on the same seeds: of the registered poor below the "
            "line in 2015 on income net of out-of-pocket medical spending (the standard measure of impoverishment "
            "by health payments: van Doorslaer et al. 2006, Lancet 368:1357; O'Donnell et al. 2008, Analyzing Health "
            "Equity Using Household Survey Data, World Bank, ch. 19), those the same seed without illness leaves at "
            "or above it. Interval as above",
            illness_share, needs=("no_illness",), fitted=False),
    Pattern("illness_necessary_cause_share_of_registered_poor", 0.441, 0.34, 0.54,
            "diagnostic, not a reading of the 44.1%: of the registered poor, those the same seed without illness "
            "would not register at all (a household registered for two reasons counts for neither, where the "
            "registration recorded one main cause each)",
            illness_necessary_cause_share, needs=("no_illness",), fitted=False, role="diagnostic"),
    Pattern("illness_share_of_registered_income_poor_before_medical_spending", 0.441, 0.34, 0.54,
            "diagnostic, not a reading of the 44.1%: as the pattern above on income before medical spending, i.e. "
            "illness through lost labour and used-up assets only. The registration's cause counted what care cost "
            "(支出型贫困); income before that spending cannot show it",
            illness_share_of_income_poor, needs=("no_illness",), fitted=False, role="diagnostic"),
    Pattern("chronically_ill_share_of_registered_poor", 0.35, 0.25, 0.45,
            "7.34 million seriously or chronically ill persons (大病、慢性病) among the rural poor at end-2015 (NHFPC, "
            "健康扶贫 press conference June 2016), against ~20 million poor households (55.75 million poor, NBS, ~2.8 "
            "a household): ~37% of poor households with one such member. An input the chronic-illness onsets are "
            "calibrated to (the hospital admission rate is published); interval +/-10 points",
            chronic_share_of_registered),
    Pattern("no_labour_over_represented", 2.0, 1.2, float("inf"),
            "households without labour are over-represented among the registered poor (registration causes: lack of "
            "labour, disability; 2014-15 建档立卡). Target 2 is an assumption; accepted above 1.2",
            no_labour_representation),
    Pattern("income_per_capita_2016", 8452, 0.8 * 8452, 1.1 * 8452,
            "poor-area rural income per person 8,452 yuan in 2016 (NBS, China Rural Poverty Monitoring Report 2017). "
            "Interval: a registered poor village sits below its area's mean (down to 80%, assumption), +10% for noise",
            income_in(2016)),
    Pattern("income_per_capita_2019", 11567, 0.8 * 11567, 1.1 * 11567,
            "poor-area rural income per person 11,567 yuan in 2019 (NBS, 2019 statistical communiqué / monitoring "
            "report). Interval as for 2016",
            income_in(2019)),
    Pattern("headcount_2019_over_2015", 0.6 / 5.7, 0.03, 0.25,
            "rural poverty headcount 5.7% (2015) -> 0.6% (2019), an order of magnitude (NBS communiqués). Accepted: "
            "the 2019 headcount is 3-25% of 2015's (a poor village starts higher; the ratio, not the level)",
            headcount_ratio_2019_to_2015),
    Pattern("registered_certified_out_by_2020", 1.0, 0.95, 1.0,
            "every registered-poor person certified out by end-2020 (State Council white paper 人类减贫的中国实践, "
            "2021: 98.99 million). Accepted from 95%",
            certified_out_by_2020),
    Pattern("returns_share_of_exits_2016_2019", 0.02, 0.0, 0.10,
            "returns to poverty were a few percent of exits: about 0.6 million in 2016 falling to thousands in 2019, "
            "against 11-14 million exits a year (State Council LGOP 2020; NBS). Here any certified-out household below "
            "the line in a year counts (broader than re-registration): accepted up to 10%",
            returns_share_of_exits),
    Pattern("dividend_share_of_poor_income", 0.014, 0.0, 0.10,
            "property income was ~1.4% of poor-area rural income in 2019 (NBS poverty monitoring: 财产净收入); a "
            "cooperative village pays more dividends: accepted up to 10% of the registered poor's income, 2015-19",
            dividend_share_of_poor_income),
)


def table(replicates: list[Replicate], patterns: tuple[Pattern, ...] = PATTERNS) -> pd.DataFrame:
    """The patterns table: the mean of each statistic over replicates against its interval, with the mean's 95%
    t-interval over the replicates (how sure the verdict is: `within` judges the mean)."""
    rows = []
    for p in patterns:
        values = np.array([p.statistic(r) for r in replicates], dtype=float)
        _, mean, ci_low, ci_high = mean_ci(values)
        rows.append({"pattern": p.name, "role": p.role, "target": p.target, "source": p.source,
                     "simulated_mean": mean, "mean_ci_low": ci_low, "mean_ci_high": ci_high, "low": p.low,
                     "high": p.high, "within": bool(p.low <= mean <= p.high)})
    return pd.DataFrame(rows)


def judged(t: pd.DataFrame) -> pd.DataFrame:
    """The rows of a patterns table judged against their interval (diagnostics are reported only)."""
    return t[t["role"] == "pattern"]


def needed_runs(patterns: tuple[Pattern, ...] = PATTERNS) -> list[str]:
    return ["base", *sorted({n for p in patterns for n in p.needs})]
