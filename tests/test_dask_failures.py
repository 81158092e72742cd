"""Dask failures are clear (all on 127.0.0.1): a scheduler lost mid-run is an error (exit 1, status
`interrupted`, the resume command), not a complete experiment; a scheduler with no workers times out with a
message after --dask-wait; a malformed address, an unreachable scheduler and a local cluster that fails to
start are one line with exit 2; no manifest is left `running` after a failed start."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.errors import UserInputError
from sim.executors import run_experiment
from sim.experiment import load_experiment
from tests.test_experiment import write_experiment
from tests.test_folders import coopsim

ROOT = Path(__file__).resolve().parents[1]
DASK = [sys.executable, "-m", "distributed.cli.dask_scheduler"]


def start_scheduler(tmp_path):
    info = tmp_path / "scheduler.json"
    proc = subprocess.Popen(DASK + ["--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file",
                                    str(info)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline and not info.exists():
        time.sleep(0.05)
    time.sleep(0.1)
    return proc, json.loads(info.read_text())["address"]


def start_worker(address):
    return subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
                             "--no-dashboard", "--host", "127.0.0.1"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})


def stop(*procs):
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait(timeout=10)


def small(tmp_path, replicates=2):
    return load_experiment(write_experiment(tmp_path, replicates=replicates, years=1, runs_per_task=1,
                                            overrides={"village.households": 40}, variants=[{"name": "only"}]))


def not_running(out: Path) -> bool:
    path = out / "manifest.json"
    return not path.exists() or json.loads(path.read_text())["status"] != "running"


def test_a_scheduler_without_workers_times_out_with_a_message(tmp_path):
    sched, address = start_scheduler(tmp_path)
    try:
        t0 = time.time()
        with pytest.raises(UserInputError, match=f"no Dask worker joined the scheduler {address} within 1 s"):
            run_experiment(small(tmp_path), tmp_path / "out", executor="dask", scheduler=address, dask_wait=1,
                           progress=False)
        assert time.time() - t0 < 10
        assert not_running(tmp_path / "out")
    finally:
        stop(sched)
    # a plain run into the same folder is not refused afterwards: nothing was started
    run_experiment(small(tmp_path), tmp_path / "out", executor="serial", progress=False)


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:notaport", "tcp://[::1:8786", "127.0.0.1:1"])
def test_a_malformed_or_unreachable_address_is_one_line_exit_2(tmp_path, capsys, address):
    path = write_experiment(tmp_path, replicates=1, years=1)
    code, _, err = coopsim(capsys, "experiment", path, "--out", tmp_path / "out", "--executor", "dask",
                           "--scheduler", address, "--dask-wait", "1")
    errors = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert code == 2 and len(errors) == 1 and errors[0].startswith("error: --scheduler: "), err
    assert "Traceback" not in err and err.strip().splitlines()[-1] == errors[0]
    assert not_running(tmp_path / "out")


def test_a_local_cluster_that_fails_to_start_is_one_line_exit_2(tmp_path, capsys, monkeypatch):
    import distributed

    def dies(*args, **kwargs):
        raise RuntimeError("Nanny failed to start: worker process died\nmore detail")

    monkeypatch.setattr(distributed, "LocalCluster", dies)
    path = write_experiment(tmp_path, replicates=1, years=1)
    code, _, err = coopsim(capsys, "experiment", path, "--out", tmp_path / "out", "--executor", "dask")
    assert code == 2 and err.strip().splitlines()[-1] == ("error: --executor dask: the local Dask cluster did not "
                                                          "start: Nanny failed to start: worker process died")
    assert not_running(tmp_path / "out")


def test_a_lost_scheduler_is_an_error_with_the_resume_command(tmp_path):
    sched, address = start_scheduler(tmp_path)
    worker = start_worker(address)
    path = write_experiment(tmp_path, replicates=40, years=1, runs_per_task=1,
                            overrides={"village.households": 40}, variants=[{"name": "only"}])
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "sim", "experiment", str(path), "--out", str(out), "--executor",
                             "dask", "--scheduler", address, "--dask-wait", "2"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 90
        while time.time() < deadline and len(list((out / "tasks").glob("runs-*.parquet"))) < 2:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        sched.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
    finally:
        stop(proc, worker, sched)
    assert proc.returncode == 1, err
    line = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert len(line) == 1 and "lost the Dask scheduler" in line[0]
    assert line[0].endswith(f"resume with: coopsim experiment {path} --out {out} --resume --executor dask "
                            f"--scheduler {address} --dask-wait 2")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and not (out / "runs.parquet").exists()
