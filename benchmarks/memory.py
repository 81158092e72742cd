"""Memory over the years: a county run year by year under tracemalloc, the yearly results handed out after each
year, so what is left is the model's own state; it should not grow with the years (closed loans leave the book)."""

from __future__ import annotations

import gc
import tracemalloc

from sim.config import load_config
from sim.model import VillageModel


def hand_out_results(model: VillageModel) -> None:
    """Drop the year's results (history, per-village rows, flows, DataCollector rows): they are output, not state."""
    model.history.clear()
    model.village_history.clear()
    model.flows_history.clear()
    for values in model.datacollector.model_vars.values():
        values.clear()


def state_by_year(config: str, villages: int, years: int) -> dict:
    """Traced bytes held after each year (results handed out) and the model's households."""
    cfg = load_config(config, {"county.villages": villages, "years": years})
    VillageModel(config=load_config(config, {"county.villages": 1, "years": 2}), rng=1).run()  # imports, kernels loaded
    tracemalloc.start()
    model = VillageModel(config=cfg, rng=1)
    held = []
    for _ in range(years):
        for _ in range(12):
            model.step()
        hand_out_results(model)
        gc.collect()
        held.append(tracemalloc.get_traced_memory()[0])
    tracemalloc.stop()
    return {"villages": villages, "households": int(model.hh.n), "years": years, "held_bytes": held}


def growth_per_household_year(r: dict) -> float:
    """Bytes of state added per household per year from the second year to the last (0: no growth)."""
    held = r["held_bytes"]
    return (held[-1] - held[1]) / r["households"] / max(len(held) - 2, 1)


def table(r: dict) -> str:
    held = r["held_bytes"]
    return (f"State held after year 1, 2, {r['years']} ({r['villages']} villages, {r['households']:,} households; "
            f"results handed out): {held[0] / 2**20:.1f}, {held[1] / 2**20:.1f}, {held[-1] / 2**20:.1f} MiB; "
            f"growth after year 2: {growth_per_household_year(r):,.1f} bytes per household-year.")
