"""Paired assistance (docs/model.md §3.9, 结对帮扶 / 一帮一; seeds 002, 004): each party member pairs with up to k
households of their village, registered-poor households that are still poor first (poorest first),
then other households by need (income per person under a ceiling).

Pairs are formed at the start of each year, after last year's poverty classification, and re-formed
whenever a member joins or leaves: a household that left poverty is released, and no poor household
is left waiting while a non-poor one is paired (the top of the priority list is always the paired
set; existing pairs inside it are kept). Members with the pairing-helper role and assistance posts
take pairs first, then the other roles in `pairing_roles`.

Effects on a paired household, each a parameter: a lasting skill gain for every year paired; an
own-farm yield uplift while paired; a higher yearly chance of joining the cooperative; priority for
credit (`credit_access`, read by a credit mechanism where one exists); and, in months of illness,
help the member mobilises (public money, booked as assistance).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.policies.cooperative import Cooperatives
from sim.population import (
    ASSISTANCE_POST,
    BRANCH_MEMBER,
    COOP_LEADER,
    PAIRING_HELPER,
    ROLES,
    SET_POST,
    VILLAGE_SECRETARY,
)
from sim.schema import NonNegative, Strict

Role = Literal["branch_member", "village_secretary", "coop_leader", "set_post", "pairing_helper"]
DEFAULT_PAIRING_ROLES: tuple[Role, ...] = ("pairing_helper", "set_post", "branch_member")


class PairedAssistanceParams(Strict):
    """Sources in configs/village.yaml."""

    households_per_member: int = Field(default=5, ge=0, le=100)  # k (seed 004: 每位党员联系5家农户)
    pairing_roles: list[Role] = Field(default_factory=lambda: list(DEFAULT_PAIRING_ROLES))
    need_ceiling_poverty_lines: NonNegative = 1.5  # non-poor households are paired (after the poor) below this
    skill_gain_per_paired_year: NonNegative = 0.03
    yield_uplift_while_paired: NonNegative = 0.10
    join_probability_multiplier: NonNegative = 2.0
    credit_access_multiplier: NonNegative = 1.5
    illness_cushion_yuan_per_month: NonNegative = 150


# who takes pairs first (lower first): helpers and assistance posts, then branch members, then the rest
_ROLE_ORDER = {PAIRING_HELPER: 0, SET_POST: 1, BRANCH_MEMBER: 2, COOP_LEADER: 3, VILLAGE_SECRETARY: 4}


class PairedAssistance(Policy):
    name = "paired_assistance"
    Params = PairedAssistanceParams
    requires = ("party_organisation",)  # members' roles decide who pairs
    after = ("party_organisation",)  # members' roles decide who pairs
    sources = (
        Source("pairing_cushion", "assistance", public_programme=True),  # help a paired member mobilises in illness
    )
    outcomes = (
        Outcome("pairings", "households", "Households paired with a party member", "结对帮扶户数", "stock"),
        Outcome("paired_households_lifted", "households", "Paired households lifted this year",
                "结对帮扶脱贫户数", "flow"),
    )

    def init(self) -> None:
        m, hh = self.model, self.model.hh
        self.paired_year = np.zeros(hh.n, bool)  # paired at some time this year
        self.paired_years = np.zeros(hh.n, np.int64)  # years paired so far (for the lasting skill gain)
        self._uplift = np.zeros(hh.n)  # the yield uplift currently added to skill
        self._roles = np.array([ROLES.index(r) for r in self.p.pairing_roles], np.int64)
        coop = m.mechanism(Cooperatives)
        if coop is not None:
            self._base_join_probability = coop.join_probability
            coop.join_probability = self.join_probability  # type: ignore[method-assign]  # pairing raises it

    # -- forming pairs -------------------------------------------------------------------------------
    def year_start(self) -> None:
        hh = self.model.hh
        # the skill learned during last year's pairing lasts; the yield uplift is re-set for the new pairs
        hh.skill -= self._uplift
        hh.skill *= np.where(self.paired_year, 1 + self.p.skill_gain_per_paired_year, 1.0)
        self.paired_years += self.paired_year
        self._uplift[:] = 0.0
        self.paired_year[:] = False
        self.pair()

    def eligible(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(poor, other, need): registered-poor households still poor; other households under the need
        ceiling that never were registered poor or are poor again; need = last year's income per person."""
        m, hh = self.model, self.model.hh
        need = np.where(m.year_index == 0, m.assessed_income_per_capita, hh.income_per_capita_last_year)
        free = hh.party_members == 0  # party households are the helpers, not the helped
        poor = free & hh.registered_poor & hh.poor
        other = (free & ~poor & ~(hh.registered_poor & ~hh.poor)
                 & (need < self.p.need_ceiling_poverty_lines * m.poverty_line))
        return poor, other, need

    def helpers(self, v: int) -> np.ndarray:
        """Rows of the members of village v who pair, in the order they take pairs."""
        return self._helpers_by_village(np.array([v]))[v]

    def _helpers_by_village(self, villages: np.ndarray) -> dict[int, np.ndarray]:
        """`helpers` for several villages from one sort over the party members."""
        m, pm = self.model, self.model.party
        village_of = m.hh.village[pm.household]
        rows = np.flatnonzero(pm.member & np.isin(pm.role, self._roles) & np.isin(village_of, villages))
        rank = np.array([_ROLE_ORDER[r] for r in pm.role[rows]], np.int64)
        rank = np.where((pm.role[rows] == SET_POST) & (pm.post[rows] != ASSISTANCE_POST), 2.5, rank)
        rows = rows[np.lexsort((rows, -pm.capability[rows], rank, village_of[rows]))]
        bounds = np.searchsorted(village_of[rows], villages, side="left"), \
            np.searchsorted(village_of[rows], villages, side="right")
        return {int(v): rows[a:b] for v, a, b in zip(villages, *bounds, strict=True)}

    def pair(self, villages: np.ndarray | None = None) -> None:
        """(Re-)form the pairs of every village (or of `villages`, where members changed): the top of the
        priority list, up to the members' capacity."""
        m, hh, pm = self.model, self.model.hh, self.model.party
        k = self.p.households_per_member
        poor, other, need = self.eligible()
        gone = hh.paired_member >= 0
        gone[gone] = ~(pm.member[hh.paired_member[gone]] & np.isin(pm.role[hh.paired_member[gone]], self._roles))
        hh.paired_member[gone] = -1
        villages = np.arange(m.vill.n) if villages is None else np.unique(villages)
        helpers_of = self._helpers_by_village(villages)
        for v in villages:
            sl = m.village_slice(int(v))
            helpers = helpers_of[int(v)]
            group = np.where(poor[sl], 0, np.where(other[sl], 1, 2))
            cand = sl.start + np.flatnonzero(group < 2)
            cand = cand[np.lexsort((cand, need[cand], group[cand - sl.start]))][: k * helpers.size]
            paired_here = sl.start + np.flatnonzero(hh.paired_member[sl] >= 0)
            hh.paired_member[np.setdiff1d(paired_here, cand)] = -1  # outside the top: released
            load = np.bincount(hh.paired_member[cand][hh.paired_member[cand] >= 0], minlength=pm.n)
            slots = np.repeat(helpers, np.maximum(k - load[helpers], 0))
            waiting = cand[hh.paired_member[cand] < 0]
            hh.paired_member[waiting] = slots[: waiting.size]
        paired = hh.paired_member >= 0
        self.paired_year |= paired
        # the yield uplift rides on skill while paired (own-farm income is land x net yield x skill)
        hh.skill -= self._uplift
        self._uplift = np.where(paired, hh.skill * self.p.yield_uplift_while_paired, 0.0)
        hh.skill += self._uplift

    # -- effects -------------------------------------------------------------------------------------------
    def join_probability(self, k: int, households: slice) -> np.ndarray | float:
        base = self._base_join_probability(k, households)
        paired = self.model.hh.paired_member[households] >= 0
        return np.where(paired, np.minimum(1.0, base * self.p.join_probability_multiplier), base)

    def credit_access(self) -> np.ndarray:
        """Per household: how much more likely a paired household is to get a loan (1 when not paired).
        For the mutual-aid credit mechanism (docs/model.md §3.10) to multiply its approval chance by."""
        return np.where(self.model.hh.paired_member >= 0, self.p.credit_access_multiplier, 1.0)

    def pay(self) -> None:
        """In months of illness, the paired member mobilises help (seed 004: 协调资金 for poor households)."""
        m, hh = self.model, self.model.hh
        amount = np.where(hh.ill & (hh.paired_member >= 0), self.p.illness_cushion_yuan_per_month * m.price_index, 0.0)
        paid = m.ledger.pay_households(m.acct_public, amount, "pairing_cushion")
        if paid:
            m.public_programme_year += np.bincount(hh.village, weights=np.round(amount * 100), minlength=m.vill.n) / 100

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        hh, nv = self.model.hh, self.model.vill.n
        return {
            "pairings": np.bincount(hh.village, weights=(hh.paired_member >= 0).astype(float), minlength=nv),
            "paired_households_lifted": np.bincount(hh.village, weights=(lifted & self.paired_year).astype(float),
                                                    minlength=nv),
        }
