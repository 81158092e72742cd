"""Support for the destitute (特困人员救助供养; 五保 before 2016) for five-without households (issue 14, item 1).

A five-without household (no labour, no income, no one obliged to support it: `Households.five_without`)
receives the basic living standard for the destitute, `standard_multiple_of_dibao` x the year's rural
dibao standard (sim/policies/dibao.py) per person a year, in twelve monthly parts, from the public
account (source `tekun`). Such households are not assessed for the dibao while this policy is on.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.ledger import FEN_PER_YUAN, Source, monthly_part
from sim.policies.base import Policy
from sim.schema import Strict


class TekunParams(Strict):
    """Sources in configs/village.yaml."""

    standard_multiple_of_dibao: float = Field(default=1.3, ge=0, le=10)  # 国发〔2016〕14号: at least 1.3x dibao


class Tekun(Policy):
    name = "tekun"
    Params = TekunParams
    groups = ("national_programmes",)
    before = ("cooperative",)  # assessed in January before the cooperatives' year starts
    sources = (
        Source("tekun", "transfer"),  # support for the destitute, five-without households
    )
    outcomes = (
        Outcome("tekun_households", "households", "Five-without households supported (tekun)", "特困供养户数",
                "stock"),
        Outcome("tekun_yuan", "yuan/year", "Support for the destitute paid", "特困供养金支出", "flow"),
    )

    def init(self) -> None:
        self.benefit_year = np.zeros(self.model.hh.n)
        self.model.ledger.track_households(["tekun"])

    def year_start(self) -> None:
        m, hh = self.model, self.model.hh
        standard = self.p.standard_multiple_of_dibao * m.config.section("dibao").standard_for(m.year)
        self.benefit_year = np.where(hh.five_without, standard * hh.persons, 0.0)

    def pay(self) -> None:
        m = self.model
        m.ledger.pay_households(m.acct_public, monthly_part(self.benefit_year, m.month_of_year), "tekun")

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        m = self.model
        v, nv = m.hh.village, m.vill.n
        return {"tekun_households": np.bincount(v, weights=(self.benefit_year > 0).astype(float), minlength=nv),
                "tekun_yuan": np.bincount(v, weights=m.ledger.last_received_fen["tekun"] / FEN_PER_YUAN,
                                          minlength=nv)}
