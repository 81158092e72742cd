"""Township instructors' posts (docs/model.md §3.8, §4; seed 002: 55 instructors sent to the organisations
without party members): an instructor is a paid post, and only funded posts are filled.

The party organisation rule sends an instructor to each active cooperative without party members
(sim/policies/party_organisation.py); this policy decides which of them get one, through the party
organisation's `set_instructor_allocator`. Without a funding scenario every one does. With one, the
`instructor_posts` line's yearly share funds `floor(share / pay_yuan_per_post_year)` posts for the year
(set at the year start); cooperatives that already have an instructor keep theirs, the others get the
posts left in cooperative order (lowest index first); cooperatives beyond them get no instructor, so
nobody there is cultivated. A post vacated during the year (the cooperative formed a group or branch,
or failed) can be filled again. Each post held in a month is paid `pay_yuan_per_post_year` / 12 from the
public account (`instructor_funding`) to the instructors' account of the cooperative's village (the
instructor is a township cadre, not a village household), so a post costs at most its yearly pay and
the line is never overspent.
"""

from __future__ import annotations

import numpy as np

from sim.declarations import FundingLine, Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.policies.party_organisation import PartyOrganisation
from sim.schema import NonNegative, Strict


class InstructorPostsParams(Strict):
    """Sources in configs/village.yaml."""

    pay_yuan_per_post_year: NonNegative = 12_000  # a township cadre's allowance for the post (assumption)


class InstructorPosts(Policy):
    name = "instructor_posts"
    Params = InstructorPostsParams
    requires = ("party_organisation",)  # it decides which organisations' instructors are funded
    after = ("party_organisation",)  # it decides which organisations' instructors are funded
    sources = (
        Source("instructor_funding", public_programme=True),  # township instructors' pay
    )
    outcomes = (
        Outcome("instructor_posts_funded", "posts", "Funded instructor posts held",
                "财政保障的党建指导员岗位", "stock"),
    )
    funding_line = FundingLine(
        "instructor_posts", "yearly",
        "township instructors' pay: the year's share funds that many posts; cooperatives beyond them get no instructor",
        ("instructor_funding",))

    def init(self) -> None:
        m = self.model
        nv = m.vill.n
        self.account = m.ledger.open_accounts([f"instructors:{v}" for v in range(nv)], range(nv))
        self.holder = np.zeros(m.coops.n, bool)  # cooperatives holding a funded instructor post
        self.capacity = np.inf  # posts funded this year
        self.required(PartyOrganisation).set_instructor_allocator(self.allocate)

    def year_start(self) -> None:
        m, p = self.model, self.p
        if m.funder.limited:
            share = m.funder.available("instructor_posts")
            self.capacity = float(np.floor(share / p.pay_yuan_per_post_year + 1e-9)) if p.pay_yuan_per_post_year > 0 \
                else np.inf
        self.required(PartyOrganisation).recount()

    def allocate(self, want: np.ndarray) -> np.ndarray:
        """Which of the cooperatives wanting an instructor get a post: holders first, then by index."""
        keep = self.holder & want
        if keep.sum() > self.capacity:
            keep[np.flatnonzero(keep)[int(self.capacity):]] = False
        free = self.capacity - keep.sum()
        new = np.flatnonzero(want & ~keep)
        if np.isfinite(free):
            new = new[: int(free)]
        keep[new] = True
        self.holder = keep
        return keep.copy()

    def pay(self) -> None:
        m, c = self.model, self.model.coops
        held = np.flatnonzero(self.holder)
        if held.size == 0:
            return
        monthly = np.floor(self.p.pay_yuan_per_post_year * 100 / 12) / 100
        m.ledger.transfer_many(m.acct_public, self.account[c.village[held]], monthly, "instructor_funding")

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        c, nv = self.model.coops, self.model.vill.n
        return {"instructor_posts_funded": np.bincount(c.village, weights=self.holder.astype(float), minlength=nv)
                if c.n else np.zeros(nv)}
