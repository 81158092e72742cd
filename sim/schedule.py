"""The schedule in one place: the year start, the month's phases, the year end and the dated events, with who
runs each step (`VillageModel.schedule()`, `coopsim schedule CONFIG`; like Starsim's `Loop.to_df`).

Month t runs as: the dated events due at t (on January 1st the year start first), then the month's hooks,
then (in December) the year end. Within a hook the economy runs first, then the switched-on mechanisms in
schedule order (sim/policies/registry.py). The model's own steps are named here and run in this order.
"""

from __future__ import annotations

import pandas as pd

from sim.interface import Model
from sim.policies.base import HOOKS_MONTH, HOOKS_YEAR_END, overrides

YEAR_START_STEPS = ("schedule_year", "draw_line_shocks")  # then every mechanism's `year_start`
# after every mechanism's year-end hooks
YEAR_END_STEPS = ("close_ledger_year", "assess_registration", "classify_poverty", "book_public_programme",
                  "book_poverty_totals", "report_outcomes", "reset_year_accumulators")
WHAT = {
    "schedule_year": "queue next January's year start and this December's year end",
    "draw_line_shocks": "each village's revenue shock per crop line: market, township, village weather (risk.py)",
    "close_ledger_year": "close the ledger's year: household income by category, flows by source",
    "assess_registration": "registration's assessment: certified exits, returns, monitoring (registration.py)",
    "classify_poverty": "who is poor now; who left poverty or returned to it this year",
    "book_poverty_totals": "poverty person-years and the registered poor's income gain since the start",
    "book_public_programme": "public-programme spending since the start, by village (from the ledger)",
    "report_outcomes": "the year's outcomes, per village and in total (read only); DataCollector",
    "reset_year_accumulators": "zero the year's collective income and counters; each mechanism's `reset_year`",
}
COLUMNS = ["phase", "when", "step", "who", "what"]


def _hook_rows(model: Model, phase: str, when: str, hook: str) -> list[dict]:
    on = model.active_mechanisms()
    return [{"phase": phase, "when": when, "step": hook, "who": m.name, "what": _doc(getattr(type(m), hook))}
            for m in on if overrides(m, hook)]


def _doc(method: object) -> str:
    return (getattr(method, "__doc__", None) or "").strip().split("\n")[0]


def _model_rows(phase: str, when: str, steps: tuple[str, ...]) -> list[dict]:
    return [{"phase": phase, "when": when, "step": s, "who": "model", "what": WHAT[s]} for s in steps]


def _dated_rows(model: Model) -> list[dict]:
    """The dated events scheduled so far (at construction: the first year's), by the function that queued them."""
    names = {type(m).__name__: m.name for m in model.active_mechanisms()}
    rows = []
    for d in sorted(model.calendar.dated.values(), key=lambda d: (d.first_month, d.end_of_month)):
        owner, _, method = d.source.partition(".")
        if owner == "VillageModel":
            continue
        when = f"from month {d.first_month}" + (", after the month" if d.end_of_month else ", before the month")
        rows.append({"phase": "dated event", "when": when, "step": method, "who": names.get(owner, owner),
                     "what": f"{d.count} queued so far by {d.source}"})
    return rows


def schedule_table(model: Model) -> pd.DataFrame:
    """One row per step in the order it runs in a year: year start, dated events, month, year end."""
    rows = _model_rows("year start", "January 1st, before every other dated event", YEAR_START_STEPS)
    rows += _hook_rows(model, "year start", "January 1st", "year_start")
    rows += _dated_rows(model)
    for hook in HOOKS_MONTH:
        rows += _hook_rows(model, "month", "every month, after its dated events", hook)
    for hook in HOOKS_YEAR_END:
        rows += _hook_rows(model, "year end", "December, after the month", hook)
    rows += _model_rows("year end", "December, after the mechanisms", YEAR_END_STEPS)
    table = pd.DataFrame(rows, columns=COLUMNS)
    table.insert(0, "order", range(1, len(table) + 1))
    return table


def schedule_names() -> tuple[str, ...]:
    """Every step name the schedule can show, in order: for the docstring and ODD check."""
    return (*YEAR_START_STEPS, "year_start", *HOOKS_MONTH, *HOOKS_YEAR_END, *YEAR_END_STEPS)



