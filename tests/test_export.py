"""`coopsim export` (issue 19, item 5): every results table as CSV and, with --xlsx, one workbook, with labelled
columns and units, variant labels beside their names, numbers short enough to read and seeds exact."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.compare import compare
from sim.export import column_label, readable
from sim.results import load

ROOT = Path(__file__).resolve().parents[1]


def test_columns_are_labelled_with_units():
    assert column_label("poverty_headcount_ratio") == "Poverty headcount ratio (share of persons)"
    assert column_label("dividends_paid_total").endswith("sum over the run (yuan)")
    assert column_label("public_yuan:dibao") == "public money: Dibao (minimum living allowance) (yuan)"
    assert column_label("seed") == "seed" and column_label("param:economy.x") == "parameter economy.x"


def test_readable_tables_keep_names_beside_labels_and_round_floats():
    table = pd.DataFrame({"variant": ["a"], "outcome": ["gini"], "mean": [0.123456789123], "n": [3]})
    out = readable(table, {"a": "Plan A"})
    assert list(out.columns) == ["variant", "variant label", "outcome", "outcome label", "mean", "n"]
    assert out.loc[0, "variant label"] == "Plan A" and out.loc[0, "mean"] == 0.123457


def test_export_writes_every_table_as_csv_and_a_workbook(small_results, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")  # a dependency; older environments may not have it yet
    import shutil

    folder = tmp_path / "x"
    shutil.copytree(small_results, folder)
    compare(folder)
    res = subprocess.run([sys.executable, "-m", "sim", "export", str(folder), "--xlsx"], capture_output=True,
                         text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    runs = pd.read_csv(folder / "export" / "runs.csv")
    assert "Poverty headcount ratio (share of persons)" in runs.columns and "variant label" in runs.columns
    assert list(runs["seed"]) == list(load(folder).runs["seed"])  # seeds exact in the CSV
    for name in ("series", "comparison", "pairwise", "regret"):
        assert (folder / "export" / f"{name}.csv").exists()
    book = openpyxl.load_workbook(folder / "export" / "results.xlsx")
    assert {"runs", "series", "comparison", "pairwise", "regret"} <= set(book.sheetnames)
    head = [c.value for c in book["runs"][1]]
    seed = book["runs"].cell(2, head.index("seed") + 1).value
    assert seed == str(load(folder).runs["seed"].iloc[0])  # as text: Excel would round a 64-bit seed
