"""The planner's optimiser (issue 20): splits that meet per-line bounds (hand-worked water-filling), the lines that
bind, the search finding a known optimum, clear errors for bad limits, and a whole optimisation with its frontier
and least-budget target on a tiny county, written to a folder that is never written over."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.errors import UserInputError
from sim.plan.search import search
from sim.plan.split import binding, make_bounds, split_of, weights_of

ROOT = Path(__file__).resolve().parents[1]
TINY = ["--set", "county.villages=2", "--set", "years=2",
        "--set", "county.households={dist: lognormal, mean: 60, sd: 10}"]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=ROOT,
                          env={"CI": "true", "PATH": "/usr/bin:/bin"})


def test_water_filling_gives_every_line_its_minimum_then_shares_the_rest_without_passing_a_maximum():
    """Budget 100; a at most 20, b at least 10. Weights 1.0, 0.55, 0.1 pull 0.9, 0.45, 0 beyond the dead zone
    (0.1): a would get 90 x 0.9/1.35 = 60 but stops at 20; the 70 left go to b (c pulls nothing): b = 10 + 70."""
    b = make_bounds(["a", "b", "c"], 100, mins={"b": "10"}, maxs={"a": "20%"})
    split = split_of({"a": 1.0, "b": 0.55, "c": 0.1}, b)
    assert split == {"a": 20.0, "b": 80.0, "c": 0.0}
    assert binding(split, b) == {"a": "max", "b": "", "c": "min"}


def test_a_fixed_line_keeps_its_amount_and_a_split_maps_back_to_itself():
    b = make_bounds(["a", "b", "c"], 100, fixed={"c": "25"})
    assert b.free() == ["a", "b"]
    split = {"a": 45.0, "b": 30.0, "c": 25.0}
    assert split_of(weights_of(split, b), b) == split
    assert binding(split, b)["c"] == "fixed"


def test_the_search_finds_a_known_corner_optimum_and_its_binding_lines():
    """Score 3x + 2y + z with x at most 40 of 100: the best split is x 40 (binds at its maximum), y 60, z 0 (at
    its minimum): 3 x 40 + 2 x 60 = 240."""
    b = make_bounds(["x", "y", "z"], 100, maxs={"x": "40%"})
    trials = search(lambda splits: [3 * s["x"] + 2 * s["y"] + s["z"] for s in splits], b, 40, 4, seed=1)
    best = trials.sort_values("score").iloc[-1]
    assert best["score"] == pytest.approx(240, abs=1)
    split = {n: best[f"yuan:{n}"] for n in "xyz"}
    assert binding(split, b) == {"x": "max", "y": "", "z": "min"}


def test_a_starting_split_is_tried_first():
    b = make_bounds(["x", "y"], 10)
    trials = search(lambda splits: [s["x"] for s in splits], b, 2, 1, starts=[{"x": 3.0, "y": 7.0}])
    assert (trials.loc[0, "yuan:x"], trials.loc[0, "yuan:y"]) == (3.0, 7.0)


@pytest.mark.parametrize("kw, words", [
    ({"mins": {"nope": "1"}}, "unknown line 'nope'"),
    ({"mins": {"a": "60%", "b": "50%"}}, "more than the budget"),
    ({"mins": {"a": "30"}, "maxs": {"a": "20"}}, "above its maximum"),
    ({"maxs": {"a": "lots"}}, "neither yuan"),
])
def test_impossible_limits_are_one_clear_error(kw, words):
    with pytest.raises(UserInputError, match=words):
        make_bounds(["a", "b"], 100, **kw)


def test_the_command_line_refuses_bad_limits_with_exit_2_and_one_line(tmp_path):
    r = cli("optimise", "experiments/funding_scenarios.yaml", "--min", "roads=10%", *TINY, "--out", str(tmp_path / "o"))
    assert r.returncode == 2
    assert r.stderr.strip().startswith("error:") and "unknown line 'roads'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def tiny_optimisation(tmp_path_factory):
    out = tmp_path_factory.mktemp("opt") / "o"
    args = ["optimise", "experiments/funding_scenarios.yaml", *TINY, "--scale", "0.02", "--trials", "3",
            "--search-seeds", "2", "--fresh-seeds", "3", "--finalists", "1", "--workers", "1",
            "--frontier", "0.5,1", "--target", "person_years=1", "--probability", "0.5", "--out", str(out)]
    r = cli(*args)
    assert r.returncode == 0, r.stderr
    return out, r, args


def test_an_optimisation_writes_its_tables_and_beats_or_matches_the_current_split(tiny_optimisation):
    out, r, _ = tiny_optimisation
    for name in ("summary", "splits", "trials", "evaluation", "frontier", "target"):
        assert (out / f"{name}.parquet").exists() and (out / f"{name}.csv").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert not set(manifest["search_seeds"]) & set(manifest["fresh_seeds"])  # fresh paths, not the search's
    summary = pd.read_parquet(out / "summary.parquet").set_index("role")
    assert {"optimal", "current", "shipped", "baseline"} <= set(summary.index)
    evaluation = pd.read_parquet(out / "evaluation.parquet")
    assert evaluation.groupby("variant")["seed"].apply(sorted).map(tuple).nunique() == 1  # every split, same seeds
    splits = pd.read_parquet(out / "splits.parquet")
    optimal = splits[splits["variant"] == manifest["optimal"]]
    assert optimal["yuan"].sum() == pytest.approx(manifest["budget_yuan"], rel=1e-6)
    assert "Optimal split" in r.stdout or "optimal" in r.stdout


def test_the_frontier_has_a_row_per_level_and_line_and_a_marginal_gain(tiny_optimisation):
    out, _, _ = tiny_optimisation
    frontier = pd.read_parquet(out / "frontier.parquet")
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(frontier) == 2 * len(manifest["lines"])
    low = frontier[frontier["level"] == 0.5]
    assert low["yuan"].sum() == pytest.approx(0.5 * manifest["budget_yuan"], rel=1e-6)
    assert low["marginal_per_10m"].notna().all()
    assert "frontier" in manifest["frontier_check"]


def test_a_finished_optimisation_is_never_run_or_written_over_again(tiny_optimisation):
    out, _, args = tiny_optimisation
    before = (out / "summary.parquet").stat().st_mtime_ns
    r = cli(*args)
    assert r.returncode == 0 and "already holds this optimisation" in r.stdout
    assert (out / "summary.parquet").stat().st_mtime_ns == before


def test_the_report_of_an_optimisation_draws_the_frontier_splits_and_current_vs_optimal_in_both_languages(
        tiny_optimisation, tmp_path):
    import warnings

    from sim.report import write_report

    out, _, _ = tiny_optimisation
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        written = write_report(out, tmp_path / "report", ("en", "zh"), ("png",))
    for lang in ("en", "zh"):
        names = {f.name for f in written[lang]["files"]}
        assert {"frontier.png", "optimal_splits.png", "current_vs_optimal.png", "briefing.pdf",
                "briefing.html"} <= names
    html = (tmp_path / "report" / "zh" / "briefing.html").read_text()
    assert "最优分配" in html and "data:image/png;base64" in html


def test_a_config_with_a_scenario_is_its_own_current_split_and_a_config_without_one_is_refused(tmp_path):
    small = ["--set", "county.villages=2", "--set", "years=2", "--scale", "0.004", "--trials", "2",
             "--search-seeds", "2", "--fresh-seeds", "2", "--finalists", "1", "--workers", "1"]
    r = cli("optimise", "configs/county.yaml", *small, "--out", str(tmp_path / "c"))
    assert r.returncode == 0, r.stderr
    summary = pd.read_parquet(tmp_path / "c" / "summary.parquet").set_index("role")
    assert summary.loc["current", "variant"] == "balanced"
    assert summary.loc["baseline", "label_en"] == "No programme money"
    r = cli("optimise", "configs/village.yaml", "--out", str(tmp_path / "v"))
    assert r.returncode == 2 and "no funding scenario to start from" in r.stderr


def test_each_split_reports_what_its_lines_spent_within_what_they_were_given(tiny_optimisation):
    out, _, _ = tiny_optimisation
    splits = pd.read_parquet(out / "splits.parquet")
    given = splits[splits["variant"] != "no_programme"]
    assert (given["spent_yuan"] <= given["yuan"] + 1e-6).all()  # a line is an envelope, never overspent
    assert given["spent_yuan"].sum() > 0
    assert (splits.loc[splits["variant"] == "no_programme", "spent_yuan"] == 0).all()


def test_with_cap_at_use_no_line_gets_more_than_it_can_use():
    """Five times the budget is more than most of the tiny county's lines can use: with --cap-at-use every line's
    share stops at what it spent with an open envelope, and the lines that reach it bind at their maximum. (A
    mutual-aid fund takes all the capital it is given: its capacity is unbounded.)"""
    from sim.plan.optimise import Settings, optimise_at
    from sim.plan.problem import load_problem, rescale

    sets = [TINY[i + 1] for i in range(0, len(TINY), 2)]
    problem = rescale(load_problem(ROOT / "experiments" / "funding_scenarios.yaml", sets), 0.02)
    settings = Settings(trials=3, search_seeds=2, fresh_seeds=2, finalists=1, cap_at_use=True)
    found = optimise_at(problem, settings, 5 * problem.budget_yuan, lambda _m: None, references=False)
    best = found.splits[found.optimal]
    assert problem.capacity is not None
    assert all(best[n] <= problem.capacity[n] + 1 for n in best)
    assert problem.capacity["mutual_aid_capital"] == float("inf")
    assert problem.capacity["project_agency"] < 5 * problem.budget_yuan  # the works the villages can take
    assert "max" in binding(best, found.bounds).values()
