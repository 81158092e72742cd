"""The household economy (docs/model.md §3.1): labour, own farm, local and migrant work, illness, farm subsidy,
the budget.

Means-tested assistance is not here: the national programmes (dibao, tekun) are policies of their own.

Always on: with every switchable policy off, this alone is the no-cooperative baseline.
The monthly update is written as array operations over all households.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.kernels import kernel
from sim.ledger import INCOME_CATEGORIES, Source
from sim.policies.base import Policy
from sim.policies.demography import Demography
from sim.policies.health import Health
from sim.policies.household_budget import HouseholdBudget
from sim.policies.household_business import HouseholdBusiness
from sim.schema import NonNegative, Positive, Share, Strict, yearly_value

# The national rural poverty line (现行农村贫困标准): 2,300 yuan per person per year at 2010 prices, in each
# year's current prices as published in NBS's China Rural Poverty Monitoring Report (中国农村贫困监测报告)
# and its yearly statistical communiqués (2014: 2,800; 2015: 2,855; 2016: 2,952; 2017: 2,952; 2018: 2,995;
# 2019: 3,218). NBS re-prices the line with the price index of rural low-income households; no 2020 value on
# that basis appears in the monitoring reports, so 2020 carries 2019's line forward by the rural CPI of 2020
# (+3.0%, NBS 2020 statistical communiqué): 3,218 x 1.030 = 3,315 (derived here; an assumption about the index).
NBS_2010_PRICES: dict[int, float] = {
    2010: 2300, 2011: 2536, 2012: 2625, 2013: 2736, 2014: 2800, 2015: 2855,
    2016: 2952, 2017: 2952, 2018: 2995, 2019: 3218, 2020: 3315,
}
# The "about 4,000 yuan" of 2020 quoted in speeches and the press is a round figure on another basis (it is not
# the 2019 line re-priced: that would need +24% in a year of 3% rural inflation). Offered only by name.
POVERTY_LINE_TABLES: dict[str, dict[int, float]] = {
    "nbs_2010_prices": NBS_2010_PRICES,
    "announced_2020": {**NBS_2010_PRICES, 2020: 4000},
}


class PovertyLine(Strict):
    """The national rural poverty line, yuan per person per year (current prices): a named table
    (`table`, one of POVERTY_LINE_TABLES) or the year -> yuan table given here; after the table's last
    year it grows by `growth_per_year_after_table`."""

    table: Literal["nbs_2010_prices", "announced_2020"] | None = None
    # positive and at least one year: a line of 0 or below would make everyone non-poor
    yuan_per_person_year: dict[int, Positive] = Field(min_length=1, default_factory=lambda: dict(NBS_2010_PRICES))
    growth_per_year_after_table: float = Field(default=0.02, ge=-0.5, le=0.5)

    def values(self) -> dict[int, float]:
        return POVERTY_LINE_TABLES[self.table] if self.table else self.yuan_per_person_year

    def for_year(self, year: int) -> float:
        return yearly_value(self.values(), year, self.growth_per_year_after_table)


class EconomyParams(Strict):
    own_line: str = "mixed_farm"
    work_days_per_labour_unit_month: float = Field(default=22, gt=0, le=31)
    local_employment_probability_per_month: Share = 0.72
    # households differ lastingly in finding local work (age, schooling, contacts): each household's monthly chance
    # is drawn once, Beta with the mean above and this concentration (a + b); 0: every household the same chance
    local_employment_concentration: NonNegative = 3.8
    local_work_share_of_spare_days: Share = 0.8
    local_wage_yuan_per_day: NonNegative = 108
    remittance_yuan_per_migrant_month: NonNegative = 1270  # a migrant with dependants at home, start year
    farm_subsidy_yuan_per_mu_year: NonNegative = 100
    household_yield_sd: float = Field(default=0.15, ge=0, le=2)
    # wages, prices, transfers and costs grow together in nominal terms
    nominal_growth_per_year: float = Field(default=0.077, ge=-0.5, le=0.5)


def lognormal_shock(rng: np.random.Generator, sd: float, n: int | None = None) -> np.ndarray:
    """Mean-one lognormal shocks with the given standard deviation of the log."""
    return np.asarray(rng.lognormal(-sd * sd / 2, sd, n))


@dataclass(frozen=True)
class MonthRates:
    """This month's prices and rates for the household update (nominal yuan)."""

    farm_days_per_mu_month: float
    work_days_per_unit: float
    work_share: float
    wage_per_day: float


