"""Project agency construction (docs/model.md §3.12, 项目代建; seed 001): small public works contracted to the
village's cooperative, whose construction team hires village labour, poor households with labour first.

Each year a village gets `projects_per_village_year` projects of `project_yuan` each (never over the
`project_cap_yuan` of seed 001); with a funding scenario the `project_agency` line's yearly share buys
projects, one per village per round, villages in a random order (`sim.funding.fund_in_rounds`). The
project's value goes from the public account to the village's first active cooperative (the contractor,
`project_funding`). The work runs `project_months` months from `start_month`:

- materials, `(1 - labour_share - fee_share - margin)` of the value, are bought from the market when the
  work starts (`project_materials`);
- `labour_share` of the value is the wage bill, spread evenly over the months; each month it buys days at
  `day_wage_yuan_per_day` from village households with free days (days left after their own farm,
  cooperative contracts and local wage work): households poor last year (registered poor in the first
  year) with labour first, then the others, each up to its free days (ties by household index). Paid
  as wages (`project_wage`); days nobody in the village could work are hired from outside
  (`project_outside_labour`, to the market);
- on completion `fee_share` of the value goes to the village committee as collective income
  (`project_fee`; it counts in `collective_income`, so a village with a project is no empty shell);
- the rest (`1 - materials - labour - fee`, i.e. the margin) stays with the cooperative: the value counts
  in its sales and the payments in its costs, so the margin is in its profit and is distributed;
- the finished work is a lasting asset (a road, an irrigation channel): it raises the village's own-farm
  yield by `yield_gain_per_project` for good, up to `asset_yield_gain_cap` (issue 14 item 4).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field, model_validator

from sim.declarations import FundingLine, Outcome
from sim.funding import fund_in_rounds
from sim.ledger import Source
from sim.policies.base import Policy
from sim.policies.cooperative import allocate_contracts
from sim.schema import Month, NonNegative, Positive, Share, Strict


class ProjectAgencyParams(Strict):
    """Sources in configs/village.yaml."""

    # seed 001: 15 projects built by 11 pilot cooperatives in about two years (~0.7 per cooperative-year)
    projects_per_village_year: int = Field(default=1, ge=0, le=50)
    # seed 001: projects under 300,000 yuan (its 15M yuan over 15 projects averages more: the county's
    # total includes larger works); assumption: a typical village road or irrigation job of 200,000 yuan
    project_yuan: NonNegative = 200_000
    project_cap_yuan: NonNegative = 300_000  # seed 001: 总投资30万元以下 contracted to the cooperative
    labour_share: Share = 0.3  # village labour's share of a small earthwork job (assumption: 25-35%)
    fee_share: Share = 0.05  # management fee to the village collective (assumption)
    margin_share: Share = 0.05  # the cooperative's margin (assumption); the rest is materials
    # docs/model.md §7: rural day wages ~60-100 yuan (2019-20), start-year prices; the bill is divided by it (not 0)
    day_wage_yuan_per_day: Positive = 80
    start_month: Month = 2  # month the work starts (0 = January): after the Spring Festival (assumption)
    project_months: int = Field(default=4, ge=1, le=12)  # assumption: a small job takes a season
    # the lasting asset (issue 14 item 4): a finished road or irrigation job raises the village's own-farm yield
    yield_gain_per_project: NonNegative = 0.01
    asset_yield_gain_cap: NonNegative = 0.1

    @model_validator(mode="after")
    def _consistent(self) -> ProjectAgencyParams:
        if self.project_yuan > self.project_cap_yuan:
            raise ValueError(f"project_yuan {self.project_yuan:,.0f} is over project_cap_yuan "
                             f"{self.project_cap_yuan:,.0f} (seed 001: only works under the cap are contracted)")
        if self.labour_share + self.fee_share + self.margin_share > 1 + 1e-12:
            raise ValueError("labour_share + fee_share + margin_share must not exceed 1 (the rest is materials)")
        if self.start_month + self.project_months > 12:
            raise ValueError("the work must end within the year: start_month + project_months <= 12")
        return self


class ProjectAgency(Policy):
    name = "project_agency"
    Params = ProjectAgencyParams
    requires = ("cooperative",)  # the cooperative's construction team builds the projects
    after = ("cooperative",)  # after the cooperatives' year start, which clears their year's accounts
    sources = (
        Source("project_funding", public_programme=True),  # a public works project's value, to the contractor
        Source("project_materials"),  # a public works project's materials, bought by the contracting cooperative
        Source("project_wage", "wage"),  # village households' days on a project
        Source("project_outside_labour"),  # project days nobody in the village could work, hired from outside
        Source("project_fee"),  # the project's fee to the village committee (collective income)
    )
    outcomes = (
        Outcome("projects", "projects", "Public works projects built by cooperatives", "合作社代建项目", "flow"),
        Outcome("project_wages_yuan", "yuan/year", "Wages paid to villagers on public works projects",
                "代建项目村民务工工资", "flow"),
        Outcome("project_fees_yuan", "yuan/year", "Public works fees to the village collective",
                "代建项目村集体管理费", "flow"),
    )
    funding_line = FundingLine(
        "project_agency", "yearly",
        "small public works contracted to cooperatives: the year's share buys projects of project_yuan each, "
        "villages in random order",
        ("project_funding",))

    def init(self) -> None:
        nv = self.model.vill.n
        self.projects = np.zeros(nv, np.int64)  # this year's projects per village
        self.contractor = np.full(nv, -1, np.int64)  # the cooperative building them
        self.wages_year = np.zeros(nv)
        self.fees_year = np.zeros(nv)

    def year_start(self) -> None:
        m, c, p = self.model, self.model.coops, self.p
        nv = m.vill.n
        self.wages_year, self.fees_year = np.zeros(nv), np.zeros(nv)
        self.contractor[:] = -1
        for k in np.flatnonzero(c.active)[::-1]:  # the village's first active cooperative contracts
            self.contractor[c.village[k]] = k
        wanted = np.where(self.contractor >= 0, p.projects_per_village_year, 0)
        self.projects = fund_in_rounds(m.funder, "project_agency", wanted, p.project_yuan,
                                       m.streams["project_agency"])
        on = np.flatnonzero(self.projects)
        value = self.projects[on] * p.project_yuan
        acct = c.account[self.contractor[on]]
        m.ledger.transfer_many(m.acct_public, acct, value, "project_funding")
        c.sales_year[self.contractor[on]] += value
        self._value = np.zeros(nv)
        self._value[on] = value
        self._wage_fen_paid = np.zeros(nv, np.int64)

    # -- the work months --------------------------------------------------------------------------------
    def pay(self) -> None:
        m, p = self.model, self.p
        mo = m.month_of_year
        if not (p.start_month <= mo < p.start_month + p.project_months) or not self.projects.any():
            return
        c, hh, led = m.coops, m.hh, m.ledger
        on = np.flatnonzero(self.projects)
        k = self.contractor[on]
        if mo == p.start_month:
            materials = self._value[on] * (1 - p.labour_share - p.fee_share - p.margin_share)
            c.cost_year[k] += led.transfer_many(c.account[k], m.acct_market, materials, "project_materials") / 100
        # this month's wage bill (the last month takes what rounding left)
        bill_fen = np.rint(self._value[on] * p.labour_share * 100).astype(np.int64)
        last = mo == p.start_month + p.project_months - 1
        month_fen = bill_fen - self._wage_fen_paid[on] if last else bill_fen // p.project_months
        self._wage_fen_paid[on] += month_fen
        day_wage = p.day_wage_yuan_per_day * m.price_index
        wage = np.zeros(hh.n)
        free = self._free_days()
        poor = hh.poor  # last year's classification (the registered poor in the first year)
        for i, v in enumerate(on):
            sl = m.village_slice(int(v))
            cand = sl.start + np.flatnonzero(free[sl] > 0)
            days = allocate_contracts(month_fen[i] / 100 / day_wage, cand, free[cand], np.where(poor[cand], 0, 1))
            wage[cand] = np.floor(days * day_wage * 100) / 100
        paid = led.pay_households(c.account[np.maximum(self.contractor[hh.village], 0)], wage, "project_wage")
        if paid:
            by_village = np.bincount(hh.village, weights=np.rint(wage * 100), minlength=m.vill.n)[on].astype(np.int64)
        else:
            by_village = np.zeros(on.size, np.int64)
        self.wages_year[on] += by_village / 100
        outside = led.transfer_many(c.account[k], m.acct_market, (month_fen - by_village) / 100,
                                    "project_outside_labour")
        c.cost_year[k] += (by_village + outside) / 100
        if last:
            fee = self._value[on] * p.fee_share
            moved = led.transfer_many(c.account[k], m.vill.account[on], fee, "project_fee") / 100
            c.cost_year[k] += moved
            self.fees_year[on] += moved
            m.vill.collective_income_year[on] += moved
            gain = m.vill.asset_yield_gain[on] + p.yield_gain_per_project * self.projects[on]
            cap = np.maximum(m.vill.asset_yield_gain[on], p.asset_yield_gain_cap)
            m.vill.asset_yield_gain[on] = np.minimum(gain, cap)

    def _free_days(self) -> np.ndarray:
        """Each household's days this month not taken by its own farm, contracts or local wage work."""
        m = self.model
        spare = m.hh.spare_days
        local = np.where(m.economy.employed, spare * m.config.economy.local_work_share_of_spare_days, 0.0)
        return np.maximum(spare - local, 0.0) * (m.hh.local_labour_units > 0)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        return {"projects": self.projects.astype(float), "project_wages_yuan": self.wages_year.copy(),
                "project_fees_yuan": self.fees_year.copy()}
