"""The household economy (MODEL.md §3.1): labour, own farm, local and migrant work, illness, transfers, consumption.

Always on: with every switchable policy off, this alone is the no-cooperative baseline.
The monthly update is written as array operations over all households.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.policies.base import Policy
from sim.schema import Dist, Lognormal, NonNegative, Share, ShiftedPoisson, Strict


class PovertyLine(Strict):
    """The national rural poverty line, yuan per person per year (current prices)."""

    yuan_per_person_year: dict[int, float] = Field(
        default_factory=lambda: {
            # 2,300 yuan at 2010 prices, published in current prices (NBS poverty monitoring reports);
            # MODEL.md: ~2,800 in 2014 and ~4,000 nominal in 2020.
            2010: 2300, 2011: 2536, 2012: 2625, 2013: 2736, 2014: 2800, 2015: 2855,
            2016: 2952, 2017: 2952, 2018: 2995, 2019: 3218, 2020: 4000,
        }
    )
    growth_per_year_after_table: float = Field(default=0.02, ge=-0.5, le=0.5)

    def for_year(self, year: int) -> float:
        table = self.yuan_per_person_year
        if year in table:
            return float(table[year])
        years = sorted(table)
        if year < years[0]:
            return float(table[years[0]])
        last = max(y for y in years if y <= year)
        return float(table[last] * (1 + self.growth_per_year_after_table) ** (year - last))


class EconomyParams(Strict):
    own_line: str = "grain"
    work_days_per_labour_unit_month: float = Field(default=22, gt=0, le=31)
    local_employment_probability_per_month: Share = 0.35
    local_work_share_of_spare_days: Share = 0.5
    local_wage_yuan_per_day: NonNegative = 75
    remittance_yuan_per_migrant_month: NonNegative = 900
    illness_rate_per_household_year: float = Field(default=0.08, ge=0, le=5)
    illness_spell_months: Dist = Field(default_factory=lambda: ShiftedPoisson(mean=5, offset=1, high=36))
    medical_yuan_per_month: Dist = Field(default_factory=lambda: Lognormal(mean=1200, sd=1200))
    insurance_reimbursement_rate: Share = 0.5
    social_assistance_yuan_per_person_month: NonNegative = 250
    farm_subsidy_yuan_per_mu_year: NonNegative = 100
    subsistence_yuan_per_person_month: NonNegative = 300
    consumption_share_of_savings_per_month: Share = 0.03
    household_yield_sd: float = Field(default=0.15, ge=0, le=2)
    # wages, prices, transfers and costs grow together in nominal terms
    nominal_growth_per_year: float = Field(default=0.07, ge=-0.5, le=0.5)


def lognormal_shock(rng: np.random.Generator, sd: float, n: int | None = None) -> np.ndarray:
    """Mean-one lognormal shocks with the given standard deviation of the log."""
    return rng.lognormal(-sd * sd / 2, sd, n)


def household_month(
    local_labour_units: np.ndarray,
    own_farm_mu: np.ndarray,
    farm_days_per_mu_month: float,
    work_days_per_unit: float,
    contract_days: np.ndarray,
    employed: np.ndarray,
    work_share: float,
    wage_per_day: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One month's labour allocation for every household at once.

    Returns (farm effort 0..1, contract days worked, local wage yuan, spare days left).
    The own farm comes first, then cooperative contracts, then local wage work when
    employed. The per-agent twin of this function lives in benchmarks/ to prove both agree.
    """
    avail = local_labour_units * work_days_per_unit
    need = own_farm_mu * farm_days_per_mu_month
    effort = np.where(need > 0, np.minimum(1.0, avail / np.where(need > 0, need, 1.0)), 1.0)
    spare = np.maximum(avail - need, 0.0)
    worked = np.minimum(contract_days, spare)
    spare = spare - worked
    wage = np.where(employed, spare * work_share * wage_per_day, 0.0)
    return effort, worked, wage, spare


