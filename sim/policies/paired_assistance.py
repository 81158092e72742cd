"""Paired assistance (docs/model.md §3.9, 结对帮扶 / 一帮一; seeds 002, 004): a cooperative's party members pair
with up to k households linked to that cooperative (its members and the households holding its field-management
contracts; seed 002: 165 households for 354 party members in 69 cooperatives), registered-poor households that
are still poor first (poorest first), then other households by need (income per person under a ceiling).
With `linked_households_only` off, every member pairs across the whole village (the earlier rule).

Pairs are formed at the start of each year, after last year's poverty classification, and re-formed in a
village whenever one of its members joins or leaves (that village only: a pair elsewhere whose member took on a
post that does not pair ends at its own village's re-forming; issue 17): a household that left poverty is
released, and no poor household is left waiting while a non-poor one is paired (the top of the priority list is
always the paired set; existing pairs inside it are kept). Members with the pairing-helper role and assistance posts
take pairs first, then the other roles in `pairing_roles`.

Effects on a paired household, each a parameter: a lasting skill gain for every year paired; an
own-farm yield uplift while paired; a higher yearly chance of joining the cooperative; priority for
credit (`credit_access`, read by a credit mechanism where one exists); and, in months of illness,
help the member mobilises (society's money, account `pairing_donors`, booked as assistance).

Measured, not credited: `paired_certified_out` counts registered-poor households paired during the run
that leave poverty for the first time (certified out: one-way, a household counts once). Whether pairing
caused it is measured by running the same seeds with pairing off (experiments/pairing_effect.yaml).
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
    lookup,
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
    linked_households_only: bool = True  # pair only within the member's own cooperative (seed 002)


# who takes pairs first (lower first): helpers and assistance posts, then branch members, then the rest
_ROLE_ORDER = {PAIRING_HELPER: 0, SET_POST: 1, BRANCH_MEMBER: 2, COOP_LEADER: 3, VILLAGE_SECRETARY: 4}


class PairedAssistance(Policy):
    name = "paired_assistance"
    Params = PairedAssistanceParams
    requires = ("party_organisation",)  # members' roles decide who pairs
    after = ("party_organisation",)  # members' roles decide who pairs
    sources = (
        # help a paired member mobilises in illness: society's money (account `pairing_donors`), not public
        Source("pairing_cushion", "assistance"),
    )
    outcomes = (
        Outcome("pairings", "households", "Households paired with a party member", "结对帮扶户数", "stock"),
        Outcome("paired_certified_out", "households", "Registered-poor paired households certified out of poverty",
                "结对帮扶建档立卡户脱贫(认定)", "flow"),
    )

    def init(self) -> None:
        m, hh = self.model, self.model.hh
        self.paired_year = np.zeros(hh.n, bool)  # paired at some time this year
        self.paired_years = np.zeros(hh.n, np.int64)  # years paired so far (for the lasting skill gain)
        self.certified_out = np.zeros(hh.n, bool)  # registered poor, paired, certified out of poverty (once)
        self._uplift = np.zeros(hh.n)  # the yield uplift currently added to skill
        self._roles = np.array([ROLES.index(r) for r in self.p.pairing_roles], np.int64)
        # the help a member mobilises comes from society (their work units, enterprises, donors: seed 004's
        # 协调资金), not from the county's programme budget: no funding line pays it
        self.acct_donors = m.ledger.open_account("pairing_donors")
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

    def eligible(self, sl: slice = slice(None)) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(poor, other, need) of the households in `sl` (default: all): registered-poor households still poor;
        other households under the need ceiling that never were registered poor or are poor again; need = last
        year's income per person. Element-wise, so a village's slice equals the county's arrays sliced."""
        m, hh = self.model, self.model.hh
        need = m.assessed_income_per_capita[sl] if m.year_index == 0 else hh.income_per_capita_last_year[sl]
        free = hh.party_members[sl] == 0  # party households are the helpers, not the helped
        registered, still_poor = hh.registered_poor[sl], hh.poor[sl]
        poor = free & registered & still_poor
        other = (free & ~poor & ~(registered & ~still_poor)
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
        """(Re-)form the pairs of every village (or of `villages`, where members changed): in each link group
        (a cooperative, or the whole village), the top of the priority list up to its members' capacity."""
        m, hh = self.model, self.model.hh
        # where members changed, only those villages are looked at (issue 17): their pairs whose member left the
        # party or a pairing role end, their households' priority and their yield uplift are worked out again
        county = self.eligible() if villages is None else None  # one pass when every village is re-formed
        slices = [slice(None)] if villages is None else [m.village_slice(int(v)) for v in np.unique(villages)]
        villages = np.arange(m.vill.n) if villages is None else np.unique(villages)
        for sl in slices:
            self._release(sl)
        helpers_of = self._helpers_by_village(villages)
        for v in villages:
            sl = m.village_slice(int(v))
            helpers = helpers_of[int(v)]
            poor, other, need = self.eligible(sl) if county is None else tuple(a[sl] for a in county)
            group = np.where(poor, 0, np.where(other, 1, 2))
            hh_link, helper_link = self.links(sl, helpers)
            tops = [self._pair_group(sl, helpers[helper_link == g], group, need, hh_link == g)
                    for g in np.unique(helper_link[helper_link >= 0])]
            chosen = np.concatenate(tops) if tops else np.zeros(0, np.int64)
            paired_here = sl.start + np.flatnonzero(hh.paired_member[sl] >= 0)
            hh.paired_member[np.setdiff1d(paired_here, chosen)] = -1  # outside every group's top: released
        for sl in slices:
            self._after_pairing(sl)

    def _release(self, sl: slice) -> None:
        """Pairs of the households in `sl` whose member left the party or no longer has a pairing role end."""
        hh, pm = self.model.hh, self.model.party
        member = hh.paired_member[sl]  # a view: released in place
        gone = member >= 0
        gone[gone] = ~(pm.member[member[gone]] & np.isin(pm.role[member[gone]], self._roles))
        member[gone] = -1

    def links(self, sl: slice, helpers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(each household's link, each helper's link): the cooperative it belongs to or works for (-1: none);
        with `linked_households_only` off, everyone's link is 0 (the whole village)."""
        hh, pm = self.model.hh, self.model.party
        if not self.p.linked_households_only:
            return np.zeros(sl.stop - sl.start, np.int64), np.zeros(helpers.size, np.int64)
        hh_link = np.where(hh.coop[sl] >= 0, hh.coop[sl], hh.contract_coop[sl])
        return hh_link, hh.coop[pm.household[helpers]]

    def _pair_group(self, sl: slice, helpers: np.ndarray, group: np.ndarray, need: np.ndarray,
                    linked: np.ndarray) -> np.ndarray:
        """Pair the top of one link group's priority list with its helpers (existing pairs kept); returns the top.
        `group`, `need` and `linked` are the village's (indexed from sl.start)."""
        hh, k = self.model.hh, self.p.households_per_member
        local = np.flatnonzero((group < 2) & linked)
        local = local[np.lexsort((local, need[local], group[local]))][: k * helpers.size]
        cand = sl.start + local
        mine = hh.paired_member[cand]
        hh.paired_member[cand[(mine >= 0) & ~np.isin(mine, helpers)]] = -1  # paired across groups: re-paired here
        slots = np.repeat(helpers, np.maximum(k - _load(hh.paired_member[cand], helpers), 0))
        waiting = cand[hh.paired_member[cand] < 0]
        hh.paired_member[waiting] = slots[: waiting.size]
        return cand

    def _after_pairing(self, sl: slice) -> None:
        """The households in `sl` paired now are paired this year; the yield uplift rides on skill while paired
        (own-farm income is land x net yield x skill), a share of the skill without it."""
        hh = self.model.hh
        paired = hh.paired_member[sl] >= 0
        self.paired_year[sl] |= paired
        hh.skill[sl] -= self._uplift[sl]
        self._uplift[sl] = np.where(paired, hh.skill[sl] * self.p.yield_uplift_while_paired, 0.0)
        hh.skill[sl] += self._uplift[sl]

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
        m.ledger.pay_households(self.acct_donors, amount, "pairing_cushion")

    def _certify(self, lifted: np.ndarray) -> np.ndarray:
        """Registered-poor households paired during the run that left poverty this year for the first time:
        certified out (one-way: each counts once, whatever happens later)."""
        hh = self.model.hh
        new = lifted & hh.registered_poor & (self.paired_year | (self.paired_years > 0)) & ~self.certified_out
        self.certified_out |= new
        return new.astype(float)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        hh, nv = self.model.hh, self.model.vill.n
        return {
            "pairings": np.bincount(hh.village, weights=(hh.paired_member >= 0).astype(float), minlength=nv),
            "paired_certified_out": np.bincount(hh.village, weights=self._certify(lifted), minlength=nv),
        }


def _load(paired_member: np.ndarray, helpers: np.ndarray) -> np.ndarray:
    """How many of these households each helper already pairs with (the group's few households, not an array the
    size of the county's party)."""
    members, count = np.unique(paired_member[paired_member >= 0], return_counts=True)
    return lookup(members, count, helpers, 0)
