"""What the terminal shows (issue 19, item 4): tables read at 80 columns without `…` over a number, labels not ids,
`compare` respects --outcome and keeps one comparison per baseline, --quiet still names the results folder,
--version, progress lines off a terminal, and a caution when Sobol indices show the sample is too small."""

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from sim.compare import compare
from sim.compare_table import number, print_comparison, print_cost_effectiveness, print_ranking
from sim.executors import Progress
from sim.report_table import print_yearly_table
from sim.run import simulate
from sim.sensitivity import too_small

ROOT = Path(__file__).resolve().parents[1]
LABELS = {"none": "No cooperative", "coop": "Cooperative with land shares", "coop_wages": "+ wage contracting"}


def coopsim(*args, env=None):
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, env=env)


def at_80(draw) -> str:
    console = Console(width=80, record=True, file=open("/dev/null", "w"))  # noqa: SIM115 - closed with the console
    draw(console)
    text = console.export_text()
    console.file.close()
    return text


def assert_readable(text: str) -> None:
    """No `…`, and every table line within 80 columns (a sentence below a table is left whole for the terminal
    to wrap)."""
    assert "…" not in text, text
    assert max(len(line.rstrip()) for line in text.splitlines() if line[:1] in "┏┃┡│├└") <= 80


def test_yearly_tables_read_at_80_columns():
    run = simulate(None, seed=1, years=3)
    text = at_80(lambda c: print_yearly_table(run, c))
    assert_readable(text)
    assert "(continued)" in text and "remittance" in text and "2017" in text  # split, every column kept


def test_comparison_tables_read_at_80_columns_with_labels(small_results, tmp_path):
    folder = tmp_path / "c"
    shutil.copytree(small_results, folder)
    table, files = compare(folder)
    text = at_80(lambda c: print_comparison(table, None, c, LABELS))
    assert_readable(text)
    assert "Cooperative with land shares" in text and "coop_wages" not in text
    assert "%" in text and " pp" in text  # the headcount as a percentage, its change in percentage points
    pairs, regrets = pd.read_parquet(files["pairwise"]), pd.read_parquet(files["regret"])
    assert_readable(at_80(lambda c: print_ranking(pairs, regrets, c, LABELS)))
    if "costs" in files:
        assert_readable(at_80(lambda c: print_cost_effectiveness(pd.read_parquet(files["costs"]), c, LABELS)))


def test_numbers_carry_their_units():
    assert number(0.19793, "share of persons") == "19.8%" and number(-0.0043, "share", diff=True) == "\u22120.4 pp"
    assert number(1.1, "households", diff=True) == "+1.1" and number(48215.4, "households") == "48,215"
    assert number(1_650_000, "yuan/year") == "1.65 million" and number(0.4324, "index") == "0.432"


def test_compare_respects_outcome_and_keeps_one_file_per_baseline(small_results, tmp_path):
    folder = tmp_path / "c"
    shutil.copytree(small_results, folder)
    first = coopsim("compare", str(folder))
    assert first.returncode == 0, first.stderr
    kept = (folder / "comparison.csv").read_bytes()
    res = coopsim("compare", str(folder), "--outcome", "gini", "--baseline", "coop")
    assert res.returncode == 0, res.stderr
    assert "Gini" in res.stdout and "Public cost per extra household" not in res.stdout
    assert "Ranking" not in res.stdout and "Poverty headcount" not in res.stdout
    assert (folder / "comparison.csv").read_bytes() == kept  # the first comparison is not rewritten
    other = pd.read_csv(folder / "comparison-vs-coop.csv")
    assert set(other["baseline"]) == {"coop"} and "comparison-vs-coop.csv" in res.stdout


def test_quiet_still_names_the_results_folder_and_version(tmp_path):
    res = coopsim("run", "--years", "1", "--quiet", "--out", str(tmp_path / "r"))
    assert res.returncode == 0 and res.stdout.strip() == f"results: {tmp_path / 'r'}"
    version = coopsim("--version")
    assert version.returncode == 0 and version.stdout.startswith("coopsim 0.")


def test_progress_lines_off_a_terminal(capsys):
    progress = Progress(total=4, done=0, enabled=None, every_seconds=3600)  # pytest's stderr is not a terminal
    progress.update(1, 0)  # the first finished task always prints
    progress.update(1, 1)  # within the hour: silent
    progress.update(2, 0)  # the last always prints
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and lines[0].startswith("progress: 1 of 4 runs (25%), 0 failed")
    assert lines[1].startswith("progress: 4 of 4 runs (100%), 1 failed")
    quiet = Progress(total=4, done=0, enabled=False)
    quiet.update(4, 0)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("s1, st, warned", [(-0.05, 0.3, True), (0.4, 0.3, True), (0.2, 0.3, False)])
def test_sobol_indices_from_too_small_a_sample_are_flagged(s1, st, warned):
    table = pd.DataFrame({"outcome": ["gini"], "parameter": ["wage"], "method": ["sobol"], "samples": [64],
                          "S1": [s1], "S1_conf": [0.1], "ST": [st], "ST_conf": [0.1]})
    text = too_small(table)
    assert bool(text) == warned
    if warned:
        assert "samples: 64" in text and "raise sweep.samples" in text


def test_a_long_run_prints_month_lines_off_a_terminal(capsys):
    from sim.cli import _month_lines

    line = _month_lines(every_seconds=0.0)
    line(12, 120)
    line(120, 120)  # the end is the results line's job
    assert capsys.readouterr().err.splitlines() == ["progress: month 12 of 120"]
