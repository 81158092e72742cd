"""The county's scaling: configs/county.yaml (every mechanism, its funding scenario) at several village counts, each
in a fresh process on one core: build and run time (CPU time of that process), ns per household-month, bytes per
household, the fitted exponent of time against households."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()
from sim.config import load_config
from sim.model import VillageModel
villages, years, config = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
cfg = load_config(config, {"county.villages": villages, "years": years})
VillageModel(config=load_config(config, {"county.villages": 1, "years": 2}), rng=1).run()  # imports, kernels loaded
before = rss()
t0 = time.process_time()
model = VillageModel(config=cfg, rng=1)
t1 = time.process_time()
built = rss()
model.run()
t2 = time.process_time()
assert all(row["ledger_imbalance"] == 0 for row in model.history)
print(json.dumps({"villages": villages, "households": int(model.hh.n), "years": years, "build_s": t1 - t0,
                  "run_s": t2 - t1, "built_bytes": built - before, "after_run_bytes": rss() - before,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(villages: int, years: int, config: Path) -> dict:
    """One county size in a fresh process (so peak memory is that size's)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    res = subprocess.run([sys.executable, "-c", CHILD, str(villages), str(years), str(config)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)
    r = json.loads(res.stdout.strip().splitlines()[-1])
    months = r["households"] * years * 12
    r["total_s"] = r["build_s"] + r["run_s"]
    r["run_ns_per_household_month"] = r["run_s"] / months * 1e9
    r["bytes_per_household"] = r["after_run_bytes"] / r["households"]
    return r


def exponent(rows: list[dict], key: str = "total_s") -> float:
    """Least-squares slope of log time against log households (1: time grows as households)."""
    x = np.log([r["households"] for r in rows])
    y = np.log([r[key] for r in rows])
    return float(np.polyfit(x, y, 1)[0])


def table(rows: list[dict]) -> str:
    head = ("| villages | households | build | run (10 years) | ns per household-month (run) | bytes per household "
            "(after the run) | peak memory |\n|---:|---:|---:|---:|---:|---:|---:|")
    body = [f"| {r['villages']} | {r['households']:,} | {r['build_s']:.2f} s | {r['run_s']:.2f} s | "
            f"{r['run_ns_per_household_month']:,.0f} | {r['bytes_per_household']:,.0f} | {r['peak_rss_mib']:,.0f} MiB |"
            for r in rows]
    fits = (f"\nTime against households: exponent {exponent(rows, 'run_s'):.2f} (run), "
            f"{exponent(rows):.2f} (build + run); 1.00 is linear.") if len(rows) > 1 else ""
    return "\n".join([head, *body]) + fits
