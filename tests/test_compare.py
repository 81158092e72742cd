"""Comparison worked by hand: pairs are matched by sweep point and seed, failed runs drop out of both
the means and the pairs, and the baseline can be any variant."""

import numpy as np
import pandas as pd
import pytest

from sim.compare import compare_runs, cost_effectiveness, incremental_cost
from sim.compare_table import print_cost_effectiveness
from sim.errors import UserInputError

T2 = 12.706204736174707  # t(0.975, 1)


def runs() -> pd.DataFrame:
    rows = []
    x = {("a", 0): [1.0, 3.0, 5.0], ("b", 0): [2.0, 6.0, 7.0], ("a", 1): [10.0, 20.0, 30.0],
         ("b", 1): [11.0, 99.0, 33.0]}
    for (variant, point), values in x.items():
        for r, v in enumerate(values):
            failed = variant == "b" and point == 1 and r == 1
            rows.append({"run_id": len(rows), "variant": variant, "point": point, "replicate": r,
                         "seed": 100 + r, "status": "failed" if failed else "ok", "failure": "run" if failed else "",
                         "error": "boom" if failed else "", "seconds": 0.1, "x": np.nan if failed else v})
    return pd.DataFrame(rows)


def test_differences_are_paired_within_a_sweep_point():
    t = compare_runs(runs(), "a").set_index(["variant", "point"])
    # point 0: b - a = [1, 3, 2], mean 2, sd 1, t(0.975, 2) = 4.3027
    half = 4.302652729911275 / np.sqrt(3)
    assert t.loc[("b", 0), "diff"] == pytest.approx(2.0)
    assert t.loc[("b", 0), ["diff_ci_low", "diff_ci_high"]].tolist() == pytest.approx([2 - half, 2 + half])
    assert t.loc[("b", 0), "n_pairs"] == 3
    # point 1: the failed replicate 1 is out; pairs [1, 3], mean 2, sd sqrt(2), t(0.975, 1)
    assert t.loc[("b", 1), "n"] == 2 and t.loc[("b", 1), "mean"] == pytest.approx(22.0)
    assert t.loc[("b", 1), "n_pairs"] == 2 and t.loc[("b", 1), "diff"] == pytest.approx(2.0)
    assert t.loc[("b", 1), "diff_ci_high"] == pytest.approx(2 + T2 * np.sqrt(2) / np.sqrt(2))
    # the baseline against itself
    assert t.loc[("a", 1), "diff"] == 0 and t.loc[("a", 1), "diff_ci_low"] == 0
    assert t.loc[("a", 1), ["ci_low", "ci_high"]].tolist() == pytest.approx([20 - 4.302652729911275 * 10 / np.sqrt(3),
                                                                            20 + 4.302652729911275 * 10 / np.sqrt(3)])
    assert set(t["outcome"]) == {"x"}  # ids, status, failure, error and seconds are not outcomes


def test_other_baseline_flips_the_sign_and_unknown_baseline_is_refused():
    t = compare_runs(runs(), "b").set_index(["variant", "point"])
    assert t.loc[("a", 0), "diff"] == pytest.approx(-2.0)
    with pytest.raises(UserInputError, match="baseline variant 'c' has no finished runs; variants: a, b"):
        compare_runs(runs(), "c")


def spending_runs() -> pd.DataFrame:
    """Two seeds; 'none' spends 100 and lifts 10 / 12 households; 'a' spends 1,100 / 1,300 more and lifts 10
    more each time; 'same' spends as much as 'none'; 'useless' spends 500 more and lifts no one more."""
    rows = []
    for variant, spend, lifted in (("none", (100, 100), (10, 12)), ("a", (1200, 1400), (20, 22)),
                                   ("same", (100, 100), (11, 13)), ("useless", (600, 600), (10, 12))):
        for i, seed in enumerate((1, 2)):
            rows.append({"variant": variant, "point": 0, "seed": seed, "status": "ok",
                         "public_spending_total": spend[i], "households_lifted_since_start": lifted[i]})
    return pd.DataFrame(rows)


def test_cost_per_extra_household_is_extra_spending_over_extra_households_lifted():
    runs = spending_runs()
    got = incremental_cost(runs, "a", "none")
    assert got["extra_spending"] == 1200 and got["extra_lifted"] == 10
    assert got["mean"] == pytest.approx(120)  # (1,100 + 1,300) / 2 per (10 + 10) / 2
    assert 110 <= got["low"] <= got["mean"] <= got["high"] <= 130  # bootstrap over the two pairs
    useless = incremental_cost(runs, "useless", "none")
    assert useless["extra_spending"] == 500 and np.isnan(useless["mean"])  # nobody more lifted: no cost


def test_cost_effectiveness_lists_the_variants_spending_more_than_the_baseline():
    table = cost_effectiveness(spending_runs(), "none").set_index("variant")
    assert list(table.index) == ["a", "useless"]  # 'same' spends nothing extra; the baseline is not listed
    assert table.loc["a", "cost_per_extra_household_yuan"] == pytest.approx(120)
    assert table.loc["useless", "extra_households_lifted"] == 0
    from rich.console import Console

    console = Console(record=True, width=160)
    print_cost_effectiveness(table.reset_index(), console)
    text = console.export_text()
    assert "Public cost per extra household lifted against none" in text and "120" in text
    no_money = spending_runs().drop(columns=["public_spending_total"])
    assert cost_effectiveness(no_money, "none").empty


def test_public_yuan_per_extra_yuan_gained_by_the_poor_against_the_baseline():
    """'a' spends 1,100 and 1,300 more than 'none' (mean 1,200); its registered poor gain 2,000 and 4,000 yuan more
    over the run (mean 3,000): 1,200 / 3,000 = 0.4 public yuan per extra yuan; 'useless' adds no income: NaN."""
    runs = spending_runs()
    runs["income_gained_by_registered_poor_total"] = runs["variant"].map(
        {"none": 0.0, "a": 0.0, "same": 0.0, "useless": 0.0}) + runs["seed"].map({1: 10000.0, 2: 20000.0})
    runs.loc[runs["variant"] == "a", "income_gained_by_registered_poor_total"] += runs["seed"].map({1: 2000, 2: 4000})
    table = cost_effectiveness(runs, "none").set_index("variant")
    assert table.loc["a", "extra_income_gained_by_poor_yuan"] == pytest.approx(3000)
    assert table.loc["a", "public_yuan_per_extra_yuan_gained"] == pytest.approx(0.4)
    assert np.isnan(table.loc["useless", "public_yuan_per_extra_yuan_gained"])
