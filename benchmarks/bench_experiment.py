"""Benchmark: experiment throughput (runs per second of the default village, 10 years) on 1 and 2
local worker processes, parallel efficiency, and the wall time of a 1,000-run sweep on 2 workers.

    python benchmarks/bench_experiment.py [--runs 120] [--sweep-runs 1000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from sim.executors import run_experiment
from sim.experiment import load_experiment

ROOT = Path(__file__).resolve().parents[1]


def experiment_file(folder: Path, runs: int, sweep: bool) -> Path:
    spec = {"name": "bench", "base": str(ROOT / "configs" / "village.yaml"), "seed": 1, "runs_per_task": 10}
    if sweep:  # a 1-variant grid over the wage rate x replicates
        spec.update({"replicates": runs // 10, "sweep": {"method": "grid", "levels": 10, "parameters": {
            "cooperative.wage_yuan_per_mu_year": {"low": 200, "high": 400}}}})
    else:
        spec["replicates"] = runs
    path = folder / f"bench-{runs}-{sweep}.yaml"
    path.write_text(json.dumps(spec))
    return path


def timed(path: Path, workers: int, executor: str = "process") -> tuple[float, int]:
    plan = load_experiment(path)
    out = Path(tempfile.mkdtemp(prefix="coopsim-bench-"))
    try:
        t0 = time.perf_counter()
        run_experiment(plan, out / "r", workers=workers, executor=executor, progress=False)
        return time.perf_counter() - t0, len(plan.runs)
    finally:
        shutil.rmtree(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=120)
    ap.add_argument("--sweep-runs", type=int, default=1000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="coopsim-bench-"))
    path = experiment_file(tmp, args.runs, sweep=False)
    one, n = timed(path, 1, "serial")
    two, _ = timed(path, 2)
    sweep_time, sweep_n = timed(experiment_file(tmp, args.sweep_runs, sweep=True), 2)
    shutil.rmtree(tmp)
    r1, r2 = n / one, n / two
    print("| experiment throughput (default village, 10 years) | value |")
    print("|---|---:|")
    print(f"| 1 worker | {r1:.1f} runs/s |")
    print(f"| 2 workers (local processes) | {r2:.1f} runs/s |")
    print(f"| parallel efficiency on 2 workers | {r2 / (2 * r1):.0%} |")
    print(f"| {sweep_n:,}-run sweep on 2 workers | {sweep_time:.1f} s |")


if __name__ == "__main__":
    main()
