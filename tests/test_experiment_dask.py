"""Dask: an existing cluster at --scheduler gives the serial run table; a task that kills its Dask workers
is recorded as lost, the rest complete, and --resume runs it again to the uninterrupted table."""

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.executors import run_experiment
from sim.experiment import load_experiment
from sim.results import load

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def experiment(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dask")
    spec = {"name": "d", "base": str(ROOT / "configs" / "village.yaml"), "years": 2, "replicates": 3, "seed": 3,
            "overrides": {"village.households": 60},
            "variants": [{"name": "none", "overrides": {"policies": []}}, {"name": "coop"}], "runs_per_task": 2}
    path = tmp / "d.yaml"
    path.write_text(json.dumps(spec))
    plan = load_experiment(path)
    run_experiment(plan, tmp / "serial", executor="serial", progress=False)
    return plan, tmp


def table(folder):
    return load(folder).runs.drop(columns=["seconds"]).sort_values("run_id").reset_index(drop=True)


def test_existing_cluster_at_scheduler_address(experiment):
    from distributed import LocalCluster

    plan, tmp = experiment
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run_experiment(plan, tmp / "remote", executor="dask", scheduler=cluster.scheduler_address, progress=False)
    pd.testing.assert_frame_equal(table(tmp / "remote"), table(tmp / "serial"))


def test_task_that_kills_dask_workers_is_lost_the_rest_complete_and_resume_recovers(experiment):
    from deadly_task import deadly  # its worker process exits on the task holding run 2

    plan, tmp = experiment
    out = tmp / "killed"
    manifest = run_experiment(plan, out, workers=2, executor="dask", progress=False, task_fn=deadly)
    runs = table(out)
    lost = runs[runs.run_id.isin([2, 3])]
    assert (lost.status == "failed").all() and (lost.failure == "worker").all()
    assert lost.error.str.startswith("KilledWorker").all()
    assert (runs[~runs.run_id.isin([2, 3])].status == "ok").all() and manifest["runs_failed"] == 2
    run_experiment(plan, out, executor="serial", progress=False, resume=True)
    pd.testing.assert_frame_equal(table(out), table(tmp / "serial"))
