"""The benchmark's command line: `python -m benchmarks.run [--short] [--sections ...]`; prints the README's
Performance tables and writes benchmarks/out/bench.json. `--short` (CI) times the default village against the
per-agent reference only and fails if the ratio is more than 2x the committed figure (benchmarks/reference.json)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks import county, memory, ratio, throughput

HERE = Path(__file__).resolve().parent
COMMITTED = HERE / "reference.json"
SECTIONS = ("ratio", "county", "throughput", "memory")
TOLERANCE = 2.0  # CI fails only past twice the committed ratio: a shared machine's noise is well inside that


def run_section(name: str, short: bool, replicates: int = 40) -> tuple[object, str]:
    if name == "ratio":
        sizes = [(400, 3)] if short else [(400, 5), (2_000, 3), (20_000, 1)]
        rows = [ratio.measure(n, 20, repeat) for n, repeat in sizes]
        return rows, ratio.table(rows)
    if name == "county":
        config = HERE.parent / "configs" / "county.yaml"
        rows = [county.measure(v, 10, config) for v in (19, 58, 578)]
        return rows, county.table(rows)
    if name == "throughput":
        r = throughput.measure(replicates=replicates)  # 6 variants x replicates runs
        return r, throughput.table(r)
    r = memory.state_by_year(str(HERE.parent / "configs" / "county.yaml"), villages=19, years=10)
    return r, memory.table(r)


def check(rows: list[dict]) -> int:
    """0 when the default village's ratio is within TOLERANCE x the committed one, else 1 (with a message)."""
    committed = json.loads(COMMITTED.read_text())["ratio_400"]
    now = rows[0]["ratio"]
    verdict = "ok" if now <= TOLERANCE * committed else "REGRESSED"
    print(f"\nratio at 400 households: {now:.3f} (committed {committed:.3f}, limit {TOLERANCE * committed:.3f}): "
          f"{verdict}")
    return 0 if verdict == "ok" else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--short", action="store_true", help="the default village's ratio only, checked (CI)")
    ap.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated, of {', '.join(SECTIONS)}")
    ap.add_argument("--replicates", type=int, default=40,
                    help="the throughput section's replicates of each of the 6 variants (default 40: 240 runs; "
                         "160 for a sweep-sized job, where start-up and the last write are amortised)")
    args = ap.parse_args(argv)
    if args.replicates < 1:
        print(f"error: --replicates: {args.replicates} is not allowed; at least 1", file=sys.stderr)
        return 2
    names = ["ratio"] if args.short else [s for s in args.sections.split(",") if s]
    results = {}
    for name in names:
        if name not in SECTIONS:
            print(f"error: --sections: unknown section {name!r}; allowed: {', '.join(SECTIONS)}", file=sys.stderr)
            return 2
        results[name], text = run_section(name, args.short, args.replicates)
        print(text + "\n", flush=True)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "bench.json").write_text(json.dumps(results, indent=2))
    return check(results["ratio"]) if args.short else 0


if __name__ == "__main__":
    sys.exit(main())
