"""Loans shared by the finance mechanisms (docs/model.md §3.10-3.11): the loan book (growable arrays over loans)
and the household production lines a loan finances (pigs, cattle, poultry), with their return and risk.

A financed line runs through the ledger as farm income: the household buys its inputs with the loan in the
month it borrows (a farm cost) and sells `months_to_sale` later (farm sales); the sale brings back the
money spent times (1 + `net_return_per_yuan`), or `salvage_share` of it when the line fails. Net farm
income of the line is therefore the return (or the loss), booked where it arises.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import numpy as np
from pydantic import Field

from sim.ledger import Source
from sim.schema import NonNegative, Share, Strict

if TYPE_CHECKING:
    from sim.interface import Model

# a line a loan finances is farm income: inputs bought are a farm cost, the sale farm sales (declared by both
# credit mechanisms, which both finance lines)
CREDIT_LINE_SOURCES = (
    Source("credit_line_purchase", "farm"),  # inputs of a household line financed by a loan (piglets, feed)
    Source("credit_line_sales", "farm"),  # the line's sale
)


class CreditLineParams(Strict):
    """A household production line a small loan finances."""

    net_return_per_yuan: NonNegative  # net farm income per yuan invested when the line does well
    failure_probability: Share  # chance the line fails (disease, price collapse)
    salvage_share: Share  # share of the money invested that comes back when it fails
    months_to_sale: int = Field(ge=1, le=24)  # from buying inputs to selling
    choice_share: NonNegative  # relative share of borrowers who pick this line


def default_credit_lines() -> dict[str, CreditLineParams]:
    # Assumptions (no seed gives returns): small-scale pig fattening, beef cattle and poultry in mountain
    # villages; returns and risks of the order reported for poverty-alleviation household lines (10-30%).
    return {
        "pigs": CreditLineParams(net_return_per_yuan=0.25, failure_probability=0.10, salvage_share=0.4,
                                 months_to_sale=6, choice_share=0.5),
        "cattle": CreditLineParams(net_return_per_yuan=0.30, failure_probability=0.08, salvage_share=0.5,
                                   months_to_sale=9, choice_share=0.3),
        "poultry": CreditLineParams(net_return_per_yuan=0.20, failure_probability=0.15, salvage_share=0.2,
                                    months_to_sale=4, choice_share=0.2),
    }


class LoanBook:
    """Loans as parallel numpy arrays (amounts in fen), grown by doubling. A loan is open while `open`."""

    FIELDS = {"household": np.int64, "village": np.int64, "principal_fen": np.int64, "outstanding_fen": np.int64,
              "month": np.int64, "line": np.int64, "sale_month": np.int64, "proceeds_fen": np.int64, "open": bool}
    # one array per FIELDS entry, created in __init__
    household: np.ndarray
    village: np.ndarray
    principal_fen: np.ndarray
    outstanding_fen: np.ndarray
    month: np.ndarray
    line: np.ndarray
    sale_month: np.ndarray
    proceeds_fen: np.ndarray
    open: np.ndarray

    def __init__(self, capacity: int = 64) -> None:
        self.n = 0
        self._tracked: list[LoanRows] = []
        for name, dtype in self.FIELDS.items():
            setattr(self, name, np.zeros(capacity, dtype))

    def track(self, ids: np.ndarray) -> LoanRows:
        """A handle on loans `ids` for an event queued for later (an instalment): `compact` keeps it current."""
        rows = LoanRows(np.asarray(ids, np.int64))
        self._tracked.append(rows)
        return rows

    def compact(self) -> None:
        """Closed loans leave the book (the open ones keep their order, so every sum over them is unchanged);
        tracked handles are renumbered and lose their closed loans. Memory then follows the open loans, not
        the years."""
        keep = np.flatnonzero(self.open[: self.n])
        new_row = np.full(self.n, -1, np.int64)
        new_row[keep] = np.arange(keep.size)
        size = max(64, keep.size)
        for name in self.FIELDS:
            old = getattr(self, name)
            new = np.zeros(size, old.dtype)
            new[: keep.size] = old[keep]
            setattr(self, name, new)
        self.n = keep.size
        for handle in self._tracked:
            rows = new_row[handle.ids]
            handle.ids = rows[rows >= 0]
        self._tracked = [h for h in self._tracked if h.ids.size]

    def add(self, **columns: np.ndarray) -> np.ndarray:
        """Append loans (one array per field, `open` excepted); returns their ids."""
        k = len(next(iter(columns.values())))
        if self.n + k > self.household.size:
            size = max(2 * self.household.size, self.n + k)
            for name in self.FIELDS:
                old = getattr(self, name)
                new = np.zeros(size, old.dtype)
                new[: self.n] = old[: self.n]
                setattr(self, name, new)
        ids = np.arange(self.n, self.n + k)
        for name, values in columns.items():
            getattr(self, name)[ids] = values
        self.open[ids] = True
        self.n += k
        return ids

    def by_village(self, values_fen: np.ndarray, mask: np.ndarray, n_villages: int) -> np.ndarray:
        """Sum of `values_fen` over the loans in `mask`, per village, in yuan."""
        n = self.n
        return np.bincount(self.village[:n][mask[:n]], weights=values_fen[:n][mask[:n]],
                           minlength=n_villages) / 100


class LoanRows:
    """Rows of a loan book an event queued for later refers to (`LoanBook.track`); `ids` follows compaction."""

    def __init__(self, ids: np.ndarray) -> None:
        self.ids = ids


def choose_lines(u: np.ndarray, lines: dict[str, CreditLineParams]) -> np.ndarray:
    """Line index for each uniform draw in `u`, by the lines' choice shares."""
    share = np.array([line.choice_share for line in lines.values()], np.float64)
    cum = np.cumsum(share / share.sum())
    return np.minimum(np.searchsorted(cum, u, side="right"), len(lines) - 1)


class HouseholdLines:
    """Runs the lines a mechanism's loans finance: inputs bought now, sale events later (one dated event
    per sale month, carrying the array of loans that sell then)."""

    def __init__(self, model: Model, lines: dict[str, CreditLineParams], purchase: str, sale: str):
        self.model = model
        self.lines = list(lines.values())
        self.purchase, self.sale = purchase, sale
        self.months = np.array([line.months_to_sale for line in self.lines], np.int64)
        self.ret = np.array([line.net_return_per_yuan for line in self.lines])
        self.fail = np.array([line.failure_probability for line in self.lines])
        self.salvage = np.array([line.salvage_share for line in self.lines])

    def start(self, households: np.ndarray, invested_fen: np.ndarray, line: np.ndarray,
              u_fail: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Households invest `invested_fen` in `line` this month; whether each line fails is `u_fail`.
        Returns each line's sale month and what the sale brings (fen)."""
        m = self.model
        m.ledger.transfer_many(households, m.acct_market, invested_fen / 100, self.purchase)
        failed = u_fail < self.fail[line]
        back = np.where(failed, self.salvage[line], 1.0 + self.ret[line])
        revenue_fen = np.floor(invested_fen * back).astype(np.int64)
        due = m.month + self.months[line]
        insurer = getattr(m, "line_insurer", None)  # livestock insurance, when it is on
        if insurer is not None:
            insurer.insure(households, invested_fen, failed, revenue_fen, due)
        for month in np.unique(due):
            sel = due == month
            m.calendar.at(int(month), partial(self._sell, households[sel], revenue_fen[sel]))
        return due, revenue_fen

    def _sell(self, households: np.ndarray, revenue_fen: np.ndarray) -> None:
        m = self.model
        m.ledger.transfer_many(m.acct_market, households, revenue_fen / 100, self.sale)
