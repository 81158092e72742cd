"""A malformed-input corpus through the real CLI (issue 18): every case exits 2 with exactly one line on stderr
that names the file or setting, no traceback, and nothing written to the output folder. In-process (`main()`
with sys.argv set) to stay fast; a few cases also run as real subprocesses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from tests.malformed_cases import CONFIG_FILES, EXPERIMENT_FILES, OVERRIDES, SCENARIO_FILES

ROOT = Path(__file__).resolve().parents[1]
VILLAGE = ROOT / "configs" / "village.yaml"


def _cli(argv: list[str], capsys) -> tuple[int, str, str]:
    old = sys.argv
    sys.argv = ["coopsim", *argv]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = old
    out = capsys.readouterr()
    return code, out.out, out.err


def _check(code: int, err: str, out_dir: Path, fragment: str, names: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, err
    assert "Traceback" not in err
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    assert fragment in lines[0], lines[0]
    assert names in lines[0], lines[0]
    assert len(lines[0]) < 1000, lines[0]
    assert not out_dir.exists() or not any(out_dir.iterdir()), f"written: {list(out_dir.iterdir())}"


@pytest.mark.parametrize("args, fragment", OVERRIDES, ids=[" ".join(a) for a, _ in OVERRIDES])
def test_bad_override(args, fragment, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["run", "--quiet", "--out", str(out)]
    for a in args:
        argv += ["--set", a]
    code, _, err = _cli(argv, capsys)
    names = "--set" if "no/such" not in fragment and "households x" not in fragment else ""
    _check(code, err, out, fragment, names)


@pytest.mark.parametrize("name, text, fragment", CONFIG_FILES, ids=[c[0] for c in CONFIG_FILES])
def test_bad_config_file(name, text, fragment, tmp_path, capsys):
    file = tmp_path / "bad.yaml"
    file.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    out = tmp_path / "out"
    code, _, err = _cli(["run", str(file), "--quiet", "--out", str(out)], capsys)
    _check(code, err, out, fragment, str(file))


@pytest.mark.parametrize("name, text, fragment", EXPERIMENT_FILES, ids=[c[0] for c in EXPERIMENT_FILES])
def test_bad_experiment_file(name, text, fragment, tmp_path, capsys):
    file = tmp_path / "exp.yaml"
    file.write_text(text.replace("BASE", str(VILLAGE)), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = _cli(["experiment", str(file), "--executor", "serial", "--out", str(out)], capsys)
    _check(code, err, out, fragment, str(file) if "add --yes" not in fragment else "")


@pytest.mark.parametrize("name, text, fragment", SCENARIO_FILES, ids=[c[0] for c in SCENARIO_FILES])
def test_bad_funding_scenario(name, text, fragment, tmp_path, capsys):
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = _cli(["run", "--quiet", "--out", str(out), "--set", f"funding={scenario}"], capsys)
    _check(code, err, out, fragment, str(scenario))


def test_corpus_has_at_least_150_cases():
    assert len(OVERRIDES) + len(CONFIG_FILES) + len(EXPERIMENT_FILES) + len(SCENARIO_FILES) >= 150


# -- folders and files that are not input settings ---------------------------------------------------


def test_out_below_a_file(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = _cli(["run", "--quiet", "--set", "years=1", "--set", "village.households=20",
                         "--out", str(blocker / "out")], capsys)
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "a part of this path is a file" in err and str(blocker) in err


def test_full_disk_is_one_line_and_exit_1(tmp_path, capsys, monkeypatch):
    import errno
    import os

    import sim.io

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "out" / "yearly.parquet"))

    monkeypatch.setattr(sim.io, "atomic_write_parquet", full)
    monkeypatch.setattr("sim.run.atomic_write_parquet", full, raising=False)
    code, _, err = _cli(["run", "--quiet", "--set", "years=1", "--set", "village.households=20",
                         "--out", str(tmp_path / "out")], capsys)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err, err
    assert "the disk is full" in err and "yearly.parquet" in err


def _experiment_folder(tmp_path: Path, capsys) -> tuple[Path, Path]:
    exp = tmp_path / "exp.yaml"
    exp.write_text(f"name: t\nbase: {VILLAGE}\nyears: 1\nreplicates: 2\nruns_per_task: 1\n"
                   f"overrides: {{village.households: 20}}\n", encoding="utf-8")
    out = tmp_path / "res"
    code, _, err = _cli(["experiment", str(exp), "--executor", "serial", "--out", str(out)], capsys)
    assert code == 0, err
    return exp, out


def test_corrupt_manifest(tmp_path, capsys):
    _, out = _experiment_folder(tmp_path, capsys)
    (out / "manifest.json").write_text('{"status": "comp', encoding="utf-8")
    code, _, err = _cli(["compare", str(out)], capsys)
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert "manifest.json: damaged: not valid JSON" in err


def test_damaged_results_table(tmp_path, capsys):
    _, out = _experiment_folder(tmp_path, capsys)
    (out / "runs.parquet").write_text("garbage", encoding="utf-8")
    code, _, err = _cli(["compare", str(out)], capsys)
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert "runs.parquet: not a readable Parquet file" in err and "--resume" in err


def test_task_piece_that_is_not_parquet(tmp_path, capsys):
    exp, out = _experiment_folder(tmp_path, capsys)
    piece = out / "tasks" / "series-000001.parquet"
    piece.write_text("not parquet", encoding="utf-8")
    (out / "runs.parquet").unlink()
    code, _, err = _cli(["experiment", str(exp), "--executor", "serial", "--out", str(out), "--resume"], capsys)
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert code == 2 and len(errors) == 1 and err.splitlines()[-1] == errors[0] and "Traceback" not in err, err
    assert "series-000001.parquet: not a readable Parquet file" in err and "--resume" in err


# -- a handful through a real subprocess ------------------------------------------------------------------


@pytest.mark.parametrize("argv, fragment", [
    (["run", "--set", "years=true"], "true/false is not a number"),
    (["run", "--set", "health.serious.onsets_per_person_year=.nan"], "finite number"),
    (["run", "--set", "village.households=5000000", "--set", "years=100"], "add --yes"),
])
def test_subprocess(argv, fragment, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "sim", *argv, "--out", str(out)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and fragment in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_duplicate_key_file_in_subprocess(tmp_path):
    file = tmp_path / "dup.yaml"
    file.write_text("years: 2\ncooperative:\n  wage_yuan_per_mu_year: 300\n"
                    "cooperative:\n  wage_yuan_per_mu_year: 200\n")
    proc = subprocess.run([sys.executable, "-m", "sim", "run", str(file), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"error: {file}: line 4, column 1: duplicate key 'cooperative' (the mapping "
                                   f"starting on line 1 already has it); each key may appear once")
