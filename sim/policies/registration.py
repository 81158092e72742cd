"""Registration, exit and return (issue 14 item 6): 建档立卡 at the start, 两不愁三保障 as household state,
脱贫 certified exit as a one-way administrative status, returns to poverty.

Always on (like the household economy): every run has registered poor, whom the policies target.
- Registration (at the start): a household is registered poor when its assessed income per person
  (`Economy.expected_income_per_capita`) is below the line, or below `register_with_failed_guarantee_lines`
  lines while one of the three guarantees fails (assumption: 一看房二看粮三看读书郎 let near-poor households
  with a dilapidated house or a child out of school in), or, when `register_with_chronic_illness`, while a
  member has a chronic illness at the start (the 2014 registration plan, 国开办发〔2014〕24号, identifies poor
  households "on income, taking housing, education and health into account": 综合考虑住房、教育、健康).
- The guarantees (两不愁三保障: safe housing, compulsory schooling, basic medical insurance) are household state
  (`hh.housing_safe`, `hh.schooling_ok`, `hh.medical_insured`): failures are drawn at the start among households
  below `guarantee_failure_income_lines` lines. Programmes fix them (sim/policies/poverty_campaign.py).
- Exit (脱贫): a registered household still registered is certified out at a year-end assessment from
  `exit_start_year` when its income per person was at or above `exit_income_poverty_lines` lines in
  `exit_consecutive_years` consecutive assessments and every guarantee holds. Exit is one-way: an exited
  household whose income falls below the line again has returned to poverty (返贫) but is not registered again.
- Monitoring (防返贫监测) and its support are the switchable `poverty_campaign`; the year-end assessment here
  hands it the year's income per person.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.policies.base import Policy
from sim.policies.poverty_campaign import PovertyCampaign
from sim.schema import Share, Strict


class RegistrationParams(Strict):
    register_with_failed_guarantee_lines: float = Field(default=1.2, ge=0, le=5)
    guarantee_failure_income_lines: float = Field(default=1.5, ge=0, le=5)
    housing_unsafe_share: Share = 0.25
    schooling_failure_share: Share = 0.02
    medical_uninsured_share: Share = 0.05
    register_with_chronic_illness: bool = True
    exit_start_year: int = Field(default=2016, ge=1990, le=2100)
    exit_consecutive_years: int = Field(default=2, ge=1, le=10)
    exit_income_poverty_lines: float = Field(default=1.14, ge=0.5, le=3)


class Registration(Policy):
    """The administrative view of poverty: who is registered, certified out, returned, monitored."""

    name = "registration"
    Params = RegistrationParams
    always_on = True
    outcomes = (
        Outcome("registered_poor_households", "households", "Households still registered poor", "建档立卡未脱贫户数",
                "stock"),
        Outcome("registered_exits", "households", "Registered households certified out this year", "当年脱贫退出户数",
                "flow"),
        Outcome("registered_exits_since_start", "households", "Registered households certified out since the start",
                "累计脱贫退出户数", "stock"),
        Outcome("registered_returns", "households", "Certified-out households below the line this year",
                "当年返贫户数(已脱贫户)", "flow"),
        Outcome("registered_returns_since_start", "households", "Certified-out households ever back below the line",
                "累计返贫户数(已脱贫户)", "stock"),
        Outcome("monitored_households", "households", "Households under return-to-poverty monitoring", "防返贫监测户数",
                "stock"),
        Outcome("guarantee_failures", "households", "Households failing a guarantee (housing, schooling, medical)",
                "三保障未达标户数", "stock"),
    )

    def __init__(self, model, params: RegistrationParams) -> None:
        super().__init__(model, params)
        n, nv = model.hh.n, model.vill.n
        self.exited = np.zeros(n, bool)
        self.returned_once = np.zeros(n, bool)
        self.years_above = np.zeros(n, np.int64)
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
        considered = ~self.guarantees_hold() | (hh.chronically_ill & p.register_with_chronic_illness)
        return (lines < 1.0) | ((lines < p.register_with_failed_guarantee_lines) & considered)

    def guarantees_hold(self) -> np.ndarray:
        hh = self.model.hh
        return hh.housing_safe & hh.schooling_ok & hh.medical_insured

    # -- the year-end assessment ---------------------------------------------------------------------
    def assess(self, income_per_capita: np.ndarray) -> None:
        """Exits, returns and monitoring from the year's income per person (called before the outcomes)."""
        m, hh = self.model, self.model.hh
        above = income_per_capita >= m.poverty_line
        clears = income_per_capita >= self.p.exit_income_poverty_lines * m.poverty_line
        self.years_above = np.where(clears, self.years_above + 1, 0)
        still = hh.registered_poor & ~self.exited
        exit_now = (still & (self.years_above >= self.p.exit_consecutive_years) & self.guarantees_hold()
                    & (m.year >= self.p.exit_start_year))
        returned = self.exited & ~above
        self.exited |= exit_now
        self.returned_once |= returned
        self.exits_since_start += self._per_village(exit_now)
        self.year_counts.update(registered_exits=self._per_village(exit_now),
                                registered_returns=self._per_village(returned))
        campaign = m.mechanism(PovertyCampaign)
        if campaign is not None:
            campaign.monitor(income_per_capita, above)

    # -- outcomes -----------------------------------------------------------------------------------------
    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        hh = self.model.hh
        return {**{k: v.copy() for k, v in self.year_counts.items()},
                "registered_poor_households": self._per_village(hh.registered_poor & ~self.exited),
                "registered_exits_since_start": self.exits_since_start.copy(),
                "registered_returns_since_start": self._per_village(self.returned_once),
                "monitored_households": self._per_village(self.monitored()),
                "guarantee_failures": self._per_village(~self.guarantees_hold())}

    def reset_year(self) -> None:
        self._zero_year()

    def monitored(self) -> np.ndarray:
        campaign = self.model.mechanism(PovertyCampaign)
        return campaign.monitored if campaign is not None else np.zeros(self.model.hh.n, bool)

    def _zero_year(self) -> None:
        nv = self.model.vill.n
        self.year_counts = {k: np.zeros(nv) for k in ("registered_exits", "registered_returns")}

    def _per_village(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.model.hh.village, weights=values.astype(np.float64), minlength=self.model.vill.n)
