"""The loan book (sim/loans.py) forgets closed loans: compaction keeps the open ones in order, renumbers the rows
queued events hold, and a run's books stay the size of its open loans, not of its years."""

import numpy as np
from conftest import tiny

from sim.loans import LoanBook
from sim.model import VillageModel


def book_of_five() -> LoanBook:
    """Loans 0-4 of 100, 200, ... 500 fen to households 10-14; loans 1 and 3 repaid."""
    b = LoanBook(capacity=2)
    ids = b.add(household=np.arange(10, 15), village=np.zeros(5, np.int64), principal_fen=np.arange(1, 6) * 100,
                outstanding_fen=np.arange(1, 6) * 100, month=np.zeros(5, np.int64))
    b.open[[1, 3]] = False
    return b, ids


def test_compaction_keeps_the_open_loans_in_order_and_renumbers_queued_rows():
    b, ids = book_of_five()
    early, late = b.track(ids[:2]), b.track(ids[3:])  # rows 0, 1 and rows 3, 4 queued for later instalments
    gone = b.track(ids[[1, 3]])
    b.compact()
    assert b.n == 3
    assert b.household[: b.n].tolist() == [10, 12, 14]  # loans 0, 2, 4, in their order
    assert b.outstanding_fen[: b.n].tolist() == [100, 300, 500]
    assert b.open[: b.n].all()
    assert early.ids.tolist() == [0] and late.ids.tolist() == [2]  # loan 0 stays row 0, loan 4 is now row 2
    assert gone.ids.size == 0 and gone not in b._tracked  # a handle on closed loans only is forgotten
    new = b.add(household=np.array([20]), village=np.zeros(1, np.int64), principal_fen=np.array([7]),
                outstanding_fen=np.array([7]), month=np.zeros(1, np.int64))
    assert new.tolist() == [3]


def test_a_decade_of_mutual_aid_lending_leaves_only_open_loans_in_the_book():
    m = VillageModel(config=tiny({"policies": ["cooperative", "mutual_aid_credit"], "years": 10,
                                  "mutual_aid_credit.application_probability_per_year": 1.0}), rng=3)
    book = m.policy("mutual_aid_credit").book
    after = []  # (rows, open loans) right after each January's compaction
    compact = book.compact
    book.compact = lambda: (compact(), after.append((book.n, int(book.open[: book.n].sum()))))
    m.run()
    assert len(after) == 10 and all(rows == still_open for rows, still_open in after)
    issued = sum(row["loans_issued"] for row in m.history)
    assert issued > 3 * max(rows for rows, _ in after)  # the book holds a few of the loans ever made
