"""Benchmark: the default village (20 years), a 20,000-household village, and the array household
update against its per-agent Mesa twin. Prints a Markdown table for the README.

    python benchmarks/bench_village.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import per_agent  # noqa: E402

from sim.model import VillageModel  # noqa: E402
from sim.policies.economy import household_month  # noqa: E402


def time_run(households: int, years: int, repeat: int) -> dict:
    times = []
    for r in range(repeat):
        t0 = time.perf_counter()
        model = VillageModel(rng=r, years=years, village__households=households)
        model.run()
        times.append(time.perf_counter() - t0)
        assert model.history[-1]["ledger_imbalance"] == 0
    tracemalloc.start()
    VillageModel(rng=0, years=years, village__households=households).run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    wall = statistics.median(times)
    return {"households": households, "years": years, "wall_s": wall,
            "ns_per_household_month": wall / (households * years * 12) * 1e9, "peak_mib": peak / 2**20}


def time_update(households: int, months: int = 12) -> dict:
    inputs = per_agent.random_inputs(households, seed=1)
    rates = per_agent.default_rates()
    village = per_agent.PerAgentVillage(inputs, rates)
    t0 = time.perf_counter()
    for _ in range(months):
        village.step()
    slow = (time.perf_counter() - t0) / (households * months)
    t0 = time.perf_counter()
    for _ in range(months):
        fast_out = household_month(**inputs, r=rates)
    fast = (time.perf_counter() - t0) / (households * months)
    slow_out = village.outputs()
    same = all(np.allclose(fast_out[k], slow_out[k], rtol=1e-12, atol=1e-9) for k in per_agent.OUTPUTS)
    return {"households": households, "per_agent_ns": slow * 1e9, "array_ns": fast * 1e9,
            "speedup": slow / fast, "same_numbers": same}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    runs = [time_run(400, 20, args.repeat), time_run(20_000, 20, max(1, args.repeat // 2))]
    update = time_update(20_000)
    print("| run | households | years | wall time | ns per household-month | peak memory |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in runs:
        print(f"| full model | {r['households']:,} | {r['years']} | {r['wall_s']:.3f} s | "
              f"{r['ns_per_household_month']:,.0f} | {r['peak_mib']:.1f} MiB |")
    print()
    print("| monthly household update, 20,000 households | ns per household-month |")
    print("|---|---:|")
    print(f"| per-agent Mesa (`agents.do('step')`) | {update['per_agent_ns']:,.0f} |")
    print(f"| numpy arrays (`household_month`) | {update['array_ns']:,.1f} |")
    print(f"| speed-up | {update['speedup']:,.0f}x (same numbers: {update['same_numbers']}) |")
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / "village.json").write_text(json.dumps({"runs": runs, "update": update}, indent=2))


if __name__ == "__main__":
    main()
