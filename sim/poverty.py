"""Poverty measures of the year (issue 14 item 9): FGT2 severity, person-years in poverty, the registered poor's
income, and public programme yuan per yuan of income gained by the registered poor.

Definitions (per village; the totals of a run are sums or persons-weighted means, see `totals`):
- `poverty_severity_index` (FGT2): the persons-weighted mean of ((line - income per person) / line)^2 over
  all persons, zero for the non-poor (Foster, Greer and Thorbecke 1984).
- `poverty_person_years`: persons living in income-poor households this year (one year each);
  `poverty_person_years_total`: their sum since the start of the run.
- `mean_income_per_capita_registered`: income per person of the households registered poor at the start
  (建档立卡), all sources from the ledger.
- `income_gained_by_registered_poor_total`: since the start, the sum over years and registered households of
  (the year's income - the household's assessed income at registration), current yuan.
- `public_yuan_per_yuan_gained_by_poor`: public programme spending since the start (`public_spending_total`)
  over that gain; NaN while the gain is not positive. This within-run ratio credits all growth to the
  programmes; `coopsim compare` gives the version against a baseline on the same seeds (extra programme
  spending over the extra income of the registered poor), which is docs/model.md §4's measure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.interface import Model

PER_VILLAGE_SUMS = ("poverty_person_years", "poverty_person_years_total", "income_gained_by_registered_poor_total")


def fgt(income_per_capita: np.ndarray, line: float, alpha: int) -> np.ndarray:
    """Each household's FGT term ((line - y) / line)^alpha for the poor, 0 otherwise (weights applied later)."""
    gap = np.maximum(line - income_per_capita, 0.0) / line
    return np.where(income_per_capita < line, gap**alpha, 0.0)


def poverty_outcomes(model: Model, total_income: np.ndarray, poor: np.ndarray,
                     per_village: Callable[[np.ndarray], np.ndarray], persons_v: np.ndarray,
                     reg_persons: np.ndarray) -> dict[str, np.ndarray]:
    """The year's item-9 outcomes, one array over villages each (the running totals are booked before, by the
    model's `book_poverty_totals` step)."""
    hh = model.hh
    pc = total_income / hh.persons
    person_years = per_village(hh.persons * poor)
    reg = hh.registered_poor
    return {
        "poverty_severity_index": per_village(hh.persons * fgt(pc, model.poverty_line, 2)) / persons_v,
        "poverty_person_years": person_years,
        "poverty_person_years_total": model.poverty_person_years_total.copy(),
        "mean_income_per_capita_registered": np.divide(per_village(np.where(reg, total_income, 0.0)), reg_persons,
                                                       out=np.zeros(len(reg_persons)), where=reg_persons > 0),
        "income_gained_by_registered_poor_total": model.income_gained_by_registered_poor_total.copy(),
    }


def year_totals(model: Model, total_income: np.ndarray, poor: np.ndarray,
                per_village: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """This year's poverty person-years and income gained by the registered poor, per village (the model adds
    them to its running totals)."""
    hh = model.hh
    person_years = per_village(hh.persons * poor)
    gain = per_village(np.where(hh.registered_poor, total_income - model.assessed_income_per_capita * hh.persons,
                                0.0))
    return person_years, gain


def totals(cols: dict[str, np.ndarray], persons_v: np.ndarray, reg_persons: np.ndarray,
           public_spending_total: float) -> dict[str, float]:
    """The run's totals of the item-9 outcomes from the villages' columns."""
    out = {k: float(cols[k].sum()) for k in PER_VILLAGE_SUMS}
    out["poverty_severity_index"] = float((cols["poverty_severity_index"] * persons_v).sum() / persons_v.sum())
    reg = reg_persons.sum()
    out["mean_income_per_capita_registered"] = (
        float((cols["mean_income_per_capita_registered"] * reg_persons).sum() / reg) if reg else 0.0)
    out["public_yuan_per_yuan_gained_by_poor"] = per_yuan(public_spending_total,
                                                          out["income_gained_by_registered_poor_total"])
    return out


def per_yuan(spending: float, gained: float) -> float:
    return float(spending / gained) if gained > 0 else float("nan")
