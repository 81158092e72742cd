"""Running candidate splits: every split on the same replicate seeds (common random numbers), on local worker
processes (sim/pool.py) or in this process, returning the experiments' runs and series tables."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

import pandas as pd

from sim.config import Config, validate
from sim.executors import _failed_task, run_task
from sim.experiment import RunSpec
from sim.plan.problem import Problem
from sim.pool import run_processes

RUNS_PER_TASK = 1  # a county run takes seconds: one per task keeps both cores busy to the end


def specs(problem: Problem, splits: Mapping[str, Mapping[str, float]], seeds: list[int]) -> list[RunSpec]:
    """One run per split and seed; each split's config validated once (a bad split is an error, not a run)."""
    out: list[RunSpec] = []
    for name, split in splits.items():
        cfg = validate(Config, problem.config(name, dict(split)), f"split {name}").model_dump(mode="json")
        text = json.dumps(cfg, sort_keys=True)
        out += [RunSpec(len(out) + r, name, 0, r, s, (), text, problem.years) for r, s in enumerate(seeds)]
    return [RunSpec(i, s.variant, 0, s.replicate, s.seed, (), s.config, s.years) for i, s in enumerate(out)]


def evaluate(problem: Problem, splits: Mapping[str, Mapping[str, float]], seeds: list[int], workers: int = 1,
             on_run: Callable[[int, int], None] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(runs, series) of every split on every seed; `on_run(done, total)` after each finished run."""
    return run_specs(specs(problem, splits, seeds), workers, on_run)


def run_specs(runs: list[RunSpec], workers: int = 1, on_run: Callable[[int, int], None] | None = None,
              per_task: int = RUNS_PER_TASK) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(runs, series) of the given runs, `per_task` to a worker's task; a failed run is an error."""
    tasks = [runs[i:i + per_task] for i in range(0, len(runs), per_task)]
    results: list = []

    def finished(_t: int, result) -> None:
        results.append(result)
        if on_run is not None:
            on_run(sum(len(r[0]) for r in results), len(runs))

    if workers <= 1 or len(tasks) == 1:
        for t, task in enumerate(tasks):
            finished(t, run_task(task))
    else:
        run_processes(run_task, tasks, list(range(len(tasks))), None, workers, finished, _failed_task)
    table = pd.concat([r[0] for r in results], ignore_index=True).sort_values("run_id", ignore_index=True)
    series = pd.concat([r[1] for r in results], ignore_index=True)
    failed = table[table["status"] != "ok"]
    if len(failed):
        raise RuntimeError(f"{len(failed)} of {len(table)} runs failed; first: {failed['error'].iloc[0]}")
    return table.copy(), series  # the copy is one block: adding a column later does not warn of fragmentation
