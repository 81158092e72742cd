"""Where the money goes (issue 20, Build 4): the allocation of a county budget across places by their budget-outcome
curves (hand-worked knapsacks, concave and not), townships moving their villages together, and the whole
geographic split on a tiny county from the command line, with its report in both languages and clear errors."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.plan.allocate import allocate, grouped

ROOT = Path(__file__).resolve().parents[1]
TINY = ["--set", "county.villages=4", "--set", "county.villages_per_township=2", "--set", "years=2",
        "--set", "county.households={dist: lognormal, mean: 60, sd: 10}", "--scale", "0.02"]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=ROOT,
                          env={"CI": "true", "PATH": "/usr/bin:/bin"})


def test_known_concave_curves_get_their_known_optimal_allocation():
    """Budget 40. A: 0, 10, 15, 18 at 0/10/20/40 yuan; B: 0, 6, 11, 20; C: 0, 2, 3, 4. The allocations that spend
    at most 40: A20+B20 = 15+11 = 26; A10+B20+C10 = 23; A20+B10+C10 = 23; B40 = 20; A40 = 18; A10+B10+C20 = 19.
    The best is A 20, B 20, C nothing (26)."""
    a = [(0, 0), (10, 10), (20, 15), (40, 18)]
    b = [(0, 0), (10, 6), (20, 11), (40, 20)]
    c = [(0, 0), (10, 2), (20, 3), (40, 4)]
    assert allocate({"A": a, "B": b, "C": c}, 40) == {"A": 2, "B": 2, "C": 0}
    assert allocate({"A": a, "B": b, "C": c}, 10) == {"A": 1, "B": 0, "C": 0}  # the steepest first step
    assert allocate({"A": a, "B": b, "C": c}, 120) == {"A": 3, "B": 3, "C": 3}  # money for everything


def test_a_threshold_curve_wins_where_greedy_marginal_allocation_would_not():
    """Budget 20. D needs 20 yuan before anyone crosses the line: 0, 0, 12 at 0/10/20; E: 0, 5, 7. Greedy steps of
    10 yuan take E's 5, then E's 2 (7 in all; D's first step adds 0). The knapsack takes D's 12."""
    d, e = [(0, 0), (10, 0), (20, 12)], [(0, 0), (10, 5), (20, 7)]
    assert allocate({"D": d, "E": e}, 20) == {"D": 2, "E": 0}


def test_a_budget_no_choice_fits_is_an_error_and_townships_sum_their_villages():
    with pytest.raises(ValueError):
        allocate({"A": [(5, 1), (10, 2)]}, 4)
    g = grouped({"v0": [(0, 0), (10, 3)], "v1": [(0, 0), (20, 4)], "v2": [(0, 0), (5, 9)]},
                {"t0": ["v0", "v1"], "t1": ["v2"]})
    assert g == {"t0": [(0, 0), (30, 7)], "t1": [(0, 0), (5, 9)]}


@pytest.fixture(scope="module")
def tiny_geographic(tmp_path_factory):
    out = tmp_path_factory.mktemp("geo") / "g"
    r = cli("optimise", "experiments/funding_scenarios.yaml", "--by", "township", *TINY, "--levels", "0,1,2",
            "--search-seeds", "2", "--fresh-seeds", "3", "--workers", "1", "--out", str(out))
    assert r.returncode == 0, r.stderr
    return out, r


def test_the_geographic_split_fits_the_budget_and_is_re_run_on_fresh_seeds(tiny_geographic):
    out, r = tiny_geographic
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["mode"] == "geographic"
    assert not set(manifest["search_seeds"]) & set(manifest["fresh_seeds"])
    alloc = pd.read_parquet(out / "allocation.parquet")
    assert alloc["yuan"].sum() <= manifest["budget_yuan"] * (1 + 1e-9)
    assert alloc["current_yuan"].sum() == pytest.approx(manifest["budget_yuan"])
    assert alloc.groupby("township")["level"].nunique().max() == 1  # a township's villages move together
    curves = pd.read_parquet(out / "curves.parquet")
    chosen, pro_rata = curves[curves["chosen"]], curves[curves["level"] == 1.0]
    assert chosen["score"].sum() >= pro_rata["score"].sum() - 1e-9  # pro rata was a choice: never better
    summary = pd.read_parquet(out / "summary.parquet").set_index("role")
    assert {"optimal", "current", "baseline"} <= set(summary.index)
    assert 0 <= summary.loc["current", "p_optimal_better"] <= 1 and summary.loc["optimal", "n"] == 3
    evaluation = pd.read_parquet(out / "evaluation.parquet")
    assert sorted(evaluation["seed"].unique()) == sorted(manifest["fresh_seeds"])
    assert "Optimal allocation" in r.stdout and "township 1" in r.stdout
    for name in ("allocation", "curves", "summary", "evaluation"):
        assert (out / f"{name}.csv").exists()


def test_the_report_of_a_geographic_split_draws_the_places_in_both_languages(tiny_geographic, tmp_path):
    from sim.plan.report import write_optimisation_report

    out, _ = tiny_geographic
    written = write_optimisation_report(out, tmp_path / "r", formats=("png",))
    for lang in ("en", "zh"):
        assert (tmp_path / "r" / lang / "charts" / "places.png").exists()
        assert any(str(f).endswith("briefing.pdf") for f in written[lang]["files"])
    assert "township" in (tmp_path / "r" / "en" / "briefing.html").read_text()
    assert "乡镇" in (tmp_path / "r" / "zh" / "briefing.html").read_text()


@pytest.mark.parametrize("args, words", [
    (["--by", "county"], "--by: unknown unit 'county'; allowed: village, township"),
    (["--by", "village", "--levels", "0,-1"], "--levels"),
    (["--by", "village", "--frontier", "0.5,1"], "runs alone"),
    (["--by", "village", "--set", "county=null"],
     "configs/funding/balanced.yaml: --by: a geographic split needs a county"),
])
def test_bad_geographic_input_is_one_line_naming_the_option_with_exit_2(args, words, tmp_path):
    r = cli("optimise", "configs/funding/balanced.yaml", *args, "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and words in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
