"""Wage contracting (docs/model.md §3.3, 返聘务工、按月计薪): the cooperative's field management, priced per
mu, is contracted back to poor households that have labour first; wages are paid monthly by the
cooperative (see `Cooperatives.pay`)."""

from __future__ import annotations

from typing import Literal

import numpy as np

from sim.policies.base import Policy
from sim.policies.cooperative import Cooperatives
from sim.schema import Strict


class WageContractingParams(Strict):
    # poor_first: registered-poor households with labour, poorest first, then the rest by need;
    # poorest_first: every household by last year's income per person, lowest first;
    # members_first: members (poorest first), then non-members.
    priority: Literal["poor_first", "poorest_first", "members_first"] = "poor_first"


class WageContracting(Policy):
    name = "wage_contracting"
    Params = WageContractingParams
    requires = ("cooperative",)
    after = ("cooperative",)

    def init(self) -> None:
        self.required(Cooperatives).hiring_priority = self.priority

    def priority(self, model) -> np.ndarray:
        """Sort key, lowest first. Income per person of last year (the assessed income in year one)."""
        hh = model.hh
        need = np.where(model.year_index == 0, model.assessed_income_per_capita, hh.income_per_capita_last_year)
        rank = need / (np.abs(need).max() + 1.0)  # in (-1, 1): orders within a group
        if self.p.priority == "poor_first":
            return np.where(hh.registered_poor, -2.0, 0.0) + rank
        if self.p.priority == "members_first":
            return np.where(hh.coop >= 0, -2.0, 0.0) + rank
        return rank
