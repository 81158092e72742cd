"""A results folder belongs to one job: default run folders differ per configuration and overrides; another
job's folder, a user's folder and / are refused (exit 2, nothing changed); --force moves the old folder aside;
a second concurrent writer fails at once; a dead writer's lock is taken over; temporary files are swept."""

import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.errors import UserInputError
from sim.executors import run_experiment
from sim.experiment import load_experiment
from sim.folder import LOCK, MARKER, lock
from sim.results import load
from tests.test_experiment import write_experiment

ROOT = Path(__file__).resolve().parents[1]


def coopsim(capsys, *args):
    """The command line in this process: (exit code, stdout, stderr)."""
    import sim.cli

    argv, sys.argv = sys.argv, ["coopsim", *map(str, args)]
    try:
        sim.cli.main()
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    finally:
        sys.argv = argv
    got = capsys.readouterr()
    return code, got.out, got.err


def experiment_folder(tmp_path, name="exp", **extra):
    path = write_experiment(tmp_path, name=name, replicates=1, years=1, **extra)
    out = tmp_path / f"{name}-results"
    run_experiment(load_experiment(path), out, executor="serial", progress=False)
    return path, out


def test_default_run_folders_differ_per_configuration_and_override(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    small = ["--years", "1", "--quiet", "--set", "village.households=30"]
    assert coopsim(capsys, "run", *small)[0] == 0
    assert coopsim(capsys, "run", *small, "--set", "policies=[]")[0] == 0
    assert coopsim(capsys, "run", *small)[0] == 0  # the same job again: its own folder, rewritten
    folders = sorted(p.name for p in (tmp_path / "results").iterdir())
    assert len(folders) == 2 and all(f.startswith("village-seed1-") for f in folders)


def test_readme_command_sequences_write_different_folders():
    from sim.cli import run_job

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [ln.split("#")[0] for ln in readme.splitlines()
             if ln.startswith((".venv/bin/coopsim ", "coopsim ")) and " FILE" not in ln and "--resume" not in ln]
    folders = []
    for line in lines:
        args = shlex.split(line)[1:]
        if args[0] in ("experiment", "sensitivity"):
            folders.append(next((a for a in args if a.startswith("results/")), f"results/{Path(args[1]).stem}"))
        if args[0] != "run":
            continue
        config = Path(args[1]) if len(args) > 1 and not args[1].startswith("-") else None
        sets = [v for k, v in zip(args[1:], args[2:], strict=False) if k == "--set"]
        flags = dict(zip(args[1:], args[2:], strict=False))
        _, _, default = run_job(config, int(flags["--years"]) if "--years" in flags else None,
                                int(flags.get("--seed", 1)), sets)
        folders.append(flags.get("--out", str(default)))
    assert len(lines) >= 8 and len(folders) == len(set(folders)), folders


def test_run_refuses_an_experiment_folder_and_force_moves_it_aside(tmp_path, capsys):
    _, out = experiment_folder(tmp_path)
    manifest = (out / "manifest.json").read_text()
    code, _, err = coopsim(capsys, "run", "--years", "1", "--quiet", "--out", out)
    assert code == 2 and "holds the results of another job (a coopsim experiment of exp)" in err
    assert "--force" in err and "Traceback" not in err
    assert (out / "manifest.json").read_text() == manifest and not (out / "yearly.parquet").exists()
    code, _, err = coopsim(capsys, "run", "--years", "1", "--quiet", "--out", out, "--force",
                           "--set", "village.households=30")
    assert code == 0, err
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("exp-results.old-")]
    assert len(aside) == 1 and (aside[0] / "manifest.json").read_text() == manifest and str(aside[0]) in err
    assert load(aside[0]).runs.shape[0] == 2  # the experiment's results are whole where they were moved
    assert json.loads((out / "manifest.json").read_text())["kind"] == "run"


