"""The README's Python examples run as written (those that need no results folder)."""

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_model_example_runs():
    block = next(b for b in BLOCKS if "from sim.model import VillageModel" in b)
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own documentation
    assert namespace["model"].history and namespace["run"].final["ledger_imbalance"] == 0


def test_results_example_runs(tmp_path, monkeypatch):
    import json

    from sim.executors import run_experiment
    from sim.experiment import load_experiment

    root = Path(__file__).resolve().parents[1]
    spec = {"name": "pv", "base": str(root / "configs" / "village.yaml"), "years": 1, "replicates": 2,
            "overrides": {"village.households": 40},
            "variants": [{"name": "no_cooperative", "overrides": {"policies": []}}, {"name": "coop"}]}
    (tmp_path / "pv.yaml").write_text(json.dumps(spec))
    run_experiment(load_experiment(tmp_path / "pv.yaml"), tmp_path / "results" / "policy_variants",
                   executor="serial", progress=False)
    monkeypatch.chdir(tmp_path)
    block = next(b for b in BLOCKS if "from sim.results import load" in b)
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
    assert len(namespace["res"].runs) == 4
