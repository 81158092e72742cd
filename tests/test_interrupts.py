"""Interrupts keep finished work: SIGINT and SIGTERM to the main process stop an experiment within seconds on
every executor, keep every finished task, leave no worker or helper process, mark the manifest `interrupted`,
print one line with the exact resume command and exit 130 / 143; after SIGKILL no worker outlives the main
process; the resumed experiment completes with every run once."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.test_experiment import write_experiment

ROOT = Path(__file__).resolve().parents[1]


def tagged(tag: str) -> list[int]:
    """PIDs of live processes whose environment carries `tag` (a job's main process and all it started)."""
    found = []
    for env in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"COOPSIM_TEST_TAG={tag}".encode() in env.read_bytes().split(b"\0"):
                stat = (env.parent / "stat").read_text()
                if stat.rsplit(")", 1)[1].split()[0] != "Z":  # zombies have ended
                    found.append(int(env.parent.name))
        except OSError:
            pass
    return found


def gone(tag: str, within: float = 8.0) -> list[int]:
    deadline = time.time() + within
    while time.time() < deadline and tagged(tag):
        time.sleep(0.2)
    return tagged(tag)


# enough runs, each long enough (a few tens of ms), that the job is still running when the signal arrives even on
# a fast idle machine: a job that finished first would leave nothing to interrupt
RUNS = 120


def start(tmp_path, executor: str, pieces: int = 2):
    """Start a small experiment (one run per task) as a user would; return once `pieces` tasks are written."""
    path = write_experiment(tmp_path, years=2, replicates=RUNS, runs_per_task=1,
                            overrides={"village.households": 300}, variants=[{"name": "only"}])
    out, tag = tmp_path / "out", uuid.uuid4().hex
    cmd = [sys.executable, "-m", "sim", "experiment", str(path), "--out", str(out), "--executor", executor,
           "--workers", "2"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "COOPSIM_TEST_TAG": tag})
    deadline = time.time() + 90
    while time.time() < deadline and len(list((out / "tasks").glob("runs-*.parquet"))) < pieces:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    return proc, path, out, tag


@pytest.mark.parametrize("executor", ["serial", "process", "dask"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_the_experiment_keeping_finished_tasks(tmp_path, executor, signum):
    proc, path, out, tag = start(tmp_path, executor)
    before = {p.name for p in (out / "tasks").glob("runs-*.parquet")}
    t0 = time.time()
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert time.time() - t0 < 15, "stops within seconds"
    assert proc.returncode == 128 + signum, err
    kept = {p.name for p in (out / "tasks").glob("runs-*.parquet")}
    assert before <= kept and len(kept) < RUNS
    lines = [ln for ln in err.splitlines() if "interrupted" in ln]
    name = signal.Signals(signum).name
    expected = (f"interrupted ({name}): {len(kept)} of {RUNS} runs kept in {out}; resume with: coopsim experiment "
                f"{path} --out {out} --resume" + ("" if executor == "process" else f" --executor {executor}")
                + " --workers 2")
    assert lines == [expected] and err.strip().splitlines()[-1] == expected
    # no traceback of ours
    assert 'sim/' not in "".join(ln for ln in err.splitlines() if ln.strip().startswith("File "))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["stopped"]["runs_kept"] == len(kept)
    assert gone(tag) == [], "no worker or helper process is left"


@pytest.mark.parametrize("executor", ["process", "dask"])
def test_no_worker_outlives_a_killed_main_process(tmp_path, executor):
    proc, path, out, tag = start(tmp_path, executor)
    proc.kill()
    proc.communicate(timeout=30)
    assert gone(tag) == []


def test_an_interrupted_experiment_resumes_to_every_run_once(tmp_path):
    from sim.results import load

    proc, path, out, tag = start(tmp_path, "serial", pieces=3)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=30)
    res = subprocess.run([sys.executable, "-m", "sim", "experiment", str(path), "--out", str(out), "--resume",
                          "--executor", "serial"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    runs = load(out).runs
    assert sorted(runs.run_id) == list(range(RUNS)) and (runs.status == "ok").all()
