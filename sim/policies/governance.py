"""Cooperative governance (docs/model.md §3.6; seeds 000, 001): the leader's capability scales yield and
costs; a share of revenue leaks to the leader and to better-off members, depending on the leader's
integrity and on supervision; the cooperative's party organisation reviews the books quarterly and
a leader whose misconduct it finds is removed (罢免) and replaced.

Supervision s (0..1) of a cooperative is the sum of what its party organisation gives (a branch
more than a group or an instructor; nothing without one, or with `party_supervision` off), of
each member holding a supervision post, and of township-managed village finances (村财镇管, seed
001), capped at 1; when the chair is also the village secretary (一肩挑: the secretary-chaired
types, or `cross_appointment`) the branch is checking its own secretary, so s is scaled down.
Each month the cooperative loses

    sales x max_leak_share_of_revenue x (1 - integrity) x (1 - s)

of its revenue, and a leader's paid service team overcharges

    costs x service_overcharge_share_of_costs x (1 - integrity) x (1 - s)

unless the leader is a cadre (a party member) and cadres may not run paid service teams (seed 001).
Leakage leaves the cooperative's account for the households that capture it (the leader's, and
`elite_share_of_leakage` of it for the members in the village's top income decile), so members'
surplus falls by it. (1 - integrity) x (1 - s) is the leader's misconduct intensity; it is serious
(情节严重, seed 000) from `serious_misconduct_level` on. Each quarterly audit finds serious misconduct
committed since the last audit with probability detection_probability_at_full_supervision x s; the
leader is then removed (a party member is expelled, by default) and replaced by the most capable
able party member, else by the most capable farmer. Petty leakage below that level goes on.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.policies.leaders import choose_new_leader, install_leader, leader_row, leader_rows
from sim.policies.party_organisation import ORG_FORMS, PartyOrganisation
from sim.population import BRANCH_MEMBER, SUPERVISION_POST, VILLAGE_SECRETARY, appoint_secretaries
from sim.schema import Beta, NonNegative, Share, ShareDist, Strict


class SupervisionByOrganisation(Strict):
    """Supervision (0..1) that each form of party organisation gives its cooperative (assumptions, ordered
    by how closely it sits in the cooperative: seed 000 支部管监督; seed 002 groups are attached to the
    village branch)."""

    branch: Share = 0.5
    joint_branch: Share = 0.4
    group: Share = 0.3
    instructor: Share = 0.2
    none: Share = 0.0


class GovernanceParams(Strict):
    """Sources in configs/village.yaml."""

    # leader capability: productivity = 1 + yield_gain x (capability - reference); costs x (1 - saving x (...))
    reference_capability: Share = 0.5
    yield_gain_per_capability: NonNegative = 0.3
    cost_saving_per_capability: NonNegative = 0.2
    # leakage
    max_leak_share_of_revenue: Share = 0.2
    elite_share_of_leakage: Share = 0.3
    service_overcharge_share_of_costs: Share = 0.1
    # supervision and audits
    party_supervision: bool = True
    supervision_by_organisation: SupervisionByOrganisation = Field(default_factory=SupervisionByOrganisation)
    supervision_per_supervision_post: Share = 0.05
    detection_probability_at_full_supervision: Share = 0.6
    serious_misconduct_level: Share = 0.25
    able_capability: Share = 0.5
    expel_removed_party_leaders: bool = True
    # leaders who are not party members (capable persons): the same distributions as party members by default
    capable_person_capability: ShareDist = Field(default_factory=lambda: Beta(a=4, b=3))
    capable_person_integrity: ShareDist = Field(default_factory=lambda: Beta(a=8, b=2))
    # variants
    township_managed_finances: bool = False
    township_finance_supervision: Share = 0.3
    cadre_service_team_ban: bool = False
    cross_appointment: bool = False
    cross_appointment_supervision_factor: Share = 0.5
    cross_appointment_yield_gain: NonNegative = 0.05


class Governance(Policy):
    name = "governance"
    Params = GovernanceParams
    requires = ("cooperative", "party_organisation")  # audits are the party organisation's
    after = ("paired_assistance",)
    sources = (
        Source("leakage"),  # revenue diverted or captured
        Source("service_overcharge"),  # cadres' paid service teams overcharging the cooperative (seed 001 bans them)
    )
    outcomes = (
        Outcome("leakage", "yuan/year", "Cooperative money diverted or captured",
                "合作社资金流失(截留、精英俘获)", "flow"),
        Outcome("leader_removals", "leaders", "Cooperative leaders removed after audits", "罢免合作社负责人", "flow"),
    )

    def init(self) -> None:
        m, n = self.model, self.model.coops.n
        self.leader_capability = np.zeros(n)
        self.leader_integrity = np.zeros(n)
        organisation = m.mechanism(PartyOrganisation)
        if organisation is not None:  # (always: governance requires it) it asks us who succeeds a leader
            organisation.succession = self
        self.removals_year = np.zeros(n)
        self.detections_total = np.zeros(n, np.int64)
        self.former_leaders_year: list[int] = []
        self.barred = np.zeros(m.hh.n, bool)  # removed leaders may not lead again
        self._unaudited = np.zeros(n)
        self._sales_seen = np.zeros(n)
        self._cost_seen = np.zeros(n)
        self._elites: list[np.ndarray] = [np.zeros(0, np.int64)] * n
        if self.p.cross_appointment:
            self._cross_appoint()
        rng = m.streams["governance/leaders"]
        cap = np.clip(self.p.capable_person_capability.draw(rng, n), 0, 1)
        integ = np.clip(self.p.capable_person_integrity.draw(rng, n), 0, 1)
        for k in range(n):
            self._set_leader(k, cap[k], integ[k])

    def _cross_appoint(self) -> None:
        """一肩挑: in each village, the chair of the first party-member-led cooperative led by a party member
        becomes the village secretary (the former secretary stays a branch member)."""
        m, c, pm = self.model, self.model.coops, self.model.party
        done: set[int] = set()
        for k in range(c.n):
            row = leader_row(m, k)
            if c.type[k] != "party_member_led" or row < 0 or int(c.village[k]) in done:
                continue
            village_of = m.hh.village[pm.household]
            pm.role[(village_of == c.village[k]) & (pm.role == VILLAGE_SECRETARY)] = BRANCH_MEMBER
            pm.role[row] = VILLAGE_SECRETARY
            done.add(int(c.village[k]))

    # -- the leader -----------------------------------------------------------------------------------
    def _set_leader(self, k: int, capable_capability: float, capable_integrity: float) -> None:
        """The leader's capability and integrity (a party member's own; a capable person's drawn) and their effects."""
        m, c, pm, p = self.model, self.model.coops, self.model.party, self.p
        row = leader_row(m, k)
        if row >= 0:
            self.leader_capability[k], self.leader_integrity[k] = pm.capability[row], pm.integrity[row]
        else:
            self.leader_capability[k], self.leader_integrity[k] = capable_capability, capable_integrity
        gap = self.leader_capability[k] - p.reference_capability
        gain = p.cross_appointment_yield_gain if self.secretary_chairs(k) else 0.0
        c.productivity[k] = max(0.0, 1 + p.yield_gain_per_capability * gap) * (1 + gain)
        c.cost_factor[k] = max(0.0, 1 - p.cost_saving_per_capability * gap)

    def secretary_chairs(self, k: int) -> bool:
        row = leader_row(self.model, k)
        return row >= 0 and self.model.party.role[row] == VILLAGE_SECRETARY

    def replace_leader(self, k: int, removed: bool) -> None:
        """Cooperative k gets a new leader; `removed`: the old one was found out (罢免) and may not lead again."""
        m, c, pm = self.model, self.model.coops, self.model.party
        old, row = int(c.leader_household[k]), leader_row(m, k)
        if removed:
            self.removals_year[k] += 1
            self.former_leaders_year.append(old)
            self.barred[old] = True
            c.leader_household[k] = -1  # vacant while the party organisation deals with the old leader
            if row >= 0:
                was_secretary = pm.role[row] == VILLAGE_SECRETARY
                pm.role[row] = BRANCH_MEMBER
                organisation = m.mechanism(PartyOrganisation)
                if self.p.expel_removed_party_leaders and organisation is not None:
                    organisation.remove(np.array([row]))  # may already have filled the post (a new secretary)
                elif was_secretary:
                    appoint_secretaries(pm, m.hh, np.append(c.leader_household, np.flatnonzero(self.barred)))
            if c.leader_household[k] >= 0:
                return
        new = choose_new_leader(m, k, self.p.able_capability, self.barred)
        if new < 0:
            c.leader_household[k] = old
            return
        install_leader(m, k, new)
        rng = m.streams["governance/replacements"]
        cap = float(np.clip(self.p.capable_person_capability.draw(rng, 1)[0], 0, 1))
        integ = float(np.clip(self.p.capable_person_integrity.draw(rng, 1)[0], 0, 1))
        self._set_leader(k, cap, integ)

    # -- supervision and leakage -------------------------------------------------------------------------
    # Computed for all cooperatives at once (a county has hundreds, every month); `supervision(k)` and the
    # other per-cooperative forms read the same arrays, so the numbers are the same either way.
    def supervision_all(self) -> np.ndarray:
        """Each cooperative's supervision, 0..1: its party organisation's form and supervision posts,
        township-managed finances; weakened where the village secretary chairs it."""
        m, p, c = self.model, self.p, self.model.coops
        s = np.zeros(c.n)
        if p.party_supervision:
            organisation = m.mechanism(PartyOrganisation)
            if organisation is not None:
                by_form = np.array([getattr(p.supervision_by_organisation, f) for f in ORG_FORMS])
                s = s + by_form[organisation.form]
                s = s + p.supervision_per_supervision_post * self._posts_per_coop(SUPERVISION_POST)
        if p.township_managed_finances:
            s = s + p.township_finance_supervision
        s = np.minimum(1.0, s)
        return np.where(self.secretary_chairs_all(), s * p.cross_appointment_supervision_factor, s)

    def _posts_per_coop(self, post: int) -> np.ndarray:
        """Party members (probationary or full) holding `post` whose household belongs to each cooperative."""
        m, pm = self.model, self.model.party
        coop = m.hh.coop[pm.household]
        mine = pm.member & (pm.post == post) & (coop >= 0)
        return np.bincount(coop[mine], minlength=m.coops.n).astype(np.float64)

    def secretary_chairs_all(self) -> np.ndarray:
        rows, role = leader_rows(self.model), self.model.party.role
        if role.size == 0:
            return np.zeros(rows.size, bool)
        return (rows >= 0) & (role[np.maximum(rows, 0)] == VILLAGE_SECRETARY)

    def supervision(self, k: int) -> float:
        return float(self.supervision_all()[k])

    def misconduct_all(self) -> np.ndarray:
        """Each leader's misconduct intensity, 0..1: (1 - integrity) x (1 - supervision)."""
        return (1 - self.leader_integrity) * (1 - self.supervision_all())

    def misconduct(self, k: int) -> float:
        return float(self.misconduct_all()[k])

    def leak_share(self, k: int) -> float:
        """Share of this cooperative's revenue that leaks."""
        return self.p.max_leak_share_of_revenue * self.misconduct(k)

    def overcharge_share_all(self) -> np.ndarray:
        """Share of each cooperative's operating costs its leader's paid service team adds on top."""
        share = self.p.service_overcharge_share_of_costs * self.misconduct_all()
        if self.p.cadre_service_team_ban:
            share = np.where(leader_rows(self.model) >= 0, 0.0, share)
        return share

    def overcharge_share(self, k: int) -> float:
        return float(self.overcharge_share_all()[k])

    def year_start(self) -> None:
        m, c, hh = self.model, self.model.coops, self.model.hh
        self.removals_year = np.zeros(c.n)
        self.former_leaders_year = []
        self._sales_seen = c.sales_year.copy()
        self._cost_seen = c.cost_year.copy()
        for k in range(c.n):
            self._set_leader(k, self.leader_capability[k], self.leader_integrity[k])
        # the better-off members who share in the leakage: the village's top income decile (last year's)
        pc = np.where(m.year_index == 0, m.assessed_income_per_capita, hh.income_per_capita_last_year)
        top = m.village_top_decile(pc)
        for k in range(c.n):
            sl = m.village_slice(c.village[k])
            mine = sl.start + np.flatnonzero((hh.coop[sl] == k) & top[sl])
            self._elites[k] = mine[mine != c.leader_household[k]]
        if self.p.party_supervision:
            for quarter in (3, 6, 9, 12):  # the books of each quarter are reviewed when it is over
                m.calendar.at(m.month + quarter, self._audit)

    def produce(self) -> None:
        c = self.model.coops
        sales = c.sales_year - self._sales_seen
        share = self.p.max_leak_share_of_revenue * self.misconduct_all()
        ks = np.flatnonzero(c.active & (sales > 0))
        self._capture(ks, sales[ks] * share[ks], "leakage")
        self._sales_seen = c.sales_year.copy()

    def pay(self) -> None:
        c = self.model.coops
        costs = c.cost_year - self._cost_seen
        share = self.overcharge_share_all()
        ks = np.flatnonzero(c.active & (costs > 0))
        self._capture(ks, costs[ks] * share[ks], "service_overcharge", elites=False)
        self._cost_seen = c.cost_year.copy()

    def _capture(self, ks: np.ndarray, amounts: np.ndarray, source: str, elites: bool = True) -> None:
        """Move leaked money from cooperatives `ks` to the accounts that capture it: the better-off members
        (`elite_share_of_leakage`, equally, to the fen) and the leader's household (the rest)."""
        c, led = self.model.coops, self.model.ledger
        ks, amounts = np.asarray(ks, np.int64), np.asarray(amounts, np.float64)
        ok = (amounts > 0) & (c.leader_household[ks] >= 0)
        ks, amounts = ks[ok], amounts[ok]
        if ks.size == 0:
            return
        moved = np.zeros(ks.size, np.int64)  # fen, per cooperative
        if elites:
            sizes = np.array([self._elites[k].size for k in ks], np.int64)
            has = sizes > 0
            if has.any():
                each = np.floor(amounts[has] * self.p.elite_share_of_leakage / sizes[has] * 100) / 100
                fen = led.transfer_many(np.repeat(c.account[ks[has]], sizes[has]),
                                        np.concatenate([self._elites[k] for k in ks[has]]),
                                        np.repeat(each, sizes[has]), source)
                moved[has] = np.add.reduceat(fen, np.concatenate(([0], np.cumsum(sizes[has])[:-1])))
        moved = moved + led.transfer_many(c.account[ks], c.leader_household[ks], amounts - moved / 100, source)
        c.leakage_year[ks] += moved / 100
        self._unaudited[ks] += moved / 100

    # -- quarterly audits -------------------------------------------------------------------------------
    def _audit(self) -> None:
        """The party organisation reviews the books (seed 000: 每季度): serious misconduct since the last audit
        is found with a probability that rises with supervision; a leader found out is removed and replaced."""
        m, c = self.model, self.model.coops
        u = m.streams["audit"].random(c.n)  # one draw per cooperative and audit
        organisation = m.mechanism(PartyOrganisation)
        supervision = self.supervision_all()
        misconduct = (1 - self.leader_integrity) * (1 - supervision)
        for k in np.flatnonzero(c.active & (self._unaudited > 0)):
            if organisation is not None and organisation.form[k] == 0:
                continue  # no party organisation, nobody to audit
            if misconduct[k] < self.p.serious_misconduct_level:
                continue  # petty leakage: not grounds for removal
            if u[k] < self.p.detection_probability_at_full_supervision * supervision[k]:
                self.detections_total[k] += 1
                self.replace_leader(int(k), removed=True)
                supervision = self.supervision_all()  # a new leader (and posts) change what the rest see
                misconduct = (1 - self.leader_integrity) * (1 - supervision)
        self._unaudited[:] = 0.0

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        c, nv = self.model.coops, self.model.vill.n
        return {
            "leakage": np.bincount(c.village, weights=c.leakage_year, minlength=nv),
            "leader_removals": np.bincount(c.village, weights=self.removals_year, minlength=nv),
        }
