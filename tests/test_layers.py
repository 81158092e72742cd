"""Imports point down the layers only and never form a cycle (TYPE_CHECKING and deferred imports included).

foundation -> state -> mechanisms -> registry and config -> model -> running -> analysis -> presentation -> cli:
a module may import from its own layer or a lower one. Imports sit at the top of files, except heavy ones
deferred on purpose for a fast `coopsim --help` (the command line's, and the charting and analysis libraries).
"""

from __future__ import annotations

import ast
from pathlib import Path

SIM = Path(__file__).resolve().parents[1] / "sim"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("sim", "sim.errors", "sim.yamlfile", "sim.io", "sim.rng", "sim.schema", "sim.ledger", "sim.declarations",
     "sim.calendar", "sim.folder", "sim.interrupt", "sim.kernels", "sim.ledger_kernels", "sim.village_kernels"),
    ("sim.population", "sim.cooperatives"),
    ("sim.interface", "sim.funding", "sim.loans", "sim.policies"),  # sim.policies.*: the mechanisms
    ("sim.policies.registry", "sim.county", "sim.config"),
    ("sim.model", "sim.agents", "sim.metrics", "sim.schedule", "sim.poverty"),
    ("sim.run", "sim.experiment", "sim.executors", "sim.results", "sim.places", "sim.jobsize", "sim.pool",
     "sim.worker_preload",
     "sim.dask_run", "sim.json_schemas", "sim.abc_smc", "sim.fit_file", "sim.scoring", "sim.place_checks"),
    ("sim.compare", "sim.ranking", "sim.sensitivity", "sim.calibrate", "sim.validate", "sim.patterns",
     "sim.patterns_run", "sim.fit_patterns", "sim.briefing", "sim.plan", "sim.plan.problem", "sim.plan.split",
     "sim.plan.objective", "sim.plan.evaluate", "sim.plan.search", "sim.plan.optimise", "sim.plan.summary",
     "sim.plan.frontier", "sim.plan.target", "sim.plan.absorb", "sim.plan.allocate", "sim.plan.geography",
     "sim.verify", "sim.validate_table", "sim.joint", "sim.validate_patterns"),
    ("sim.charts", "sim.report", "sim.report_table", "sim.i18n", "sim.briefing_text", "sim.compare_table",
     "sim.export", "sim.plan.job", "sim.plan.show", "sim.plan.charts",
     "sim.plan.report", "sim.plan.scenario", "sim.plan.dashboard", "sim.plan.dashboard_text",
     "sim.validation_chart"),
    ("sim.cli", "sim.__main__", "sim.plan.commands"),
)
# third-party modules a function may import late, on purpose: slow to import, not needed by every command
HEAVY = ("matplotlib", "seaborn", "SALib", "dask", "distributed", "scipy", "rich", "tqdm", "pyarrow", "typer",
         "multiprocessing", "importlib.metadata", "mesa", "optuna", "solara", "playwright", "pyabc",
         "numba")


def module_name(path: Path) -> str:
    parts = path.relative_to(SIM.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    for depth, names in enumerate(LAYERS):
        if module in names:
            return depth
    if module.startswith("sim.policies."):
        return 2
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in tests/test_layers.py")


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import statement in the file, TYPE_CHECKING ones
    included; `from a import b` gives "a" (and "a.b" too when b is a module: see `graph`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
              for n in ast.walk(f)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno, id(node) in inside) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, node.lineno, id(node) in inside))
            out += [(f"{node.module}.{a.name}", -node.lineno, id(node) in inside) for a in node.names]
    return out


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in SIM.rglob("*.py")}
    edges: dict[str, set[str]] = {m: set() for m in files}
    for mod, path in files.items():
        for name, _line, _late in imports(path):
            if name in files and name != mod:
                edges[mod].add(name)
    return edges


def test_no_import_cycles():
    edges = graph()
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])


def test_imports_point_down_the_layers():
    upward = [f"{mod} (layer {layer(mod)}) imports {dep} (layer {layer(dep)})"
              for mod, deps in graph().items() for dep in deps if layer(dep) > layer(mod)]
    assert not upward, "upward imports:\n  " + "\n  ".join(sorted(upward))


def test_imports_are_at_the_top_except_deferred_heavy_ones():
    late = []
    for path in sorted(SIM.rglob("*.py")):
        mod = module_name(path)
        for name, line, inside in imports(path):
            commands = mod in ("sim.cli", "sim.plan.commands")
            if not inside or line < 0 or commands or name.split(".")[0] in HEAVY or name in HEAVY:
                continue
            late.append(f"{path.relative_to(SIM.parent)}:{line} imports {name} inside a function")
    assert not late, "\n".join(late)


def test_the_layer_test_catches_a_cycle_and_an_upward_import(tmp_path):
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sim.model import VillageModel\n")
    b.write_text("def f():\n    from sim.config import Config\n")
    assert ("sim.model", 3, False) in imports(a)
    assert ("sim.config", 2, True) in imports(b)
    assert layer("sim.ledger") < layer("sim.policies.economy") < layer("sim.config") < layer("sim.model")


def test_mechanisms_reach_each_other_by_class_not_by_name():
    """`model.mechanism(Governance)` (typed, `Governance | None`), never `model.policy("governance")`."""
    by_name = [f"{p.relative_to(SIM.parent)}:{i}" for p in sorted((SIM / "policies").glob("*.py"))
               for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if ".policy(" in line]
    assert not by_name, "mechanisms looked up by name: " + ", ".join(by_name)
