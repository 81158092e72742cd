"""Public-welfare jobs (公益岗位, issue 14 item 3): paid village posts for registered-poor households with weak
labour — cleaners, forest and road keepers, river wardens — from the national programme's start year.

Each January, from `start_year`, every village fills up to `posts_per_village` posts, one per household:
holders keep theirs while they can still work; free posts go to registered-poor households whose labour at
home is weak (some labour, at most `max_labour_units_at_home` units: an old farmer, a parent kept home by
children), in a random order drawn every year. A post pays `pay_yuan_per_month` (wage income) from the
public account (`public_welfare_job_wage`, a public programme). With a funding scenario the
`public_welfare_jobs` line's yearly share funds that many posts across the villages in random rounds.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.declarations import FundingLine, Outcome
from sim.funding import fund_in_rounds
from sim.ledger import Source
from sim.policies.base import Policy
from sim.schema import NonNegative, Strict


class PublicWelfareJobsParams(Strict):
    """Sources in configs/village.yaml."""

    start_year: int = Field(default=2016, ge=1990, le=2100)
    posts_per_village: int = Field(default=10, ge=0)
    pay_yuan_per_month: NonNegative = 400
    max_labour_units_at_home: NonNegative = 1.0


class PublicWelfareJobs(Policy):
    """Public-welfare posts (公益岗位): who holds one, and their pay."""

    name = "public_welfare_jobs"
    Params = PublicWelfareJobsParams
    groups = ("national_programmes",)
    after = ("poverty_campaign",)  # with the national programmes, after the January assessments
    sources = (Source("public_welfare_job_wage", "wage", public_programme=True),)  # the posts' pay
    outcomes = (
        Outcome("public_welfare_posts", "posts", "Public-welfare posts held (公益岗位)", "公益岗位在岗人数", "stock"),
    )
    funding_line = FundingLine(
        "public_welfare_jobs", "yearly",
        "public-welfare posts (公益岗位) for registered-poor households with weak labour: the year's share funds "
        "posts at a year's pay each, villages in random rounds",
        ("public_welfare_job_wage",))

    def init(self) -> None:
        self.holder = np.zeros(self.model.hh.n, bool)

    def eligible(self) -> np.ndarray:
        hh = self.model.hh
        home = hh.labour_units - hh.migrant_units
        return hh.registered_poor & (home > 0) & (home <= self.p.max_labour_units_at_home)

    def year_start(self) -> None:
        m, p = self.model, self.p
        order_key = m.draw("public_welfare_jobs", lambda rng, k: rng.random(k))  # drawn every year (CRN)
        posts = fund_in_rounds(m.funder, "public_welfare_jobs", np.full(m.vill.n, p.posts_per_village),
                               12 * p.pay_yuan_per_month * m.price_index, m.streams["public_welfare_jobs_rounds"])
        if m.year < p.start_year:
            return
        eligible = self.eligible()
        self.holder &= eligible
        for v in range(m.vill.n):
            self.holder[m.village_slice(v)] = self._fill(self.holder[m.village_slice(v)],
                                                         eligible[m.village_slice(v)],
                                                         order_key[m.village_slice(v)], int(posts[v]))

    @staticmethod
    def _fill(holder: np.ndarray, eligible: np.ndarray, key: np.ndarray, posts: int) -> np.ndarray:
        """Holders keep their posts (up to `posts`); the rest go to eligible households in `key` order."""
        keep = holder.copy()
        keep[np.flatnonzero(keep)[posts:]] = False
        free = posts - int(keep.sum())
        waiting = np.flatnonzero(eligible & ~keep)
        keep[waiting[np.argsort(key[waiting], kind="stable")][:max(free, 0)]] = True
        return keep

    def pay(self) -> None:
        m = self.model
        m.ledger.pay_households(m.acct_public, self.holder * self.p.pay_yuan_per_month * m.price_index,
                                "public_welfare_job_wage")

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        hh, nv = self.model.hh, self.model.vill.n
        return {"public_welfare_posts": np.bincount(hh.village, weights=self.holder.astype(float), minlength=nv)}
