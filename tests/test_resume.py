"""Resume is exact: an edited input (a variant's funding scenario, the base config) is refused naming the file;
a resume says `running` before it touches anything and `complete` only once the tables agree; load() and
compare refuse tables that disagree with the manifest; failed runs exit 3 naming the first error and the
command that runs them again."""

import json
from pathlib import Path

import pandas as pd
import pytest

import sim.executors
from sim.errors import UserInputError
from sim.executors import run_experiment
from sim.experiment import load_experiment
from sim.results import load
from tests.test_experiment import write_experiment
from tests.test_folders import coopsim

ROOT = Path(__file__).resolve().parents[1]


def scenario_experiment(tmp_path) -> Path:
    (tmp_path / "funding").mkdir()
    (tmp_path / "funding" / "low.yaml").write_text("name: low\nbudget_yuan: 2000\nlines:\n  subsidy_shares: 1000\n")
    return write_experiment(tmp_path, replicates=1, years=1, variants=[
        {"name": "none", "overrides": {"policies": []}},
        {"name": "low", "overrides": {"funding": "funding/low.yaml"}}])


def test_resume_after_a_scenario_file_was_edited_is_refused_naming_it(tmp_path):
    path = scenario_experiment(tmp_path)
    out = tmp_path / "out"
    run_experiment(load_experiment(path), out, executor="serial", progress=False)
    manifest = (out / "manifest.json").read_text()
    scenario = tmp_path / "funding" / "low.yaml"
    scenario.write_text(scenario.read_text().replace("1000", "1500"))
    with pytest.raises(UserInputError, match=f"{scenario}: has changed|{scenario} has changed") as err:
        run_experiment(load_experiment(path), out, executor="serial", progress=False, resume=True)
    assert "--force" in str(err.value) and str(out) in str(err.value)
    assert (out / "manifest.json").read_text() == manifest  # nothing touched


def test_resume_after_the_base_config_was_edited_is_refused_naming_it(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text((ROOT / "configs" / "village.yaml").read_text())
    path = write_experiment(tmp_path, base=str(base), replicates=1, years=1)
    run_experiment(load_experiment(path), tmp_path / "out", executor="serial", progress=False)
    base.write_text(base.read_text().replace("households: 400", "households: 300"))
    with pytest.raises(UserInputError, match=f"{base} has changed"):
        run_experiment(load_experiment(path), tmp_path / "out", executor="serial", progress=False, resume=True)


def test_a_crash_while_consolidating_a_resume_leaves_no_complete_status(tmp_path, monkeypatch, capsys):
    path = write_experiment(tmp_path, replicates=2, years=1)
    out = tmp_path / "out"
    run_experiment(load_experiment(path), out, executor="serial", progress=False)
    real = sim.executors.consolidate
    statuses = []

    def crash_half_way(folder, n_tasks):
        statuses.append(json.loads((Path(folder) / "manifest.json").read_text())["status"])
        real(folder, n_tasks)
        series = pd.read_parquet(Path(folder) / "series.parquet")
        series[series.run_id != 0].to_parquet(Path(folder) / "series.parquet")  # as if cut off mid-write
        raise OSError("disk full")

    monkeypatch.setattr(sim.executors, "consolidate", crash_half_way)
    with pytest.raises(OSError):
        run_experiment(load_experiment(path), out, executor="serial", progress=False, resume=True)
    assert statuses == ["running"]  # set before anything was touched
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    with pytest.raises(UserInputError, match="not complete \\(status: interrupted\\).*--resume"):
        load(out)
    code, _, err = coopsim(capsys, "compare", out)
    assert code == 2 and "not complete" in err
    monkeypatch.setattr(sim.executors, "consolidate", real)
    run_experiment(load_experiment(path), out, executor="serial", progress=False, resume=True)
    assert len(load(out).series) == 4


def test_load_refuses_tables_that_disagree_with_the_manifest(tmp_path):
    path = write_experiment(tmp_path, replicates=2, years=1)
    out = tmp_path / "out"
    run_experiment(load_experiment(path), out, executor="serial", progress=False)
    series = pd.read_parquet(out / "series.parquet")
    series[series.run_id != 1].to_parquet(out / "series.parquet")
    with pytest.raises(UserInputError, match="do not agree with manifest.json: series.parquet holds 3 runs"):
        load(out)


def test_failed_runs_exit_3_naming_the_first_error_and_the_retry_command(tmp_path, capsys):
    path = write_experiment(tmp_path, replicates=1, years=1, variants=[
        {"name": "ok", "overrides": {"policies": []}},
        {"name": "broken", "overrides": {"cooperatives.0.village": 3}}])
    out = tmp_path / "out"
    code, stdout, err = coopsim(capsys, "experiment", path, "--out", out, "--executor", "serial")
    assert code == 3 and "done: 1 runs ok, 1 failed" in stdout
    line = err.strip().splitlines()[-1]
    assert line.startswith("error: 1 of 2 runs failed") and "run 1 (broken)" in line and "village 3" in line
    assert line.endswith(f"run them again with: coopsim experiment {path} --out {out} --resume --executor serial")
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"