def household_month(
    local_labour_units: np.ndarray, own_farm_mu: np.ndarray, contract_days: np.ndarray, employed: np.ndarray,
    persons: np.ndarray, labour_units: np.ndarray, remittance: np.ndarray, medical_per_month: np.ndarray,
    r: MonthRates,
) -> dict[str, np.ndarray]:
    """One month of every household at once: labour split and the month's money, in yuan.

    The own farm comes first, then cooperative contracts, then local wage work when
    employed. `medical_per_month` is zero for households that are well. Consumption
    is settled at the month's end by the household budget. The per-agent twin of this
    function (benchmarks/per_agent.py) proves both give the same numbers.
    """
    effort, worked, spare, wage = _labour_split(
        np.asarray(local_labour_units, np.float64), np.asarray(own_farm_mu, np.float64),
        np.asarray(contract_days, np.float64), np.asarray(employed, np.bool_), float(r.farm_days_per_mu_month),
        float(r.work_days_per_unit), float(r.work_share), float(r.wage_per_day))
    return {"effort": effort, "contract_worked_days": worked, "spare_days": spare, "local_wage": wage,
            "remittance": remittance, "medical_cost": medical_per_month}


def _labour_split_numpy(local_labour_units, own_farm_mu, contract_days, employed, farm_days_per_mu_month,
                        work_days_per_unit, work_share, wage_per_day):
    avail = local_labour_units * work_days_per_unit
    need = own_farm_mu * farm_days_per_mu_month
    # full effort where the farm needs no more than the labour at home (dividing only where it needs more:
    # no overflow for a vanishingly small farm)
    effort = np.divide(avail, need, out=np.ones_like(avail, dtype=np.float64), where=need > avail)
    spare = np.maximum(avail - need, 0.0)
    worked = np.minimum(contract_days, spare)
    spare = spare - worked
    return effort, worked, spare, np.where(employed, spare * work_share * wage_per_day, 0.0)


@kernel(_labour_split_numpy)
def _labour_split(local_labour_units, own_farm_mu, contract_days, employed, farm_days_per_mu_month,
                  work_days_per_unit, work_share, wage_per_day):
    """`household_month`'s labour split and local wage, one household at a time."""
    n = local_labour_units.size
    effort, worked, spare, wage = np.ones(n), np.empty(n), np.empty(n), np.zeros(n)
    for i in range(n):
        avail = local_labour_units[i] * work_days_per_unit
        need = own_farm_mu[i] * farm_days_per_mu_month
        if need > avail:
            effort[i] = avail / need
        free = max(avail - need, 0.0)
        worked[i] = min(contract_days[i], free)
        spare[i] = free - worked[i]
        if employed[i]:
            wage[i] = spare[i] * work_share * wage_per_day
    return effort, worked, spare, wage


_CATEGORY_ZH = {"farm": "农业经营", "wage": "工资", "dividend": "分红", "remittance": "外出务工汇款",
                "transfer": "转移支付", "assistance": "帮扶救助", "medical": "医疗支出", "interest": "利息支出"}


