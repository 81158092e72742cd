"""A budget's split across funding lines: per-line bounds (yuan or a share of the budget; fixed lines), a point
of the unit cube turned into a split that meets them, and the lines a split binds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sim.errors import UserInputError

DEAD_ZONE = 0.1  # a weight below this gives a line nothing beyond its minimum: the search can reach a corner


@dataclass(frozen=True)
class Bounds:
    """Each line's least and most yuan under one budget (a fixed line: both the same)."""

    budget_yuan: float
    low: dict[str, float]
    high: dict[str, float]

    @property
    def lines(self) -> list[str]:
        return list(self.low)

    def free(self) -> list[str]:
        """Lines the search moves (not fixed)."""
        return [n for n in self.lines if self.high[n] - self.low[n] > 0.5]


def parse_amount(text: str, budget_yuan: float, field: str) -> float:
    """'25%' is a share of the budget; a number ('3e7', '30_000_000') is yuan."""
    raw = str(text).strip().replace("_", "").replace(",", "")
    try:
        value = float(raw[:-1]) / 100 * budget_yuan if raw.endswith("%") else float(raw)
    except ValueError:
        raise UserInputError(f"{text!r} is neither yuan (a number such as 30000000 or 3e7) nor a share of the "
                             f"budget (such as 25%)", field=field) from None
    if not value >= 0 or value == float("inf"):
        raise UserInputError(f"{text!r}: an amount must be a finite number of yuan >= 0", field=field)
    return value


def parse_pairs(items: list[str] | None, field: str) -> dict[str, str]:
    """['line=value', ...] as a mapping; a malformed item is one error naming the option."""
    out = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise UserInputError(f"{item!r}: write LINE=AMOUNT (yuan, or a share such as 25%)", field=field)
        out[name.strip()] = value.strip()
    return out


def make_bounds(lines: list[str], budget_yuan: float, mins: Mapping[str, str] | None = None,
                maxs: Mapping[str, str] | None = None, fixed: Mapping[str, str] | None = None) -> Bounds:
    """Resolve the planner's limits (raw text: yuan or shares) at one budget; errors name the option and line."""
    mins, maxs, fixed = dict(mins or {}), dict(maxs or {}), dict(fixed or {})
    for option, given in (("--min", mins), ("--max", maxs), ("--fix", fixed)):
        for name in given:
            if name not in lines:
                raise UserInputError(f"unknown line {name!r}; the lines being split are: {', '.join(lines)}",
                                     field=option)
    low = {n: parse_amount(mins.get(n, "0"), budget_yuan, "--min") for n in lines}
    high = {n: parse_amount(maxs.get(n, "100%"), budget_yuan, "--max") for n in lines}
    for n, v in fixed.items():
        low[n] = high[n] = parse_amount(v, budget_yuan, "--fix")
    for n in lines:
        if low[n] > high[n] + 1e-6:
            raise UserInputError(f"line {n!r}: its minimum {low[n]:,.0f} yuan is above its maximum {high[n]:,.0f}",
                                 field="--min")
    if sum(low.values()) > budget_yuan + 1e-6:
        raise UserInputError(f"the minimums and fixed lines add up to {sum(low.values()):,.0f} yuan, more than the "
                             f"budget of {budget_yuan:,.0f}; lower them or raise the budget", field="--min")
    return Bounds(budget_yuan, low, high)


def split_of(weights: Mapping[str, float], bounds: Bounds) -> dict[str, float]:
    """The split a point of the unit cube stands for: every line its minimum, then what is left of the budget
    shared in proportion to the weights beyond the dead zone, no line above its maximum (water-filling: a capped
    line's excess goes to the others). Money no line can take stays unallocated."""
    amounts = dict(bounds.low)
    pull = {n: max(float(weights.get(n, 0.0)) - DEAD_ZONE, 0.0) for n in bounds.free()}
    if not any(pull.values()):
        pull = dict.fromkeys(bounds.free(), 1.0)
    rest = bounds.budget_yuan - sum(amounts.values())
    while rest > 1e-6:
        open_ = [n for n in pull if pull[n] > 0 and bounds.high[n] - amounts[n] > 1e-6]
        if not open_:
            break
        total = sum(pull[n] for n in open_)
        for n in open_:
            amounts[n] += min(rest * pull[n] / total, bounds.high[n] - amounts[n])
        rest = bounds.budget_yuan - sum(amounts.values())
    return {n: round(v, 2) for n, v in amounts.items()}


def weights_of(split: Mapping[str, float], bounds: Bounds) -> dict[str, float]:
    """A point of the unit cube whose split is `split` (when it meets the bounds): the inverse of `split_of`."""
    extra = {n: max(float(split.get(n, 0.0)) - bounds.low[n], 0.0) for n in bounds.free()}
    top = max(extra.values(), default=0.0)
    if top <= 0:
        return dict.fromkeys(bounds.free(), 0.0)
    return {n: DEAD_ZONE + (1 - DEAD_ZONE) * v / top for n, v in extra.items()}


def binding(split: Mapping[str, float], bounds: Bounds) -> dict[str, str]:
    """Per line: 'fixed', 'min' (at its least: nothing beyond it would be better), 'max' (at its most: the
    search wants more) or ''."""
    tol = max(1.0, 1e-4 * bounds.budget_yuan)
    out = {}
    for n in bounds.lines:
        if n not in bounds.free():
            out[n] = "fixed"
        elif split[n] <= bounds.low[n] + tol:
            out[n] = "min"
        elif split[n] >= bounds.high[n] - tol:
            out[n] = "max"
        else:
            out[n] = ""
    return out
