"""The least budget that reaches a target with a stated probability: the frontier's levels bracket it, then a few
halvings of the bracket (each an optimal split of its own), judged on the fresh seeds paired with no programme
money: the share of shock paths on which the split achieves the target, with its Wilson interval."""

from __future__ import annotations

import pandas as pd

from sim.errors import UserInputError
from sim.plan.objective import MEASURES
from sim.plan.optimise import Found, Log, Settings, optimise_at
from sim.plan.problem import BASELINE, Problem
from sim.ranking import wilson


def parse_target(text: str | None) -> tuple[str, float] | None:
    """'lifted=20' -> ('lifted', 20.0): 20 more households lifted than without programme money."""
    if not text:
        return None
    name, _, value = text.partition("=")
    if name not in MEASURES:
        raise UserInputError(f"{text!r}: the target's measure must be one of {', '.join(MEASURES)}", field="--target")
    try:
        return name, float(value)
    except ValueError:
        raise UserInputError(f"{text!r}: write MEASURE=NUMBER, e.g. lifted=20", field="--target") from None


def reached(found: Found, zero: pd.DataFrame, measure: str, amount: float) -> tuple[float, float, float, int]:
    """Share of fresh seeds on which the optimal split beats no programme money by `amount` or more."""
    col, sign = MEASURES[measure]
    runs = found.runs[found.runs["variant"] == found.optimal].set_index("seed")[col].astype(float)
    gain = sign * (runs - zero.reindex(runs.index).astype(float))
    wins = float((gain >= amount).sum())
    lo, hi = wilson(wins, len(gain))
    return wins / len(gain), lo, hi, len(gain)


def least_budget(problem: Problem, settings: Settings, found_at: dict[float, Found], base: Found, target: tuple,
                 probability: float, log: Log, halvings: int = 2) -> dict:
    """The least budget (and its split) whose optimal split reaches the target on at least `probability` of the
    fresh seeds; `reached: False` when even the largest level does not."""
    measure, amount = target
    col = MEASURES[measure][0]
    zero = base.runs[base.runs["variant"] == BASELINE].set_index("seed")[col]
    tried = {m * problem.budget_yuan: f for m, f in found_at.items()}
    ok = [b for b, f in sorted(tried.items()) if reached(f, zero, measure, amount)[0] >= probability]
    if not ok:
        return {"reached": False, "budget_yuan": float("nan"), "measure": measure, "target": amount,
                "probability": probability}
    hi = ok[0]
    lo = max([b for b in tried if b < hi], default=0.0)
    for _ in range(halvings):
        mid = (lo + hi) / 2
        f = optimise_at(problem, settings, mid, log, f"target, {mid / 1e6:,.1f}M yuan: ", False)
        tried[mid] = f
        if reached(f, zero, measure, amount)[0] >= probability:
            hi = mid
        else:
            lo = mid
    share, plo, phi, n = reached(tried[hi], zero, measure, amount)
    best = tried[hi]
    return {"reached": True, "budget_yuan": hi, "measure": measure, "target": amount, "probability": probability,
            "share_reached": share, "share_low": plo, "share_high": phi, "n": n,
            "split": best.splits[best.optimal], "below_yuan": lo}
