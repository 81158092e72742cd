"""The cooperative's life (issue 15, item 3): stakes financed from savings or a bank loan with interest, and the
states a cooperative passes through — operating, a shell (registered, no operations), struck off, failed —
each following from its accounts.

Always on with the `cooperative` mechanism, a sub-part of it (cooperative.py builds it and calls its hooks).

- **Stakes.** A founding leader pays the stake from savings above the household's buffer (the household
  budget's `buffer_target_months` of the subsistence floor); the rest is a bank loan (`stake_loan`) at
  `stake_loan_interest_rate_per_year`, repaid in equal monthly instalments over `stake_loan_years` with
  interest on what is outstanding. A member who cannot pay a cash share from savings borrows it the same
  way when `member_share_loans` is on, else holds land only. Instalments a household cannot pay are
  borrowed informally by the household budget, never a negative balance.
- **Expected profit.** Each year end (from the `expectation_years`-th on) the cooperative's pro-forma profit
  at this year's prices with the mean yield-and-price shock of the last `expectation_years` years:
  land x (revenue x shock x productivity x labour quality - line cost x cost factor - wage - land payment)
  - management cost x cost factor.
- **A shell** (空壳社): an operating cooperative suspends operations when the expected profit is negative
  (carrying on would eat its equity) or fewer than `min_members` member households pool land with it or
  work its fields; members get their land back but stay registered members. A shell resumes when its
  expected profit is positive again with at least `min_members` members.
- **Struck off.** From `clean_up_year` (the 2019 national clean-up of shell cooperatives) a shell that has
  not operated for `dormant_years_to_deregister` years is deregistered: its cash is refunded by shares.
- **Failure.** An operating cooperative whose losses have exhausted its equity and its reserve (cash in its
  account plus the reserve below zero at the year end) is wound up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.ledger import Source
from sim.loans import LoanBook
from sim.policies.base import Policy
from sim.schema import Share, Strict

if TYPE_CHECKING:
    from sim.interface import Model


class CoopLifeParams(Strict):
    """Sources in configs/village.yaml (`coop_life:`)."""

    min_members: int = Field(default=5, ge=1, le=1000)  # Farmers' Specialised Cooperatives Law art. 12: 5 members
    expectation_years: int = Field(default=2, ge=1, le=20)  # years of shocks the expected profit averages
    clean_up_year: int = Field(default=2019, ge=1990, le=2100)  # 中农发〔2019〕3号, the shell clean-up
    dormant_years_to_deregister: int = Field(default=2, ge=1, le=50)  # 连续两年未开展实质性生产经营活动
    stake_loan_interest_rate_per_year: Share = 0.0435  # PBoC one-year benchmark lending rate, Oct 2015-2019
    stake_loan_years: int = Field(default=3, ge=1, le=30)  # assumption: a rural credit cooperative's term
    member_share_loans: bool = False  # members who cannot pay a share from savings borrow it (assumption: off)


class CoopLife(Policy):
    """Stake loans and the cooperatives' states; built and driven by the cooperative mechanism."""

    name = "coop_life"
    Params = CoopLifeParams
    always_on = True
    sources = (
        Source("stake_loan"),  # a bank lends a household its stake (principal: not income)
        Source("stake_loan_repayment"),
        Source("stake_loan_interest", "interest"),
    )
    outcomes = (
        Outcome("coop_dormant", "cooperatives", "Shell cooperatives (registered, no operations)",
                "空壳合作社(已登记、无经营)", "stock"),
        Outcome("coop_suspended", "cooperatives", "Cooperatives that stopped operating", "停止经营的合作社", "flow"),
        Outcome("coop_revived", "cooperatives", "Shell cooperatives that resumed operating", "恢复经营的空壳社",
                "flow"),
        Outcome("coop_deregistered", "cooperatives", "Shell cooperatives struck off", "注销的空壳社", "flow"),
        Outcome("coop_insolvent", "cooperatives", "Cooperatives failed: losses exhausted equity and reserve",
                "亏损耗尽股本和公积金而解散的合作社", "flow"),
        Outcome("stake_loans_yuan", "yuan", "Stake loans outstanding (year end)", "入股贷款余额(年末)", "stock"),
        Outcome("stake_loan_interest_yuan", "yuan/year", "Interest paid on stake loans", "入股贷款利息", "flow"),
    )

    def __init__(self, model: Model, params: CoopLifeParams, owner: Owner) -> None:
        self.model, self.p, self.owner = model, params, owner
        n = model.coops.n
        self.bank = model.ledger.open_account("stake_lender")
        self.loans = LoanBook()
        self.shock_history = np.zeros((0, n))
        self.dormant_years = np.zeros(n, np.int64)  # years a shell has gone without operating
        # per cooperative since the start (the per-type report, scripts/coop_life_rates.py), and this year's
        self.totals = {k: np.zeros(n, np.int64) for k in (*STATE_CHANGES, "operating_years")}
        self.year = {k: np.zeros(n) for k in STATE_CHANGES}
        self.interest_year = np.zeros(model.vill.n)

    # -- stakes -------------------------------------------------------------------------------------
    def buffer_yuan(self, idx: np.ndarray) -> np.ndarray:
        """Savings a household keeps back: the household budget's target buffer."""
        m = self.model
        b = m.economy.budget.p
        return m.hh.persons[idx] * b.subsistence_yuan_per_person_month * b.buffer_target_months * m.price_index

    def finance(self, idx: np.ndarray, amount_yuan: float, account: int | np.ndarray,
                may_borrow: bool = True) -> np.ndarray:
        """Households `idx` pay `amount_yuan` each into `account` (one, or one per household): from savings above
        their buffer, the rest on a stake loan (where `may_borrow`). Returns what each paid in (yuan)."""
        m, led = self.model, self.model.ledger
        idx = np.asarray(idx, np.int64)
        own = np.floor(np.clip(led.balance[idx] / 100 - self.buffer_yuan(idx), 0.0, amount_yuan) * 100) / 100
        loan = (amount_yuan - own) if may_borrow else np.zeros(idx.size)
        lent = led.transfer_many(self.bank, idx, loan, "stake_loan")
        got = lent > 0
        if got.any():
            self.loans.add(household=idx[got], village=m.hh.village[idx[got]], principal_fen=lent[got],
                           outstanding_fen=lent[got], month=np.full(int(got.sum()), m.month))
        return led.transfer_many(idx, account, own + lent / 100, "share_capital") / 100

    def pay(self) -> None:
        """Monthly instalment of every open stake loan: interest on what is outstanding, principal over the term."""
        book, led, p = self.loans, self.model.ledger, self.p
        on = np.flatnonzero(book.open[: book.n])
        if on.size == 0:
            return
        interest = np.rint(book.outstanding_fen[on] * p.stake_loan_interest_rate_per_year / 12)
        principal = np.minimum(np.ceil(book.principal_fen[on] / (12 * p.stake_loan_years)), book.outstanding_fen[on])
        paid = led.transfer_many(book.household[on], self.bank, interest / 100, "stake_loan_interest")
        self.interest_year += np.bincount(book.village[on], weights=paid, minlength=self.model.vill.n) / 100
        led.transfer_many(book.household[on], self.bank, principal / 100, "stake_loan_repayment")
        book.outstanding_fen[on] -= principal.astype(np.int64)
        book.open[on] = book.outstanding_fen[on] > 0

    # -- the states -----------------------------------------------------------------------------------
    def year_start(self) -> None:
        self.loans.compact()  # last year's repaid stake loans leave the book
        for v in self.year.values():
            v[:] = 0.0
        self.interest_year[:] = 0.0

    def expected_profit_yuan(self) -> np.ndarray:
        """Each cooperative's pro-forma profit at this year's prices, with the mean shock of the last years."""
        m, c, o = self.model, self.model.coops, self.owner
        shock = self.shock_history[-self.p.expectation_years:].mean(axis=0)
        revenue = o.line_values("revenue_yuan_per_mu_year") * shock * c.productivity * c.labour_quality
        outlay = (o.line_values("cost_yuan_per_mu_year") * c.cost_factor + o.p.wage_yuan_per_mu_year
                  + c.land_payment_yuan_per_mu_year)
        farming = self.land_mu() * (revenue - outlay) - o.p.management_cost_yuan_per_year * c.cost_factor
        farming = farming * m.price_index
        return farming + np.where(c.dormant, 0.0, c.expected_other_income_yuan)  # lease-back's rents and margin

    def land_mu(self) -> np.ndarray:
        """Land each cooperative works (an operating one) or would work again (a shell: its members' share)."""
        c, hh = self.model.coops, self.model.hh
        members = hh.coop >= 0
        again = np.bincount(hh.coop[members], weights=hh.land_mu[members] * self.owner.p.pooled_land_share,
                            minlength=c.n)
        return np.where(c.dormant, again, self.owner.land_mu())

    def transacting(self) -> np.ndarray:
        """Member households each cooperative trades with: pooling land or working its fields (a shell: all)."""
        c, hh = self.model.coops, self.model.hh
        members = hh.coop >= 0
        trading = members & ((hh.pooled_land_mu > 0) | (hh.contract_coop == hh.coop))
        active = np.bincount(hh.coop[trading], minlength=c.n)
        return np.where(c.dormant, np.bincount(hh.coop[members], minlength=c.n), active)

    def equity_yuan(self) -> np.ndarray:
        """Cash in the cooperative's account plus what its reserve holds."""
        c, bal = self.model.coops, self.model.ledger.balance
        reserve = np.where(c.reserve_account >= 0, np.maximum(bal[np.maximum(c.reserve_account, 0)], 0), 0)
        return (bal[c.account] + reserve) / 100

    def year_end(self) -> None:
        """After the surplus is shared: shells are struck off or resume; failures; operating ones may stop."""
        m, c, p = self.model, self.model.coops, self.p
        self.shock_history = np.vstack([self.shock_history, c.shock])
        self.totals["operating_years"] += c.active
        self.dormant_years += c.dormant
        if m.year >= p.clean_up_year:
            self._each(c.dormant & (self.dormant_years >= p.dormant_years_to_deregister), "deregistered")
        expected, trading = self.expected_profit_yuan(), self.transacting()
        self._each(c.dormant & (expected > 0) & (trading >= p.min_members), "revived")
        self._each(c.active & (self.equity_yuan() < 0), "insolvent")
        judged = len(self.shock_history) >= p.expectation_years  # a young cooperative is given its first years
        self._each(c.active & (((expected < 0) & judged) | (trading < p.min_members)), "suspended")

    def _each(self, mask: np.ndarray, change: str) -> None:
        for k in np.flatnonzero(mask).tolist():
            {"deregistered": self._strike_off, "revived": self._revive, "insolvent": self._insolvent,
             "suspended": self._suspend}[change](k)
            self.year[change][k] += 1
            self.totals[change][k] += 1

    def _suspend(self, k: int) -> None:
        """Operations stop: the members take their land back and stay registered members of a shell."""
        c, hh = self.model.coops, self.model.hh
        c.active[k], c.dormant[k] = False, True
        self.dormant_years[k] = 0
        hh.pooled_land_mu[hh.coop == k] = 0.0  # (no contracts next year: only operating cooperatives hire)

    def _revive(self, k: int) -> None:
        c, hh = self.model.coops, self.model.hh
        c.active[k], c.dormant[k] = True, False
        mine = hh.coop == k
        hh.pooled_land_mu[mine] = hh.land_mu[mine] * self.owner.p.pooled_land_share

    def _strike_off(self, k: int) -> None:
        self.model.coops.dormant[k] = False
        self.owner.wind_up(k, failed=False)

    def _insolvent(self, k: int) -> None:
        self.owner.wind_up(k, failed=True)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        m, c, nv = self.model, self.model.coops, self.model.vill.n
        book = self.loans
        on = book.open[: book.n]

        def by_coop(x: np.ndarray) -> np.ndarray:
            return np.bincount(c.village, weights=x.astype(np.float64), minlength=nv)

        return {"coop_dormant": by_coop(c.dormant), "coop_suspended": by_coop(self.year["suspended"]),
                "coop_revived": by_coop(self.year["revived"]), "coop_deregistered": by_coop(self.year["deregistered"]),
                "coop_insolvent": by_coop(self.year["insolvent"]),
                "stake_loans_yuan": book.by_village(book.outstanding_fen, on, m.vill.n),
                "stake_loan_interest_yuan": self.interest_year.copy()}


STATE_CHANGES = ("suspended", "revived", "deregistered", "insolvent")


class Owner(Protocol):
    """What the cooperative mechanism (cooperative.py) gives its sub-part."""

    p: Any

    def land_mu(self) -> np.ndarray: ...
    def line_values(self, attr: str) -> np.ndarray: ...
    def wind_up(self, k: int, failed: bool) -> None: ...