class Economy(Policy):
    """The baseline household economy. Owns the illness, yield and labour random streams."""

    name = "economy"

    def init(self) -> None:
        m, hh, p = self.model, self.model.hh, self.p
        self.line = m.config.lines[p.own_line]
        n = hh.n
        self.farm_days_per_mu_month = self.line.labour_days_per_mu_year / 12
        self.harvest_share = 1.0 / len(self.line.harvest_months)
        self.shock = np.ones(n)  # this year's own-farm yield x price shock
        self.harvest_due = False
        self.contract_days = np.zeros(n)  # set by cooperatives each month
        self.contract_worked_days = np.zeros(n)
        self.employed = np.zeros(n, bool)
        # households ill at the start: a spell drawn now, recovery scheduled
        rng = m.streams["illness_initial"]
        ill0 = rng.random(n) < m.config.village.initial_ill_share
        spells = p.illness_spell_months.draw(rng, n).astype(np.int64)
        cost = p.medical_yuan_per_month.draw(rng, n)
        self._start_spells(np.flatnonzero(ill0), spells, cost)

    # -- baseline identification ---------------------------------------------------------------
    def expected_income_per_capita(self) -> np.ndarray:
        """Assessed annual income per person at the start, without shocks: the basis of registration (建档立卡)."""
        hh, p = self.model.hh, self.p
        months = 12.0
        units = hh.local_labour_units
        avail = units * p.work_days_per_labour_unit_month
        need = hh.land_mu * self.farm_days_per_mu_month
        effort = np.where(need > 0, np.minimum(1.0, avail / np.where(need > 0, need, 1.0)), 1.0)
        spare = np.maximum(avail - need, 0.0)
        farm = hh.land_mu * (self.line.revenue_yuan_per_mu_year - self.line.cost_yuan_per_mu_year) * hh.skill * effort
        wage = (spare * p.local_work_share_of_spare_days * p.local_wage_yuan_per_day
                * p.local_employment_probability_per_month * months)
        remit = hh.migrant_units * p.remittance_yuan_per_migrant_month * months
        transfer = (hh.labour_units == 0) * hh.persons * p.social_assistance_yuan_per_person_month * months
        transfer = transfer + hh.land_mu * p.farm_subsidy_yuan_per_mu_year
        medical = hh.ill * hh.medical_yuan_per_month * (1 - p.insurance_reimbursement_rate) * months
        return (farm + wage + remit + transfer - medical) / hh.persons

    # -- illness: dated events -------------------------------------------------------------------
    def _start_spells(self, idx: np.ndarray, spells: np.ndarray, cost: np.ndarray) -> None:
        hh, cal = self.model.hh, self.model.calendar
        idx = idx[~hh.ill[idx]]
        if idx.size == 0:
            return
        now = cal.month
        hh.ill[idx] = True
        hh.ill_this_year[idx] = True
        hh.ill_until[idx] = now + spells[idx]
        hh.medical_yuan_per_month[idx] = cost[idx]
        for end in np.unique(hh.ill_until[idx]):
            cal.at(int(end), lambda end=int(end): self._recover(end))

    def _recover(self, month: int) -> None:
        hh = self.model.hh
        done = hh.ill & (hh.ill_until == month)
        hh.ill[done] = False
        hh.ill_until[done] = -1
        hh.medical_yuan_per_month[done] = 0.0

    def year_start(self) -> None:
        """Draw the year's illness onsets and yield shocks (fixed-size draws: CRN-safe)."""
        m, hh, p, n = self.model, self.model.hh, self.p, self.model.hh.n
        rng = m.streams["illness"]
        p_onset = 1.0 - np.exp(-p.illness_rate_per_household_year)
        onset = rng.random(n) < p_onset
        onset_month = rng.integers(0, 12, n)
        spells = p.illness_spell_months.draw(rng, n).astype(np.int64)
        cost = p.medical_yuan_per_month.draw(rng, n)
        hh.ill_this_year[:] = hh.ill
        for mo in range(12):
            idx = np.flatnonzero(onset & (onset_month == mo))
            if idx.size:
                m.calendar.at(m.month + mo, lambda idx=idx: self._start_spells(idx, spells, cost))
        yr = m.streams["yield"]
        line_shock = lognormal_shock(yr, self.line.yield_sd) * lognormal_shock(yr, self.line.price_sd)
        self.shock = line_shock * lognormal_shock(yr, p.household_yield_sd, n)
        hh.farm_effort_sum[:] = 0.0
        for mo in self.line.harvest_months:
            m.calendar.at(m.month + mo, self._harvest)
        m.ledger.pay_households(m.acct_public, hh.land_mu * p.farm_subsidy_yuan_per_mu_year * m.price_index,
                                "farm_subsidy")

    def _harvest(self) -> None:
        self.harvest_due = True

    # -- monthly ------------------------------------------------------------------------------
    def labour(self) -> None:
        m, hh, p = self.model, self.model.hh, self.p
        self.employed = m.streams["labour"].random(hh.n) < p.local_employment_probability_per_month
        self.contract_days[:] = 0.0  # cooperatives add their contracts in their own labour hook

    def produce(self) -> None:
        """Split the month's labour (own farm, contracts, local work) and sell the own-farm harvest."""
        m, hh, p = self.model, self.model.hh, self.p
        effort, worked, wage, spare = household_month(
            hh.local_labour_units, hh.own_farm_mu, self.farm_days_per_mu_month,
            p.work_days_per_labour_unit_month, self.contract_days, self.employed,
            p.local_work_share_of_spare_days, p.local_wage_yuan_per_day * m.price_index,
        )
        hh.farm_effort_sum += effort
        self.contract_worked_days, self.local_wage, hh.spare_days = worked, wage, spare
        if self.harvest_due:
            self.harvest_due = False
            mean_effort = hh.farm_effort_sum / (m.month_of_year + 1)
            net = (self.line.revenue_yuan_per_mu_year - self.line.cost_yuan_per_mu_year) * m.price_index
            sales = hh.own_farm_mu * net * hh.skill * self.shock * mean_effort * self.harvest_share
            m.ledger.pay_households(m.acct_market, np.maximum(sales, 0.0), "farm_sales")

    def pay(self) -> None:
        m, hh, p, led = self.model, self.model.hh, self.p, self.model.ledger
        index = m.price_index
        led.pay_households(m.acct_employers, self.local_wage, "local_wage")
        led.pay_households(m.acct_employers, hh.migrant_units * p.remittance_yuan_per_migrant_month * index,
                           "remittance")
        no_labour = hh.labour_units == 0
        led.pay_households(m.acct_public, no_labour * hh.persons * p.social_assistance_yuan_per_person_month * index,
                           "social_assistance")
        medical = hh.ill * hh.medical_yuan_per_month * index
        led.charge_households(medical, m.acct_health, "medical_cost")
        led.pay_households(m.acct_public, medical * p.insurance_reimbursement_rate, "medical_reimbursement")
        balance = led.household_balance_yuan
        spend = hh.persons * p.subsistence_yuan_per_person_month * index
        spend = spend + p.consumption_share_of_savings_per_month * np.maximum(balance - spend, 0.0)
        led.charge_households(spend, m.acct_market, "consumption")
