"""Subsidised and party-member loans (docs/model.md §3.11; seeds 001, 002): a bank's interest-subsidised loans to
cooperatives and party-member farm loans (党员农贷), their yearly interest, the public interest subsidy while
the funding line lasts, and repayment.

Each active cooperative borrows `coop_loan_yuan` from the `bank` in January for `term_years` (a new loan
when the last is repaid, with `renew_loans`). The money is the cooperative's working capital: it sits in
the cooperative's account, which pays wages and running costs month by month before the harvest is
sold, and keeps the cooperative clear of the failure-by-debt rule (sim/policies/cooperative.py). Each
January a share of party-member households (`party_member_share_per_year`) borrow
`party_member_loan_yuan` and start a household line (sim/loans.py), its return farm income.

Every loan pays a year's interest at `bank_rate_per_year` at the start of December (a dated event
carrying all loans, before December's accounts), and its principal in the December of its last year.
The public funder pays `subsidy_share` of each interest payment to the borrower, who passes it to the
bank with its own part; under a funding scenario only while the `interest_subsidy` line has room
(cooperatives first, then members in the order they borrowed), after which borrowers pay the full rate.
A cooperative's own part of the interest is one of its costs. Borrowers pay from their balance even
when it goes negative (a debt): the loans are bank loans guaranteed by public servants (seed 002:
公职人员为农民党员担保贷款), not the mutual-aid fund's.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.declarations import FundingLine, Outcome
from sim.ledger import Source
from sim.loans import (
    CREDIT_LINE_SOURCES,
    CreditLineParams,
    HouseholdLines,
    LoanBook,
    choose_lines,
    default_credit_lines,
)
from sim.policies.base import Policy
from sim.schema import NonNegative, Share, Strict

STREAM = "subsidised_loans"


class SubsidisedLoansParams(Strict):
    """Sources in configs/village.yaml."""

    coop_loan_yuan: NonNegative = 300_000  # seed 001: 通过政府贴息方式,为每个合作社解决30万元贷款
    term_years: int = Field(default=3, ge=1, le=30)  # assumption: a medium-term working-capital loan
    renew_loans: bool = True  # a repaid cooperative loan is taken again while the cooperative is active
    bank_rate_per_year: Share = 0.0475  # PBoC benchmark lending rate, 1-5 years, from October 2015
    subsidy_share: Share = 1.0  # seeds 001, 002: 政府贴息 / 贷款贴息; poverty loans were subsidised in full
    party_member_loan_yuan: NonNegative = 50_000  # seed 002: 22.75M yuan in 党员农贷 (one member 1M); assumption
    party_member_share_per_year: Share = 0.1  # party-member households starting a line in a year (assumption)
    party_member_term_years: int = Field(default=1, ge=1, le=30)  # assumption: a one-year farm loan
    credit_lines: dict[str, CreditLineParams] = Field(default_factory=default_credit_lines)


class SubsidisedLoans(Policy):
    name = "subsidised_loans"
    Params = SubsidisedLoansParams
    requires = ("cooperative",)  # the loan is the cooperative's
    after = ("distribution",)  # after the cooperatives' accounts
    sources = (
        Source("interest_subsidy", public_programme=True),  # the subsidised part of interest on a loan
        Source("bank_loan"),  # a (subsidised) bank loan to a cooperative or a party member
        Source("bank_repayment"),  # principal back to the bank
        Source("bank_interest", "interest"),  # interest the borrower bears itself
        Source("subsidised_interest"),  # the part of interest the subsidy covers, passed on to the bank
        *CREDIT_LINE_SOURCES,
    )
    outcomes = (
        Outcome("interest_subsidy_yuan", "yuan/year", "Interest subsidy paid", "财政贴息", "flow"),
        Outcome("subsidised_loans_outstanding", "yuan", "Subsidised loans outstanding (year end)",
                "贴息贷款余额(年末)", "stock"),
        Outcome("party_member_loans", "loans/year", "Party-member farm loans issued", "党员农贷发放笔数", "flow"),
    )
    funding_line = FundingLine(
        "interest_subsidy", "as_due",
        "the subsidised share of interest on cooperative and party-member loans, as it falls due, until spent "
        "(then borrowers pay the full rate)",
        ("interest_subsidy",))

    def init(self) -> None:
        m, nc = self.model, self.model.coops.n
        self.bank = m.ledger.open_account("bank")
        self.coop_outstanding_fen = np.zeros(nc, np.int64)
        self.coop_due_year = np.full(nc, -1, np.int64)  # year index of the December the principal is due
        self.coop_borrowed = np.zeros(nc, bool)
        self.members = LoanBook()  # party-member loans; `month` holds the year index of the last December
        self.household_lines = HouseholdLines(m, self.p.credit_lines, "credit_line_purchase", "credit_line_sales")
        self.has_loan = np.zeros(m.hh.n, bool)
        self._reset_year()

    def _reset_year(self) -> None:
        nv = self.model.vill.n
        self.subsidy_year = np.zeros(nv)
        self.member_loans_year = np.zeros(nv)

    # -- borrowing (January) -------------------------------------------------------------------------
    def year_start(self) -> None:
        m = self.model
        self._reset_year()
        self.members.compact()  # last year's repaid loans leave the book
        self.lend_to_cooperatives()
        self.lend_to_party_members()
        m.calendar.at(m.month + 11, self.december)

    def lend_to_cooperatives(self) -> None:
        m, c, p = self.model, self.model.coops, self.p
        take = c.active & (self.coop_outstanding_fen == 0) & (p.renew_loans | ~self.coop_borrowed)
        k = np.flatnonzero(take)
        fen = m.ledger.transfer_many(self.bank, c.account[k], p.coop_loan_yuan, "bank_loan")
        self.coop_outstanding_fen[k] = fen
        self.coop_due_year[k] = m.year_index + p.term_years - 1
        self.coop_borrowed[k] = True

    def lend_to_party_members(self) -> None:
        m, hh, pm, p = self.model, self.model.hh, self.model.party, self.p
        u_take, u_line, u_fail = m.draw(STREAM, lambda rng, n: (rng.random(n), rng.random(n), rng.random(n)))
        party = np.zeros(hh.n, bool)
        party[pm.household[pm.member]] = True
        households = np.flatnonzero(party & ~self.has_loan & (u_take < p.party_member_share_per_year))
        fen = int(round(p.party_member_loan_yuan * 100))
        if households.size == 0 or fen == 0:
            return
        line = choose_lines(u_line[households], p.credit_lines)
        principal = np.full(households.size, fen, np.int64)
        last_year = np.full(households.size, m.year_index + p.party_member_term_years - 1)
        self.members.add(household=households, village=hh.village[households], principal_fen=principal,
                         outstanding_fen=principal, month=last_year, line=line)
        self.has_loan[households] = True
        m.ledger.transfer_many(self.bank, households, principal / 100, "bank_loan")
        self.household_lines.start(households, principal, line, u_fail[households])
        self.member_loans_year += np.bincount(hh.village[households], minlength=m.vill.n)

    # -- interest and repayment (December) ----------------------------------------------------------
    def december(self) -> None:
        """A year's interest on every loan (the subsidy's part from the public while the line lasts), then the
        principal of loans in their last year."""
        m, c, b, p = self.model, self.model.coops, self.members, self.p
        coops = np.flatnonzero(self.coop_outstanding_fen > 0)
        loans = np.flatnonzero(b.open[: b.n])
        account = np.concatenate([c.account[coops], b.household[loans]]).astype(np.int64)
        village = np.concatenate([c.village[coops], b.village[loans]]).astype(np.int64)
        outstanding = np.concatenate([self.coop_outstanding_fen[coops], b.outstanding_fen[loans]])
        due = np.concatenate([self.coop_due_year[coops], b.month[loans]]) == m.year_index
        interest = np.rint(outstanding * p.bank_rate_per_year).astype(np.int64)
        subsidy = np.rint(interest * p.subsidy_share).astype(np.int64)
        subsidy = np.where(m.funder.fit("interest_subsidy", subsidy / 100), subsidy, 0)
        led = m.ledger
        led.transfer_many(m.acct_public, account, subsidy / 100, "interest_subsidy")
        led.transfer_many(account, self.bank, subsidy / 100, "subsidised_interest")
        led.transfer_many(account, self.bank, (interest - subsidy) / 100, "bank_interest")
        led.transfer_many(account, self.bank, np.where(due, outstanding, 0) / 100, "bank_repayment")
        self.subsidy_year += np.bincount(village, weights=subsidy, minlength=m.vill.n) / 100
        nc = coops.size
        c.cost_year += np.bincount(coops, weights=(interest - subsidy)[:nc], minlength=c.n) / 100
        self.coop_outstanding_fen[coops[due[:nc]]] = 0
        repaid = loans[due[nc:]]
        b.outstanding_fen[repaid] = 0
        b.open[repaid] = False
        self.has_loan[b.household[repaid]] = False

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        c, b, nv = self.model.coops, self.members, self.model.vill.n
        coop_v = np.bincount(c.village, weights=self.coop_outstanding_fen, minlength=nv) / 100 if c.n else np.zeros(nv)
        return {
            "interest_subsidy_yuan": self.subsidy_year.copy(),
            "subsidised_loans_outstanding": coop_v + b.by_village(b.outstanding_fen, b.open, nv),
            "party_member_loans": self.member_loans_year.copy(),
        }
