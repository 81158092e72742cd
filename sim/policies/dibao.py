"""The rural minimum living allowance (农村低保): a means-tested top-up to a yearly local standard, with
imperfect coverage (issue 14, item 1).

Each January the village assesses every household on last year's income per person, leaving out what
the allowance and 特困 support paid (and, unless `assessed_net_of_medical_costs`, before medical costs:
the general rule counts income, not spending). A household below the year's standard is eligible; the
allowance tops it up to the standard (差额补助): (standard - assessed income per person) x persons a
year, at least `minimum_benefit_share_of_standard` x standard x persons, paid in twelve monthly parts.
Places are rationed: a village's recipients are at most `coverage_share_of_persons` (the national share of
rural residents on the allowance that year, times `coverage_multiple` for a poor county) of its persons,
the eligible households with the lowest assessed income first (the county's quota, 指标). Coverage is also
imperfect: an eligible household within the quota that is not on the roll is left out with probability
`exclusion_error_rate` (from
`linkage_start_year`, the linkage of the allowance with poverty registration, a registered-poor household's rate
falls in even steps to `registered_exclusion_error_rate` by `linkage_full_year`), an
ineligible one is covered (the minimum benefit) with probability `inclusion_error_rate`; both are drawn
each year from the village's own stream `dibao_coverage` (two uniforms per household, so nothing else
shifts). With `recipients_stay_while_eligible` a recipient still eligible (below the standard, within the quota)
stays on the roll without a new draw: the county reviews recipients and stops payment when their circumstances
change (社会救助暂行办法, 国务院令第649号, 2014, art. 13), it does not re-draw who is left out each year.
From the linkage, a registered-poor recipient whose income rises above the standard keeps last year's allowance
for `grace_years` (渐退期, 国办发〔2016〕70号). Five-without households supported under 特困供养
(sim/policies/tekun.py) are not assessed.
In the first year the assessment is the model's start-of-run assessed income (建档立卡).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.ledger import CATEGORY_INDEX, FEN_PER_YUAN, Source, monthly_part
from sim.policies.base import Policy
from sim.policies.tekun import Tekun
from sim.schema import Share, Strict, yearly_value

# sources left out of the income a household is assessed on (the allowance itself, 特困 support)
ASSESSMENT_EXCLUDES = ("dibao", "tekun")


class DibaoParams(Strict):
    """Sources in configs/village.yaml."""

    # national average rural dibao standard, yuan/person/year (MCA statistical bulletins 2014-2020)
    standard_yuan_per_person_year: dict[int, float] = Field(default_factory=lambda: {
        2014: 2777.0, 2015: 3178.0, 2016: 3744.0, 2017: 4301.0, 2018: 4833.0, 2019: 5336.0, 2020: 5962.0})
    growth_per_year_after_table: float = Field(default=0.06, ge=-0.5, le=0.5)  # assumption
    standard_multiple: float = Field(default=0.98, gt=0, le=5)  # the county's standard over the table (national mean)
    # share of rural residents on the allowance (MCA bulletins' recipients / NBS rural resident population)
    coverage_share_of_persons: dict[int, float] = Field(default_factory=lambda: {
        2015: 0.081, 2016: 0.078, 2017: 0.070, 2018: 0.062, 2019: 0.063, 2020: 0.071})
    coverage_multiple: float = Field(default=2.7, ge=0, le=20)  # a poor county's quota over the national share
    exclusion_error_rate: Share = 0.32  # eligible households left out in a year (assumption; see the config)
    # from the two schemes' linkage (国办发〔2016〕70号) eligible registered-poor households are left out less often
    linkage_start_year: int = Field(default=2016, ge=1990, le=2100)
    linkage_full_year: int = Field(default=2019, ge=1990, le=2100)  # phased in: full by this year
    registered_exclusion_error_rate: Share = 0.02
    # ibid.: a linked registered-poor recipient whose income rises above the standard keeps last year's allowance
    # for a grace period (渐退期), in years
    grace_years: int = Field(default=1, ge=0, le=10)
    recipients_stay_while_eligible: bool = True  # 社会救助暂行办法 (2014) art. 13: reviewed, not re-drawn
    inclusion_error_rate: Share = 0.03  # ineligible households covered in a year (assumption)
    minimum_benefit_share_of_standard: Share = 0.2  # the lowest payment, as a share of the standard (assumption)
    assessed_net_of_medical_costs: bool = False  # 支出型贫困: some provinces deduct medical spending

    def standard_for(self, year: int) -> float:
        """The year's standard, yuan per person per year: the table, then grown at the given rate."""
        return self.standard_multiple * yearly_value(self.standard_yuan_per_person_year, year,
                                                    self.growth_per_year_after_table)

    def registered_exclusion_for(self, year: int) -> float:
        """A registered-poor household's exclusion error in `year`: the general rate before the linkage, falling in
        even steps from `linkage_start_year` to the registered rate at `linkage_full_year`."""
        if year < self.linkage_start_year:
            return self.exclusion_error_rate
        steps = max(self.linkage_full_year - self.linkage_start_year + 1, 1)
        done = min(year - self.linkage_start_year + 1, steps) / steps
        return self.exclusion_error_rate + done * (self.registered_exclusion_error_rate - self.exclusion_error_rate)

    def quota_share_for(self, year: int) -> float:
        """The most of a village's persons the allowance covers in `year` (the table's nearest earlier year)."""
        return min(1.0, self.coverage_multiple * yearly_value(self.coverage_share_of_persons, year, 0.0))


