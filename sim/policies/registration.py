"""Registration, exit and return (issue 14 item 6): 建档立卡 at the start, 两不愁三保障 as household state,
脱贫 certified exit as a one-way administrative status, and 防返贫监测 monitoring with support after 2020.

Always on (like the household economy): every run has registered poor, whom the policies target.
- Registration (at the start): a household is registered poor when its assessed income per person
  (`Economy.expected_income_per_capita`) is below the line, or below `register_with_failed_guarantee_lines`
  lines while one of the three guarantees fails (assumption: 一看房二看粮三看读书郎 let near-poor households
  with a dilapidated house or a child out of school in).
- The guarantees (两不愁三保障: safe housing, compulsory schooling, basic medical insurance) are household state
  (`hh.housing_safe`, `hh.schooling_ok`, `hh.medical_insured`): failures are drawn at the start among households
  below `guarantee_failure_income_lines` lines. While `guarantee_programmes` is on, each registered household's
  failed guarantees are fixed in a year with probability 1 / (years left to `guarantee_deadline_year`), so all are
  fixed by the deadline; housing renovation (危房改造) and premium subsidies are public transfers (national
  programmes, not a planner's funding line: `public_transfers`, not `public_spending`).
- Exit (脱贫): a registered household still registered is certified out at a year-end assessment from
  `exit_start_year` when its income per person was above the line in `exit_consecutive_years` consecutive
  assessments and every guarantee holds. Exit is one-way: an exited household whose income falls below the line
  again has returned to poverty (返贫) but is not registered again.
- Monitoring (防返贫监测, from `monitoring_start_year`): at each assessment, a household (registered or not) whose
  income per person is below `monitoring_line_poverty_lines` lines and who is poor, ill this year or whose income
  fell by `monitoring_income_drop_share` is monitored; it receives `support_share_of_gap` of its gap to the
  monitoring line (capped) over the next twelve months, public money; it leaves monitoring at an assessment above
  the monitoring line.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.policies.base import Policy
from sim.schema import NonNegative, Share, Strict

REGISTRATION_OUTCOMES = ("registered_poor_households", "registered_exits", "registered_exits_since_start",
                         "registered_returns", "registered_returns_since_start", "monitored_households",
                         "monitoring_support_yuan", "guarantee_failures", "housing_renovations")


class RegistrationParams(Strict):
    register_with_failed_guarantee_lines: float = Field(default=1.2, ge=0, le=5)
    guarantee_failure_income_lines: float = Field(default=1.5, ge=0, le=5)
    housing_unsafe_share: Share = 0.25
    schooling_failure_share: Share = 0.02
    medical_uninsured_share: Share = 0.05
    guarantee_programmes: bool = True
    guarantee_deadline_year: int = Field(default=2020, ge=1990, le=2100)
    housing_renovation_yuan: NonNegative = 14000
    medical_premium_subsidy_yuan_per_person_year: NonNegative = 180
    exit_start_year: int = Field(default=2016, ge=1990, le=2100)
    exit_consecutive_years: int = Field(default=2, ge=1, le=10)
    monitoring: bool = True
    monitoring_start_year: int = Field(default=2020, ge=1990, le=2100)
    monitoring_line_poverty_lines: float = Field(default=1.5, ge=0, le=5)
    monitoring_income_drop_share: Share = 0.2
    support_share_of_gap: Share = 0.5
    support_cap_yuan_per_person_year: NonNegative = 2000


class Registration(Policy):
    """The administrative view of poverty: who is registered, certified out, returned, monitored."""

    name = "registration"

    def __init__(self, model, params: RegistrationParams) -> None:
        super().__init__(model, params)
        n, nv = model.hh.n, model.vill.n
        self.exited = np.zeros(n, bool)
        self.returned_once = np.zeros(n, bool)
        self.years_above = np.zeros(n, np.int64)
        self.monitored = np.zeros(n, bool)
        self.support_per_month = np.zeros(n)
        self.exits_since_start = np.zeros(nv)
        self.year_counts: dict[str, np.ndarray] = {}
        self._zero_year()

    # -- registration at the start ----------------------------------------------------------------
    def register(self, assessed_income_per_capita: np.ndarray) -> np.ndarray:
        """Draw the guarantees and return who is registered poor (建档立卡)."""
        m, hh, p = self.model, self.model.hh, self.p
        lines = assessed_income_per_capita / m.poverty_line
        u_house, u_school, u_med = m.draw("guarantees", lambda rng, k: (rng.random(k), rng.random(k), rng.random(k)))
        exposed = lines < p.guarantee_failure_income_lines
        hh.housing_safe = ~(exposed & (u_house < p.housing_unsafe_share))
        hh.schooling_ok = ~(exposed & (u_school < p.schooling_failure_share))
        hh.medical_insured = ~(exposed & (u_med < p.medical_uninsured_share))
        return (lines < 1.0) | ((lines < p.register_with_failed_guarantee_lines) & ~self.guarantees_hold())

    def guarantees_hold(self) -> np.ndarray:
        hh = self.model.hh
        return hh.housing_safe & hh.schooling_ok & hh.medical_insured

    # -- yearly: programmes fixing the guarantees (January) ------------------------------------------
    def year_start(self) -> None:
        m, hh, p = self.model, self.model.hh, self.p
        u = m.draw("guarantee_fix", lambda rng, k: rng.random(k))  # fixed-size: drawn even when off
        if not p.guarantee_programmes:
            return
        left = max(p.guarantee_deadline_year - m.year + 1, 1)
        fix = hh.registered_poor & ~self.guarantees_hold() & (u < 1.0 / left)
        renovate = fix & ~hh.housing_safe
        insure = fix & ~hh.medical_insured
        house = np.where(renovate, p.housing_renovation_yuan * m.price_index, 0.0)
        premium = np.where(insure, hh.persons * p.medical_premium_subsidy_yuan_per_person_year * m.price_index, 0.0)
        # public money in the household's name (kept by village), passed on at once to the builder and the insurer
        m.ledger.pay_households(m.acct_public, house, "housing_renovation")
        m.ledger.charge_households(house, m.acct_market, "housing_construction")
        m.ledger.pay_households(m.acct_public, premium, "medical_premium_subsidy")
        m.ledger.charge_households(premium, m.acct_health, "medical_premium")
        hh.housing_safe |= fix
        hh.schooling_ok |= fix
        hh.medical_insured |= fix
        self.year_counts["housing_renovations"] = self._per_village(renovate)

    # -- monthly: monitoring support ----------------------------------------------------------------
    def pay(self) -> None:
        if self.support_per_month.any():
            self.model.ledger.pay_households(self.model.acct_public, self.support_per_month, "monitoring_support")
            self.year_counts["monitoring_support_yuan"] += self._per_village(self.support_per_month)

    # -- the year-end assessment ---------------------------------------------------------------------
    def assess(self, income_per_capita: np.ndarray) -> None:
        """Exits, returns and monitoring from the year's income per person (called before the outcomes)."""
        m, hh = self.model, self.model.hh
        above = income_per_capita >= m.poverty_line
        self.years_above = np.where(above, self.years_above + 1, 0)
        still = hh.registered_poor & ~self.exited
        exit_now = (still & (self.years_above >= self.p.exit_consecutive_years) & self.guarantees_hold()
                    & (m.year >= self.p.exit_start_year))
        returned = self.exited & ~above
        self.exited |= exit_now
        self.returned_once |= returned
        self.exits_since_start += self._per_village(exit_now)
        self.year_counts.update(registered_exits=self._per_village(exit_now),
                                registered_returns=self._per_village(returned))
        self._monitor(income_per_capita, above)

    def _monitor(self, pc: np.ndarray, above: np.ndarray) -> None:
        m, hh, p = self.model, self.model.hh, self.p
        if not p.monitoring or m.year < p.monitoring_start_year:
            self.support_per_month[:] = 0.0
            return
        mline = p.monitoring_line_poverty_lines * m.poverty_line
        fell = pc < (1 - p.monitoring_income_drop_share) * hh.income_per_capita_last_year
        at_risk = (pc < mline) & (~above | hh.ill_this_year | fell)
        self.monitored = (self.monitored & (pc < mline)) | at_risk
        gap = np.minimum(p.support_share_of_gap * np.maximum(mline - pc, 0.0), p.support_cap_yuan_per_person_year)
        self.support_per_month = np.where(self.monitored, gap * hh.persons / 12, 0.0)

    # -- outcomes -----------------------------------------------------------------------------------------
    def outcomes(self) -> dict[str, np.ndarray]:
        hh = self.model.hh
        out = {**self.year_counts,
               "registered_poor_households": self._per_village(hh.registered_poor & ~self.exited),
               "registered_exits_since_start": self.exits_since_start.copy(),
               "registered_returns_since_start": self._per_village(self.returned_once),
               "monitored_households": self._per_village(self.monitored),
               "guarantee_failures": self._per_village(~self.guarantees_hold())}
        self._zero_year()
        return out

    def _zero_year(self) -> None:
        nv = self.model.vill.n
        self.year_counts = {k: np.zeros(nv) for k in ("registered_exits", "registered_returns",
                                                       "monitoring_support_yuan", "housing_renovations")}

    def _per_village(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.model.hh.village, weights=values.astype(np.float64), minlength=self.model.vill.n)
