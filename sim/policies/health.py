"""Health and illness (issue 14, item 2): illness by severity and the three reimbursement layers.

Part of the always-on economy (the economy owns one `Health`). Three classes of illness, each with onsets
per person a year (a household's chance of an onset in a year is 1 - exp(-rate x persons)):
- minor (outpatient): the year's episodes (Poisson) x one cost per episode, paid evenly over the year,
  no labour lost, not reimbursed (general outpatient cover is small: an assumption);
- serious (a hospital admission): a heavy-tailed one-off cost in the onset month and one labour unit lost
  for the spell (months);
- chronic: a monthly treatment cost and one labour unit lost for a spell that often lasts years.
A household has one spell with labour lost at a time; an onset during a spell extends it to the later end.
Serious and chronic costs are reimbursed in three layers on the year's cumulative cost (so deductibles
and caps apply once a year; monthly payments are the growth of the layers' yearly totals):
1. basic medical insurance (新农合 / 城乡居民医保): `rate` x (in-policy cost - `deductible_yuan`), up to
   `cap_yuan`; only `policy_range_share` of a cost is within the policy list;
2. serious-illness insurance (大病保险): `rate` x the in-policy cost left after layer 1 above
   `threshold_yuan`;
3. medical assistance (医疗救助) for dibao and tekun households (and the registered poor under health
   poverty alleviation): `rate` x what is left of the in-policy cost, up to `cap_yuan` a year.
Health poverty alleviation (sim/policies/health_poverty_alleviation.py) raises the registered poor's
layers from its start year. Amounts are start-year yuan grown with the price index. All draws come from
the village's `illness` stream, a fixed number per household each year (`illness_initial` at the start).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import Field

from sim.ledger import Source
from sim.policies import health_kernels
from sim.policies.base import Policy
from sim.policies.dibao import Dibao
from sim.policies.health_poverty_alleviation import HealthPovertyAlleviation
from sim.policies.tekun import Tekun
from sim.rng import poisson_quantile
from sim.schema import Constant, Lognormal, NonNegative, NonNegativeDist, Share, ShiftedPoisson, Strict


class IllnessClass(Strict):
    onsets_per_person_year: float = Field(ge=0, le=20)
    cost_yuan: NonNegativeDist  # per episode (minor), per admission (serious) or per month (chronic), start-year yuan
    spell_months: NonNegativeDist = Field(default_factory=lambda: Constant(value=1))  # rounded, at least 1


class Layer(Strict):
    rate: Share
    deductible_yuan: NonNegative = 0.0  # a year's in-policy cost (or what is left of it) below which nothing is paid
    cap_yuan: NonNegative = 1e12  # most the layer pays a household in a year


class HealthParams(Strict):
    """Sources in configs/village.yaml."""

    minor: IllnessClass = Field(default_factory=lambda: IllnessClass(
        onsets_per_person_year=2.0, cost_yuan=Lognormal(mean=150, sd=150)))
    serious: IllnessClass = Field(default_factory=lambda: IllnessClass(
        onsets_per_person_year=0.09, cost_yuan=Lognormal(mean=6000, sd=9000),
        spell_months=ShiftedPoisson(mean=2, offset=1, high=12)))
    chronic: IllnessClass = Field(default_factory=lambda: IllnessClass(
        onsets_per_person_year=0.013, cost_yuan=Lognormal(mean=300, sd=300),
        spell_months=Lognormal(mean=48, sd=48)))
    policy_range_share: Share = 0.75
    basic_insurance: Layer = Field(default_factory=lambda: Layer(rate=0.75, deductible_yuan=500, cap_yuan=150000))
    serious_illness_insurance: Layer = Field(default_factory=lambda: Layer(rate=0.5, deductible_yuan=10000))
    medical_assistance: Layer = Field(default_factory=lambda: Layer(rate=0.7, cap_yuan=20000))
    assessment_counts_last_year_admissions: bool = True  # registration's assessment of the year before the start


@dataclass
class Layers:
    """Each household's three layers this year (arrays over households, current yuan)."""

    basic_rate: np.ndarray
    basic_deductible: np.ndarray
    basic_cap: np.ndarray
    serious_rate: np.ndarray
    serious_threshold: np.ndarray
    assist_rate: np.ndarray  # 0 for households without medical assistance
    assist_cap: np.ndarray


def reimbursed(cost: np.ndarray, share: float, layers: Layers) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What each layer pays on a year's cumulative cost `cost` (yuan): (basic, serious illness, assistance)."""
    lay, in_policy = layers, cost * share
    basic = np.minimum(lay.basic_rate * np.maximum(in_policy - lay.basic_deductible, 0.0), lay.basic_cap)
    serious = lay.serious_rate * np.maximum(in_policy - basic - lay.serious_threshold, 0.0)
    assist = np.minimum(lay.assist_rate * np.maximum(in_policy - basic - serious, 0.0), lay.assist_cap)
    return basic, serious, assist


