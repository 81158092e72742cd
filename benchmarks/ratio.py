"""coopsim's default village against the per-agent Mesa reference (benchmarks/reference.py) at several sizes, in
one process: build plus 20 years, median of repeats, and the ratio coopsim / reference. Times are this process's CPU
time (`time.process_time`): on a shared machine they move less with the other jobs than wall time does."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from benchmarks.reference import ReferenceVillage


def median_seconds(fn: Callable[[int], object], repeat: int) -> float:
    """Median CPU time of `fn(seed)` over `repeat` seeds."""
    times = []
    for seed in range(repeat):
        t0 = time.process_time()
        fn(seed)
        times.append(time.process_time() - t0)
    return statistics.median(times)


def coopsim_village(households: int, years: int) -> Callable[[int], object]:
    from sim.model import VillageModel

    def run(seed: int) -> object:
        model = VillageModel(rng=seed, years=years, village__households=households).run()
        assert all(row["ledger_imbalance"] == 0 for row in model.history)
        return model

    return run


def reference_village(households: int, years: int) -> Callable[[int], object]:
    return lambda seed: ReferenceVillage(households, seed).run(years)


def measure(households: int, years: int, repeat: int) -> dict:
    """Both models at one size (a warm-up run of each first, so imports and caches are not timed)."""
    ours, ref = coopsim_village(households, years), reference_village(households, years)
    coopsim_village(households, 2)(99), reference_village(households, 2)(99)  # a second year loads its kernels
    ours_s, ref_s = median_seconds(ours, repeat), median_seconds(ref, repeat)
    months = households * years * 12
    return {"households": households, "years": years, "coopsim_s": ours_s, "reference_s": ref_s,
            "ratio": ours_s / ref_s, "coopsim_ns_per_household_month": ours_s / months * 1e9,
            "reference_ns_per_household_month": ref_s / months * 1e9}


def table(rows: list[dict]) -> str:
    head = ("| households | years | coopsim | per-agent Mesa reference | ratio coopsim / reference | "
            "coopsim ns per household-month |\n|---:|---:|---:|---:|---:|---:|")
    body = [f"| {r['households']:,} | {r['years']} | {r['coopsim_s']:.3f} s | {r['reference_s']:.3f} s | "
            f"{r['ratio']:.2f}× | {r['coopsim_ns_per_household_month']:,.0f} |" for r in rows]
    return "\n".join([head, *body])
