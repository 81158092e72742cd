"""Cooperative governance (docs/model.md §3.6; seeds 000, 001; issue 15 item 4): the leader's capability, effort
and diversion, supervision, the party organisation's vote and audits, removal (罢免).

Supervision s (0..1) of a cooperative is the sum of what its party organisation gives (a branch more than a group
or an instructor; nothing without one, or with `party_supervision` off), of each member holding a supervision post,
and of township-managed village finances (村财镇管, seed 001), capped at 1; when the chair is also the village
secretary (一肩挑) the branch is checking its own secretary, so s is scaled down.

Each January every leader chooses effort and diversion (and a new leader on taking over, with the other leaders of
the village, not of the county: docs/ODD.md) by the expected-utility rule of leader_choice.py, from the
cooperative's expected revenue, the leader's integrity, pay (`leader_pay_yuan_per_year`, paid monthly by the
cooperative, and `leader_profit_share`), the chance that the year's `audits_per_year` audits find a diversion (each
finds the most a leader can divert with `detection_probability_at_full_supervision` x s) and the penalty: the pay
of a term (`term_years`: removal and barring) and `stake_forfeit_share` of the stake, and paying back what was
taken in the year (追缴). Effort scales the yield by 1 + `effort_yield_gain` x (effort - 1/2): half effort gives the
line's normal yield. The diverted share d of revenue leaves the cooperative's account each month for the leader's
household (and `elite_share_of_leakage` of it for the members in the village's top income decile); a leader's paid
service team overcharges costs x `service_overcharge_share_of_costs` x d / d_max unless cadres may not run them
(seed 001). Each audit (the party organisation's review of the books, seed 000: 每季度) finds the diversion with the
per-audit chance that gives the chosen d its yearly chance; a leader found out is removed, barred, pays back what
he took this year (`leakage_recovered`), loses the forfeited part of the stake (the share register: the money stays
with the cooperative) and, as a party member, is expelled; the most capable able party member, else the most
capable farmer, takes over and chooses afresh.

The party organisation's equal vote on major decisions (组织管决策, seed 000) sits with a branch or group in the
cooperative, or with the village branch where a party member chairs one without (`party_vote`): it blocks a switch
of all the pooled land to an untried line whose failure would cost more than the cooperative's equity and reserve
(line_switch.py), and it votes the surplus a leader-owned cooperative's distribution leaves to the members by
shares instead of to the owner (cooperative.py)."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.policies.cooperative import TYPE_RULES, Cooperatives
from sim.policies.distribution import Distribution
from sim.policies.leader_choice import (
    chosen_diversion,
    chosen_effort,
    detection_at_most,
    detection_probability,
    effort_factor,
    per_audit,
)
from sim.policies.leaders import choose_new_leader, install_leader, leader_row, leader_rows
from sim.policies.party_organisation import GROUP, NO_ORGANISATION, ORG_FORMS, PartyOrganisation
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
    audits_per_year: int = Field(default=4, ge=1, le=12)
    # the leader's pay and penalty, and effort
    leader_pay_yuan_per_year: NonNegative = 24_000
    leader_profit_share: Share = 0.0
    term_years: int = Field(default=5, ge=1, le=30)
    stake_forfeit_share: Share = 0.5
    effort_yield_gain: Share = 0.2
    effort_cost_yuan_per_year: NonNegative = 50_000
    party_vote: bool = True
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
        Source("leader_pay", "wage"),  # the cooperative pays its leader monthly
        Source("leakage_recovered"),  # a leader found out pays back what he took this year (追缴)
    )
    outcomes = (
        Outcome("leakage", "yuan/year", "Cooperative money diverted or captured",
                "合作社资金流失(截留、精英俘获)", "flow"),
        Outcome("leader_removals", "leaders", "Cooperative leaders removed after audits", "罢免合作社负责人", "flow"),
        Outcome("leader_pay_yuan", "yuan/year", "Pay of cooperative leaders", "合作社负责人报酬", "flow"),
        Outcome("switches_vetoed", "cooperatives", "Risky line switches the party organisation voted down",
                "党组织否决的高风险产业转换", "flow"),
    )

    def init(self) -> None:
        m, n = self.model, self.model.coops.n
        self.leader_capability = np.zeros(n)
        self.leader_integrity = np.zeros(n)
        self.effort = np.ones(n)
        self.diversion = np.zeros(n)  # d*: share of revenue diverted this year
        self.audit_chance = np.zeros(n)  # per audit
        self.pay_year = np.zeros(n)
        self.vetoes_year = np.zeros(n)
        cooperatives = self.required(Cooperatives)
        cooperatives.surplus_to_members = self.votes
        organisation = m.mechanism(PartyOrganisation)
        if organisation is not None:  # (always: governance requires it) it asks us who succeeds a leader
            organisation.succession = self
        self.removals_year = np.zeros(n)
        self.detections_total = np.zeros(n, np.int64)
        self.former_leaders_year: list[int] = []
        self.barred = np.zeros(m.hh.n, bool)  # removed leaders may not lead again
        self._unaudited = np.zeros(n)
        self._leader_took_year = np.zeros(n)  # what each leader took this year: recovered when found out
        self._sales_seen = np.zeros(n)
        self._cost_seen = np.zeros(n)
        self._elites: list[np.ndarray] = [np.zeros(0, np.int64)] * n
        if self.p.cross_appointment:
            self._cross_appoint()
        rng = m.streams["governance/leaders"]
        cap = np.clip(self.p.capable_person_capability.draw(rng, n), 0, 1)
        integ = np.clip(self.p.capable_person_integrity.draw(rng, n), 0, 1)
        self._set_leaders(cap, integ)
        self.choose()

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
        effort = effort_factor(self.effort[k], p.effort_yield_gain)
        c.productivity[k] = max(0.0, 1 + p.yield_gain_per_capability * gap) * (1 + gain) * effort
        c.cost_factor[k] = max(0.0, 1 - p.cost_saving_per_capability * gap)

    def _set_leaders(self, capable_capability: np.ndarray, capable_integrity: np.ndarray,
                     ks: np.ndarray | None = None) -> None:
        """`_set_leader` for cooperatives `ks` (every one by default) at once (one pass over the party members, not
        one per cooperative)."""
        c, pm, p = self.model.coops, self.model.party, self.p
        ks = np.arange(c.n) if ks is None else ks
        rows = leader_rows(self.model, ks)
        led = rows >= 0
        safe = np.maximum(rows, 0)
        self.leader_capability[ks] = np.where(led, pm.capability[safe] if pm.n else 0.0, capable_capability[ks])
        self.leader_integrity[ks] = np.where(led, pm.integrity[safe] if pm.n else 0.0, capable_integrity[ks])
        gap = self.leader_capability[ks] - p.reference_capability
        gain = np.where(self._secretary_chairs(rows), p.cross_appointment_yield_gain, 0.0)
        effort = effort_factor(self.effort[ks], p.effort_yield_gain)
        c.productivity[ks] = np.maximum(0.0, 1 + p.yield_gain_per_capability * gap) * (1 + gain) * effort
        c.cost_factor[ks] = np.maximum(0.0, 1 - p.cost_saving_per_capability * gap)

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
        self.effort[k] = 1.0
        self._set_leader(k, cap, integ)
        # the new leader chooses effort and diversion, and the village's other leaders see its new supervision;
        # leaders elsewhere keep January's choice (docs/ODD.md, governance: a change is local to its village)
        self.choose(int(c.village[k]))

    # -- supervision and leakage -------------------------------------------------------------------------
    # Computed for all cooperatives at once (a county has hundreds, every month); `supervision(k)` and the
    # other per-cooperative forms read the same arrays, so the numbers are the same either way.
    def supervision_all(self, ks: np.ndarray | None = None) -> np.ndarray:
        """Each cooperative's supervision (of `ks`, all by default), 0..1: its party organisation's form and
        supervision posts, township-managed finances; weakened where the village secretary chairs it."""
        m, p, c = self.model, self.p, self.model.coops
        ks = np.arange(c.n) if ks is None else ks
        s = np.zeros(ks.size)
        if p.party_supervision:
            organisation = m.mechanism(PartyOrganisation)
            if organisation is not None:
                by_form = np.array([getattr(p.supervision_by_organisation, f) for f in ORG_FORMS])
                s = s + by_form[organisation.form[ks]]
                s = s + p.supervision_per_supervision_post * self._posts_per_coop(SUPERVISION_POST)[ks]
        if p.township_managed_finances:
            s = s + p.township_finance_supervision
        s = np.minimum(1.0, s)
        return np.where(self.secretary_chairs_all(ks), s * p.cross_appointment_supervision_factor, s)

    def _posts_per_coop(self, post: int) -> np.ndarray:
        """Party members (probationary or full) holding `post` whose household belongs to each cooperative."""
        m, pm = self.model, self.model.party
        coop = m.hh.coop[pm.household]
        mine = pm.member & (pm.post == post) & (coop >= 0)
        return np.bincount(coop[mine], minlength=m.coops.n).astype(np.float64)

    def secretary_chairs_all(self, ks: np.ndarray | None = None) -> np.ndarray:
        return self._secretary_chairs(leader_rows(self.model, ks))

    def _secretary_chairs(self, rows: np.ndarray) -> np.ndarray:
        """Whether the leaders at party rows `rows` (-1: not a party member) are village secretaries."""
        role = self.model.party.role
        if role.size == 0:
            return np.zeros(rows.size, bool)
        return (rows >= 0) & (role[np.maximum(rows, 0)] == VILLAGE_SECRETARY)

    def supervision(self, k: int) -> float:
        return float(self.supervision_all(np.array([k]))[0])

    def misconduct_all(self) -> np.ndarray:
        """Each leader's misconduct intensity, 0..1: the chosen diversion relative to the most that can be taken."""
        d_max = self.p.max_leak_share_of_revenue
        return self.diversion / d_max if d_max > 0 else np.zeros(self.diversion.size)

    def misconduct(self, k: int) -> float:
        return float(self.misconduct_all()[k])

    def leak_share(self, k: int) -> float:
        """Share of this cooperative's revenue that leaks."""
        return float(self.diversion[k])

    # -- the leaders' choices (leader_choice.py) --------------------------------------------------------------
    def audited(self) -> np.ndarray:
        """Cooperatives whose books someone audits: a party organisation, with party supervision on."""
        organisation = self.model.mechanism(PartyOrganisation)
        if not self.p.party_supervision or organisation is None:
            return np.zeros(self.model.coops.n, bool)
        return organisation.form != NO_ORGANISATION

    def _scope(self, village: int | None) -> tuple[np.ndarray, slice]:
        """The cooperatives of `village` (None: the county) and the households they draw their members from (a
        cooperative's members live in its village, whose households are contiguous)."""
        c = self.model.coops
        if village is None:
            return np.arange(c.n), slice(0, self.model.hh.n)
        return np.flatnonzero(c.village == village), self.model.village_slice(village)

    def expected_revenue_yuan(self, village: int | None = None) -> np.ndarray:
        """This year's revenue at normal yields with the leader's capability, at this year's prices (of `village`'s
        cooperatives; None: every one)."""
        m, c = self.model, self.model.coops
        ks, sl = self._scope(village)
        coop = self.required(Cooperatives)
        per_mu = coop.line_values("revenue_yuan_per_mu_year", ks)
        return np.where(c.active[ks], coop.land_mu(ks, sl) * per_mu * c.productivity[ks]
                        / effort_factor(self.effort[ks], self.p.effort_yield_gain) * m.price_index, 0.0)

    def profit_share(self, village: int | None = None) -> np.ndarray:
        """The part of a marginal yuan of profit each leader keeps (of `village`'s cooperatives; None: every one):
        the performance share, plus the owner's residual (a leader-owned cooperative whose surplus nobody else
        shares) or the leader's stake's part of the shares."""
        c, hh = self.model.coops, self.model.hh
        ks, sl = self._scope(village)
        coop_of = hh.coop[sl]
        member = coop_of >= 0
        shares = np.bincount(coop_of[member], weights=(hh.cash_share_yuan[sl] + hh.subsidy_share_yuan[sl])[member],
                             minlength=c.n)[ks]
        lead = np.maximum(c.leader_household[ks], 0)
        stake = np.divide(hh.cash_share_yuan[lead], shares, out=np.zeros(ks.size), where=shares > 0)
        owner = np.array([TYPE_RULES[c.type[k]].owner == "leader" for k in ks.tolist()], bool)
        keeps = owner & ~self.votes_all(ks) & (self.model.mechanism(Distribution) is None)
        return self.p.leader_profit_share + np.where(keeps, 1.0, stake)

    def choose(self, village: int | None = None) -> None:
        """The leaders' effort and diversion for the year, and the per-audit chance of finding the diversion: of
        `village`'s cooperatives (None: every one). Each cooperative's choice reads only its own cooperative and
        village, so choosing one village's gives what choosing the county's gives for it."""
        m, c, hh, p = self.model, self.model.coops, self.model.hh, self.p
        ks, _ = self._scope(village)
        revenue = self.expected_revenue_yuan(village)
        detect_max = np.where(self.audited()[ks], detection_at_most(self.supervision_all(ks),
                                                                    p.detection_probability_at_full_supervision,
                                                                    p.audits_per_year), 0.0)
        stake = hh.cash_share_yuan[np.maximum(c.leader_household[ks], 0)]
        penalty = p.leader_pay_yuan_per_year * m.price_index * p.term_years + p.stake_forfeit_share * stake
        d_max = p.max_leak_share_of_revenue
        self.diversion[ks] = chosen_diversion(self.leader_integrity[ks], revenue, penalty, detect_max, d_max)
        self.audit_chance[ks] = per_audit(detection_probability(self.diversion[ks], d_max, detect_max),
                                          p.audits_per_year)
        self.effort[ks] = chosen_effort(self.profit_share(village), revenue, p.effort_yield_gain,
                                        p.effort_cost_yuan_per_year)
        self._set_leaders(self.leader_capability, self.leader_integrity, ks)

    # -- the party organisation's vote (组织管决策) ------------------------------------------------------------
    def votes_all(self, ks: np.ndarray | None = None) -> np.ndarray:
        """Cooperatives (of `ks`, all by default) where the party organisation votes on major decisions: a branch
        or group in it, or the village branch for a party member chairing one without (seed 000)."""
        organisation = self.model.mechanism(PartyOrganisation)
        ks = np.arange(self.model.coops.n) if ks is None else ks
        if not self.p.party_vote or organisation is None:
            return np.zeros(ks.size, bool)
        return self.model.coops.active[ks] & ((organisation.form[ks] >= GROUP) | (leader_rows(self.model, ks) >= 0))

    def votes(self, k: int) -> bool:
        return bool(self.votes_all(np.array([k]))[0])

    def approves_risk(self, k: int, loss_if_it_fails_yuan: float) -> bool:
        """A risky investment passes unless the party organisation votes and its failure would cost more than the
        cooperative's equity and reserve (a tie between the chair and the organisation blocks it)."""
        if not self.votes(k):
            return True
        c, bal = self.model.coops, self.model.ledger.balance
        reserve = max(int(bal[c.reserve_account[k]]), 0) if c.reserve_account[k] >= 0 else 0
        ok = loss_if_it_fails_yuan <= (int(bal[c.account[k]]) + reserve) / 100
        self.vetoes_year[k] += not ok
        return ok

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
        self.pay_year = np.zeros(c.n)
        self.vetoes_year = np.zeros(c.n)
        self._leader_took_year = np.zeros(c.n)
        self.former_leaders_year = []
        self._sales_seen = c.sales_year.copy()
        self._cost_seen = c.cost_year.copy()
        self.choose()
        # the better-off members who share in the leakage: the village's top income decile (last year's)
        pc = np.where(m.year_index == 0, m.assessed_income_per_capita, hh.income_per_capita_last_year)
        self._elites = self._members_among(m.village_top_decile(pc))
        if self.p.party_supervision:
            every = 12 // self.p.audits_per_year  # the books of each period are reviewed when it is over
            for month in range(every, every * self.p.audits_per_year + 1, every):
                m.calendar.at(m.month + month, self._audit)

    def _members_among(self, chosen: np.ndarray) -> list[np.ndarray]:
        """Per cooperative, its member households (in household order, the leader's left out) where `chosen` (a mask
        over households) is set: one grouping pass over the county's households, not a pass per cooperative."""
        c, hh = self.model.coops, self.model.hh
        idx = np.flatnonzero((hh.coop >= 0) & chosen)
        coop = hh.coop[idx]
        keep = (idx != c.leader_household[coop]) & (hh.village[idx] == c.village[coop])
        idx, coop = idx[keep], coop[keep]
        order = np.argsort(coop, kind="stable")
        return np.split(idx[order], np.cumsum(np.bincount(coop, minlength=c.n))[:-1]) if c.n else []

    def produce(self) -> None:
        c = self.model.coops
        sales = c.sales_year - self._sales_seen
        ks = np.flatnonzero(c.active & (sales > 0))
        self._capture(ks, sales[ks] * self.diversion[ks], "leakage")
        self._sales_seen = c.sales_year.copy()

    def pay(self) -> None:
        """The month's overcharge by leaders' service teams, then the leaders' pay (a running cost)."""
        m, c = self.model, self.model.coops
        costs = c.cost_year - self._cost_seen
        share = self.overcharge_share_all()
        ks = np.flatnonzero(c.active & (costs > 0))
        self._capture(ks, costs[ks] * share[ks], "service_overcharge", elites=False)
        paid = np.flatnonzero(c.active & (c.leader_household >= 0))
        fen = m.ledger.transfer_many(c.account[paid], c.leader_household[paid],
                                     self.p.leader_pay_yuan_per_year * m.price_index / 12, "leader_pay")
        self.pay_year[paid] += fen / 100
        c.cost_year[paid] += fen / 100
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
                moved[has] = led.pay_groups(c.account[ks[has]], [self._elites[k] for k in ks[has]],
                                            [np.full(n, e) for n, e in zip(sizes[has], each, strict=True)], source)
        taken = led.transfer_many(c.account[ks], c.leader_household[ks], amounts - moved / 100, source)
        self._leader_took_year[ks] += taken / 100
        moved = moved + taken
        c.leakage_year[ks] += moved / 100
        self._unaudited[ks] += moved / 100

    # -- quarterly audits -------------------------------------------------------------------------------
    def _audit(self) -> None:
        """The party organisation reviews the books (seed 000: 每季度): a diversion since the last audit is found
        with the per-audit chance of the leader's choice; a leader found out loses part of the stake, is removed
        and replaced."""
        m, c, hh = self.model, self.model.coops, self.model.hh
        u = m.streams["audit"].random(c.n)  # one draw per cooperative and audit
        found = c.active & (self._unaudited > 0) & self.audited() & (u < self.audit_chance)
        for k in np.flatnonzero(found).tolist():
            if not (c.active[k] and self._unaudited[k] > 0):
                continue
            self.detections_total[k] += 1
            leader = c.leader_household[k]
            back = m.ledger.transfer(leader, c.account[k], self._leader_took_year[k], "leakage_recovered") / 100
            c.other_income_year[k] += back  # 追缴: what the leader took this year comes back to the cooperative
            self._leader_took_year[k] = 0.0
            hh.cash_share_yuan[leader] *= 1 - self.p.stake_forfeit_share
            self.replace_leader(int(k), removed=True)
        self._unaudited[:] = 0.0

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        c, nv = self.model.coops, self.model.vill.n
        return {
            "leakage": np.bincount(c.village, weights=c.leakage_year, minlength=nv),
            "leader_removals": np.bincount(c.village, weights=self.removals_year, minlength=nv),
            "leader_pay_yuan": np.bincount(c.village, weights=self.pay_year, minlength=nv),
            "switches_vetoed": np.bincount(c.village, weights=self.vetoes_year, minlength=nv),
        }
