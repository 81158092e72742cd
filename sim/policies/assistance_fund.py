"""The year-end assistance fund (docs/model.md §3.4, 年底反哺): a share of the cooperative's profit goes into a
fund that pays households with illness or without labour, poorest first."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.ledger import Ledger, Source
from sim.policies.base import Policy
from sim.schema import NonNegative, Strict


class AssistanceFundParams(Strict):
    profit_share: float = Field(default=0.05, ge=0, le=1)  # seed 000: 5% of annual profit
    payment_cap_yuan_per_household: NonNegative = 2000
    # pay only households whose income per person so far is below the line times this factor
    income_ceiling_poverty_lines: float = Field(default=1.5, ge=0)


class AssistanceFund(Policy):
    name = "assistance_fund"
    Params = AssistanceFundParams
    requires = ("cooperative",)
    after = ("cooperative",)  # takes its share of the profit the cooperative struck
    sources = (
        Source("assistance_fund_allocation"),
        Source("assistance", "assistance"),
    )
    outcomes = (
        Outcome("assistance_paid", "yuan/year", "Assistance fund paid", "帮扶基金支付", "flow"),
    )

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        c, nv = self.model.coops, self.model.vill.n
        paid = np.bincount(c.village, weights=self.paid_year, minlength=nv) if c.n else np.zeros(nv)
        return {"assistance_paid": paid}

    def init(self) -> None:
        m = self.model
        self.account = np.array([m.ledger.open_account(f"coop:{k}:{n}:assistance_fund")
                                 for k, n in enumerate(m.coops.name)], np.int64)
        self.paid_year = np.zeros(m.coops.n)

    def year_start(self) -> None:
        self.paid_year = np.zeros(self.model.coops.n)

    def allocate_surplus(self) -> None:
        """The fund is first in the distribution order: its share comes off the top of the surplus."""
        m, c = self.model, self.model.coops
        take = c.surplus_yuan * self.p.profit_share
        moved = m.ledger.transfer_many(c.account, self.account, take, "assistance_fund_allocation") / 100
        c.surplus_yuan = c.surplus_yuan - moved

    def pay_assistance(self) -> None:
        m, c, hh = self.model, self.model.coops, self.model.hh
        income_pc = m.ledger.income_fen.sum(axis=0) / 100 / hh.persons
        ceiling = m.poverty_line * self.p.income_ceiling_poverty_lines
        eligible = (hh.ill_this_year | (hh.labour_units == 0)) & (income_pc < ceiling)
        cap_fen = int(Ledger.to_fen(self.p.payment_cap_yuan_per_household))
        # each cooperative pays from its own fund, read before any pays: one ledger call for all of them
        paid_to, paid_fen = [], []
        for k in range(c.n):
            sl = m.village_slice(c.village[k])
            idx = sl.start + np.flatnonzero(eligible[sl])
            idx = idx[np.lexsort((idx, income_pc[idx]))]  # poorest first
            paid_fen.append(payments_fen(int(m.ledger.balance[self.account[k]]), cap_fen, idx.size))
            paid_to.append(idx[: paid_fen[-1].size])
            eligible[paid_to[-1]] = False  # one payment per household even with two cooperatives
        self.paid_year += m.ledger.pay_groups(self.account, paid_to, [f / 100 for f in paid_fen], "assistance") / 100


def payments_fen(fund_fen: int, cap_fen: int, n_eligible: int) -> np.ndarray:
    """What a fund holding `fund_fen` pays its first eligible households, in fen: the cap each while it
    lasts, then what is left to the next one. Whole fen throughout, so the payments never add up to more
    than the fund holds (a cap of 1234.5678 yuan is paid as 123457 fen, and counted as such)."""
    fund_fen = max(fund_fen, 0)
    n_full = min(n_eligible, fund_fen // cap_fen) if cap_fen > 0 else 0
    amounts = np.full(n_full, cap_fen, np.int64)
    left = fund_fen - n_full * cap_fen
    if cap_fen > 0 and n_full < n_eligible and left > 0:  # the next eligible household gets what is left
        amounts = np.append(amounts, np.int64(left))
    return amounts
