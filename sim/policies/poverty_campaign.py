"""The campaign's programmes on registered households (issue 14 item 6), in the group national_programmes:
fixing the three guarantees by the deadline (危房改造, 控辍保学, premium subsidies) and, from 2020, monitoring of
households at risk of returning to poverty (防返贫监测) with support.

- Guarantees: each January a registered household's failed guarantees (sim/policies/registration.py) are fixed with
  probability 1 / (years left to `guarantee_deadline_year`), so all are fixed by the deadline (stream
  `guarantee_fix`, drawn every year). A renovated house costs `housing_renovation_yuan`, an insured person
  `medical_premium_subsidy_yuan_per_person_year`: public money in the household's name, passed on at once to the
  builder and the insurer (not income). National programmes are public transfers, not a funding line.
- Monitoring, from the assessment of `monitoring_start_year`: a household (registered or not) whose income per person
  is below `monitoring_line_poverty_lines` lines and who is poor, ill this year or whose income fell by
  `monitoring_income_drop_share` is monitored; it stays monitored until an assessment finds it above the
  monitoring line. Over the next twelve months it receives `support_share_of_gap` of its gap to the monitoring line
  per person (capped at `support_cap_yuan_per_person_year`), source `monitoring_support` (assistance income).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.schema import NonNegative, Share, Strict


class PovertyCampaignParams(Strict):
    """Sources in configs/village.yaml."""

    guarantee_deadline_year: int = Field(default=2020, ge=1990, le=2100)
    housing_renovation_yuan: NonNegative = 14000
    medical_premium_subsidy_yuan_per_person_year: NonNegative = 180
    monitoring_start_year: int = Field(default=2020, ge=1990, le=2100)
    monitoring_line_poverty_lines: float = Field(default=1.5, ge=0, le=5)
    monitoring_income_drop_share: Share = 0.2
    support_share_of_gap: Share = 0.5
    support_cap_yuan_per_person_year: NonNegative = 2000


class PovertyCampaign(Policy):
    name = "poverty_campaign"
    Params = PovertyCampaignParams
    groups = ("national_programmes",)
    before = ("cooperative",)  # in January before the cooperatives' year starts, with dibao and tekun
    after = ("tekun",)  # the order the pinned baseline was made with
    # national programmes, not a planner's funding line: public transfers (`public_transfers`), not `public_spending`
    sources = (
        Source("housing_renovation"),  # 危房改造: public money for a registered household's house
        Source("housing_construction"),  # ... passed on to the builder (not income, not consumption)
        Source("medical_premium_subsidy"),  # the registered poor's insurance premium paid
        Source("medical_premium"),  # ... passed on to the insurer
        Source("monitoring_support", "assistance"),  # 防返贫监测 support to monitored households
    )
    outcomes = (
        Outcome("monitoring_support_yuan", "yuan/year", "Support paid to monitored households", "监测户帮扶资金",
                "flow"),
        Outcome("housing_renovations", "households", "Dilapidated houses renovated", "危房改造户数", "flow"),
    )

    def init(self) -> None:
        n = self.model.hh.n
        self.monitored = np.zeros(n, bool)
        self.support_per_month = np.zeros(n)
        self.year_counts = self._zeros()

    def year_start(self) -> None:
        """Fix failed guarantees of registered households, paying renovations and premiums."""
        m, hh, p = self.model, self.model.hh, self.p
        u = m.draw("guarantee_fix", lambda rng, k: rng.random(k))
        left = max(p.guarantee_deadline_year - m.year + 1, 1)
        fix = hh.registered_poor & ~m.registration.guarantees_hold() & (u < 1.0 / left)
        renovate, insure = fix & ~hh.housing_safe, fix & ~hh.medical_insured
        house = np.where(renovate, p.housing_renovation_yuan * m.price_index, 0.0)
        premium = np.where(insure, hh.persons * p.medical_premium_subsidy_yuan_per_person_year * m.price_index, 0.0)
        m.ledger.pay_households(m.acct_public, house, "housing_renovation")
        m.ledger.charge_households(house, m.acct_market, "housing_construction")
        m.ledger.pay_households(m.acct_public, premium, "medical_premium_subsidy")
        m.ledger.charge_households(premium, m.acct_health, "medical_premium")
        hh.housing_safe |= fix
        hh.schooling_ok |= fix
        hh.medical_insured |= fix
        self.year_counts["housing_renovations"] += self._per_village(renovate)

    def pay(self) -> None:
        if self.support_per_month.any():
            self.model.ledger.pay_households(self.model.acct_public, self.support_per_month, "monitoring_support")
            self.year_counts["monitoring_support_yuan"] += self._per_village(self.support_per_month)

    def monitor(self, pc: np.ndarray, above: np.ndarray) -> None:
        """At the year-end assessment (called by the registration): who is monitored, next year's support."""
        m, hh, p = self.model, self.model.hh, self.p
        if m.year < p.monitoring_start_year:
            return
        mline = p.monitoring_line_poverty_lines * m.poverty_line
        fell = pc < (1 - p.monitoring_income_drop_share) * hh.income_per_capita_last_year
        at_risk = (pc < mline) & (~above | hh.ill_this_year | fell)
        self.monitored = (self.monitored & (pc < mline)) | at_risk
        gap = np.minimum(p.support_share_of_gap * np.maximum(mline - pc, 0.0), p.support_cap_yuan_per_person_year)
        self.support_per_month = np.where(self.monitored, gap * hh.persons / 12, 0.0)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        return {k: v.copy() for k, v in self.year_counts.items()}

    def reset_year(self) -> None:
        self.year_counts = self._zeros()

    def _zeros(self) -> dict[str, np.ndarray]:
        return {k: np.zeros(self.model.vill.n) for k in ("monitoring_support_yuan", "housing_renovations")}

    def _per_village(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.model.hh.village, weights=values.astype(np.float64), minlength=self.model.vill.n)
