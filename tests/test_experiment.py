"""Experiments: seeds shared across variants, identical results on every executor, crash and resume,
atomic tables, comparison numbers, Sobol indices, and clear errors for bad experiment files."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from sim.compare import compare_runs, mean_ci
from sim.errors import UserInputError
from sim.executors import run_experiment
from sim.experiment import load_experiment, replicate_seeds
from sim.results import load

ROOT = Path(__file__).resolve().parents[1]
BASE = str(ROOT / "configs" / "village.yaml")


def write_experiment(tmp_path, name="exp", **extra) -> Path:
    spec = {
        "name": name, "base": BASE, "years": 2, "replicates": 3, "seed": 11,
        "overrides": {"village.households": 60},
        "variants": [{"name": "none", "overrides": {"policies": []}},
                     {"name": "coop", "label_zh": "合作社",
                      "overrides": {"policies": ["cooperative", "land_shares", "distribution"]}}],
        "runs_per_task": 2,
    }
    spec.update(extra)
    path = tmp_path / f"{name}.yaml"
    path.write_text(json.dumps(spec))  # JSON is YAML
    return path


def runs_table(folder):
    return load(folder).runs.drop(columns=["seconds"]).sort_values("run_id").reset_index(drop=True)


def test_replicate_seeds_are_shared_across_variants(tmp_path):
    plan = load_experiment(write_experiment(tmp_path))
    by_variant = {}
    for spec in plan.runs:
        by_variant.setdefault(spec.variant, []).append((spec.replicate, spec.seed))
    assert by_variant["none"] == by_variant["coop"]
    assert [s for _, s in by_variant["none"]] == replicate_seeds(11, 3)
    assert len(set(replicate_seeds(11, 3))) == 3


def test_serial_process_and_dask_give_identical_run_tables(tmp_path):
    plan = load_experiment(write_experiment(tmp_path))
    tables = {}
    for executor in ("serial", "process", "dask"):
        out = tmp_path / executor
        run_experiment(plan, out, workers=2, executor=executor, progress=False)
        tables[executor] = runs_table(out)
        series = load(out).series
        assert len(series) == len(plan.runs) * 2 and series.groupby("run_id").size().eq(2).all()
    pd.testing.assert_frame_equal(tables["serial"], tables["process"])
    pd.testing.assert_frame_equal(tables["serial"], tables["dask"])
    assert (tables["serial"].status == "ok").all() and len(tables["serial"]) == 6


def test_a_run_that_raises_is_recorded_and_the_rest_go_on(tmp_path):
    # a cooperative in a village that does not exist raises inside that variant's runs only
    path = write_experiment(tmp_path, variants=[
        {"name": "ok", "overrides": {"policies": []}},
        {"name": "broken", "overrides": {"cooperatives.0.village": 3}}])
    run_experiment(load_experiment(path), tmp_path / "out", executor="serial", progress=False)
    runs = load(tmp_path / "out").runs
    assert (runs[runs.variant == "ok"].status == "ok").all()
    broken = runs[runs.variant == "broken"]
    assert (broken.status == "failed").all() and broken.error.str.contains("village 3").all()


def test_a_worker_that_dies_does_not_lose_the_sweep(tmp_path):
    from deadly_task import deadly  # its worker process exits on the task holding run 2

    plan = load_experiment(write_experiment(tmp_path))
    manifest = run_experiment(plan, tmp_path / "out", workers=2, executor="process", progress=False,
                              task_fn=deadly)
    runs = load(tmp_path / "out").runs
    assert len(runs) == 6 and runs.run_id.is_unique
    dead = runs[runs.run_id.isin([2, 3])]  # the task holding run 2 (two runs per task)
    assert (dead.status == "failed").all() and dead.error.str.contains("died").all()
    assert (runs[~runs.run_id.isin([2, 3])].status == "ok").all()
    assert manifest["runs_failed"] == 2


def test_killed_sweep_resumes_to_the_same_tables_with_every_run_once(tmp_path):
    path = write_experiment(tmp_path, replicates=12, years=3, runs_per_task=1,
                            overrides={"village.households": 400})
    full = tmp_path / "full"
    run_experiment(load_experiment(path), full, executor="serial", progress=False)
    part = tmp_path / "part"
    proc = subprocess.Popen([sys.executable, "-m", "sim", "experiment", str(path), "--out", str(part),
                             "--executor", "serial"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and len(list((part / "tasks").glob("runs-*.parquet"))) < 3:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written = len(list((part / "tasks").glob("runs-*.parquet")))
    assert 3 <= written < 24, "the kill should land part-way"
    assert not (part / "runs.parquet").exists()
    res = subprocess.run([sys.executable, "-m", "sim", "experiment", str(path), "--out", str(part)],
                         cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 2 and "--resume" in res.stderr  # a partial folder is not silently overwritten
    res = subprocess.run([sys.executable, "-m", "sim", "experiment", str(path), "--out", str(part), "--resume",
                          "--executor", "serial"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    pd.testing.assert_frame_equal(runs_table(full), runs_table(part))
    series_full = load(full).series.sort_values(["run_id", "year"]).reset_index(drop=True)
    series_part = load(part).series.sort_values(["run_id", "year"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(series_full, series_part)
    assert load(part).runs.run_id.is_unique and len(load(part).runs) == 24
    assert json.loads((part / "manifest.json").read_text())["status"] == "complete"


def test_no_partial_parquet_file_is_ever_visible(tmp_path):
    path = write_experiment(tmp_path, replicates=10, runs_per_task=1)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "sim", "experiment", str(path), "--out", str(out),
                             "--executor", "serial"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reads = 0
    while proc.poll() is None:
        for f in list(out.glob("**/*.parquet")):
            try:
                pq.read_table(f)  # every visible .parquet file is whole
                reads += 1
            except FileNotFoundError:
                pass  # replaced between listing and reading: fine
    assert proc.returncode == 0 and reads > 0
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_comparison_means_intervals_and_paired_differences():
    runs = pd.DataFrame({
        "run_id": range(6), "variant": ["a"] * 3 + ["b"] * 3, "point": 0, "replicate": [0, 1, 2] * 2,
        "seed": [10, 20, 30] * 2, "status": "ok", "error": "", "x": [1.0, 2.0, 3.0, 2.0, 4.0, 3.0]})
    table = compare_runs(runs, "a").set_index("variant")
    assert table.loc["a", "mean"] == 2.0 and table.loc["b", "mean"] == 3.0
    # b - a paired by seed: [1, 2, 0], mean 1, sd 1, t(0.975, 2) = 4.303
    half = 4.302652729911275 * 1.0 / np.sqrt(3)
    assert table.loc["b", "diff"] == pytest.approx(1.0)
    assert table.loc["b", "diff_ci_low"] == pytest.approx(1 - half)
    assert table.loc["b", "diff_ci_high"] == pytest.approx(1 + half)
    assert table.loc["a", "diff"] == 0.0
    n, m, lo, hi = mean_ci(np.array([5.0]))
    assert n == 1 and m == 5.0 and np.isnan(lo)


def test_compare_cli_writes_tables(tmp_path):
    path = write_experiment(tmp_path)
    run_experiment(load_experiment(path), tmp_path / "out", executor="serial", progress=False)
    res = subprocess.run([sys.executable, "-m", "sim", "compare", str(tmp_path / "out")], cwd=ROOT,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "Poverty headcount ratio" in res.stdout and "coop" in res.stdout
    table = pd.read_parquet(tmp_path / "out" / "comparison.parquet")
    csv = pd.read_csv(tmp_path / "out" / "comparison.csv")
    assert len(table) == len(csv) and set(table.variant) == {"none", "coop"}
    # the table's means are those of the runs table
    runs = load(tmp_path / "out").runs
    got = table[(table.variant == "coop") & (table.outcome == "mean_income_per_capita")]["mean"].iloc[0]
    assert got == pytest.approx(runs[runs.variant == "coop"].mean_income_per_capita.mean())


def test_sobol_index_is_near_zero_for_an_unread_parameter_and_large_for_a_driver(tmp_path):
    path = write_experiment(
        tmp_path, name="sens", years=1, replicates=1, runs_per_task=32,
        variants=[{"name": "baseline", "overrides": {"policies": []}}],
        outcomes=["mean_income_per_capita"],
        sweep={"method": "sobol", "samples": 32, "parameters": {
            # the guaranteed floor is only read by land_shares, which is off
            "land_shares.guaranteed_floor_yuan_per_mu_year": {"low": 0, "high": 800},
            "economy.remittance_yuan_per_migrant_month": {"low": 300, "high": 1500}}})
    res = subprocess.run([sys.executable, "-m", "sim", "sensitivity", str(path), "--out", str(tmp_path / "s"),
                          "--executor", "serial"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    table = pd.read_parquet(tmp_path / "s" / "sensitivity.parquet").set_index("parameter")
    assert abs(table.loc["land_shares.guaranteed_floor_yuan_per_mu_year", "ST"]) < 0.02
    assert table.loc["economy.remittance_yuan_per_migrant_month", "ST"] > 0.8
    assert "Sobol" in res.stdout


BAD = {
    "unknown key": ({"replicatez": 3}, "unknown key 'replicatez'"),
    "bad variant override": ({"variants": [{"name": "x", "overrides": {"policies": ["nope"]}}]},
                             "variants.0.overrides: policies"),
    "missing scenario file": ({"variants": [{"name": "x", "overrides": {"funding": "nowhere.yaml"}}]},
                              "variants.0.overrides: nowhere.yaml: file not found"),
    "duplicate variants": ({"variants": [{"name": "x"}, {"name": "x"}]}, "variant names must be unique"),
    "unknown baseline": ({"baseline": "zzz"}, "baseline: 'zzz' is not a variant"),
    "sobol not power of two": ({"sweep": {"method": "sobol", "samples": 10,
                                          "parameters": {"economy.local_wage_yuan_per_day": {"low": 1, "high": 2}}}},
                               "power of two"),
    "unknown outcome": ({"outcomes": ["happiness"]}, "unknown outcome 'happiness'"),
    "unknown sweep key": ({"sweep": {"parameters": {"economy.nonsense": {"values": [1, 2]}}}},
                          "unknown key 'nonsense'"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_experiment_gets_a_clear_error_and_exit_2(tmp_path, case):
    extra, expected = BAD[case]
    path = write_experiment(tmp_path, **extra)
    res = subprocess.run([sys.executable, "-m", "sim", "experiment", str(path), "--out", str(tmp_path / "o")],
                         cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 2, res.stderr
    assert res.stderr.startswith("error: ") and str(path) in res.stderr and expected in res.stderr
    assert "Traceback" not in res.stderr


def test_results_folder_missing_a_table_is_named(tmp_path):
    path = write_experiment(tmp_path)
    run_experiment(load_experiment(path), tmp_path / "out", executor="serial", progress=False)
    (tmp_path / "out" / "runs.parquet").unlink()
    with pytest.raises(UserInputError, match="runs.parquet is missing"):
        load(tmp_path / "out")


def test_duckdb_reads_the_tables(tmp_path):
    import duckdb

    path = write_experiment(tmp_path)
    run_experiment(load_experiment(path), tmp_path / "out", executor="serial", progress=False)
    got = duckdb.sql(f"select variant, count(*) as n from '{tmp_path / 'out' / 'runs.parquet'}' "
                     "group by variant order by variant").fetchall()
    assert got == [("coop", 3), ("none", 3)]