def default_layers(p: HealthParams, n: int, index: float) -> Layers:
    """Everyone's layers before any programme: basic and serious-illness insurance, no assistance."""
    full = lambda v: np.full(n, float(v))  # noqa: E731
    b, s, a = p.basic_insurance, p.serious_illness_insurance, p.medical_assistance
    return Layers(full(b.rate), full(b.deductible_yuan * index), full(b.cap_yuan * index), full(s.rate),
                  full(s.deductible_yuan * index), full(0.0), full(a.cap_yuan * index))


def spell(dist, rng: np.random.Generator, k: int) -> np.ndarray:
    """Spell lengths in whole months, at least one."""
    return np.maximum(np.rint(dist.draw(rng, k)), 1).astype(np.int64)


# the ledger sources of the three layers, in the order `reimbursed` returns them
LAYER_SOURCES = ("medical_insurance", "serious_illness_insurance", "medical_assistance")


class Health:
    """The village's illness and its reimbursement, owned by the economy (always on)."""

    def __init__(self, model, p: HealthParams) -> None:
        self.model, self.p = model, p
        n = model.hh.n
        self.cost_year = np.zeros(n)  # serious and chronic cost so far this year (current yuan)
        self.admission_due = np.zeros(n)  # serious admissions' cost due this month
        self.minor_per_month = np.zeros(n)  # this year's outpatient costs, a twelfth each month
        self.layers = default_layers(p, n, 1.0)
        self.reimbursed_month_fen = np.zeros(n, np.int64)  # what the layers paid this month (`pay`)
        self._recovery_queued: set[int] = set()  # months with a recovery event still to come
        self._paid_so_far: np.ndarray | None = None  # what each layer owes on the year's cost so far (`pay`)

    def init(self) -> None:
        """Households with a chronic spell at the start (`village.initial_ill_share`), and the hospital admissions
        of the year before (their cost, for registration's assessment), each from a stream of its own."""
        m, c, s = self.model, self.p.chronic, self.p.serious
        share = np.repeat([vp.initial_ill_share for vp in m.village_params], np.diff(m._village_bounds))
        u, months, cost = m.draw("illness_initial", lambda rng, k: (
            rng.random(k), spell(c.spell_months, rng, k), c.cost_yuan.draw(rng, k)))
        none = np.zeros(0, np.int64)
        self._onsets(none, np.zeros(0), none, np.flatnonzero(u < share), cost, months)
        u_s, cost_s = m.draw("illness_last_year", lambda rng, k: (rng.random(k), s.cost_yuan.draw(rng, k)))
        admitted = u_s < 1.0 - np.exp(-s.onsets_per_person_year * m.hh.persons)
        self.last_year_admission_yuan = np.where(admitted & self.p.assessment_counts_last_year_admissions, cost_s, 0.0)

    def year_start(self) -> None:
        """The year's onsets of each class (a fixed number of draws per household: CRN-safe)."""
        m, hh, p = self.model, self.model.hh, self.p
        u_minor, minor_cost, u_s, mo_s, cost_s, months_s, u_c, mo_c, cost_c, months_c = m.draw(
            "illness", lambda rng, k: (
                rng.random(k), p.minor.cost_yuan.draw(rng, k),
                rng.random(k), rng.integers(0, 12, k), p.serious.cost_yuan.draw(rng, k),
                spell(p.serious.spell_months, rng, k),
                rng.random(k), rng.integers(0, 12, k), p.chronic.cost_yuan.draw(rng, k),
                spell(p.chronic.spell_months, rng, k)))
        episodes = np.maximum(poisson_quantile(u_minor, p.minor.onsets_per_person_year * hh.persons), 0.0)
        self.minor_per_month = episodes * minor_cost * m.price_index / 12
        hh.ill_this_year[:] = hh.ill
        self.cost_year[:] = 0.0
        serious = u_s < 1.0 - np.exp(-p.serious.onsets_per_person_year * hh.persons)
        chronic = u_c < 1.0 - np.exp(-p.chronic.onsets_per_person_year * hh.persons)
        for mo in range(12):
            s, c = np.flatnonzero(serious & (mo_s == mo)), np.flatnonzero(chronic & (mo_c == mo))
            if s.size or c.size:
                m.calendar.at(m.month + mo, lambda s=s, c=c: self._onsets(s, cost_s, months_s, c, cost_c, months_c))

    def _onsets(self, s, s_cost, s_months, c, c_cost, c_months) -> None:
        """Serious onsets `s` and chronic onsets `c` this month (health_kernels.onsets); each spell's end queues
        its recovery."""
        m, hh = self.model, self.model.hh
        ends = health_kernels.onsets(s, s_cost, s_months, c, c_cost, c_months, m.price_index, m.calendar.month,
                                     hh.ill, hh.ill_this_year, hh.ill_until, hh.medical_yuan_per_month,
                                     self.admission_due)
        for e in np.unique(ends).tolist():
            if e not in self._recovery_queued:  # one recovery event a month does it: spells end after this month
                self._recovery_queued.add(e)
                m.calendar.at(e, lambda e=e: self._recover(e))

    def _recover(self, month: int) -> None:
        self._recovery_queued.discard(month)
        hh = self.model.hh
        health_kernels.recover(month, hh.ill, hh.ill_until, hh.medical_yuan_per_month)

    # -- monthly money ----------------------------------------------------------------------------
    def insured_cost(self) -> np.ndarray:
        """This month's serious and chronic costs (current yuan): chronic treatment plus admissions."""
        hh = self.model.hh
        return hh.ill * hh.medical_yuan_per_month * self.model.price_index + self.admission_due

    def month_cost(self) -> np.ndarray:
        return self.insured_cost() + self.minor_per_month

    def pay(self) -> None:
        """The layers pay the growth of their yearly totals on this month's insured cost (health_kernels.month)."""
        m, lay = self.model, self.layers
        if m.month_of_year == 0 or self._paid_so_far is None:
            self.layers = lay = self.year_layers()
            self._paid_so_far = np.stack(reimbursed(self.cost_year, self.p.policy_range_share, lay))
        paid_fen = health_kernels.month(
            self.cost_year, self.insured_cost(), self.p.policy_range_share, lay.basic_rate, lay.basic_deductible,
            lay.basic_cap, lay.serious_rate, lay.serious_threshold, lay.assist_rate, lay.assist_cap, self._paid_so_far)
        for source, fen in zip(LAYER_SOURCES, paid_fen, strict=True):
            m.ledger.pay_households_fen(m.acct_public, fen, source)
        self.reimbursed_month_fen = paid_fen.sum(axis=0)  # what the layers paid this month (the budget reads it)
        self.admission_due[:] = 0.0

    def year_layers(self) -> Layers:
        """This year's layers: insurance for the insured (registration's `medical_insured`; the campaign pays
        the poor's premiums); assistance for dibao and tekun households; the registered poor's under health
        poverty alleviation from its start year."""
        m, hh = self.model, self.model.hh
        layers = default_layers(self.p, hh.n, m.price_index)
        uninsured = ~getattr(hh, "medical_insured", np.ones(hh.n, bool))  # registration's guarantee
        layers.basic_rate[uninsured] = 0.0
        layers.serious_rate[uninsured] = 0.0  # 大病保险 is part of the basic insurance
        assisted = np.zeros(hh.n, bool)
        dibao, tekun = m.mechanism(Dibao), m.mechanism(Tekun)
        if dibao is not None:
            assisted |= dibao.recipient
        if tekun is not None:
            assisted |= tekun.benefit_year > 0
        hpa = m.mechanism(HealthPovertyAlleviation)
        if hpa is not None:
            assisted |= hpa.raise_layers(layers)
        layers.assist_rate[assisted] = self.p.medical_assistance.rate
        return layers

    def expected_net_cost_year(self) -> np.ndarray:
        """A year's medical cost net of insurance for the start-of-run assessment (registration): the chronic
        cost of households ill at the start, the year before's hospital admission (when
        `assessment_counts_last_year_admissions`), and minor episodes at their mean."""
        hh, p = self.model.hh, self.p
        year = hh.ill * hh.medical_yuan_per_month * 12 + self.last_year_admission_yuan
        net = year - sum(reimbursed(year, p.policy_range_share, default_layers(p, hh.n, 1.0)))
        return net + p.minor.onsets_per_person_year * hh.persons * _mean(p.minor.cost_yuan)


def _mean(dist) -> float:
    return float(getattr(dist, "mean", getattr(dist, "value", 0.0)))


class HealthSection(Policy):
    """Declares the health config section and the layers' ledger sources; the economy owns `Health`."""

    name = "health"
    Params = HealthParams
    always_on = True
    sources = (
        Source("medical_insurance", "medical"),  # basic medical insurance reimbursement
        Source("serious_illness_insurance", "medical"),  # 大病保险
        Source("medical_assistance", "medical"),  # 医疗救助 for dibao, tekun and (健康扶贫) registered-poor households
    )
