"""The ledger's per-household month kernels (sim/kernels.py): yuan to fen, the checks of a household posting,
and the posting of every household against one account; each a plain loop with its numpy twin."""

from __future__ import annotations

import numpy as np

from sim.kernels import kernel


def _to_fen_numpy(amount_yuan: np.ndarray) -> np.ndarray:
    return np.rint(amount_yuan * 100).astype(np.int64)


@kernel(_to_fen_numpy)
def to_fen(amount_yuan: np.ndarray) -> np.ndarray:
    """Each amount (yuan, float64) in integer fen, rounded half to even."""
    fen = np.empty(amount_yuan.size, np.int64)
    for i in range(amount_yuan.size):
        fen[i] = np.int64(np.rint(amount_yuan[i] * 100.0))
    return fen


def _low_and_total_numpy(fen: np.ndarray) -> tuple[int, int]:
    return (int(fen.min()), int(fen.sum())) if fen.size else (0, 0)


@kernel(_low_and_total_numpy)
def low_and_total(fen: np.ndarray) -> tuple[int, int]:
    """The smallest amount (0 for none) and the sum, in fen."""
    low, total = 0, 0
    if fen.size:
        low = fen[0]
    for i in range(fen.size):
        low = min(low, fen[i])
        total += fen[i]
    return low, total


def _post_against_one_numpy(balance: np.ndarray, fen: np.ndarray, sign: int, other: int, total: int,
                            income_row: np.ndarray, received: np.ndarray) -> None:
    signed = fen if sign > 0 else -fen
    balance[: fen.size] += signed
    balance[other] -= sign * total
    if income_row.size:
        income_row += signed
    if received.size:
        received += signed


@kernel(_post_against_one_numpy)
def post_against_one(balance: np.ndarray, fen: np.ndarray, sign: int, other: int, total: int,
                     income_row: np.ndarray, received: np.ndarray) -> None:
    """Every household receives (sign +1) or pays (-1) its fen against account `other` (the sum `total`); the
    same signed fen go to the source's income row and received row (each empty when the source has none)."""
    for i in range(fen.size):
        balance[i] += sign * fen[i]
    balance[other] -= sign * total
    if income_row.size:
        for i in range(fen.size):
            income_row[i] += sign * fen[i]
    if received.size:
        for i in range(fen.size):
            received[i] += sign * fen[i]


def _programme_households_numpy(programme_fen: np.ndarray, account_village: np.ndarray, fen: np.ndarray,
                                sign: int) -> None:
    np.add.at(programme_fen, account_village[: fen.size] + 1, fen if sign > 0 else -fen)


@kernel(_programme_households_numpy)
def programme_households(programme_fen: np.ndarray, account_village: np.ndarray, fen: np.ndarray,
                         sign: int) -> None:
    """Public-programme money between the funder and every household: each household's fen count for its
    village (`programme_fen[village + 1]`), positive when paid out (sign +1), negative when paid back (-1)."""
    for i in range(fen.size):
        programme_fen[account_village[i] + 1] += sign * fen[i]


def _book_many_numpy(balance: np.ndarray, frm: np.ndarray, to: np.ndarray, fen: np.ndarray, n_households: int,
                     income_row: np.ndarray, received: np.ndarray, pair: int) -> tuple[np.ndarray, np.ndarray]:
    np.subtract.at(balance, frm, fen)
    np.add.at(balance, to, fen)
    into, outof = to < n_households, frm < n_households
    for row in (income_row, received):
        if row.size:
            np.add.at(row, to[into], fen[into])
            np.subtract.at(row, frm[outof], fen[outof])
    codes = (np.where(outof, -1, frm) + 1) * pair + (np.where(into, -1, to) + 1)
    if codes.size == 0:
        return codes, fen
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])  # runs of one account pair
    return codes[starts], np.add.reduceat(fen, starts)


