"""The year's outcomes (docs/model.md §6): the economy's computed here, each mechanism's by its `year_outcomes`.

Names, units, labels and kinds are declared by the mechanisms (`Policy.outcomes`); `registry.outcomes()`
is the catalogue."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import poverty, village_kernels
from sim.ledger import CATEGORY_INDEX, FEN_PER_YUAN, INCOME_CATEGORIES, disposable_fen
from sim.policies import registry
from sim.policies.governance import Governance

if TYPE_CHECKING:
    from sim.interface import Model


# what a cooperative pays out to households (the ledger records them per household): elite capture's base
COOP_PAYOUT_SOURCES = ("coop_wage", "land_rent", "dividend", "reserve_dividend", "owner_profit", "assistance",
                       "leakage",
                       "service_overcharge", "project_wage")


def gini(income: np.ndarray, weight: np.ndarray) -> float:
    """Weighted Gini of non-negative incomes (negative incomes count as zero); sim/village_kernels.py."""
    return float(village_kernels.gini(income, weight, np.array([0, income.size], np.int64))[0])


def _group_sum(values: np.ndarray, group: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(group, weights=values, minlength=n)


def year_end_outcomes(model: Model, income_fen: np.ndarray, flows: dict) -> tuple[dict, list[dict]]:
    """Outcomes of the year just closed: (totals, one dict per village). Reads the state, never changes it: the
    year's poverty classification and public-programme totals are steps before it (sim/schedule.py)."""
    hh, c, vill = model.hh, model.coops, model.vill
    nv = vill.n
    line = model.poverty_line
    income = income_fen / FEN_PER_YUAN  # (categories, households)
    total = disposable_fen(income_fen) / FEN_PER_YUAN  # disposable income: medical spending is consumption
    pc = total / hh.persons
    poor, lifted, returned = hh.poor, model.lifted_year, model.returned_year
    v = hh.village
    persons_v = _group_sum(hh.persons, v, nv)
    gap = np.maximum(line - pc, 0.0) / line

    def per_village(values: np.ndarray) -> np.ndarray:
        return _group_sum(values.astype(np.float64), v, nv)

    reg_persons = per_village(hh.persons * hh.registered_poor)
    cv = c.village
    coop_sum = lambda arr: _group_sum(arr, cv, nv) if c.n else np.zeros(nv)  # noqa: E731
    sources = {s.name: s for s in model.ledger.sources}
    # the collective's income: its cooperatives' collective share and the committee's own income (fees)
    collective_v = coop_sum(c.collective_year) + vill.collective_income_year
    # public-programme spending, exactly from the ledger (by the village the money reached; issue 4)
    programme_fen = model.ledger.last_programme_fen
    public_programme = programme_fen[1:] / FEN_PER_YUAN
    lifted_since = per_village(hh.poor_at_start & ~poor)
    public_transfers = sum(amount for (src, frm, _to), amount in flows.items()
                           if frm == "public" and not sources[src].public_programme) / FEN_PER_YUAN

    cols = {
        "poverty_headcount_ratio": per_village(hh.persons * poor) / persons_v,
        "poverty_headcount_ratio_registered": np.divide(per_village(hh.persons * (poor & hh.registered_poor)),
                                                        reg_persons, out=np.zeros(nv), where=reg_persons > 0),
        "poverty_gap_index": per_village(hh.persons * gap) / persons_v,
        "poor_households": per_village(poor),
        "households_lifted": per_village(lifted),
        "households_returned_to_poverty": per_village(returned),
        "households_lifted_since_start": lifted_since,
        "mean_income_per_capita": per_village(total) / persons_v,
        **{f"income_per_capita_{cat}": per_village(income[CATEGORY_INDEX[cat]]) / persons_v
           for cat in INCOME_CATEGORIES},
        "collective_income": collective_v,
        "empty_shell_villages": (collective_v <= 0).astype(float),
        "public_spending": public_programme,
        "public_spending_total": model.public_programme_total.copy(),
    }
    # -- each mechanism's declared outcomes: zero in every village when it is off --
    for mechanism in registry.mechanisms():
        if mechanism.name != "economy":  # the economy's are computed here
            cols.update({o.name: np.zeros(nv) for o in mechanism.outcomes})
    for on in model.active_mechanisms():
        cols.update(on.year_outcomes(lifted))
    cols.update(_registered_income(model, income, per_village, reg_persons))
    cols.update(poverty.poverty_outcomes(model, total, poor, per_village, persons_v, reg_persons))
    captured, paid_out = _elite_capture(model, pc)
    cols["elite_capture_share"] = np.divide(captured, paid_out, out=np.zeros(nv), where=paid_out > 0)
    villages = []
    bounds = np.concatenate([[0], np.cumsum(model.village_sizes)]).astype(np.int64)
    village_gini = village_kernels.gini(pc, hh.persons, bounds).tolist()  # every village in one call
    keys = list(cols)
    by_village = np.column_stack([np.asarray(cols[k], np.float64) for k in keys]).tolist()  # one conversion
    for i, values in enumerate(by_village):
        row = dict(zip(keys, values, strict=True))
        row["gini"] = village_gini[i]
        row["public_cost_per_household_lifted"] = _per(row["public_spending_total"],
                                                       row["households_lifted_since_start"])
        row["public_yuan_per_yuan_gained_by_poor"] = poverty.per_yuan(row["public_spending_total"],
                                                                      row["income_gained_by_registered_poor_total"])
        villages.append(row)
    persons = persons_v.sum()
    totals = {k: float(col.sum()) for k, col in cols.items()}
    for k in ("poverty_headcount_ratio", "poverty_gap_index", "mean_income_per_capita",
              *[f"income_per_capita_{cat}" for cat in INCOME_CATEGORIES]):
        totals[k] = float((cols[k] * persons_v).sum() / persons)
    totals["poverty_headcount_ratio_registered"] = (float(per_village(hh.persons * (poor & hh.registered_poor)).sum()
                                                          / reg_persons.sum()) if reg_persons.sum() else 0.0)
    totals["gini"] = gini(pc, hh.persons)
    totals["public_transfers"] = float(public_transfers)
    totals["public_spending"] += programme_fen[0] / FEN_PER_YUAN  # programme money that reached no village
    totals["public_spending_total"] += model.public_programme_unattributed_total
    totals["public_cost_per_household_lifted"] = _per(totals["public_spending_total"],
                                                      totals["households_lifted_since_start"])
    totals["ledger_imbalance"] = model.ledger.imbalance_fen() / FEN_PER_YUAN
    totals.update(poverty.totals(cols, persons_v, reg_persons, totals["public_spending_total"]))
    for cat in INCOME_CATEGORIES:
        k = f"income_per_capita_registered_{cat}"
        totals[k] = float((cols[k] * reg_persons).sum() / reg_persons.sum()) if reg_persons.sum() else 0.0
    totals["poverty_line"] = float(line)
    totals["elite_capture_share"] = float(captured.sum() / paid_out.sum()) if paid_out.sum() > 0 else 0.0
    return totals, villages