def within_quota(assessed: np.ndarray, eligible: np.ndarray, persons: np.ndarray, village: np.ndarray,
                 n_villages: int, quota_share: float) -> np.ndarray:
    """The eligible households a village's quota reaches, lowest assessed income first: those whose persons,
    counted in that order, stay within `quota_share` of the village's persons."""
    rows = np.flatnonzero(eligible)  # the others count no persons: only the eligible need an order
    order = rows[np.lexsort((assessed[rows], village[rows]))]  # by village, poorest first
    v = village[order]
    cum = np.cumsum(persons[order].astype(float))
    start = np.concatenate(([0.0], cum))[np.searchsorted(v, v, side="left")]
    quota = quota_share * np.bincount(village, weights=persons, minlength=n_villages)
    out = np.zeros(len(assessed), bool)
    out[order] = cum - start <= quota[v] + 1e-9
    return out


class Dibao(Policy):
    """Owns the stream `dibao_coverage`; `benefit_year` is each household's allowance this year (yuan)."""

    name = "dibao"
    Params = DibaoParams
    groups = ("national_programmes",)
    before = ("cooperative",)  # assessed in January before the cooperatives' year starts
    sources = (
        Source("dibao", "transfer"),  # rural minimum living allowance: a means-tested top-up
    )
    outcomes = (
        Outcome("dibao_households", "households", "Households receiving the minimum living allowance", "农村低保户数",
                "stock"),
        Outcome("dibao_yuan", "yuan/year", "Minimum living allowance paid", "农村低保金支出", "flow"),
    )

    def init(self) -> None:
        n = self.model.hh.n
        self.benefit_year = np.zeros(n)
        self.recipient = np.zeros(n, bool)
        self.eligible = np.zeros(n, bool)
        self.grace = np.zeros(n, bool)  # paid this year under the grace period
        self.grace_left = np.zeros(n, np.int64)
        self.model.ledger.track_households(ASSESSMENT_EXCLUDES)  # what each household got, left out next year

    def assessed_income_per_capita(self) -> np.ndarray:
        """Last year's income per person without the allowance and 特困 support (and medical costs unless
        assessed net of them); the start-of-run assessment in the first year."""
        m, hh = self.model, self.model.hh
        if m.year_index == 0:
            return m.assessed_income_per_capita.copy()
        fen = m.last_income_fen.sum(axis=0) - sum(m.ledger.last_received_fen[s] for s in ASSESSMENT_EXCLUDES)
        if not self.p.assessed_net_of_medical_costs:
            fen = fen - m.last_income_fen[CATEGORY_INDEX["medical"]]
        return fen / FEN_PER_YUAN / hh.persons

    def year_start(self) -> None:
        m, p, hh = self.model, self.p, self.model.hh
        standard = p.standard_for(m.year)
        assessed = self.assessed_income_per_capita()
        u_out, u_in = m.draw("dibao_coverage", lambda rng, k: (rng.random(k), rng.random(k)))
        tekun = m.mechanism(Tekun)
        assessable = ~hh.five_without if tekun is not None else np.ones(hh.n, bool)
        below = assessable & (assessed < standard)
        self.eligible = within_quota(assessed, below, hh.persons, hh.village, m.vill.n, p.quota_share_for(m.year))
        linked = hh.registered_poor & (m.year >= p.linkage_start_year)
        exclusion = np.where(linked, p.registered_exclusion_for(m.year), p.exclusion_error_rate)
        stay = self.recipient & ~self.grace & p.recipients_stay_while_eligible  # on the roll last year
        self.recipient = ((self.eligible & (stay | (u_out >= exclusion)))
                          | (assessable & ~below & (u_in < p.inclusion_error_rate)))
        gap = np.maximum(standard - assessed, p.minimum_benefit_share_of_standard * standard)
        last_year = self.benefit_year
        self.benefit_year = np.where(self.recipient, gap * hh.persons, 0.0)
        self._grace(linked & ~below, last_year)

    def _grace(self, rose_above: np.ndarray, last_year: np.ndarray) -> None:
        """渐退期: a linked recipient of last year now above the standard keeps last year's allowance for
        `grace_years` (counted from the year its income first rose above)."""
        start = rose_above & (last_year > 0) & ~self.grace
        self.grace_left = np.where(start, self.p.grace_years, np.where(self.grace, self.grace_left - 1, 0))
        self.grace = rose_above & (self.grace_left > 0) & ~self.recipient
        self.benefit_year = np.where(self.grace, last_year, self.benefit_year)
        self.recipient = self.recipient | self.grace

    def pay(self) -> None:
        m = self.model
        m.ledger.pay_households(m.acct_public, monthly_part(self.benefit_year, m.month_of_year), "dibao")

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        v, nv = self.model.hh.village, self.model.vill.n
        return {"dibao_households": np.bincount(v, weights=self.recipient.astype(float), minlength=nv),
                "dibao_yuan": np.bincount(v, weights=self.model.ledger.last_received_fen["dibao"] / FEN_PER_YUAN,
                                          minlength=nv)}
