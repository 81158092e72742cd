"""Household business lines started from savings (issue 14, item 4): livestock (pigs, cattle, poultry) and a
small non-farm business, run through the household-line machinery loans use (sim/loans.py).

Owned by the economy and always on unless `household_business.enabled` is false. Each year in
`start_month` (spring) a household with someone at home to tend the line, no line running and no loan-
financed line, starts one with `start_probability_per_year` (`continue_probability_per_year` after a
line that did not fail) when its cash covers `investment_yuan` (in the year's prices) plus a buffer of
`buffer_months` of its subsistence floor; registered-poor households get the industrial subsidy first
where the `industrial_subsidy` policy is on (sim/policies/industrial_subsidy.py), so they need less of
their own. The inputs are bought at once (a farm cost, `household_line_purchase`) and sold months later
(`household_line_sales`): the money back times (1 + the line's return), or its salvage share when the
line fails. Draws: `household_business` every year (three per household), whether or not anyone starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from pydantic import Field, model_validator

from sim.declarations import Outcome
from sim.ledger import Source
from sim.loans import CreditLineParams, HouseholdLines, choose_lines, default_credit_lines
from sim.policies.base import Policy
from sim.policies.industrial_subsidy import IndustrialSubsidy
from sim.policies.mutual_aid_credit import MutualAidCredit
from sim.schema import Month, NonNegative, Share, Strict

if TYPE_CHECKING:
    from sim.interface import Model


def default_business_lines() -> dict[str, CreditLineParams]:
    """The loan lines (sim/loans.py) and a small non-farm business (a shop, a tricycle for hire)."""
    return {**default_credit_lines(),
            "small_business": CreditLineParams(net_return_per_yuan=0.2, failure_probability=0.1, salvage_share=0.5,
                                               months_to_sale=12, choice_share=0.2)}


class HouseholdBusinessParams(Strict):
    """Sources in configs/village.yaml."""

    enabled: bool = True
    start_month: Month = 2
    investment_yuan: NonNegative = 3000
    start_probability_per_year: Share = 0.15
    continue_probability_per_year: Share = 0.7
    buffer_months: NonNegative = 3
    credit_lines: dict[str, CreditLineParams] = Field(default_factory=default_business_lines)

    @model_validator(mode="after")
    def _some_line(self) -> HouseholdBusinessParams:
        if not self.credit_lines or sum(line.choice_share for line in self.credit_lines.values()) <= 0:
            raise ValueError("credit_lines: at least one line with a positive choice_share")
        return self


class HouseholdBusiness(Policy):
    """Which households run a line, their sale months, and the year's starts.

    Always on, a sub-part of the economy: the economy builds it and calls its hooks."""

    name = "household_business"
    Params = HouseholdBusinessParams
    always_on = True
    sources = (
        Source("household_line_purchase", "farm"),  # inputs of a line started from savings
        Source("household_line_sales", "farm"),
    )
    outcomes = (
        Outcome("household_lines_started", "lines/year", "Household lines started (livestock, small business)",
                "农户新发展产业项目", "flow"),
    )

    def __init__(self, model: Model, params: HouseholdBusinessParams) -> None:
        self.model, self.p, n = model, params, model.hh.n
        self.busy_until = np.full(n, -1, np.int64)  # month the running line sells
        self.last_failed = np.zeros(n, bool)
        self.ran_before = np.zeros(n, bool)
        self.starts_year = np.zeros(model.vill.n)
        self.household_lines = HouseholdLines(model, params.credit_lines, "household_line_purchase",
                                              "household_line_sales")

    def year_start(self) -> None:
        m = self.model
        self.starts_year = np.zeros(m.vill.n)
        if self.p.enabled:
            m.calendar.at(m.month + self.p.start_month, self.start)

    def start(self) -> None:
        """The spring round: who starts a line, the subsidy, the purchase, the sale scheduled."""
        m, p, hh = self.model, self.p, self.model.hh
        u, u_line, u_fail = m.draw("household_business", lambda rng, k: (rng.random(k), rng.random(k), rng.random(k)))
        cost = p.investment_yuan * m.price_index
        chance = np.where(self.ran_before & ~self.last_failed, p.continue_probability_per_year,
                          p.start_probability_per_year)
        credit = m.mechanism(MutualAidCredit)
        free = (self.busy_until < m.month) & ((hh.labour_units - hh.migrant_units) > 0)
        want = free & (u < chance) & ~(credit.has_loan if credit is not None else np.zeros(hh.n, bool))
        subsidy = m.mechanism(IndustrialSubsidy)
        grant = subsidy.offer(want, cost) if subsidy is not None else np.zeros(hh.n)
        floor = hh.persons * m.config.household_budget.subsistence_yuan_per_person_month * m.price_index
        cash = m.ledger.household_balance_yuan + grant
        go = want & (cash >= cost + p.buffer_months * floor)
        if subsidy is not None:
            subsidy.grant_to(go, grant)
        idx = np.flatnonzero(go)
        line = choose_lines(u_line[idx], p.credit_lines)
        due, revenue = self.household_lines.start(idx, np.full(idx.size, int(round(cost * 100))), line, u_fail[idx])
        self.busy_until[idx] = due
        self.last_failed[idx] = revenue < cost * 100
        self.ran_before[idx] = True
        self.starts_year += np.bincount(hh.village[idx], minlength=m.vill.n)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        return {"household_lines_started": self.starts_year.copy()}
