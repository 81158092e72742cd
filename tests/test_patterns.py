"""Patterns (sim/patterns.py): each statistic worked out by hand on tiny synthetic tables; the table's verdict;
the command line."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import patterns as pat

ROOT = Path(__file__).resolve().parents[1]


def households(pc, registered, no_labour=None, line=1000.0):
    n = len(pc)
    return {"pc": np.array(pc, float), "line": line, "registered": np.array(registered, bool),
            "no_labour": np.array(no_labour if no_labour is not None else [False] * n, bool)}


def yearly(**cols):
    years = list(range(2015, 2021))
    return pd.DataFrame({"year": years, **{k: v for k, v in cols.items()}})


def test_illness_share_of_income_poor_counts_the_registered_poor_the_same_seed_without_illness_lifts():
    """Registered and poor with illness: households 0, 1, 2 (3 is above the line, 4 unregistered). Without
    illness 0 and 2 are at or above 1,000: 2 of 3."""
    rep = pat.Replicate(households={
        "base": {2015: households([500, 600, 900, 1200, 100], [1, 1, 1, 1, 0])},
        "no_illness": {2015: households([1000, 700, 1500, 1300, 2000], [1, 1, 1, 1, 0])}})
    assert pat.illness_share_of_income_poor(rep) == pytest.approx(2 / 3)


def assessed(values, registered, line=1000.0):
    return {"assessed": np.array(values, float), "assessed_line": line, "registered": np.array(registered, bool)}


def test_illness_main_cause_share_takes_the_larger_half_of_the_shortfall():
    """Registered: 0-4 (5 is not). Line 1,000.
    0: not registered without illness: illness is the main cause.
    1: assessed 400, 600 without illness: illness 200 of the 600 shortfall (< 300): not main.
    2: assessed 400, 800 without illness: illness 400 of 600 (> 300): main.
    3: assessed 400, 1,200 without illness, registered (a failed guarantee): min(1200, 1000) - 400 = 600 of 600: main.
    4: assessed 1,100 (registered through a failed guarantee), registered without illness too: not main.
    3 of 5."""
    rep = pat.Replicate(households={
        "base": {2015: assessed([900, 400, 400, 400, 1100, 300], [1, 1, 1, 1, 1, 0])},
        "no_illness": {2015: assessed([1100, 600, 800, 1200, 1150, 300], [0, 1, 1, 1, 1, 1])}})
    assert pat.illness_main_cause_share(rep) == pytest.approx(3 / 5)


def test_illness_necessary_cause_share_counts_the_registered_the_same_seed_without_illness_would_not_register():
    """Registered with illness: households 0-3; without illness 1 and 3 are registered still: 2 of 4 registered
    because of illness. Household 4 (registered only without illness) does not count."""
    rep = pat.Replicate(households={
        "base": {2015: households([500, 600, 900, 1200, 100], [1, 1, 1, 1, 0])},
        "no_illness": {2015: households([1000, 700, 1500, 1300, 2000], [0, 1, 0, 1, 1])}})
    assert pat.illness_necessary_cause_share(rep) == pytest.approx(2 / 4)


def test_illness_share_is_read_on_income_net_of_what_care_cost():
    """Line 1,000; income before medical spending, then medical spending per person (net of reimbursement).
    Registered 0-3 (4 is not). Net of care: 0: 900 - 200 = 700, poor; 1: 1,100 - 300 = 800, poor; 2: 1,200 - 0,
    not poor; 3: 500 - 0 = 500, poor. Without illness: 0: 1,050 >= 1,000 lifted; 1: 1,100 lifted; 3: 600, not.
    2 of the 3 poor on net income. (Before medical spending only 0 and 3 are poor, and only 0 is lifted: 1 of 2.)"""
    base = {**households([900, 1100, 1200, 500, 100], [1, 1, 1, 1, 0]), "medical_pc": np.array([-200., -300, 0, 0, 0])}
    well = {**households([1050, 1100, 1200, 600, 100], [1, 1, 1, 1, 0]), "medical_pc": np.zeros(5)}
    rep = pat.Replicate(households={"base": {2015: base}, "no_illness": {2015: well}})
    assert pat.illness_share(rep) == pytest.approx(2 / 3)
    assert pat.illness_share_of_income_poor(rep) == pytest.approx(1 / 2)


def test_no_labour_representation_is_their_share_among_the_registered_over_their_share_overall():
    """10 households, 2 without labour (20%); 4 registered of whom 2 without labour (50%): 0.5 / 0.2 = 2.5."""
    reg = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    nolab = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    rep = pat.Replicate(households={"base": {2015: households([0] * 10, reg, nolab)}})
    assert pat.no_labour_representation(rep) == pytest.approx(2.5)


def test_yearly_statistics():
    """Headcount 30% -> 3% is 0.1; 8 of 10 registered households out by 2020 (registered from the 2015 snapshot);
    2 returns of 8 exits by 2019; dividends 50 of 1,000 yuan a year: 5%."""
    y = yearly(poverty_headcount_ratio=[0.3, 0.2, 0.1, 0.05, 0.03, 0.02],
               registered_exits_since_start=[0, 2, 4, 6, 8, 8], registered_returns_since_start=[0, 0, 1, 1, 2, 3],
               mean_income_per_capita=[1, 8452, 3, 4, 11567, 6],
               mean_income_per_capita_registered=[1000] * 6, income_per_capita_registered_dividend=[50] * 6)
    rep = pat.Replicate(yearly={"base": y}, households={"base": {2015: households([0] * 10, [1] * 10)}})
    assert pat.headcount_ratio_2019_to_2015(rep) == pytest.approx(0.1)
    assert pat.certified_out_by_2020(rep) == pytest.approx(0.8)
    assert pat.returns_share_of_exits(rep) == pytest.approx(0.25)
    assert pat.dividend_share_of_poor_income(rep) == pytest.approx(0.05)
    assert pat.income_in(2016)(rep) == 8452 and pat.income_in(2019)(rep) == 11567


def test_table_averages_replicates_and_judges_against_the_interval():
    """Statistics 0.2 and 0.4: mean 0.3, inside [0.25, 0.35]; a NaN replicate is left out of the mean."""
    reps = [pat.Replicate(yearly={"v": pd.DataFrame({"x": [v]})}) for v in (0.2, 0.4, np.nan)]
    inside = pat.Pattern("p", 0.3, 0.25, 0.35, "src", lambda r: r.yearly["v"]["x"].iloc[0])
    outside = pat.Pattern("q", 0.5, 0.45, 0.55, "src", lambda r: r.yearly["v"]["x"].iloc[0])
    t = pat.table(reps, (inside, outside)).set_index("pattern")
    assert list(t.columns) == ["role", "target", "source", "simulated_mean", "mean_ci_low", "mean_ci_high", "low",
                               "high", "within"]
    assert t.loc["p", "simulated_mean"] == pytest.approx(0.3) and t.loc["p", "within"]
    # sd of (0.2, 0.4) = 0.1414; t(0.975, 1 df) = 12.706; half-width 12.706 * 0.1414 / sqrt(2) = 1.2706
    assert t.loc["p", "mean_ci_low"] == pytest.approx(0.3 - 1.2706, abs=1e-3)
    assert t.loc["p", "mean_ci_high"] == pytest.approx(0.3 + 1.2706, abs=1e-3)
    assert not t.loc["q", "within"]


def test_every_pattern_has_a_source_and_an_interval_around_its_target():
    for p in pat.PATTERNS:
        assert p.source and p.low <= p.target <= p.high, p.name
    assert pat.needed_runs() == ["base", "no_illness"]
    diagnostics = [p.name for p in pat.PATTERNS if p.role == "diagnostic"]
    assert all(p.role in ("pattern", "diagnostic") for p in pat.PATTERNS)
    assert all(not p.fitted for p in pat.PATTERNS if p.role == "diagnostic"), diagnostics


def test_only_patterns_are_judged():
    t = pd.DataFrame({"role": ["pattern", "diagnostic", "pattern"], "within": [True, False, False]})
    assert list(pat.judged(t)["within"]) == [True, False]


def test_patterns_command_writes_the_table(tmp_path):
    out = tmp_path / "pat"
    res = subprocess.run([sys.executable, "-m", "sim", "patterns", "configs/village.yaml", "--replicates", "2",
                          "--workers", "1", "--set", "village.households=60", "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "illness_share_of_registered_poor" in res.stdout and "patterns within their interval" in res.stdout
    t = pd.read_csv(out / "patterns.csv")
    assert list(t.columns) == ["pattern", "role", "target", "source", "simulated_mean", "mean_ci_low", "mean_ci_high",
                               "low", "high", "within"]
    assert "diagnostics" in res.stdout and "(diagnostic)" in res.stdout
    assert len(t) == len(pat.PATTERNS) and t["simulated_mean"].notna().all()
    bad = subprocess.run([sys.executable, "-m", "sim", "patterns", "missing.yaml"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and "missing.yaml" in bad.stderr and "Traceback" not in bad.stderr


def test_the_illness_counterfactual_turns_every_illness_off():
    from sim.config import Config

    cfg = Config()
    off = pat.counterfactual("no_illness", cfg)
    assert off["village.initial_ill_share"] == 0 and len(off) >= 2 and all(v == 0 for v in off.values())
    assert pat.counterfactual("base", cfg) is None
    from sim.model import VillageModel

    m = VillageModel(config=cfg, rng=1, years=1, overrides=off).run()
    assert m.history[0]["income_per_capita_medical"] == 0  # nobody ill, nothing spent on illness