@kernel(_book_many_numpy)
def book_many(balance: np.ndarray, frm: np.ndarray, to: np.ndarray, fen: np.ndarray, n_households: int,
              income_row: np.ndarray, received: np.ndarray, pair: int) -> tuple[np.ndarray, np.ndarray]:
    """Transfer i moves fen[i] from account frm[i] to account to[i] (any accounts, repeats allowed); a household
    (account below `n_households`) books it in the source's income row and received row (each empty when the
    source has none), plus when it receives, minus when it pays. Returns the journal's postings: pair codes
    (from + 1) * pair + (to + 1), a household counted as account -1 (the households, pooled), and fen, one per
    run of consecutive transfers with the same code (one cooperative paying its members: one posting)."""
    codes, sums = np.empty(fen.size, np.int64), np.empty(fen.size, np.int64)
    run = -1
    for i in range(fen.size):
        a, b, f = frm[i], to[i], fen[i]
        balance[a] -= f
        balance[b] += f
        if b < n_households:
            if income_row.size:
                income_row[b] += f
            if received.size:
                received[b] += f
            b = -1
        if a < n_households:
            if income_row.size:
                income_row[a] -= f
            if received.size:
                received[a] -= f
            a = -1
        code = (a + 1) * pair + (b + 1)
        if run >= 0 and codes[run] == code:
            sums[run] += f
        else:
            run += 1
            codes[run], sums[run] = code, f
    return codes[: run + 1], sums[: run + 1]


def _programme_many_numpy(programme_fen: np.ndarray, account_village: np.ndarray, frm: np.ndarray, to: np.ndarray,
                          fen: np.ndarray, public: int) -> None:
    out = frm == public
    back = (to == public) & ~out
    np.add.at(programme_fen, account_village[to[out]] + 1, fen[out])
    np.subtract.at(programme_fen, account_village[frm[back]] + 1, fen[back])


@kernel(_programme_many_numpy)
def programme_many(programme_fen: np.ndarray, account_village: np.ndarray, frm: np.ndarray, to: np.ndarray,
                   fen: np.ndarray, public: int) -> None:
    """Public-programme money in transfers between any accounts: fen leaving the funder (`public`) count for the
    village of the account they reach (`programme_fen[village + 1]`), fen coming back to it count negative."""
    for i in range(fen.size):
        if frm[i] == public:
            programme_fen[account_village[to[i]] + 1] += fen[i]
        elif to[i] == public:
            programme_fen[account_village[frm[i]] + 1] -= fen[i]


def _post_households_many_numpy(balance: np.ndarray, fen: np.ndarray, other: np.ndarray, sign: int,
                                income_row: np.ndarray, received: np.ndarray,
                                scratch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    hh = np.flatnonzero(fen)
    signed = sign * fen[hh]
    balance[hh] += signed
    per_account = np.zeros(balance.size, np.int64)
    np.add.at(per_account, other[hh], fen[hh])
    balance -= sign * per_account
    for row in (income_row, received):
        if row.size:
            row[hh] += signed
    accounts = np.flatnonzero(per_account)
    return accounts, per_account[accounts]


@kernel(_post_households_many_numpy)
def post_households_many(balance: np.ndarray, fen: np.ndarray, other: np.ndarray, sign: int,
                         income_row: np.ndarray, received: np.ndarray,
                         scratch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Household i receives (sign +1) or pays (-1) fen[i] against its own account other[i] (one per household, e.g.
    its cooperative); the signed fen go to the source's income and received rows (each empty when the source has
    none). Returns the accounts paid against, ascending, and each one's total. `scratch` (zeros, one per account)
    sums the totals and is left zero."""
    touched = np.empty(fen.size, np.int64)
    n_touched = 0
    for i in range(fen.size):
        f = fen[i]
        if f == 0:
            continue
        a = other[i]
        balance[i] += sign * f
        balance[a] -= sign * f
        if income_row.size:
            income_row[i] += sign * f
        if received.size:
            received[i] += sign * f
        if scratch[a] == 0:  # amounts are positive: a zero total means not yet touched
            touched[n_touched] = a
            n_touched += 1
        scratch[a] += f
    accounts = np.sort(touched[:n_touched])
    totals = np.empty(n_touched, np.int64)
    for j in range(n_touched):
        totals[j] = scratch[accounts[j]]
        scratch[accounts[j]] = 0
    return accounts, totals
