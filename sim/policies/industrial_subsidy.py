"""Industrial subsidies (产业奖补, issue 14 item 4): a grant to registered-poor households that start a household
line (livestock, a small business), paid by the public account as they start, from `start_year`.

The household business round (sim/policies/household_business.py) asks `offer` what each household that
wants to start would get: registered-poor households `share_of_investment` of the line's cost, at most
`cap_yuan_per_household_year` (in the year's prices). The grant counts as cash when the household decides
whether it can afford the line, so poor households with little savings can start one; it is paid
(`industrial_subsidy`, transfer income, a public programme) only to households that do start. With a
funding scenario the `industrial_subsidy` line pays offers in household order until it is spent.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.declarations import FundingLine, Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.schema import NonNegative, Share, Strict


class IndustrialSubsidyParams(Strict):
    """Sources in configs/village.yaml."""

    start_year: int = Field(default=2016, ge=1990, le=2100)
    share_of_investment: Share = 0.5
    cap_yuan_per_household_year: NonNegative = 2000


class IndustrialSubsidy(Policy):
    """Industrial subsidies (产业奖补): offered to the household business round, paid to those who start."""

    name = "industrial_subsidy"
    Params = IndustrialSubsidyParams
    groups = ("national_programmes",)
    after = ("public_welfare_jobs",)  # with the national programmes, in the group's order
    sources = (Source("industrial_subsidy", "transfer", public_programme=True),)
    outcomes = (
        Outcome("industrial_subsidy_yuan", "yuan/year", "Industrial subsidies paid (产业奖补)", "产业奖补资金", "flow"),
    )
    funding_line = FundingLine(
        "industrial_subsidy", "as_due",
        "industrial subsidies (产业奖补) to registered-poor households starting a household line, as they start, "
        "until spent",
        ("industrial_subsidy",))

    def init(self) -> None:
        self.paid_year = np.zeros(self.model.vill.n)

    def year_start(self) -> None:
        self.paid_year = np.zeros(self.model.vill.n)

    def offer(self, want: np.ndarray, cost_yuan: float) -> np.ndarray:
        """The grant each household wanting to start a line would get (yuan; 0 for the others)."""
        m, p = self.model, self.p
        if m.year < p.start_year:
            return np.zeros(m.hh.n)
        amount = min(p.share_of_investment * cost_yuan, p.cap_yuan_per_household_year * m.price_index)
        grant = np.where(want & m.hh.registered_poor, np.floor(amount * 100) / 100, 0.0)
        idx = np.flatnonzero(grant)
        grant[idx[~m.funder.fit("industrial_subsidy", grant[idx])]] = 0.0
        return grant

    def grant_to(self, start: np.ndarray, grant: np.ndarray) -> None:
        m = self.model
        paid = np.where(start, grant, 0.0)
        m.ledger.pay_households(m.acct_public, paid, "industrial_subsidy")
        self.paid_year += np.bincount(m.hh.village, weights=paid, minlength=m.vill.n)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        return {"industrial_subsidy_yuan": self.paid_year.copy()}
