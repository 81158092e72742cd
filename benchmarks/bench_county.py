"""Benchmark: a county (configs/county.yaml, its policies and funding scenario) from 10,000 to 300,000
households for 10 years on one core: build time, run time, time per household-month and peak memory
(resident set size of a fresh process per size). Prints a Markdown table for the README.

    python benchmarks/bench_county.py [--years 10] [--sizes 10000,30000,100000,300000]

Villages average 519 households (seed 003: ~300,000 households in 578 villages), so a size of
n households is a county of round(n / 519) villages.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOUSEHOLDS_PER_VILLAGE = 519

CHILD = r"""
import json, resource, sys, time
from sim.config import load_config
from sim.model import VillageModel
villages, years, config = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
cfg = load_config(config, {"county.villages": villages, "years": years})
t0 = time.perf_counter()
model = VillageModel(config=cfg, rng=1)
t1 = time.perf_counter()
model.run()
t2 = time.perf_counter()
assert all(row["ledger_imbalance"] == 0 for row in model.history)
print(json.dumps({"villages": villages, "households": int(model.hh.n), "years": years, "build_s": t1 - t0,
                  "run_s": t2 - t1, "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "policies": list(model.active_policies)}))
"""


def measure(households: int, years: int, config: Path) -> dict:
    villages = max(1, round(households / HOUSEHOLDS_PER_VILLAGE))
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    res = subprocess.run([sys.executable, "-c", CHILD, str(villages), str(years), str(config)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--sizes", default="10000,30000,100000,300000", help="households, comma-separated")
    ap.add_argument("--config", type=Path, default=ROOT / "configs" / "county.yaml")
    args = ap.parse_args()
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        r = measure(n, args.years, args.config)
        r["total_s"] = r["build_s"] + r["run_s"]
        r["us_per_household_month"] = r["run_s"] / (r["households"] * r["years"] * 12) * 1e6
        rows.append(r)
        print(f"  {r['households']:,} households: {r['total_s']:.1f} s", file=sys.stderr)
    base = rows[0]
    print(f"| households | villages | years | build | run | total | µs per household-month | time vs "
          f"{base['households']:,} | peak memory |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['households']:,} | {r['villages']} | {r['years']} | {r['build_s']:.1f} s | {r['run_s']:.1f} s | "
              f"{r['total_s']:.1f} s | {r['us_per_household_month']:.2f} | {r['total_s'] / base['total_s']:.1f}x "
              f"(size {r['households'] / base['households']:.0f}x) | {r['peak_rss_mib']:,.0f} MiB |")
    print(f"\npolicies: {', '.join(rows[-1]['policies'])}")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "county.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