class Economy(Policy):
    """The baseline household economy. Owns the illness, yield and labour random streams."""

    name = "economy"
    Params = EconomyParams
    always_on = True
    sources = (
        Source("opening_balance"),
        Source("farm_sales", "farm"),
        Source("farm_subsidy", "transfer"),
        Source("local_wage", "wage"),
        Source("remittance", "remittance"),
        Source("medical_cost", "medical"),
        Source("consumption"),
    )
    # computed for every run by sim/metrics.py (poverty, income, the collective, public money, the ledger)
    outcomes = (
        Outcome("poverty_headcount_ratio", "share of persons", "Poverty headcount ratio", "贫困发生率", "ratio"),
        Outcome("poverty_headcount_ratio_registered", "share of persons", "Registered poor still poor",
                "建档立卡人口仍贫困比例", "ratio"),
        Outcome("poverty_gap_index", "index", "Poverty gap index (FGT1)", "贫困距指数", "ratio"),
        # FGT2, person-years, the registered poor's income, public yuan per yuan gained (sim/poverty.py)
        Outcome("poverty_severity_index", "index", "Poverty severity index (FGT2)", "贫困强度指数(FGT2)", "ratio"),
        Outcome("poverty_person_years", "person-years", "Persons in poor households this year", "当年贫困人年数",
                "flow"),  # its run total is poverty_person_years_total
        Outcome("poverty_person_years_total", "person-years", "Poverty person-years since the start",
                "累计贫困人年数", "stock"),
        Outcome("mean_income_per_capita_registered", "yuan/person/year", "Income per capita of the registered poor",
                "建档立卡户人均收入", "ratio"),
        Outcome("income_gained_by_registered_poor_total", "yuan",
                "Income gained by the registered poor since the start", "建档立卡户累计增收", "stock"),
        Outcome("public_yuan_per_yuan_gained_by_poor", "yuan/yuan",
                "Public programme yuan per yuan gained by the registered poor", "每元贫困户增收的财政扶贫投入",
                "ratio"),
        Outcome("poor_households", "households", "Poor households", "贫困户数", "stock"),
        Outcome("households_lifted", "households", "Households lifted this year", "当年脱贫户数", "flow"),
        Outcome("households_returned_to_poverty", "households", "Households returned to poverty", "返贫户数", "flow"),
        Outcome("households_lifted_since_start", "households", "Households lifted since the start", "累计脱贫户数",
                "stock"),
        Outcome("mean_income_per_capita", "yuan/person/year", "Mean disposable income per capita", "人均可支配收入",
                "ratio"),
        *[Outcome(f"income_per_capita_{c}", "yuan/person/year", f"Income per capita: {c}",
                  f"人均收入:{_CATEGORY_ZH[c]}", "ratio") for c in INCOME_CATEGORIES],
        Outcome("gini", "index", "Gini coefficient of income per capita", "人均收入基尼系数", "ratio"),
        Outcome("collective_income", "yuan/year", "Village collective income", "村集体收入", "flow"),
        Outcome("empty_shell_villages", "villages", "Empty-shell villages", "空壳村", "stock"),
        Outcome("public_spending", "yuan/year", "Public programme spending", "财政扶贫投入", "flow"),
        Outcome("public_spending_total", "yuan", "Public programme spending since the start", "累计财政扶贫投入",
                "stock"),
        Outcome("public_transfers", "yuan/year", "Public transfers and reimbursements", "公共转移支付", "flow"),
        Outcome("public_cost_per_household_lifted", "yuan/household", "Public cost per household lifted",
                "每脱贫户财政成本", "ratio"),
        Outcome("ledger_imbalance", "yuan", "Ledger imbalance", "账目不平衡", "stock"),
        Outcome("elite_capture_share", "share",
                "Share of cooperative payouts and leakage to the top income decile and leaders",
                "合作社分配与流失中最高收入十分位及负责人户所得份额", "ratio"),
        # for the briefing charts: income by source of the registered poor, the year's poverty line
        *[Outcome(f"income_per_capita_registered_{c}", "yuan/person/year",
                  f"Income per capita of the registered poor: {c}", f"建档立卡户人均收入:{_CATEGORY_ZH[c]}", "ratio")
          for c in INCOME_CATEGORIES],
        Outcome("poverty_line", "yuan/person/year", "Poverty line", "贫困线", "ratio"),
    )

    def init(self) -> None:
        m, hh, p = self.model, self.model.hh, self.p
        self.line = m.config.crop_lines[p.own_line]
        n = hh.n
        self.farm_days_per_mu_month = self.line.labour_days_per_mu_year / 12
        self.harvest_share = 1.0 / len(self.line.harvest_months)
        self.shock = np.ones(n)  # this year's own-farm yield x price shock
        self.harvest_due = False
        self.contract_days = np.zeros(n)  # set by cooperatives each month
        self.contract_worked_days = np.zeros(n)
        self.employed = np.zeros(n, bool)
        self.employment_chance = self._employment_chance()
        self.health = Health(m, m.config.section("health"))  # illness and its reimbursement (sim/policies/health.py)
        self.health.init()
        self.budget = HouseholdBudget(m, m.config.section("household_budget"))
        self.demography = Demography(m, m.config.section("demography"))
        self.business = HouseholdBusiness(m, m.config.section("household_business"))
        m.vill.asset_yield_gain = np.zeros(m.vill.n)  # lasting public works (project_agency) raise own-farm yield

    def _employment_chance(self) -> np.ndarray:
        """Each household's lasting monthly chance of local work, from its own stream `employability`."""
        mean, kappa = self.p.local_employment_probability_per_month, self.p.local_employment_concentration
        u = self.model.draw("employability", lambda rng, k: rng.random(k))
        if kappa <= 0 or mean <= 0 or mean >= 1:
            return np.full(len(u), mean)
        from scipy.stats import beta

        return beta.ppf(u, mean * kappa, (1 - mean) * kappa)

    # -- baseline identification ---------------------------------------------------------------
    def expected_income_per_capita(self) -> np.ndarray:
        """Assessed annual income per person at the start, without shocks, from a typical month of the
        same household update the model runs: the basis of registration (建档立卡)."""
        hh, p, n = self.model.hh, self.p, self.model.hh.n
        month = household_month(
            hh.local_labour_units, hh.land_mu, np.zeros(n), np.ones(n, bool), hh.persons, hh.labour_units,
            self.demography.remittance_yuan_month, np.zeros(n), self.rates(),
        )
        net_per_mu = self.line.revenue_yuan_per_mu_year - self.line.cost_yuan_per_mu_year
        farm = hh.land_mu * net_per_mu * hh.skill * month["effort"]
        monthly = month["local_wage"] * self.employment_chance + month["remittance"]
        subsidy = hh.land_mu * p.farm_subsidy_yuan_per_mu_year
        return (farm + subsidy + 12 * monthly - self.health.expected_net_cost_year()) / hh.persons

    def year_start(self) -> None:
        """Draw the year's illness onsets and yield shocks (fixed-size draws: CRN-safe)."""
        m, hh, p = self.model, self.model.hh, self.p
        self.health.year_start()
        self.budget.year_start()
        self.demography.year_start()
        self.business.year_start()
        def village_shocks(yr, k):  # the village's own-line weather and price, then each household's luck
            line_shock = lognormal_shock(yr, self.line.yield_sd) * lognormal_shock(yr, self.line.price_sd)
            return line_shock * lognormal_shock(yr, p.household_yield_sd, k)

        self.shock = m.draw("yield", village_shocks)
        hh.farm_effort_sum[:] = 0.0
        for mo in self.line.harvest_months:
            m.calendar.at(m.month + mo, self._harvest)
        m.ledger.pay_households(m.acct_public, hh.land_mu * p.farm_subsidy_yuan_per_mu_year * m.price_index,
                                "farm_subsidy")

    def _harvest(self) -> None:
        self.harvest_due = True

    # -- monthly ------------------------------------------------------------------------------
    def labour(self) -> None:
        m, hh = self.model, self.model.hh
        chance = self.employment_chance + hh.work_chance_gain  # trained households find more
        self.employed = m.draw("labour", lambda rng, n: rng.random(n)) < chance
        self.contract_days[:] = 0.0  # cooperatives add their contracts in their own labour hook

    def rates(self) -> MonthRates:
        p, index = self.p, self.model.price_index
        return MonthRates(
            farm_days_per_mu_month=self.farm_days_per_mu_month,
            work_days_per_unit=p.work_days_per_labour_unit_month,
            work_share=p.local_work_share_of_spare_days,
            wage_per_day=p.local_wage_yuan_per_day * index,
        )

    def produce(self) -> None:
        """Split the month's labour (own farm, contracts, local work) and sell the own-farm harvest."""
        m, hh = self.model, self.model.hh
        self.month_result = household_month(
            hh.local_labour_units, hh.own_farm_mu, self.contract_days, self.employed, hh.persons,
            hh.labour_units, self.demography.remittance_yuan_month, self.health.month_cost(), self.rates(),
        )
        hh.farm_effort_sum += self.month_result["effort"]
        self.contract_worked_days = self.month_result["contract_worked_days"]
        hh.spare_days = self.month_result["spare_days"]
        if self.harvest_due:
            self.harvest_due = False
            mean_effort = hh.farm_effort_sum / (m.month_of_year + 1)
            net = (self.line.revenue_yuan_per_mu_year - self.line.cost_yuan_per_mu_year) * m.price_index
            sales = hh.own_farm_mu * net * hh.skill * self.shock * mean_effort * self.harvest_share \
                * (1 + m.vill.asset_yield_gain[hh.village])
            m.ledger.pay_households(m.acct_market, np.maximum(sales, 0.0), "farm_sales")

    def pay(self) -> None:
        m, led, r = self.model, self.model.ledger, self.month_result
        led.pay_households(m.acct_employers, r["local_wage"], "local_wage")
        led.pay_households(m.acct_employers, r["remittance"], "remittance")
        led.charge_households(r["medical_cost"], m.acct_health, "medical_cost")
        self.health.pay()

    def medical_out_of_pocket_fen(self) -> np.ndarray:
        """This month's medical cost net of every reimbursement layer, per household (fen, as the ledger booked it)."""
        return self.model.ledger.to_fen(self.month_result["medical_cost"]) - self.health.reimbursed_month_fen

    def settle(self) -> None:
        """The month's end: the household budget (consumption, informal credit) after everyone has paid."""
        self.budget.settle()

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        """The sub-parts' declared outcomes (the economy's own are computed by sim/metrics.py)."""
        parts = (self.budget, self.demography, self.business)
        return {k: v for part in parts for k, v in part.year_outcomes(lifted).items()}
