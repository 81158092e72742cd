"""The cooperative (docs/model.md §2, §3.1-3.3): founding, membership, pooled land, its enterprise line,
hired field management paid monthly and its yearly accounts; stakes, shells and failure are its sub-part's
(coop_life.py).

Who gets the field-management contracts is decided by a priority key: capable
(skilled) households by default, poor households first under `wage_contracting`. Who manages the fields
matters for the harvest: a mu managed by a household of skill s yields 1 + field_skill_yield_share x (s - 1)
of normal (a mu hired from outside: 1, the reference skill), so pro-poor hiring costs output where the poor
are less skilled.
Surplus left undistributed at year end (no `distribution` rule) is the owner's profit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal

import numpy as np
from pydantic import Field

from sim.cooperatives import Coops
from sim.declarations import Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.policies.coop_kernels import contract_wages
from sim.policies.coop_life import CoopLife
from sim.population import COOP_LEADER, FULL, VILLAGE_SECRETARY, appoint_secretaries
from sim.schema import NonNegative, Share, Strict

COOP_TYPES = ("party_member_led", "party_branch_collective", "mutual_aid", "capable_person_led")
CoopType = Literal["party_member_led", "party_branch_collective", "mutual_aid", "capable_person_led"]
# who may join: anyone in the village (land only if they cannot afford a cash share); only households
# that buy a cash share; or anyone, with every registered-poor household of the village joining at founding
JoinRule = Literal["anyone", "cash_share_buyers", "registered_poor_first"]


@dataclass(frozen=True)
class TypeRules:
    """What a cooperative type (docs/model.md §2) means by default. A spec may override `may_join` and the split."""

    founder: Literal["party_member", "village_secretary", "capable_person"]
    may_join: JoinRule
    owner: Literal["leader", "village"]  # who keeps the surplus no distribution rule splits
    reserve_share: float | None = None  # None: the `distribution` section's value
    collective_share: float | None = None
    # a farmers' specialised cooperative (农民专业合作社) under the cooperative law, whose art. 44 has at least
    # 60% of the distributable surplus returned by members' transactions; a collective's enterprise is not one
    specialised: bool = False


TYPE_RULES: dict[str, TypeRules] = {
    # 党员领办 (seed 000): a capable party member founds it; any villager joins (the poor with land and
    # subsidy shares)
    "party_member_led": TypeRules("party_member", "anyone", "leader", specialised=True),
    # 党支部领办村集体合作社 (seed 003): the village branch founds it for the collective, chaired by the
    # secretary; the surplus nobody else is owed belongs to the village; more collective accumulation (assumption: 30%)
    "party_branch_collective": TypeRules("village_secretary", "anyone", "village", collective_share=0.3),
    # 扶贫互助合作社 (seed 001): chaired by the village secretary, "poor villagers as its main body", capable
    # households invited with share capital; a collective enterprise under the branch
    "mutual_aid": TypeRules("village_secretary", "registered_poor_first", "village"),
    # 能人/企业领办: a capable farmer or company founds it with capital and admits members who buy shares
    # (assumption); the split is the `distribution` section's (set `collective_share: 0` in its spec for a
    # private cooperative that owes the village nothing beyond dividends on the village's own shares)
    "capable_person_led": TypeRules("capable_person", "cash_share_buyers", "leader", specialised=True),
}


class CooperativeSpec(Strict):
    """One cooperative in the village (a config may list several)."""

    name: str = "coop"
    type: CoopType = "party_member_led"
    village: int = Field(default=0, ge=0)
    line: str = "cash_crop"
    leader_cash_yuan: NonNegative = 300_000
    # overrides of the type's defaults (TYPE_RULES); None keeps the type's rule
    may_join: JoinRule | None = None
    reserve_share: Share | None = None
    collective_share: Share | None = None

    def rules(self) -> TypeRules:
        return TYPE_RULES[self.type]

    def join_rule(self) -> str:
        return self.may_join or self.rules().may_join

    def split(self, reserve_default: float, collective_default: float) -> tuple[float, float]:
        """(reserve share, collective share) of the surplus: spec, else type rule, else the given defaults."""
        r, t = self.rules(), (reserve_default, collective_default)
        reserve = next(v for v in (self.reserve_share, r.reserve_share, t[0]) if v is not None)
        collective = next(v for v in (self.collective_share, r.collective_share, t[1]) if v is not None)
        return reserve, collective


class CooperativeParams(Strict):
    """Parameters shared by all cooperatives. Sources in configs/village.yaml."""

    initial_member_share: Share = 0.3
    join_probability_per_year: Share = 0.08
    pooled_land_share: Share = 0.7
    land_rent_yuan_per_mu_year: NonNegative = 400
    member_cash_share_yuan: NonNegative = 3000
    wage_yuan_per_mu_year: NonNegative = 300
    max_contract_mu_per_labour_unit: NonNegative = 15
    management_cost_yuan_per_year: NonNegative = 30_000
    yield_sd: float = Field(default=0.1, ge=0, le=2)  # the cooperative's own yearly shock on top of the line's
    field_skill_yield_share: Share = 0.3  # share of a mu's yield that follows its field manager's skill


def allocate_contracts(
    land_mu: float, candidates: np.ndarray, capacity_mu: np.ndarray, priority: np.ndarray
) -> np.ndarray:
    """Give `land_mu` of field management to candidates in priority order (lowest key first),
    each up to its capacity. Returns the mu each candidate gets (same order as `candidates`)."""
    order = np.lexsort((candidates, priority))
    cap = capacity_mu[order]
    before = np.cumsum(cap) - cap
    take = np.clip(land_mu - before, 0.0, cap)
    out = np.empty_like(take)
    out[order] = take
    return out


def skill_first(model) -> np.ndarray:
    """Default hiring: the most skilled households first (no pro-poor targeting)."""
    return -model.hh.skill


class Cooperatives(Policy):
    name = "cooperative"
    Params = CooperativeParams
    sources = (
        Source("coop_sales"),
        Source("coop_operating_cost"),
        Source("coop_wage", "wage"),
        Source("land_rent", "dividend"),  # rent or guaranteed floor for pooled land: property income
        Source("share_capital"),  # cash invested in shares: an asset swap, not income
        Source("owner_profit", "dividend"),
        Source("dividend", "dividend"),  # (also the distribution rule's) the surplus voted to the members
        Source("collective_accumulation"),
        Source("share_refund"),
    )
    outcomes = (
        Outcome("coop_active", "cooperatives", "Active cooperatives", "运营中合作社", "stock"),
        Outcome("coop_failed", "cooperatives", "Failed cooperatives", "失败合作社", "stock"),
        Outcome("coop_members", "households", "Cooperative member households", "合作社成员户数", "stock"),
        Outcome("coop_profit", "yuan/year", "Cooperative profit", "合作社利润", "flow"),
        Outcome("coop_sales", "yuan/year", "Cooperative sales (output value)", "合作社销售收入(产值)", "flow"),
        Outcome("coop_share_capital", "yuan", "Cash share capital held by member households",
                "成员户现金入股股金", "stock"),
        Outcome("coop_pooled_land", "mu", "Land pooled into cooperatives", "入股(流转)土地", "stock"),
        Outcome("dividends_paid", "yuan/year", "Dividends paid", "分红支付", "flow"),
        Outcome("land_payments_paid", "yuan/year", "Land rent and guaranteed floor paid", "土地租金与保底", "flow"),
        Outcome("wages_paid", "yuan/year", "Cooperative wages paid", "合作社工资支付", "flow"),
    )

    @property
    def parts(self) -> tuple[Policy, ...]:
        """Sub-parts whose declared outcomes this mechanism reports with its own."""
        return (self.life,)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        c, hh, nv = self.model.coops, self.model.hh, self.model.vill.n
        members = hh.coop >= 0

        def by_coop(values: np.ndarray) -> np.ndarray:
            return np.bincount(c.village, weights=values, minlength=nv) if c.n else np.zeros(nv)

        def by_household(values: np.ndarray) -> np.ndarray:
            return np.bincount(hh.village, weights=values.astype(np.float64), minlength=nv)

        return {
            **self.life.year_outcomes(lifted),
            "coop_active": by_coop(c.active.astype(float)),
            "coop_failed": by_coop(c.failed.astype(float)),
            "coop_members": by_household(members),
            "coop_profit": by_coop(np.where(c.active | (c.profit_year != 0), c.profit_year, 0.0)),
            "coop_sales": by_coop(c.sales_year),
            # the share register at year end: cash paid in as share_capital (ledger) by households now members
            "coop_share_capital": by_household(np.where(members, hh.cash_share_yuan, 0.0)),
            "coop_pooled_land": by_household(np.where(members, hh.pooled_land_mu, 0.0)),
            "dividends_paid": by_coop(c.dividends_year),
            "land_payments_paid": by_coop(c.land_payments_year),
            "wages_paid": by_coop(c.wages_year),
        }

    def init(self) -> None:
        m, hh = self.model, self.model.hh
        specs = m.cooperative_specs  # the config's list, or a county's template per village
        for s in specs:
            if s.village >= m.vill.n:
                raise ValueError(f"cooperative {s.name!r} is in village {s.village}, but there are {m.vill.n}")
        n = len(specs)
        led = m.ledger
        self.hiring_priority: Callable[[object], np.ndarray] = skill_first
        # whether a party organisation's vote sends a leader-owned cooperative's surplus to its members (governance)
        self.surplus_to_members: Callable[[int], bool] = lambda k: False
        m.coops = Coops(
            name=[s.name for s in specs], type=[s.type for s in specs],
            village=np.array([s.village for s in specs], np.int64), line=[s.line for s in specs],
            leader_household=self._choose_leaders(specs),
            account=np.array([led.open_account(f"coop:{k}:{s.name}", village=s.village) for k, s in enumerate(specs)],
                             np.int64),
            active=np.ones(n, bool), failed=np.zeros(n, bool), productivity=np.ones(n),
            land_payment_yuan_per_mu_year=np.full(n, self.p.land_rent_yuan_per_mu_year),
            collective_share_yuan=np.zeros(n),
        )
        c = m.coops
        self.life = CoopLife(m, m.config.section("coop_life"), self)
        self._join_rule = [s.join_rule() for s in specs]
        u = m.draw("membership", lambda rng, n: rng.random(n))  # each village's own stream
        # several cooperatives in a village take founders from consecutive bands of the same draw, so
        # each gets its share (a village's first cooperative draws exactly as if it were alone)
        band = np.zeros(m.vill.n)
        for k, s in enumerate(specs):
            leader = c.leader_household[k]
            self.join(k, np.array([leader]))
            # the leader pays the stake in (seed 003: the leaders invested their own 940k first): from savings
            # above the household's buffer, the rest on a bank loan with interest (coop_life.py)
            if s.leader_cash_yuan > 0:
                hh.cash_share_yuan[leader] += self.life.finance(np.array([leader]), s.leader_cash_yuan, c.account[k])[0]
            sl = m.village_slice(s.village)
            lo = band[s.village]
            band[s.village] += self.p.initial_member_share
            founders = sl.start + np.flatnonzero((u[sl] >= lo) & (u[sl] < lo + self.p.initial_member_share)
                                                 & (hh.coop[sl] < 0))
            if s.join_rule() == "registered_poor_first":
                founders = np.union1d(founders, sl.start + np.flatnonzero(hh.registered_poor[sl] & (hh.coop[sl] < 0)))
            self.join(k, self.may_join(k, founders))

    def _choose_leaders(self, specs: list[CooperativeSpec]) -> np.ndarray:
        """Founders by type (TYPE_RULES), each a different household: party-member-led cooperatives get the
        village's most capable party members; then each village's secretary is its most capable formal
        member not leading one (an existing secretary is kept); secretary-chaired types get the secretary;
        capable-person-led ones (and party types in a village without party members) the most capable
        farmer (skill x land). Records the roles in the party arrays."""
        hh, pm = self.model.hh, self.model.party
        leaders = np.full(len(specs), -1, np.int64)
        village_of = hh.village[pm.household]
        order = sorted(range(len(specs)), key=lambda k: ("party_member", "village_secretary", "capable_person")
                       .index(specs[k].rules().founder))
        secretaries_done = False
        for k in order:
            s = specs[k]
            founder = s.rules().founder
            if founder != "party_member" and not secretaries_done:
                appoint_secretaries(pm, hh, leaders)
                secretaries_done = True
            mine = (village_of == s.village) & (pm.stage == FULL)
            row = -1
            if founder == "party_member":
                row = pm.best(mine & ~np.isin(pm.household, leaders))
            elif founder == "village_secretary":
                row = pm.best(mine & (pm.role == VILLAGE_SECRETARY))
            if row >= 0:
                leaders[k] = pm.household[row]
                if pm.role[row] != VILLAGE_SECRETARY:
                    pm.role[row] = COOP_LEADER
                continue
            score = np.where((hh.village == s.village) & ~np.isin(np.arange(hh.n), leaders), hh.skill * hh.land_mu,
                             -np.inf)
            leaders[k] = int(np.argmax(score))
        return leaders

    def may_join(self, k: int, idx: np.ndarray) -> np.ndarray:
        """The households among `idx` that cooperative k's join rule admits (voluntary joins only: policy
        admissions such as subsidy shares for the poor under `land_shares` are not filtered)."""
        if self._join_rule[k] == "cash_share_buyers":
            return idx[self._can_buy_share(idx)]
        return idx

    def _can_buy_share(self, idx: np.ndarray) -> np.ndarray:
        """Whether each household can pay a cash share: from savings above its buffer, or on a loan where members
        may borrow for shares (coop_life.py)."""
        if self.life.p.member_share_loans:
            return np.ones(idx.size, bool)
        spare = self.model.ledger.balance[idx] / 100 - self.life.buffer_yuan(idx)
        return spare >= self.p.member_cash_share_yuan

    # -- membership ----------------------------------------------------------------------------
    def join(self, k: int, idx: np.ndarray) -> None:
        """Households `idx` join cooperative k: pool land, buy a cash share if they can afford it."""
        self._buy_shares([k], [self._admit(k, idx)])

    def _admit(self, k: int, idx: np.ndarray) -> np.ndarray:
        """Households `idx` not yet in a cooperative join cooperative k and pool land; returns those who can afford
        a cash share (they pay it in `_buy_shares`)."""
        hh = self.model.hh
        idx = idx[hh.coop[idx] < 0]
        hh.coop[idx] = k
        hh.pooled_land_mu[idx] = hh.land_mu[idx] * self.p.pooled_land_share
        return idx[self._can_buy_share(idx)]

    def _buy_shares(self, ks: list[int], buyers: list[np.ndarray]) -> None:
        """`buyers[i]` pay a cash share each into cooperative `ks[i]` (financed as coop_life.py says), one ledger call
        for all: each household joins one cooperative, and its payment reads only its own balance."""
        idx = np.concatenate(buyers) if buyers else np.zeros(0, np.int64)
        if idx.size and self.p.member_cash_share_yuan > 0:
            account = np.repeat(self.model.coops.account[ks], [b.size for b in buyers])
            self.model.hh.cash_share_yuan[idx] += self.life.finance(idx, self.p.member_cash_share_yuan, account)

    def land_mu(self, ks: np.ndarray | None = None, households: slice = slice(None)) -> np.ndarray:
        """The pooled land each cooperative farms itself (all of it unless lease_back leases some back); of
        cooperatives `ks` (all by default) whose members all live in `households` (a village's slice: the sums are
        then over those households only, and the same to the last bit)."""
        c, hh = self.model.coops, self.model.hh
        ks = np.arange(c.n) if ks is None else ks
        # non-members (coop -1) fall in bin 0, dropped; each cooperative's sum is over its members in household order
        pooled = np.bincount(hh.coop[households] + 1, weights=hh.pooled_land_mu[households], minlength=c.n + 1)
        return pooled[1:][ks] * c.farmed_share[ks]

    # -- year start: shocks and contracts ------------------------------------------------------
    def year_start(self) -> None:
        m, c, hh = self.model, self.model.coops, self.model.hh
        c.reset_year()
        self.life.year_start()
        z = np.zeros(c.n)  # each village's cooperatives draw from the village's own stream, in index order
        for v in np.unique(c.village):
            mine = np.flatnonzero(c.village == v)
            z[mine] = m.village_rng("coop_yield", int(v)).normal(-self.p.yield_sd**2 / 2, self.p.yield_sd, mine.size)
        c.shock = m.line_shock_for(c.line, c.village) * np.exp(z)
        hh.contract_mu[:] = 0.0
        hh.contract_coop[:] = -1
        hh.contract_mu_worked_year[:] = 0.0
        land = self.land_mu()
        capacity = np.maximum(hh.labour_units - hh.migrant_units, 0.0) * self.p.max_contract_mu_per_labour_unit
        priority = self.hiring_priority(m)
        for k in np.flatnonzero(c.active).tolist():
            sl = m.village_slice(c.village[k])
            cand = sl.start + np.flatnonzero((capacity[sl] > 0) & (hh.contract_coop[sl] < 0))
            mu = allocate_contracts(land[k], cand, capacity[cand], priority[cand])
            got = cand[mu > 0]
            hh.contract_mu[got] = mu[mu > 0]
            hh.contract_coop[got] = k
        c.labour_quality = self._labour_quality(land)
        self._fm_days = self.line_values("field_management_days_per_mu_year")
        self._harvest_due = np.zeros(c.n, bool)
        for k in np.flatnonzero(c.active).tolist():
            line = m.config.crop_lines[c.line[k]]
            for mo in line.harvest_months:
                m.calendar.at(m.month + mo, partial(self._harvest, k))

    def _labour_quality(self, land_mu: np.ndarray) -> np.ndarray:
        """Each cooperative's yield factor from who manages its fields this year (outside hires: the reference)."""
        hh, c = self.model.hh, self.model.coops
        on = hh.contract_coop >= 0
        extra = np.bincount(hh.contract_coop[on], weights=hh.contract_mu[on] * (hh.skill[on] - 1.0), minlength=c.n)
        return 1.0 + self.p.field_skill_yield_share * np.divide(extra, land_mu, out=np.zeros(c.n), where=land_mu > 0)

    def _harvest(self, k: int) -> None:
        self._harvest_due[k] = True

    # -- monthly -------------------------------------------------------------------------------
    def labour(self) -> None:
        m, hh = self.model, self.model.hh
        days = np.zeros(hh.n)
        on = hh.contract_coop >= 0
        fm = self._fm_days
        days[on] = hh.contract_mu[on] * fm[hh.contract_coop[on]] / 12
        m.economy.contract_days += days
        self._contract_days = days

    def produce(self) -> None:
        """Cooperatives harvesting this month sell their harvest's part of the year's revenue (one ledger call)."""
        m, c, lines = self.model, self.model.coops, self.model.config.crop_lines
        ks = np.flatnonzero(self._harvest_due & c.active)
        if ks.size:
            n_harvests = np.array([len(lines[c.line[k]].harvest_months) for k in ks.tolist()])
            sales = (self.land_mu(ks) * self.line_values("revenue_yuan_per_mu_year", ks) * m.price_index * c.shock[ks]
                     * c.productivity[ks] * c.labour_quality[ks] / n_harvests)
            c.sales_year[ks] += m.ledger.transfer_many(m.acct_market, c.account[ks], sales, "coop_sales") / 100
        self._harvest_due[:] = False

    def pay(self) -> None:
        """Monthly wages for field management actually worked; the rest is hired from outside; running costs."""
        m, c, hh, led = self.model, self.model.coops, self.model.hh, self.model.ledger
        wage_per_mu = self.p.wage_yuan_per_mu_year * m.price_index
        # with other contracts (lease_back, workshops) on the same days each is worked in proportion
        wage, wages, outside, contracted = contract_wages(
            hh.contract_coop, hh.contract_mu, m.economy.contract_days, m.economy.contract_worked_days,
            self._contract_days, float(wage_per_mu), c.n, hh.contract_mu_worked_year)
        payer = c.account[np.maximum(hh.contract_coop, 0)] if c.n else 0
        led.pay_households(payer, wage, "coop_wage")
        c.wages_year += wages
        land = self.land_mu()
        # field management nobody in the village worked (or took on) is hired from outside
        uncontracted = np.maximum(land - contracted, 0.0)
        running = land * self.line_values("cost_yuan_per_mu_year") + self.p.management_cost_yuan_per_year
        cost = running * m.price_index / 12 * c.cost_factor
        cost = np.where(c.active, cost + outside + uncontracted * wage_per_mu / 12, 0.0)
        c.cost_year += led.transfer_many(c.account, m.acct_market, cost, "coop_operating_cost") / 100
        self.life.pay()

    def line_values(self, attr: str, ks: np.ndarray | None = None) -> np.ndarray:
        """Each cooperative's crop line's `attr` (of cooperatives `ks`, all by default)."""
        lines, names = self.model.config.crop_lines, self.model.coops.line
        names = names if ks is None else [names[k] for k in ks.tolist()]
        return np.array([getattr(lines[name], attr) for name in names], dtype=np.float64)

    # -- year end --------------------------------------------------------------------------------
    def close_accounts(self) -> None:
        """Pay for pooled land (rent, or the guaranteed floor under land shares) and strike the profit."""
        m, c, hh = self.model, self.model.coops, self.model.hh
        members = (hh.coop >= 0) & c.active[np.maximum(hh.coop, 0)]
        rate = np.where(members, c.land_payment_yuan_per_mu_year[np.maximum(hh.coop, 0)], 0.0) * m.price_index
        pay = hh.pooled_land_mu * rate
        payer = c.account[np.maximum(hh.coop, 0)]
        m.ledger.pay_households(payer, pay, "land_rent")
        c.land_payments_year += np.bincount(hh.coop[members], weights=pay[members], minlength=c.n)
        income = c.sales_year + c.other_income_year
        c.profit_year = income - c.cost_year - c.wages_year - c.land_payments_year - c.leakage_year
        c.surplus_yuan = np.where(c.active, np.maximum(c.profit_year, 0.0), 0.0)

    def year_end(self) -> None:
        m, c, hh = self.model, self.model.coops, self.model.hh
        self._pay_out_surplus()
        # a loss the reserve paid back in full (reserve.py) is not a losing year
        c.loss_years = np.where(c.active & (c.profit_year + c.loss_covered_year < 0), c.loss_years + 1, 0)
        self.life.year_end()  # shells struck off or resuming, failures, cooperatives that stop operating
        u = m.draw("membership", lambda rng, n: rng.random(n))
        band = np.zeros(hh.n)  # as at founding: each cooperative of a village joins from its own band of u
        ks, buyers = np.flatnonzero(c.active).tolist(), []
        for k in ks:
            sl = m.village_slice(c.village[k])
            lo = band[sl].copy()
            band[sl] += self.join_probability(k, sl)
            joiners = sl.start + np.flatnonzero((hh.coop[sl] < 0) & (u[sl] >= lo) & (u[sl] < band[sl]))
            buyers.append(self._admit(k, self.may_join(k, joiners)))
        self._buy_shares(ks, buyers)

    def _pay_out_surplus(self) -> None:
        """With no distribution rule, what is left of the surplus is the owner's profit (the village's for the
        collective types: a branch-led or mutual-aid cooperative is the collective's enterprise), or the members'
        by shares where the party organisation votes so. Each cooperative pays from its own account and reads no
        balance: one ledger call per kind of payment for all of them."""
        m, c = self.model, self.model.coops
        ks = np.flatnonzero(c.surplus_yuan > 0)
        village = np.array([TYPE_RULES[c.type[k]].owner == "village" for k in ks.tolist()], bool)
        vk = ks[village]
        c.collective_year[vk] += m.ledger.transfer_many(c.account[vk], m.vill.account[c.village[vk]],
                                                        c.surplus_yuan[vk], "collective_accumulation") / 100
        to_members = [k for k in ks[~village].tolist() if self.surplus_to_members(k)]
        owner = np.setdiff1d(ks[~village], self._pay_by_shares(np.array(to_members, np.int64)))
        m.ledger.transfer_many(c.account[owner], c.leader_household[owner], c.surplus_yuan[owner], "owner_profit")
        c.surplus_yuan[:] = 0.0

    def _pay_by_shares(self, ks: np.ndarray) -> np.ndarray:
        """Pay cooperatives `ks`' surplus to their members by cash and subsidy shares (whole fen, rounded down; the
        rest stays with the cooperative), one ledger call for all. Returns the cooperatives that paid (a
        cooperative where nobody holds shares does not)."""
        m, hh, c = self.model, self.model.hh, self.model.coops
        slices = [m.village_slice(c.village[k]) for k in ks.tolist()]  # members live in their cooperative's village
        mine = [sl.start + np.flatnonzero(hh.coop[sl] == k) for k, sl in zip(ks.tolist(), slices, strict=True)]
        value = [hh.cash_share_yuan[i] + hh.subsidy_share_yuan[i] for i in mine]
        paid = np.array([v.sum() > 0 for v in value], bool)
        pk, households = ks[paid], [i for i, p in zip(mine, paid.tolist(), strict=True) if p]
        amounts = [np.floor(c.surplus_yuan[k] * v / v.sum() * 100) / 100
                   for k, v, p in zip(ks.tolist(), value, paid.tolist(), strict=True) if p]
        if pk.size:
            c.dividends_year[pk] += m.ledger.pay_groups(c.account[pk], households, amounts, "dividend") / 100
        return pk

    def join_probability(self, k: int, households: slice) -> np.ndarray | float:
        """Yearly chance that each non-member household in `households` joins cooperative k."""
        return self.p.join_probability_per_year

    def wind_up(self, k: int, failed: bool) -> None:
        """Wind up cooperative k (`failed`: insolvent; else a shell struck off): refund what cash is left to
        shareholders pro rata, return the land."""
        m, c, hh = self.model, self.model.coops, self.model.hh
        c.active[k] = False
        c.failed[k] = failed
        c.deregistered[k] = not failed
        mine = hh.coop == k
        cash_fen = int(m.ledger.balance[c.account[k]])
        shares = np.where(mine, hh.cash_share_yuan + hh.subsidy_share_yuan, 0.0)
        if cash_fen > 0 and shares.sum() > 0:  # whole fen, rounded down: the refunds never exceed the cash
            m.ledger.pay_households(c.account[k], np.floor(cash_fen * (shares / shares.sum())) / 100, "share_refund")
        hh.coop[mine] = -1
        hh.pooled_land_mu[mine] = 0.0
        hh.cash_share_yuan[mine] = 0.0
        hh.subsidy_share_yuan[mine] = 0.0
        hh.contract_mu[hh.contract_coop == k] = 0.0
        hh.contract_coop[hh.contract_coop == k] = -1
