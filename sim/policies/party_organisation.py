"""Party organisation and cultivation (docs/model.md §2, §3.8; seeds 000, 002, 004): party members' roles,
the organisation each cooperative has, and the cultivation pipeline.

Organisation rule (seeds 002, 004): a cooperative whose member households hold at least 3 formal
(full) party members forms a party branch; with 1-2 it forms a party group attached to the village
branch (or, with `small_organisation: joint_branch`, a joint branch with the village's other small
ones when together they reach 3); with none the township sends an instructor (指导员), who
cultivates members. The form is recounted whenever members are admitted or leave and at year end.

Cultivation (seeds 000, 004): each year end a cooperative takes in new applicants (Poisson, more
where a party organisation exists), chosen among its member households without a party member,
its non-party leader first, then the most capable farmers. Each stage ends with a review, a dated
event `<stage>_months` after the stage began: the person moves on with the stage's conversion rate
or drops out. Probationary members are members (they pair and pilot); only full members count
for the branch rule. Members leave (death, moving away) at a yearly rate; a leaving leader or
secretary is replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from sim.declarations import Outcome
from sim.policies.base import Policy
from sim.policies.cooperative import TYPE_RULES
from sim.policies.leaders import Succession, replace_leader
from sim.policies.paired_assistance import PairedAssistance
from sim.population import (
    ACTIVIST,
    APPLICANT,
    ASSISTANCE_POST,
    BRANCH_MEMBER,
    FULL,
    LEFT,
    PAIRING_HELPER,
    PROBATIONARY,
    SET_POST,
    STAGES,
    SUPERVISION_POST,
    TECHNOLOGY_POST,
    VILLAGE_SECRETARY,
    appoint_secretaries,
)
from sim.schema import NonNegative, Share, Strict

ORG_FORMS = ("none", "instructor", "group", "joint_branch", "branch")
NO_ORGANISATION, INSTRUCTOR, GROUP, JOINT_BRANCH, BRANCH = range(5)


class RoleShares(Strict):
    """Roles drawn for members who are neither the village secretary nor a cooperative leader (shares sum to 1)."""

    pairing_helper: Share = 0.4  # seed 004: an assistance group (帮扶组) in the grain cooperative's branch
    set_post: Share = 0.3  # seed 004: 无职党员设岗定责 — no-post members given a post
    branch_member: Share = 0.3

    @model_validator(mode="after")
    def _sum_to_one(self) -> RoleShares:
        if abs(self.pairing_helper + self.set_post + self.branch_member - 1) > 1e-9:
            raise ValueError("role shares must sum to 1")
        return self


class PostShares(Strict):
    """Posts of set-post members (seed 004: 帮扶责任岗, 科技示范岗, ...; supervision: seed 000 支部管监督).
    Shares sum to 1."""

    assistance: Share = 0.4  # pairs with households like a pairing helper
    technology: Share = 0.3  # runs the cooperative's pilot plots (pilot_first): a sharper signal
    supervision: Share = 0.3  # adds to the supervision of the member's cooperative (governance)

    @model_validator(mode="after")
    def _sum_to_one(self) -> PostShares:
        if abs(self.assistance + self.technology + self.supervision - 1) > 1e-9:
            raise ValueError("post shares must sum to 1")
        return self


class PartyOrganisationParams(Strict):
    """Sources in configs/village.yaml."""

    branch_min_formal_members: int = Field(default=3, ge=1, le=50)  # seeds 002, 004: 正式党员3人以上
    small_organisation: Literal["group", "joint_branch"] = "group"  # seed 002: 108 groups, 75 joint branches
    township_instructors: bool = True  # seed 002: 55 instructors to 55 organisations without party members
    role_shares: RoleShares = Field(default_factory=RoleShares)
    post_shares: PostShares = Field(default_factory=PostShares)
    # cultivation pipeline
    applicants_per_organised_coop_year: NonNegative = 1.0  # seed 000: 47 in a year; seed 004: 724 over ~2 years
    applicants_per_instructor_year: NonNegative = 0.5  # seed 002: 55 instructors -> 32 activists, 2 members
    applicant_months: int = Field(default=6, ge=1, le=120)  # application to activist
    activist_months: int = Field(default=12, ge=1, le=120)  # cultivated at least a year (seed 000: 1-2 years)
    probationary_months: int = Field(default=12, ge=1, le=120)  # party constitution: one year of probation
    applicant_to_activist_rate: Share = 0.83  # seed 000: 39 of 47 applicants became activists
    activist_to_probationary_rate: Share = 0.2  # seed 000: 8 of 39; seed 004: 58 of 323
    probationary_to_full_rate: Share = 0.95  # assumption: nearly every probationary member is confirmed
    leave_rate_per_year: Share = 0.02  # members who die or move away (assumption: an ageing rural membership)


class PartyOrganisation(Policy):
    name = "party_organisation"
    Params = PartyOrganisationParams
    requires = ("cooperative",)  # organisations and cultivation live in cooperatives
    after = ("cooperative",)  # recounted on the year's new membership and failures
    outcomes = (
        Outcome("party_branches", "branches", "Party branches in cooperatives (incl. joint)",
                "合作社党支部(含联合支部)", "stock"),
        Outcome("party_groups", "groups", "Party groups in cooperatives", "合作社党小组", "stock"),
        Outcome("instructors", "instructors", "Township instructors in cooperatives", "党建工作指导员", "stock"),
        Outcome("party_members", "persons", "Party members (probationary and full)", "党员(含预备党员)", "stock"),
        Outcome("activists", "persons", "Activists applying to join the party", "入党积极分子", "stock"),
    )

    def init(self) -> None:
        m, pm, c = self.model, self.model.party, self.model.coops
        self.form = np.zeros(c.n, np.int64)  # ORG_FORMS code per cooperative
        self.formal_count = np.zeros(c.n, np.int64)
        self.reviews = np.zeros(len(STAGES), np.int64)  # reviews held per stage since the start
        self.conversions = np.zeros(len(STAGES), np.int64)
        self.admitted_year = 0
        # who gets one of the township's instructors, among the cooperatives that need one (None: all do);
        # set by `set_instructor_allocator` (instructor_posts: only funded posts)
        self.instructor_allocator: Callable[[np.ndarray], np.ndarray] | None = None
        # who decides a cooperative's new leader: governance sets itself here when it is on
        self.succession: Succession | None = None
        self._secretary_chaired = np.array([_chaired_by_secretary(t) for t in c.type], bool)  # types do not change
        appoint_secretaries(pm, m.hh, c.leader_household)
        free = pm.member & (pm.role == BRANCH_MEMBER)
        self._draw_roles(np.flatnonzero(free), m.streams["party_roles"])
        self.recount()

    # -- roles -------------------------------------------------------------------------------------
    def _draw_roles(self, rows: np.ndarray, rng: np.random.Generator) -> None:
        """Roles (and posts) of members who are neither secretary nor leader, from the configured shares."""
        pm, r, p = self.model.party, self.p.role_shares, self.p.post_shares
        u, v = rng.random(rows.size), rng.random(rows.size)
        pm.role[rows] = np.where(u < r.pairing_helper, PAIRING_HELPER,
                                 np.where(u < r.pairing_helper + r.set_post, SET_POST, BRANCH_MEMBER))
        post = np.where(v < p.assistance, ASSISTANCE_POST,
                        np.where(v < p.assistance + p.technology, TECHNOLOGY_POST, SUPERVISION_POST))
        pm.post[rows] = np.where(pm.role[rows] == SET_POST, post, 0)

    # -- the organisation rule -----------------------------------------------------------------------
    def recount(self) -> None:
        """Each active cooperative's party organisation from the formal members in its member households."""
        m, pm, c, p = self.model, self.model.party, self.model.coops, self.p
        coop_of = m.hh.coop[pm.household]
        counted = pm.formal & (coop_of >= 0)
        self.formal_count = np.bincount(coop_of[counted], minlength=c.n)
        self.form = organisation_forms(self.formal_count, c.village, c.active, p.branch_min_formal_members,
                                       p.small_organisation, p.township_instructors)
        if self.instructor_allocator is not None:
            want = self.form == INSTRUCTOR
            self.form[want & ~self.instructor_allocator(want)] = NO_ORGANISATION

    def set_instructor_allocator(self, allocator: Callable[[np.ndarray], np.ndarray]) -> None:
        """Let `allocator(want)` decide which of the cooperatives that need an instructor (bool per
        cooperative) get one (bool per cooperative); the others have no organisation and no cultivation."""
        self.instructor_allocator = allocator
        self.recount()

    # -- cultivation ---------------------------------------------------------------------------------
    def year_end(self) -> None:
        """After the cooperatives' year end (new members, failures): members leave, applicants come in."""
        m = self.model
        self._leave(m.streams["party_leaving"])
        self.recount()
        self._take_applicants(m.streams["cultivation"])

    def year_start(self) -> None:
        self.admitted_year = 0

    def _take_applicants(self, rng: np.random.Generator) -> None:
        m, hh, pm, c, p = self.model, self.model.hh, self.model.party, self.model.coops, self.p
        rate = np.where(self.form >= GROUP, p.applicants_per_organised_coop_year,
                        np.where(self.form == INSTRUCTOR, p.applicants_per_instructor_year, 0.0))
        wanted = rng.poisson(np.where(c.active, rate, 0.0))  # one draw per cooperative every year
        taken = np.zeros(hh.n, bool)
        taken[pm.household[pm.stage != LEFT]] = True
        cohorts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (households, capability, integrity)
        for k in np.flatnonzero(wanted).tolist():
            sl = m.village_slice(c.village[k])
            cand = sl.start + np.flatnonzero((hh.coop[sl] == k) & ~taken[sl])
            # the cooperative's non-party leader first (seed 000: 定向培养), then the most capable farmers
            key = np.where(cand == c.leader_household[k], np.inf, hh.skill[cand] * hh.land_mu[cand])
            chosen = cand[np.lexsort((cand, -key))][: wanted[k]]
            if chosen.size:
                cohorts.append((chosen, *self._applicant_traits(chosen, k, rng)))
                taken[chosen] = True
        self._apply(cohorts)

    def _applicant_traits(self, households: np.ndarray, k: int,
                          rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Capability and integrity of cooperative k's new applicants `households`."""
        m, v = self.model, self.model.config.village
        capability = np.clip(v.party_capability.draw(rng, households.size), 0, 1)
        integrity = np.clip(v.party_integrity.draw(rng, households.size), 0, 1)
        gov = self.succession
        if gov is not None:  # a capable leader keeps the capability and integrity the cooperative already knows
            lead = households == m.coops.leader_household[k]
            capability[lead], integrity[lead] = gov.leader_capability[k], gov.leader_integrity[k]
        return capability, integrity

    def _apply(self, cohorts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> None:
        """The year's applicants, cooperative by cooperative, enter the party rolls in one append (the rows they
        would get one cooperative at a time); each cooperative's cohort has its own dated review, in that order."""
        if not cohorts:
            return
        m = self.model
        households, capability, integrity = (np.concatenate(part) for part in zip(*cohorts, strict=True))
        rows = m.party.add(households, capability, integrity, APPLICANT, m.month)
        self._new_agents(rows)
        for cohort in np.split(rows, np.cumsum([h.size for h, _, _ in cohorts])[:-1]):
            self._schedule_review(cohort, APPLICANT)

    def welcome(self, households: np.ndarray, capability: np.ndarray, integrity: np.ndarray, stage: int) -> None:
        """People coming into the village's party rolls from outside (returning migrants, talent_return.py):
        full members get a role and count at once; applicants start cultivation."""
        if households.size == 0:
            return
        m = self.model
        rows = m.party.add(households, capability, integrity, stage, m.month)
        self._new_agents(rows)
        if stage == APPLICANT:
            self._schedule_review(rows, APPLICANT)
            return
        m.hh.party_members[households] += 1
        self._draw_roles(rows, m.streams["party_roles"])
        self.recount()
        self._changed(rows)

    def _new_agents(self, rows: np.ndarray) -> None:
        self.model.add_party_agents(rows)

    def _stage_months(self, stage: int) -> int:
        p = self.p
        return (p.applicant_months, p.activist_months, p.probationary_months)[stage]

    def _rate(self, stage: int) -> float:
        p = self.p
        return (p.applicant_to_activist_rate, p.activist_to_probationary_rate, p.probationary_to_full_rate)[stage]

    def _schedule_review(self, rows: np.ndarray, stage: int) -> None:
        m = self.model
        due = m.month + self._stage_months(stage)
        m.calendar.at(due, partial(self._review, rows, stage))

    def _review(self, rows: np.ndarray, stage: int) -> None:
        """A dated review at the end of a stage: move on with the stage's rate, or drop out."""
        m, pm, hh = self.model, self.model.party, self.model.hh
        rows = rows[pm.stage[rows] == stage]  # people who left meanwhile are not reviewed
        if rows.size == 0:
            return
        moved = m.streams["cultivation"].random(rows.size) < self._rate(stage)
        self.reviews[stage] += rows.size
        self.conversions[stage] += int(moved.sum())
        up, out = rows[moved], rows[~moved]
        pm.stage[out] = LEFT
        pm.stage[up] = stage + 1
        pm.stage_month[up] = m.month
        if stage + 1 < FULL and up.size:
            self._schedule_review(up, stage + 1)
        if stage + 1 == PROBATIONARY and up.size:  # admitted: a party member now, with a role
            hh.party_members[pm.household[up]] += 1
            self._draw_roles(up, m.streams["party_roles"])
            self.admitted_year += up.size
            self._changed(up)
        if stage == PROBATIONARY:  # confirmed members count for the branch rule; the others leave the party
            if out.size:
                self._members_left(out)
            self.recount()
            if out.size:
                self._changed(out)

    # -- leaving ----------------------------------------------------------------------------------------
    def _leave(self, rng: np.random.Generator) -> None:
        pm = self.model.party
        u = rng.random(pm.n)
        going = np.flatnonzero(pm.member & (u < self.p.leave_rate_per_year))
        self.remove(going)

    def remove(self, rows: np.ndarray) -> None:
        """Members `rows` leave the party and the village's organisation (moving away, death, expulsion)."""
        pm = self.model.party
        rows = rows[pm.member[rows]]
        if rows.size == 0:
            return
        pm.stage[rows] = LEFT
        self._members_left(rows)
        self.recount()
        self._changed(rows)

    def _members_left(self, rows: np.ndarray) -> None:
        """Bookkeeping after members left: their households, pairs, posts, cooperatives and secretaryships."""
        m, pm, hh, c = self.model, self.model.party, self.model.hh, self.model.coops
        hh.party_members[pm.household[rows]] -= 1
        hh.paired_member[np.isin(hh.paired_member, rows)] = -1
        lost_secretary = (pm.role[rows] == VILLAGE_SECRETARY).any()
        pm.role[rows] = BRANCH_MEMBER
        pm.post[rows] = 0
        if lost_secretary:
            appoint_secretaries(pm, hh, c.leader_household)
        for k in np.flatnonzero(c.active & np.isin(c.leader_household, pm.household[rows])).tolist():
            replace_leader(m, int(k), removed=False, succession=self.succession)
        for k in self._chaired_by_former_secretary().tolist():
            replace_leader(m, int(k), removed=False, succession=self.succession)

    def _chaired_by_former_secretary(self) -> np.ndarray:
        """Active secretary-chaired cooperatives whose chair is not the village secretary while the village has one:
        they get the new one. Checked on every cooperative at once (one pass over the party members; replacing one
        chair changes neither the secretaries nor the other chairs, so checking before the replacements is the
        same as checking each in turn)."""
        m, pm, c = self.model, self.model.party, self.model.coops
        secretaries = pm.household[pm.member & (pm.role == VILLAGE_SECRETARY)]
        village_has_secretary = np.zeros(m.vill.n, bool)
        village_has_secretary[m.hh.village[secretaries]] = True
        stale = c.active & self._secretary_chaired & village_has_secretary[c.village]
        return np.flatnonzero(stale & ~np.isin(c.leader_household, secretaries))

    def _changed(self, rows: np.ndarray) -> None:
        """Tell policies that depend on who is a member that members `rows` came or went (pairs are
        re-formed in their villages)."""
        pairing = self.model.mechanism(PairedAssistance)
        if pairing is not None:
            pairing.pair(self.model.hh.village[self.model.party.household[rows]])

    # -- what others read -----------------------------------------------------------------------------
    def members_in(self, k: int, post: int | None = None) -> np.ndarray:
        """Rows of party members (probationary or full) whose household belongs to cooperative k."""
        m, pm = self.model, self.model.party
        mine = pm.member & (m.hh.coop[pm.household] == k)
        if post is not None:
            mine &= pm.post == post
        return np.flatnonzero(mine)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        m, pm, c = self.model, self.model.party, self.model.coops
        nv = m.vill.n
        village_of = m.hh.village[pm.household]
        joint = np.zeros(nv)
        joint[c.village[self.form == JOINT_BRANCH]] = 1.0  # a village's joint branch counts once
        by_coop = lambda form: np.bincount(c.village, weights=(self.form == form).astype(float),  # noqa: E731
                                           minlength=nv) if c.n else np.zeros(nv)
        return {
            "party_branches": by_coop(BRANCH) + joint,
            "party_groups": by_coop(GROUP),
            "instructors": by_coop(INSTRUCTOR),
            "party_members": np.bincount(village_of, weights=pm.member.astype(float), minlength=nv),
            "activists": np.bincount(village_of, weights=(pm.stage == ACTIVIST).astype(float), minlength=nv),
        }


def _chaired_by_secretary(coop_type: str) -> bool:
    return TYPE_RULES[coop_type].founder == "village_secretary"


def organisation_forms(formal: np.ndarray, village: np.ndarray, active: np.ndarray, branch_min: int,
                       small: str, instructors: bool) -> np.ndarray:
    """The organisation rule (§3.8) for each cooperative, from its number of formal party members."""
    form = np.where(formal >= branch_min, BRANCH,
                    np.where(formal >= 1, GROUP, INSTRUCTOR if instructors else NO_ORGANISATION))
    if small == "joint_branch":
        for v in np.unique(village):
            pool = active & (village == v) & (form == GROUP)
            if formal[pool].sum() >= branch_min:
                form[pool] = JOINT_BRANCH
    return np.where(active, form, NO_ORGANISATION)