def _elite_capture(model: Model, pc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per village: what the cooperatives paid out (and leaked) to households this year, and the part
    received by the village's top income decile (income per person) or by households that led a cooperative."""
    hh, nv = model.hh, model.vill.n
    got = np.zeros(hh.n)
    for source in COOP_PAYOUT_SOURCES:
        if source in model.ledger.last_received_fen:
            got += model.ledger.last_received_fen[source] / FEN_PER_YUAN
    got = np.maximum(got, 0.0)
    elite = model.village_top_decile(pc)
    leaders = model.coops.leader_household
    elite[leaders[leaders >= 0]] = True
    gov = model.mechanism(Governance)
    if gov is not None:
        elite[np.array(gov.former_leaders_year, np.int64)] = True
    return (_group_sum(got * elite, hh.village, nv), _group_sum(got, hh.village, nv))


def _per(cost: float, households: float) -> float:
    return float(cost / households) if households > 0 else float("nan")


def _registered_income(model: Model, income: np.ndarray, per_village, reg_persons: np.ndarray) -> dict:
    """Per village: income per person of registered-poor households by source (0 without any), and the line."""
    reg = model.hh.registered_poor
    out = {f"income_per_capita_registered_{cat}": np.divide(per_village(income[CATEGORY_INDEX[cat]] * reg),
                                                             reg_persons, out=np.zeros(len(reg_persons)),
                                                             where=reg_persons > 0)
           for cat in INCOME_CATEGORIES}
    out["poverty_line"] = np.full(len(reg_persons), float(model.poverty_line))
    return out
