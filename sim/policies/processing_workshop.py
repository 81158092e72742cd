"""Village processing workshops (车间进村; issue 15, item 2; seed 000: cooperatives with a processing base build
workshops in the villages, "extending the industrial chain"; 5 new workshops by 2017): each cooperative processes
part of its crop in a workshop in its village, which adds value and gives villagers work at their door.

- Building: in the first January the public purse pays `construction_cost_yuan` for each cooperative's workshop
  (`workshop_construction`, a public programme on the `processing_workshop` funding line; paid on to the builders).
  Without the money (a funding scenario that cannot pay) a cooperative has no workshop.
- Processing: in each harvest month the workshop processes `processed_share` of the crop the cooperative harvests;
  the processed product sells for `value_added_share` more than the raw crop (`workshop_sales`, the cooperative's
  other income); materials and energy cost `processing_cost_share` of the raw value processed.
- Jobs: processing needs `labour_days_per_thousand_yuan` per 1,000 yuan (start-year prices) of raw crop processed,
  offered that month to
  village households, registered-poor first (then by household), each up to `days_per_labour_unit_month` per
  labour unit at home, worked from spare days like a contract and paid `wage_yuan_per_day` (`workshop_wage`);
  days nobody in the village works are hired from outside at the same wage.
"""

from __future__ import annotations

import numpy as np

from sim.declarations import FundingLine, Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.policies.cooperative import Cooperatives, allocate_contracts
from sim.schema import NonNegative, Share, Strict


class ProcessingWorkshopParams(Strict):
    """Sources in configs/village.yaml (`processing_workshop:`)."""

    construction_cost_yuan: NonNegative = 300_000
    processed_share: Share = 0.5
    value_added_share: NonNegative = 0.3
    processing_cost_share: Share = 0.1
    labour_days_per_thousand_yuan: NonNegative = 2.0
    days_per_labour_unit_month: NonNegative = 10
    wage_yuan_per_day: NonNegative = 70


