"""The ledger: every yuan moves between two accounts, tagged with its source.

Money is held in integer fen (1/100 yuan) so that the books balance exactly:
a transfer subtracts from one account what it adds to another, so the sum of all
balances is zero at every instant (`imbalance_fen() == 0`). Households own the
first `n_households` accounts; institutions (cooperatives, funds, committees,
public money, the outside market) are opened by name after them.

A transfer that touches a household account also books the household's income
for the year under the source's income category (farm, wage, dividend, ...), so
households' income by source comes from the ledger and from nowhere else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim import ledger_kernels as kernels

FEN_PER_YUAN = 100
_NONE = np.zeros(0, np.int64)  # a kernel's "no such row" (no income category, not tracked)

# Household income categories, in the order of the income array's rows.
# medical and interest are costs: they are booked negative.
INCOME_CATEGORIES: tuple[str, ...] = (
    "farm", "wage", "dividend", "remittance", "transfer", "assistance", "medical", "interest",
)
CATEGORY_INDEX = {c: i for i, c in enumerate(INCOME_CATEGORIES)}
# Income in the National Bureau of Statistics' sense (可支配收入), the income the poverty line is drawn against:
# every category but medical spending, which the household survey counts as consumption, not negative income.
DISPOSABLE_CATEGORIES = tuple(i for i, c in enumerate(INCOME_CATEGORIES) if c != "medical")


def disposable_fen(income_fen: np.ndarray) -> np.ndarray:
    """Disposable income per household (fen) from a (category, household) income array."""
    return income_fen[list(DISPOSABLE_CATEGORIES)].sum(axis=0)


def monthly_part(yearly_yuan: np.ndarray, month_of_year: int) -> np.ndarray:
    """This month's part of a yearly amount paid in twelve parts, so that the parts add up to the yearly
    amount to the fen (cumulative rounding: the year's total is never short by rounding)."""
    fen = yearly_yuan * FEN_PER_YUAN
    return (np.rint(fen * (month_of_year + 1) / 12) - np.rint(fen * month_of_year / 12)) / FEN_PER_YUAN


def _aligned(frm: np.ndarray, to: np.ndarray, fen: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Accounts and amounts broadcast to one shape; one account against a vector (the usual case) is repeated
    directly, cheaper than numpy's general broadcast."""
    if fen.ndim == 1 and (frm.ndim == 0 or frm.shape == fen.shape) and (to.ndim == 0 or to.shape == fen.shape):
        return np.full(fen.shape, frm) if frm.ndim == 0 else frm, np.full(fen.shape, to) if to.ndim == 0 else to, fen
    frm, to, fen = np.broadcast_arrays(frm, to, fen)
    return frm, to, fen


@dataclass(frozen=True)
class Source:
    """Why money moved. `category` is the household income category it counts toward (or None)."""

    name: str
    category: str | None = None
    public_programme: bool = False  # public spending on a poverty-alleviation funding line




class Ledger:
    """Accounts in fen; transfers tagged with a source; household income by category per year."""

    def __init__(self, n_households: int, sources: Sequence[Source]):
        """`sources`: every tag a transfer may carry (each mechanism declares its own; sim/policies/registry.py)."""
        self.n_households = int(n_households)
        self.sources = tuple(sources)
        self.source_index = {s.name: i for i, s in enumerate(self.sources)}
        self._programme_source = np.array([s.public_programme for s in self.sources], bool)
        # each source's row in `income_fen` (-1: it is no household income)
        self._category_row = [CATEGORY_INDEX[s.category] if s.category is not None else -1 for s in self.sources]
        self._flow_keys: dict[tuple[str, int, bool], tuple[str, str, str]] = {}
        self._inst_names: list[str] = []
        self._inst_index: dict[str, int] = {}
        # balances in fen, households first; institutional accounts are appended into spare capacity
        # (doubling), so opening thousands of accounts in a county stays linear
        self._balance = np.zeros(self.n_households + 16, dtype=np.int64)
        self._village = np.full(self.n_households + 16, -1, np.int64)
        self._n_accounts = self.n_households
        # income_fen[category, household] for the current year
        self.income_fen = np.zeros((len(INCOME_CATEGORIES), self.n_households), dtype=np.int64)
        # flows[(source, from, to)] -> fen, for the current year; households pooled as "households". Many-account
        # postings wait in `_pending` (source, pair codes, fen) and join `flows` when it is read (`_settle_flows`)
        self._flows: dict[tuple[str, str, str], int] = defaultdict(int)
        self._pending: list[tuple[int, np.ndarray, np.ndarray]] = []
        self._pending_size = 0
        self._scratch = np.zeros(0, np.int64)  # post_households_many's per-account sums (zero between calls)
        self.total_fen = np.zeros(len(self.sources), dtype=np.int64)  # moved per source since the start
        # opt-in: what each household received this year from selected sources (`track_households`)
        self.received_fen: dict[str, np.ndarray] = {}
        self.last_received_fen: dict[str, np.ndarray] = {}
        # -- public programme spending by village (issue 4) --
        # each account's village (-1: none, e.g. the market); public-programme money leaving the funder
        # counts for the village of the account it reaches (money coming back counts negative), in
        # programme_fen[village + 1] (entry 0: spending that reached no village)
        self.public_account: int | None = None
        self.programme_fen = np.zeros(1, np.int64)
        self.last_programme_fen = np.zeros(1, np.int64)

    # -- accounts -----------------------------------------------------------------
    def open_account(self, name: str, village: int = -1) -> int:
        """Open an institutional account (of a village, or of none); returns its id. Names are unique."""
        if name in self._inst_index:
            raise ValueError(f"account {name!r} already open")
        self._inst_index[name] = len(self._inst_names)
        self._inst_names.append(name)
        if self._n_accounts == self._balance.size:
            grow = max(self._balance.size // 2, 16)
            self._balance = np.concatenate([self._balance, np.zeros(grow, np.int64)])
            self._village = np.concatenate([self._village, np.full(grow, -1, np.int64)])
        self._village[self._n_accounts] = village
        self._n_accounts += 1
        return self._n_accounts - 1

    @property
    def balance(self) -> np.ndarray:
        """Every account's balance in fen (a view: households, then institutions in opening order)."""
        return self._balance[: self._n_accounts]

    @balance.setter
    def balance(self, value: np.ndarray) -> None:
        self._balance[: self._n_accounts] = value

    @property
    def account_village(self) -> np.ndarray:
        """Each account's village (-1: none)."""
        return self._village[: self._n_accounts]

    def open_accounts(self, names: Sequence[str], villages: Sequence[int]) -> np.ndarray:
        """Open many institutional accounts at once (one per village, say); returns their ids."""
        names = list(names)
        clash = set(names) & set(self._inst_index) or (len(set(names)) < len(names) and {"(a name given twice)"})
        if clash:
            raise ValueError(f"account {sorted(clash)[0]!r} already open")
        village_of = np.broadcast_to(np.asarray(villages, np.int64), (len(names),))
        first = self._n_accounts
        for name in names:
            self._inst_index[name] = len(self._inst_names)
            self._inst_names.append(name)
        need = first + len(names)
        if need > self._balance.size:
            grow = max(self._balance.size // 2, need - self._balance.size, 16)
            self._balance = np.concatenate([self._balance, np.zeros(grow, np.int64)])
            self._village = np.concatenate([self._village, np.full(grow, -1, np.int64)])
        self._village[first:need] = village_of
        self._n_accounts = need
        return np.arange(first, need, dtype=np.int64)

    def account_id(self, name: str) -> int:
        return self.n_households + self._inst_index[name]

    def set_villages(self, household_village: np.ndarray, n_villages: int, public_account: int) -> None:
        """Households' villages and the funder's account: public-programme spending is then kept by village."""
        self.account_village[: self.n_households] = household_village
        self.public_account = int(public_account)
        self.programme_fen = np.zeros(n_villages + 1, np.int64)
        self.last_programme_fen = np.zeros(n_villages + 1, np.int64)

    def _programme(self, frm: np.ndarray, to: np.ndarray, fen: np.ndarray, src: int) -> None:
        """Public-programme spending by village in transfers between any accounts (1-D int64 arrays)."""
        if self._programme_source[src] and self.public_account is not None:
            kernels.programme_many(self.programme_fen, self._village, frm, to, fen, self.public_account)

    def name_of(self, account: int) -> str:
        return "households" if 0 <= account < self.n_households else self._inst_names[account - self.n_households]

    @property
    def institution_names(self) -> Sequence[str]:
        return tuple(self._inst_names)

    def balance_yuan(self, account: int) -> float:
        return self.balance[account] / FEN_PER_YUAN

    @property
    def household_balance_yuan(self) -> np.ndarray:
        return self.balance[: self.n_households] / FEN_PER_YUAN

    def track_households(self, sources: Sequence[str]) -> None:
        """Also record, per household, what it receives this year from these sources (net of what it pays
        back under the same source); read it in `received_fen` (the closed year: `last_received_fen`)."""
        for name in sources:
            self.source_index[name]  # an unknown source fails here
            self.received_fen.setdefault(name, np.zeros(self.n_households, dtype=np.int64))

    # -- transfers ----------------------------------------------------------------
    @staticmethod
    def to_fen(amount_yuan) -> np.ndarray:
        yuan = np.asarray(amount_yuan, dtype=np.float64)
        if yuan.ndim == 1:  # one amount per household: the compiled kernel
            return kernels.to_fen(yuan)
        return np.rint(yuan * FEN_PER_YUAN).astype(np.int64)

    def transfer(self, frm: int, to: int, amount_yuan: float, source: str) -> int:
        """Move one amount between two accounts. Returns the fen moved."""
        fen = int(self.to_fen(amount_yuan))
        if fen == 0:
            return 0
        if fen < 0:
            raise ValueError(f"negative transfer {amount_yuan} for {source}")
        self._book_one(int(frm), int(to), fen, self.source_index[source])
        return fen

    def _book_one(self, frm: int, to: int, fen: int, src: int) -> None:
        """One transfer between two accounts: `_book` for a single pair, in scalar steps."""
        self._balance[frm] -= fen
        self._balance[to] += fen
        n = self.n_households
        for account, signed in ((to, fen), (frm, -fen)):
            if account < n:
                self._post_households(account, np.int64(signed), src)
        name = self.sources[src].name
        key = (name, self.name_of(frm) if frm >= n else "households", self.name_of(to) if to >= n else "households")
        self._flows[key] += fen
        self.total_fen[src] += fen
        if self._programme_source[src] and self.public_account is not None:
            if frm == self.public_account:
                self.programme_fen[self._village[to] + 1] += fen
            elif to == self.public_account:
                self.programme_fen[self._village[frm] + 1] -= fen

    def transfer_many(self, frm, to, amount_yuan, source: str) -> np.ndarray:
        """Many transfers at once between institutional or household accounts (broadcast).
        Returns the fen moved by each."""
        frm_a, to_a, fen = _aligned(np.asarray(frm, np.int64), np.asarray(to, np.int64), self.to_fen(amount_yuan))
        if (fen < 0).any():
            raise ValueError(f"negative transfer for {source}")
        nz = np.flatnonzero(fen)
        if nz.size == 1:  # one cooperative, one village: the scalar steps
            self._book_one(int(frm_a.flat[nz[0]]), int(to_a.flat[nz[0]]), int(fen.flat[nz[0]]),
                           self.source_index[source])
        elif nz.size:
            self._book(frm_a.ravel()[nz], to_a.ravel()[nz], fen.ravel()[nz], source)
        return fen

    def pay_groups(self, frm, to: Sequence[np.ndarray], amount_yuan: Sequence[np.ndarray], source: str) -> np.ndarray:
        """Group g pays `amount_yuan[g]` from account `frm[g]` to the accounts `to[g]` (one amount each; groups
        touch disjoint accounts, e.g. each cooperative its members): one `transfer_many` for every group.
        Returns the fen each group moved."""
        sizes = np.array([np.size(a) for a in amount_yuan], np.int64)
        if sizes.sum() == 0:
            return np.zeros(sizes.size, np.int64)
        fen = self.transfer_many(np.repeat(np.asarray(frm, np.int64), sizes), np.concatenate(to),
                                 np.concatenate(amount_yuan), source)
        return np.bincount(np.repeat(np.arange(sizes.size), sizes), weights=fen, minlength=sizes.size).astype(np.int64)

    def pay_households(self, frm, amount_yuan: np.ndarray, source: str) -> int:
        """Pay each household its amount (array of length n_households) from `frm`.

        `frm` is one account id, or an array of account ids, one per household
        (e.g. each household's cooperative). Returns the fen moved.
        """
        fen = self.to_fen(amount_yuan)
        return self._vector(frm, fen, source, to_households=True)

    def charge_households(self, amount_yuan: np.ndarray, to, source: str) -> int:
        """Charge each household its amount, paid to `to` (one account or one per household)."""
        fen = self.to_fen(amount_yuan)
        return self._vector(to, fen, source, to_households=False)

    def pay_households_fen(self, frm, fen: np.ndarray, source: str) -> int:
        """`pay_households` with the amounts already in integer fen (no rounding)."""
        return self._vector(frm, np.asarray(fen, np.int64), source, to_households=True)

    def charge_households_fen(self, fen: np.ndarray, to, source: str) -> int:
        """`charge_households` with the amounts already in integer fen (no rounding)."""
        return self._vector(to, np.asarray(fen, np.int64), source, to_households=False)

    def _vector(self, other, fen: np.ndarray, source: str, to_households: bool) -> int:
        if fen.shape != (self.n_households,):
            raise ValueError("household amounts must have one entry per household")
        low, total = kernels.low_and_total(fen)
        if low < 0:
            raise ValueError(f"negative household amount for {source}")
        if total == 0:  # amounts are never negative: nothing moves
            return 0
        other = np.asarray(other, dtype=np.int64)
        src = self.source_index[source]
        if other.ndim == 0:
            self._post_one_counterpart(int(other), fen, total, src, to_households)
            if self._programme_source[src] and int(other) == self.public_account:
                kernels.programme_households(self.programme_fen, self._village, fen, 1 if to_households else -1)
            return total
        if other.shape != fen.shape:
            raise ValueError("the accounts paid against must be one account, or one per household")
        self._post_many_counterparts(other, fen, total, src, to_households)
        if self._programme_source[src]:
            hh = np.flatnonzero(fen)
            frm, to = (other[hh], hh) if to_households else (hh, other[hh])
            self._programme(frm, to, fen[hh], src)
        return total

    def _post_many_counterparts(self, other: np.ndarray, fen: np.ndarray, total: int, src: int,
                                to_households: bool) -> None:
        """Each household against its own account (`other`, one per household): one compiled pass; the journal
        gets one posting per account paid against, the households pooled."""
        row, name = self._category_row[src], self.sources[src].name
        if self._scratch.size < self._balance.size:
            self._scratch = np.zeros(self._balance.size, np.int64)
        accounts, totals = kernels.post_households_many(
            self._balance, fen, other, 1 if to_households else -1, self.income_fen[row] if row >= 0 else _NONE,
            self.received_fen.get(name, _NONE), self._scratch)
        pooled = np.full(accounts.size, -1, np.int64)  # the households, pooled in the journal
        frm, to = (accounts, pooled) if to_households else (pooled, accounts)
        self._journal(src, frm, to, totals)
        self.total_fen[src] += total

    def _post_one_counterpart(self, other: int, fen: np.ndarray, total: int, src: int, to_households: bool) -> None:
        """Every household against one account: whole-array adds (a zero amount adds nothing), no index lists."""
        row, name = self._category_row[src], self.sources[src].name
        kernels.post_against_one(self._balance, fen, 1 if to_households else -1, other, total,
                                 self.income_fen[row] if row >= 0 else _NONE, self.received_fen.get(name, _NONE))
        self._flows[self._flow_key(name, other, to_households)] += total
        self.total_fen[src] += total

    def _post_households(self, hh, signed: np.ndarray | np.int64, src: int) -> None:
        """Book households' signed fen as income of the source's category and, if tracked, as received."""
        row = self._category_row[src]
        if row >= 0:
            self.income_fen[row, hh] += signed
        received = self.received_fen.get(self.sources[src].name)
        if received is not None:
            received[hh] += signed

    def _flow_key(self, source: str, other: int, to_households: bool) -> tuple[str, str, str]:
        """The journal key of a source's payment between the households and one account (cached: names never
        change once opened)."""
        key = self._flow_keys.get((source, other, to_households))
        if key is None:
            name = self.name_of(other)
            key = (source, name, "households") if to_households else (source, "households", name)
            self._flow_keys[(source, other, to_households)] = key
        return key

    def _book(self, frm: np.ndarray, to: np.ndarray, fen: np.ndarray, source: str) -> None:
        """General transfers between any accounts (households may repeat): one compiled pass (ledger_kernels)."""
        src = self.source_index[source]
        row = self._category_row[src]
        codes, sums = kernels.book_many(self._balance, frm, to, fen, self.n_households,
                                        self.income_fen[row] if row >= 0 else _NONE,
                                        self.received_fen.get(source, _NONE), self._PAIR)
        self._note(src, codes, sums)
        self.total_fen[src] += int(fen.sum())
        self._programme(frm, to, fen, src)

    # -- the journal ----------------------------------------------------------------------------
    _PAIR = 1 << 32  # pair code = (from + 1) * _PAIR + (to + 1); -1 stands for the households, pooled

    def _journal(self, src: int, frm: np.ndarray, to: np.ndarray, fen: np.ndarray) -> None:
        """Note many postings of one source for `flows`; they are summed when `flows` is next read."""
        self._note(src, (frm + 1) * self._PAIR + (to + 1), fen)

    def _note(self, src: int, codes: np.ndarray, fen: np.ndarray) -> None:
        """`_journal` with the pair codes already made."""
        self._pending.append((src, codes, fen))
        self._pending_size += fen.size
        if self._pending_size > 1 << 20:  # a county's year of postings: summed on the way, memory stays bounded
            self._settle_flows()

    @property
    def flows(self) -> dict[tuple[str, str, str], int]:
        """This year's fen by (source, from, to), households pooled as "households"."""
        if self._pending:
            self._settle_flows()
        return self._flows

    def _settle_flows(self) -> None:
        """Sum the waiting postings per source and account pair, exactly in integer fen, into `flows`."""
        by_source: dict[int, list[tuple[np.ndarray, np.ndarray]]] = defaultdict(list)
        for src, codes, fen in self._pending:  # one pass over the postings, not one per source
            by_source[src].append((codes, fen))
        self._pending, self._pending_size = [], 0
        for src in sorted(by_source):
            codes = np.concatenate([c for c, _ in by_source[src]])
            fen = np.concatenate([f for _, f in by_source[src]])
            order = np.argsort(codes, kind="stable")
            codes, fen = codes[order], fen[order]
            starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
            name = self.sources[src].name
            for code, total in zip(codes[starts].tolist(), np.add.reduceat(fen, starts).tolist(), strict=True):
                a, b = divmod(code, self._PAIR)
                self._flows[(name, self.name_of(a - 1) if a else "households",
                             self.name_of(b - 1) if b else "households")] += int(total)

    # -- checks and year roll -------------------------------------------------------
    def imbalance_fen(self) -> int:
        """Sum of all balances: every account starts at zero and every transfer is a
        debit matched by a credit, so this is 0 exactly when no yuan appeared or vanished."""
        return int(self.balance.sum())

    def income_yuan(self) -> np.ndarray:
        """This year's household income by category, yuan, shape (n_categories, n_households)."""
        return self.income_fen / FEN_PER_YUAN

    def close_year(self) -> tuple[np.ndarray, dict[tuple[str, str, str], int]]:
        """Return this year's income (fen) and flows, and start a new year."""
        income, flows = self.income_fen.copy(), dict(self.flows)
        self.income_fen[:] = 0
        self._flows = defaultdict(int)
        self.last_received_fen = {k: v.copy() for k, v in self.received_fen.items()}
        self.last_programme_fen = self.programme_fen.copy()
        self.programme_fen[:] = 0
        for v in self.received_fen.values():
            v[:] = 0
        return income, flows
