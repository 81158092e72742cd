"""The command line as a user runs it: results written, and bad input gets one clear message and exit 2."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


def coopsim(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=cwd or ROOT,
                          timeout=120)


def test_help_lists_commands():
    res = coopsim("--help")
    assert res.returncode == 0 and "run" in res.stdout


def test_run_prints_tables_and_writes_results(tmp_path):
    out = tmp_path / "res"
    res = coopsim("run", "configs/village.yaml", "--years", "2", "--seed", "4", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "Poverty and income per person by source" in res.stdout and "2016" in res.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 4 and manifest["years"] == 2
    assert "cooperative" in manifest["config"]["policies"]
    yearly = pd.read_parquet(out / "yearly.parquet")
    assert list(yearly.year) == [2015, 2016]
    assert (yearly.ledger_imbalance == 0).all()
    flows = pd.read_parquet(out / "flows.parquet")
    assert set(flows.columns) == {"year", "source", "from", "to", "amount_yuan"}
    assert not list(out.glob(".*tmp"))  # no temporary files left behind


def test_set_overrides_reach_the_model(tmp_path):
    res = coopsim("run", "--years", "1", "--quiet", "--out", str(tmp_path / "r"),
                  "--set", "policies=[]", "--set", "village.households=50")
    assert res.returncode == 0, res.stderr
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert manifest["config"]["village"]["households"] == 50 and manifest["config"]["policies"] == []
    assert pd.read_parquet(tmp_path / "r" / "yearly.parquet").coop_active.iloc[0] == 0


BAD = {
    "missing.yaml": (None, "file not found"),
    "bad_yaml.yaml": ("village: [\n", "not valid YAML"),
    "wrong_type.yaml": ("village:\n  households: many\n", "village.households"),
    "out_of_range.yaml": ("health:\n  policy_range_share: 1.5\n", "health.policy_range_share"),
    "unknown_key.yaml": ("cooperative:\n  wage_yuan_per_mu: 300\n", "did you mean 'wage_yuan_per_mu_year'"),
    "unknown_policy.yaml": ("policies: [cooperative, pairing]\n", "unknown policy 'pairing'"),
    "not_mapping.yaml": ("- a\n- b\n", "expected a mapping"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_config_gets_a_clear_error_and_exit_2(tmp_path, name):
    text, expected = BAD[name]
    path = tmp_path / name
    if text is not None:
        path.write_text(text)
    res = coopsim("run", str(path), "--out", str(tmp_path / "out"))
    assert res.returncode == 2
    assert res.stderr.startswith("error: ") and str(path) in res.stderr and expected in res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists()


def test_bad_override_names_the_setting():
    res = coopsim("run", "--set", "cooperative.wage_yuan_per_mu=300")
    assert res.returncode == 2
    assert "--set: cooperative.wage_yuan_per_mu: unknown key" in res.stderr
    assert "wage_yuan_per_mu_year" in res.stderr


def test_a_previous_results_folder_survives_a_failed_run(tmp_path):
    out = tmp_path / "res"
    assert coopsim("run", "--years", "1", "--quiet", "--out", str(out)).returncode == 0
    before = (out / "yearly.parquet").read_bytes()
    res = coopsim("run", "--years", "1", "--quiet", "--out", str(out), "--set", "village.households=-1")
    assert res.returncode == 2
    assert (out / "yearly.parquet").read_bytes() == before
