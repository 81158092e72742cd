"""docs/experiments.md stays complete and right: every experiment-file key is documented, and its
DuckDB query gives the paired differences that `compare` computes."""

import json
import re
from pathlib import Path

import pytest

from sim.compare import compare_runs
from sim.executors import run_experiment
from sim.experiment import Experiment, Sweep, SweepParameter, Variant, load_experiment
from sim.results import load

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "experiments.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("model", [Experiment, Variant, Sweep, SweepParameter])
def test_every_experiment_file_key_is_documented(model):
    missing = [f for f in model.model_fields if f"`{f}`" not in DOC]
    assert not missing, f"{model.__name__} keys missing from docs/experiments.md: {missing}"


def test_documented_duckdb_query_gives_the_paired_differences(tmp_path):
    import duckdb

    spec = {"name": "q", "base": str(ROOT / "configs" / "village.yaml"), "years": 2, "replicates": 3,
            "seed": 9, "overrides": {"village.households": 60}, "runs_per_task": 3,
            "variants": [{"name": "no_cooperative", "overrides": {"policies": []}}, {"name": "full"}]}
    path = tmp_path / "q.yaml"
    path.write_text(json.dumps(spec))
    folder = tmp_path / "results" / "policy_variants"
    run_experiment(load_experiment(path), folder, executor="serial", progress=False)
    query = re.search(r"```sql\n(.*?)```", DOC, re.S).group(1).replace("results/", f"{tmp_path}/results/")
    got = dict((v, d) for v, pairs, d in duckdb.sql(query).fetchall() if pairs == 3)
    table = compare_runs(load(folder).runs, "no_cooperative")
    expected = table[table.outcome == "poverty_headcount_ratio"].set_index("variant")["diff"]
    assert got == pytest.approx(expected.to_dict())