def test_experiment_refuses_a_users_folder_and_another_experiments(tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    pd.DataFrame({"a": [1]}).to_parquet(mine / "runs.parquet")
    before = (mine / "runs.parquet").read_bytes()
    path = write_experiment(tmp_path, replicates=1, years=1)
    code, _, err = coopsim(capsys, "experiment", path, "--out", mine, "--executor", "serial")
    assert code == 2 and "is not empty and was not written by coopsim (runs.parquet)" in err
    assert sorted(p.name for p in mine.iterdir()) == ["runs.parquet"]
    assert (mine / "runs.parquet").read_bytes() == before
    _, other = experiment_folder(tmp_path, name="other", variants=[{"name": "only"}])
    code, _, err = coopsim(capsys, "experiment", path, "--out", other, "--executor", "serial")
    assert code == 2 and "a coopsim experiment of other" in err
    assert set(load(other).runs.variant) == {"only"}


def test_root_is_refused_even_with_force(capsys):
    code, _, err = coopsim(capsys, "run", "--years", "1", "--quiet", "--out", "/")
    assert code == 2 and "error: /: is not empty and was not written by coopsim" in err
    code, _, err = coopsim(capsys, "run", "--years", "1", "--quiet", "--out", "/", "--force")
    assert code == 2 and "will not move this folder aside" in err


def test_a_run_leaves_no_table_of_an_earlier_run(tmp_path):
    from sim.run import simulate, write_run

    county = simulate("configs/county.yaml", seed=1, years=1, overrides={"county.villages": 2})
    assert county.funding is not None and county.yearly_by_village is not None
    write_run(tmp_path, county)
    write_run(tmp_path, simulate(None, seed=1, years=1, overrides={"village.households": 30}))
    tables = json.loads((tmp_path / "manifest.json").read_text())["tables"]
    assert sorted(p.name for p in tmp_path.glob("*.parquet")) == tables == ["flows.parquet", "yearly.parquet"]


def test_a_second_writer_fails_at_once_naming_the_first(tmp_path):
    path = write_experiment(tmp_path, replicates=1, years=1)
    out = tmp_path / "out"
    out.mkdir()
    with lock(out):
        t0 = time.perf_counter()
        with pytest.raises(UserInputError, match=f"in use by another coopsim process \\(PID {os.getpid()}\\)"):
            run_experiment(load_experiment(path), out, executor="serial", progress=False)
        assert time.perf_counter() - t0 < 5  # refused at once, not after waiting for the lock (loose: a busy CI)
    assert sorted(p.name for p in out.iterdir()) == []  # nothing written, the lock released


def test_two_experiments_started_at_once_into_one_folder(tmp_path):
    out = tmp_path / "out"
    cmds = [[sys.executable, "-m", "sim", "experiment", str(write_experiment(tmp_path, name=n, replicates=2, years=1)),
             "--out", str(out), "--executor", "serial"] for n in ("first", "second")]
    procs = [subprocess.Popen(c, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in cmds]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    loser = next(err for code, err in results if code == 2)
    assert "in use by another coopsim process" in loser or "holds the results of another job" in loser
    res = load(out)
    winner = res.manifest["name"]
    assert len(res.runs) == 4 and res.manifest["status"] == "complete"
    assert json.loads((out / MARKER).read_text())["name"] == winner and not (out / LOCK).exists()


def test_a_dead_writers_lock_is_taken_over_and_its_temporary_files_swept(tmp_path):
    path = write_experiment(tmp_path, replicates=1, years=1)
    out = tmp_path / "out"
    run_experiment(load_experiment(path), out, executor="serial", progress=False)
    dead = subprocess.Popen(["true"])
    dead.wait()
    (out / LOCK).write_text(f"{dead.pid}\n")
    leftovers = [out / ".runs.parquet.x1.tmp", out / "tasks" / ".runs-000000.parquet.x2.tmp"]
    for p in leftovers:
        p.write_bytes(b"half")
    manifest = run_experiment(load_experiment(path), out, executor="serial", progress=False, resume=True)
    assert manifest["status"] == "complete" and not (out / LOCK).exists()
    assert not any(p.exists() for p in leftovers)
