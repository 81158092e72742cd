"""Employment assistance (就业扶贫, issue 14 items 3 and 8): organised migrant work for the registered poor, and the
one-off travel subsidy it pays, from the national programme's start year.

From `start_year` every member of working age at home in a household registered poor at the start (certified out
or not: the programme kept helping those certified out, 摘帽不摘帮扶) has an added yearly chance of leaving for
migrant work, `added_departure_rate_per_year`, on top of demography's own rate (the Spring Festival's departures,
sim/policies/demography.py, which reads `hh.assisted_departure_rate`). Each assisted departure is paid
`travel_subsidy_yuan` once (public money from the employment subsidy funds, outside the county's poverty budget
and its funding lines; transfer income) in January. Which members leave comes from demography's
own `migration` draws, so switching this on moves no other mechanism's draws: a member leaves with assistance when
its draw lies between demography's own rate and that rate plus the added one.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.schema import NonNegative, Share, Strict


class EmploymentAssistanceParams(Strict):
    """Sources in configs/village.yaml."""

    start_year: int = Field(default=2016, ge=1990, le=2100)
    added_departure_rate_per_year: Share = 0.09
    travel_subsidy_yuan: NonNegative = 500.0  # start-year yuan


class EmploymentAssistance(Policy):
    """Sets each household's added departure rate each year; pays the travel subsidy for assisted departures."""

    name = "employment_assistance"
    Params = EmploymentAssistanceParams
    groups = ("national_programmes",)
    # paid from the employment subsidy funds (就业补助资金), not a county's poverty budget: like the allowance, not a
    # public programme a funding scenario's lines cover
    sources = (Source("employment_travel_subsidy", "transfer"),)
    outcomes = (
        Outcome("assisted_migrant_departures", "persons/year", "Members leaving for migrant work with employment "
                "assistance", "就业扶贫外出务工人数", "flow"),
    )

    def init(self) -> None:
        self._set_rate(self.model.year)

    def year_start(self) -> None:
        """After the Spring Festival's departures (the economy's year start): pay for the assisted ones, then set
        next year's rate."""
        m = self.model
        assisted = m.economy.demography.assisted_departures_year
        m.ledger.pay_households(m.acct_public, assisted * self.p.travel_subsidy_yuan * m.price_index,
                                "employment_travel_subsidy")
        self._set_rate(m.year + 1)

    def _set_rate(self, year: int) -> None:
        hh = self.model.hh
        on = year >= self.p.start_year
        hh.assisted_departure_rate = np.where(hh.registered_poor & on, self.p.added_departure_rate_per_year, 0.0)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        m = self.model
        return {"assisted_migrant_departures": np.bincount(
            m.hh.village, weights=m.economy.demography.assisted_departures_year.astype(float), minlength=m.vill.n)}