class ProcessingWorkshop(Policy):
    name = "processing_workshop"
    Params = ProcessingWorkshopParams
    requires = ("cooperative",)
    after = ("cooperative", "wage_contracting", "lease_back")  # its days come after the other contracts
    sources = (
        Source("workshop_construction", public_programme=True),
        Source("workshop_sales"),  # the value processing adds to the raw crop
        Source("workshop_cost"),
        Source("workshop_wage", "wage"),
    )
    outcomes = (
        Outcome("workshops", "workshops", "Village processing workshops", "村级加工车间", "stock"),
        Outcome("workshop_value_added_yuan", "yuan/year", "Value added by village workshops", "加工车间增值",
                "flow"),
        Outcome("workshop_wages_yuan", "yuan/year", "Workshop wages paid to villagers", "加工车间村民工资", "flow"),
    )
    funding_line = FundingLine(
        "processing_workshop", "start", "building each cooperative's village processing workshop (车间进村)",
        ("workshop_construction",))

    def init(self) -> None:
        m, c, nv = self.model, self.model.coops, self.model.vill.n
        self.has_workshop = np.zeros(c.n, bool)
        self.built_fen = np.zeros(c.n, np.int64)
        self.raw_month = np.zeros(c.n)
        self.days, self.day_coop, self.need = np.zeros(m.hh.n), np.full(m.hh.n, -1, np.int64), np.zeros(c.n)
        self.added_year, self.wages_year = np.zeros(nv), np.zeros(nv)

    def year_start(self) -> None:
        m, c = self.model, self.model.coops
        self.added_year, self.wages_year = np.zeros(m.vill.n), np.zeros(m.vill.n)
        if m.year_index > 0:
            return
        cost = np.full(c.n, self.p.construction_cost_yuan * m.price_index)
        self.has_workshop = c.active & m.funder.fit("processing_workshop", cost)
        build = np.where(self.has_workshop, cost, 0.0)
        self.built_fen = m.ledger.transfer_many(m.acct_public, c.account, build, "workshop_construction")
        m.ledger.transfer_many(c.account, m.acct_market, self.built_fen / 100, "workshop_construction")

    def labour(self) -> None:
        """This month's raw crop to process, and the days it needs, offered to villagers."""
        m, c, hh, p = self.model, self.model.coops, self.model.hh, self.p
        lines = m.config.crop_lines
        now = np.array([m.month_of_year in lines[name].harvest_months for name in c.line])
        parts = np.array([len(lines[name].harvest_months) for name in c.line], np.float64)
        revenue = np.array([lines[name].revenue_yuan_per_mu_year for name in c.line])
        land = self.required(Cooperatives).land_mu()
        raw = land * revenue * m.price_index * c.shock * c.productivity / parts  # the cooperative's harvest (produce)
        self.raw_month = np.where(self.has_workshop & c.active & now, raw * p.processed_share, 0.0)
        need = self.raw_month / m.price_index / 1000 * p.labour_days_per_thousand_yuan  # per 1,000 start-year yuan
        room = np.maximum(hh.local_labour_units, 0.0) * p.days_per_labour_unit_month
        self.days, self.day_coop = np.zeros(hh.n), np.full(hh.n, -1, np.int64)
        for k in np.flatnonzero(need > 0).tolist():  # one workshop's days per household a month
            sl = m.village_slice(c.village[k])
            cand = sl.start + np.flatnonzero((room[sl] > 0) & (self.day_coop[sl] < 0))
            self.days[cand] = allocate_contracts(need[k], cand, room[cand], np.where(hh.registered_poor[cand], 0, 1))
            self.day_coop[cand[self.days[cand] > 0]] = k
        self.need = need
        m.economy.contract_days += self.days

    def pay(self) -> None:
        """Sell the processed product's added value; pay materials, the villagers' days and the hired rest."""
        m, c, hh, led, p = self.model, self.model.coops, self.model.hh, self.model.ledger, self.p
        if not self.raw_month.any():
            return
        worked = np.zeros(hh.n)
        np.divide(m.economy.contract_worked_days, m.economy.contract_days, out=worked, where=self.days > 0)
        wage = p.wage_yuan_per_day * m.price_index
        on = self.day_coop >= 0
        pay = np.where(on, np.rint(self.days * worked * wage * 100) / 100, 0.0)
        led.pay_households(c.account[np.maximum(self.day_coop, 0)], pay, "workshop_wage")
        by_coop = np.bincount(self.day_coop[on], weights=pay[on], minlength=c.n)
        added = led.transfer_many(m.acct_market, c.account, self.raw_month * p.value_added_share,
                                  "workshop_sales") / 100
        hired = np.maximum(self.need * wage - by_coop, 0.0)
        cost = led.transfer_many(c.account, m.acct_market, self.raw_month * p.processing_cost_share + hired,
                                 "workshop_cost") / 100
        c.other_income_year += added
        c.cost_year += cost
        c.wages_year += by_coop
        self.added_year += np.bincount(c.village, weights=added, minlength=m.vill.n)
        self.wages_year += np.bincount(hh.village, weights=pay, minlength=m.vill.n)

    def close_accounts(self) -> None:
        """For the cooperative's pro-forma profit (coop_life): what its workshop nets on a year's harvest at a shock
        of one, the added value less materials and the processing days' wages."""
        m, c, p = self.model, self.model.coops, self.p
        revenue = np.array([m.config.crop_lines[name].revenue_yuan_per_mu_year for name in c.line])
        raw = self.required(Cooperatives).land_mu() * revenue * c.productivity * m.price_index * p.processed_share
        wages_share = p.labour_days_per_thousand_yuan * p.wage_yuan_per_day / 1000
        net_share = p.value_added_share - p.processing_cost_share - wages_share
        c.expected_other_income_yuan += np.where(self.has_workshop, raw * net_share, 0.0)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        c, nv = self.model.coops, self.model.vill.n
        return {"workshops": np.bincount(c.village, weights=self.has_workshop & c.active, minlength=nv),
                "workshop_value_added_yuan": self.added_year.copy(),
                "workshop_wages_yuan": self.wages_year.copy()}
