"""Experiment throughput: the default experiment (experiments/policy_variants.yaml, fewer replicates) run in this
process without writing, then by the experiment machinery on 1 and 2 local worker processes (start-up, hand-over
and writing included): runs per second per core, and parallel efficiency."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EXPERIMENT = ROOT / "experiments" / "policy_variants.yaml"
SOBOL_RUNS = 10_000


def experiment_file(folder: Path, replicates: int) -> Path:
    """The default experiment with `replicates` replicates, its base made absolute."""
    spec = yaml.safe_load(DEFAULT_EXPERIMENT.read_text())
    spec.update(base=str((DEFAULT_EXPERIMENT.parent / spec["base"]).resolve()), replicates=replicates)
    path = folder / f"bench-{replicates}.json"
    path.write_text(json.dumps(spec))
    return path


def in_process(path: Path) -> tuple[float, int]:
    """Every run of the plan in this process, results collected but not written."""
    from sim.executors import run_task
    from sim.experiment import load_experiment

    plan = load_experiment(path)
    t0 = time.perf_counter()
    run_task(plan.runs)
    return time.perf_counter() - t0, len(plan.runs)


def machinery(path: Path, workers: int) -> float:
    """Wall time of `run_experiment` on `workers` local processes, into a scratch folder."""
    from sim.executors import run_experiment
    from sim.experiment import load_experiment

    plan, out = load_experiment(path), Path(tempfile.mkdtemp(prefix="coopsim-bench-"))
    try:
        t0 = time.perf_counter()
        run_experiment(plan, out / "r", workers=workers, executor="process", progress=False)
        return time.perf_counter() - t0
    finally:
        shutil.rmtree(out)


def measure(replicates: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="coopsim-bench-"))
    try:
        path = experiment_file(tmp, replicates)
        in_process(experiment_file(tmp, 1))  # warm-up: imports and caches are not timed
        own_s, n = in_process(path)
        one_s, two_s = machinery(path, 1), machinery(path, 2)
    finally:
        shutil.rmtree(tmp)
    r0, r1, r2 = n / own_s, n / one_s, n / two_s
    return {"runs": n, "in_process_runs_per_s": r0, "one_worker_runs_per_s": r1, "two_workers_runs_per_s": r2,
            "per_core_vs_in_process": r1 / r0, "parallel_efficiency": r2 / (2 * r1),
            "sobol_10000_wall_s": SOBOL_RUNS / r2}


def table(r: dict) -> str:
    return "\n".join([
        f"| the default experiment ({r['runs']} runs of the default village, 10 years) | value |", "|---|---:|",
        f"| in this process, results not written | {r['in_process_runs_per_s']:.1f} runs/s |",
        f"| 1 worker process (start-up and writing included) | {r['one_worker_runs_per_s']:.1f} runs/s "
        f"({r['per_core_vs_in_process']:.0%} of in-process) |",
        f"| 2 worker processes | {r['two_workers_runs_per_s']:.1f} runs/s |",
        f"| parallel efficiency on 2 workers | {r['parallel_efficiency']:.0%} |",
        f"| a 10,000-run Sobol sweep on 2 workers (at this rate) | {r['sobol_10000_wall_s'] / 60:.0f} min |",
    ])
