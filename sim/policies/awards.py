"""Demonstration-cooperative awards (docs/model.md §3.13; seed 000: 10,000 / 20,000 / 30,000 yuan for a
cooperative recognised as a city / province / nation-level demonstration cooperative).

At each year end, after the accounts are struck, a cooperative that meets the criteria of its next level
gets that level's award, once per level and one level a year (a province-level demonstration cooperative
was a city-level one first). Criteria per level: member households at least `min_members`, the share of
registered-poor households among them at least `min_poor_member_share`, and a profit in each of the last
`min_profitable_years` years. The award is public money to the cooperative (`demonstration_award`); it
stays in its account as development capital (it is not part of the year's profit, which is already
split). With a funding scenario the `awards` line pays awards as they fall due, qualifying cooperatives in
a random order (stream `awards`), until it is spent; a cooperative the line cannot pay waits for a
later year.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field, field_validator

from sim.declarations import FundingLine, Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.schema import NonNegative, Share, Strict


class AwardLevel(Strict):
    name: str
    award_yuan: NonNegative
    min_members: int = Field(ge=0)
    min_poor_member_share: Share
    min_profitable_years: int = Field(ge=0, le=50)


def _default_levels() -> list[AwardLevel]:
    # seed 000: 10,000 / 20,000 / 30,000 yuan at city / province / nation level; criteria (members, the poor
    # among them, years in profit) are assumptions after the usual demonstration-cooperative rules
    return [AwardLevel(name="city", award_yuan=10_000, min_members=50, min_poor_member_share=0.2,
                       min_profitable_years=1),
            AwardLevel(name="province", award_yuan=20_000, min_members=100, min_poor_member_share=0.2,
                       min_profitable_years=2),
            AwardLevel(name="nation", award_yuan=30_000, min_members=150, min_poor_member_share=0.3,
                       min_profitable_years=3)]


class AwardsParams(Strict):
    """Sources in configs/village.yaml."""

    levels: list[AwardLevel] = Field(default_factory=_default_levels)  # in order: each after the one before

    @field_validator("levels")
    @classmethod
    def _distinct(cls, v: list[AwardLevel]) -> list[AwardLevel]:
        if len({lv.name for lv in v}) != len(v):
            raise ValueError("award level names must be distinct")
        return v


class Awards(Policy):
    name = "awards"
    Params = AwardsParams
    requires = ("cooperative",)
    after = ("cooperative",)  # profit struck, failures known
    sources = (
        Source("demonstration_award", public_programme=True),  # a demonstration cooperative's award
    )
    outcomes = (
        Outcome("awards", "awards", "Demonstration-cooperative awards", "示范合作社奖励", "flow"),
        Outcome("award_yuan", "yuan/year", "Demonstration-cooperative award money", "示范合作社奖励资金", "flow"),
    )
    funding_line = FundingLine(
        "awards", "as_due",
        "demonstration awards to qualifying cooperatives, until spent",
        ("demonstration_award",))

    def init(self) -> None:
        n = self.model.coops.n
        self.level = np.zeros(n, np.int64)  # levels awarded so far (the next level's index)
        self.profitable_years = np.zeros(n, np.int64)  # consecutive years in profit up to the last one
        nv = self.model.vill.n
        self.awards_year, self.yuan_year = np.zeros(nv), np.zeros(nv)

    def year_end(self) -> None:
        m, c, hh, levels = self.model, self.model.coops, self.model.hh, self.p.levels
        nv = m.vill.n
        self.awards_year, self.yuan_year = np.zeros(nv), np.zeros(nv)
        self.profitable_years = np.where(c.profit_year > 0, self.profitable_years + 1, 0)
        order = m.streams["awards"].permutation(c.n)  # drawn every year (common random numbers)
        if not levels:
            return
        member = hh.coop >= 0
        members = np.bincount(hh.coop[member], minlength=c.n)
        poor = np.bincount(hh.coop[member], weights=hh.registered_poor[member].astype(float), minlength=c.n)
        poor_share = np.divide(poor, members, out=np.zeros(c.n), where=members > 0)
        nxt = np.minimum(self.level, len(levels) - 1)
        lv = lambda attr: np.array([getattr(levels[i], attr) for i in nxt], dtype=np.float64)  # noqa: E731
        due = (c.active & (self.level < len(levels)) & (members >= lv("min_members"))
               & (poor_share >= lv("min_poor_member_share") - 1e-12)
               & (self.profitable_years >= lv("min_profitable_years")))
        cand = order[due[order]]
        amount = lv("award_yuan")[cand]
        paid = cand[m.funder.fit("awards", amount)]
        m.ledger.transfer_many(m.acct_public, c.account[paid], lv("award_yuan")[paid], "demonstration_award")
        self.level[paid] += 1
        np.add.at(self.awards_year, c.village[paid], 1.0)
        np.add.at(self.yuan_year, c.village[paid], lv("award_yuan")[paid])

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        return {"awards": self.awards_year.copy(), "award_yuan": self.yuan_year.copy()}
