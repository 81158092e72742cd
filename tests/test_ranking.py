"""Comparisons a planner can trust (issue 15, item 6): whole-period outcomes, pairwise probabilities of
beating with Wilson intervals, regret, the cost per yuan of income gained by the poor, and the warning
when too few shock paths cannot rank. Numbers worked by hand."""

import pandas as pd
import pytest
from rich.console import Console

from sim.compare import cost_effectiveness, rank_variants
from sim.compare_table import print_ranking
from sim.ranking import pairwise, regret, wilson
from sim.run import period_outcomes

# poverty person-years of three variants on four seeds (lower is better)
WIDE = pd.DataFrame({"A": [10, 20, 30, 40], "B": [12, 18, 30, 45], "C": [11, 25, 29, 41]}, index=[1, 2, 3, 4])


def test_wilson_interval_by_hand():
    """8 of 10, z = 1.96: centre (0.8 + 0.19208) / 1.38416 = 0.71674, half 1.96 x 0.160012 / 1.38416 = 0.22658."""
    lo, hi = wilson(8, 10)
    assert (lo, hi) == pytest.approx((0.4902, 0.9433), abs=1e-4)


def test_probability_of_beating_paired_by_seed():
    """A vs B: A lower on seeds 1 and 4, higher on 2, tied on 3 (half a win): 2.5 / 4."""
    p = pairwise(WIDE).set_index(["variant", "other"])
    assert p.loc[("A", "B"), "p_beats"] == 0.625
    assert p.loc[("B", "A"), "p_beats"] == 0.375
    assert p.loc[("A", "B"), "ci_low"] < 0.625 < p.loc[("A", "B"), "ci_high"]


def test_regret_against_the_best_variant_on_each_seed():
    """Best per seed: 10, 18, 29, 40. A's regret 0, 2, 1, 0 (mean 0.75, max 2); B's 2, 0, 1, 5 (mean 2, max 5);
    C's 1, 7, 0, 1 (mean 2.25). Means 25, 26.25, 26.5: A ranks first."""
    r = regret(WIDE).set_index("variant")
    assert r["mean_regret"].to_dict() == {"A": 0.75, "B": 2.0, "C": 2.25}
    assert r["max_regret"].to_dict() == {"A": 2, "B": 5, "C": 7}
    assert r["rank"].to_dict() == {"A": 1, "B": 2, "C": 3}
    assert r["share_best"].to_dict() == {"A": 0.5, "B": 0.25, "C": 0.25}


def test_whole_period_outcomes():
    """Gap (0.2 + 0.1 + 0.0) / 3 = 0.1; severity (0.03 + 0.01 + 0) / 3."""
    yearly = pd.DataFrame({"poverty_gap_index": [0.2, 0.1, 0.0], "poverty_severity_index": [0.03, 0.01, 0.0]})
    got = period_outcomes(yearly)
    assert got["poverty_gap_index_mean"] == pytest.approx(0.1)
    assert got["poverty_severity_index_mean"] == pytest.approx(0.04 / 3)


def runs_table() -> pd.DataFrame:
    """Baseline and a programme on two seeds: spending +100 and +300, lifted +1 and +3, income of the poor
    +50 and +150 -> 200 / 2 = 100 yuan per extra household, 200 / 100 = 2 yuan per yuan gained."""
    rows = []
    for seed, (spend, lifted, income, years) in {1: (100, 1, 50, 90), 2: (300, 3, 150, 80)}.items():
        rows.append({"variant": "none", "point": 0, "seed": seed, "status": "ok", "public_spending_total": 0.0,
                     "households_lifted_since_start": 10.0, "income_gained_by_registered_poor_total": 1000.0,
                     "poverty_person_years_total": 100.0})
        rows.append({"variant": "prog", "point": 0, "seed": seed, "status": "ok", "public_spending_total": spend,
                     "households_lifted_since_start": 10.0 + lifted,
                     "income_gained_by_registered_poor_total": 1000.0 + income,
                     "poverty_person_years_total": float(years)})
    return pd.DataFrame(rows)


def test_cost_per_extra_household_and_per_yuan_of_income_gained():
    row = cost_effectiveness(runs_table(), "none").iloc[0]
    assert row["cost_per_extra_household_yuan"] == pytest.approx(100)
    assert row["extra_income_gained_by_poor_yuan"] == pytest.approx(100)
    assert row["public_yuan_per_extra_yuan_gained"] == pytest.approx(2.0)


def test_compare_says_when_too_few_shock_paths_cannot_rank():
    pairs, regrets = rank_variants(runs_table())
    assert pairs.set_index(["variant", "other"]).loc[("prog", "none"), "p_beats"] == 1.0
    console = Console(record=True, width=200)
    print_ranking(pairs, regrets, console)
    text = console.export_text()
    assert "Too few shock paths to rank" in text and "2 shock paths" in text
    assert "1.00" in text and "[0.34, 1.00]" in text  # the probability with its interval, stacked
