"""The results folder: the manifest's contents, resume after lost tasks (run again) and failed runs (kept),
per-village series, and the loading API."""

import json
from pathlib import Path

import pandas as pd

from sim.executors import _failed_task, run_experiment, run_task
from sim.experiment import load_experiment, replicate_seeds
from sim.results import load, task_file

ROOT = Path(__file__).resolve().parents[1]
BASE = str(ROOT / "configs" / "village.yaml")


def write(tmp_path, **extra) -> Path:
    spec = {"name": "r", "base": BASE, "years": 2, "replicates": 3, "seed": 5,
            "overrides": {"village.households": 60},
            "variants": [{"name": "none", "overrides": {"policies": []}},
                         {"name": "coop", "overrides": {"policies": ["cooperative", "land_shares", "distribution"]}}],
            "runs_per_task": 2}
    spec.update(extra)
    path = tmp_path / "r.yaml"
    path.write_text(json.dumps(spec))
    return path


def table(folder):
    return load(folder).runs.drop(columns=["seconds"]).sort_values("run_id").reset_index(drop=True)


def loses_task_1(specs, outcomes=None):
    """As if the worker running task 1 (runs 2 and 3) were lost: what the executors record then."""
    if specs[0].run_id == 2:
        return _failed_task(specs, "KilledWorker: lost")
    return run_task(specs, outcomes)


def test_resume_runs_lost_and_failed_tasks_again(tmp_path):
    path = write(tmp_path, variants=[{"name": "none", "overrides": {"policies": []}},
                                     {"name": "broken", "overrides": {"cooperatives.0.village": 3}}])
    plan = load_experiment(path)
    full = tmp_path / "full"
    run_experiment(plan, full, executor="serial", progress=False)
    out = tmp_path / "out"
    first = run_experiment(plan, out, executor="serial", progress=False, task_fn=loses_task_1)
    runs = table(out)
    # runs 0-2: none, 3-5: broken; task 1 (runs 2, 3) is lost, so run 3 never got to raise
    assert first["runs_failed"] == 4
    assert list(runs[runs.failure == "worker"].run_id) == [2, 3]
    assert list(runs[runs.failure == "run"].run_id) == [4, 5]
    ok_piece, broken_piece = task_file(out, "runs", 0), task_file(out, "runs", 2)
    before = ok_piece.stat().st_mtime_ns, broken_piece.stat().st_mtime_ns

    second = run_experiment(plan, out, executor="serial", progress=False, resume=True)
    assert ok_piece.stat().st_mtime_ns == before[0]  # a finished task is not run again
    assert broken_piece.stat().st_mtime_ns != before[1]  # one whose runs raised is (after a fix, they may pass)
    pd.testing.assert_frame_equal(table(out), table(full))
    assert second["runs_failed"] == 3 and second["runs_ok"] == 3
    assert (table(out).query("variant == 'broken'").failure == "run").all()
    assert (table(out).query("status == 'ok'").failure == "").all()


def test_manifest_records_the_resolved_experiment_versions_seeds_and_times(tmp_path):
    path = write(tmp_path)
    out = tmp_path / "out"
    manifest = run_experiment(load_experiment(path), out, executor="serial", progress=False)
    on_disk = json.loads((out / "manifest.json").read_text())
    assert on_disk == json.loads(json.dumps(manifest, default=str))
    assert on_disk["status"] == "complete" and on_disk["run_count"] == 6 and on_disk["task_count"] == 3
    assert on_disk["replicate_seeds"] == replicate_seeds(5, 3) and on_disk["experiment_seed"] == 5
    assert on_disk["experiment"]["variants"][1]["overrides"]["policies"] == ["cooperative", "land_shares",
                                                                              "distribution"]
    assert on_disk["base_config"]["village"]["households"] == 60  # the experiment's overrides are resolved
    assert on_disk["started"] <= on_disk["finished"]
    for package in ("numpy", "pandas", "mesa", "SALib", "dask", "distributed"):
        assert package in on_disk["packages"]
    assert on_disk["version"] and "git_commit" in on_disk
    assert {"runs.parquet", "series.parquet"} <= set(on_disk["tables"])
    assert "series_by_village.parquet" not in on_disk["tables"]  # one village
    assert on_disk["rows"]["runs"] == 6 and on_disk["rows"]["series"] == 12


def fake_two_villages(config, seed, years):
    """A stand-in for sim.run.simulate with two villages whose numbers follow from the seed."""
    from sim.run import RunOutput

    start = config["start_year"]
    base = seed % 1000
    by_village = pd.DataFrame([{"village": v, "year": start + y, "poor_households": float(base + 10 * v + y)}
                               for y in range(years) for v in range(2)])
    yearly = by_village.groupby("year", as_index=False)["poor_households"].sum()
    return RunOutput(config=None, seed=seed, yearly=yearly, yearly_by_village=by_village, flows=pd.DataFrame(),
                     final={"poor_households": float(yearly["poor_households"].iloc[-1])})


def test_series_by_village_holds_every_run_village_and_year_once(tmp_path, monkeypatch):
    import sim.run

    monkeypatch.setattr(sim.run, "simulate", fake_two_villages)
    plan = load_experiment(write(tmp_path))
    run_experiment(plan, tmp_path / "out", executor="serial", progress=False)
    res = load(tmp_path / "out")
    v = res.series_by_village
    assert len(v) == 6 * 2 * 2 and not v.duplicated(["run_id", "village", "year"]).any()
    row = v[(v.run_id == 4) & (v.village == 1) & (v.year == 2016)].iloc[0]
    seed = replicate_seeds(5, 3)[1]  # run 4 is variant coop, replicate 1
    assert row.seed == seed and row.variant == "coop" and row.replicate == 1
    assert row.poor_households == seed % 1000 + 10 + 1
    # the village rows add up to the run's yearly series
    summed = v.groupby(["run_id", "year"])["poor_households"].sum().reset_index()
    merged = summed.merge(res.series, on=["run_id", "year"], suffixes=("_v", ""))
    assert len(merged) == 12 and (merged.poor_households_v == merged.poor_households).all()
    assert "series_by_village.parquet" in res.manifest["tables"]
