"""VillageModel: the Mesa model that owns the agents, the household arrays, the ledger, the SimPy
calendar and the policies, and runs the month's order."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import mesa
import numpy as np
import pandas as pd

from sim import poverty, village_kernels
from sim.agents import LazyAgents
from sim.calendar import Calendar
from sim.config import Config, parse_override, resolve_config
from sim.cooperatives import Coops
from sim.county import cooperative_specs, village_params
from sim.funding import Funder
from sim.ledger import FEN_PER_YUAN, Ledger, disposable_fen
from sim.metrics import COOP_PAYOUT_SOURCES, year_end_outcomes
from sim.policies import registry
from sim.policies.base import HOOKS_MONTH, HOOKS_YEAR_END, Policy, overrides
from sim.policies.economy import Economy
from sim.policies.registration import Registration
from sim.policies.risk import year_line_shocks
from sim.population import Villages, build_households, build_party_members, concat_households, concat_party_members
from sim.rng import Streams, fresh_seed
from sim.schedule import YEAR_END_STEPS, YEAR_START_STEPS, schedule_table

P = TypeVar("P", bound=Policy)

# streams drawn per household or per cooperative that were global before counties (see `village_rng`)
LEGACY_STREAMS = frozenset({"illness", "illness_initial", "labour", "yield", "membership", "coop_yield"})


class VillageModel(LazyAgents):
    """A poor mountain village (or several) over simulated years, one `step()` per month.

    The month's order (`schedule()` returns it as a table, with who runs each step; sim/schedule.py names the
    model's own steps; a test keeps this text, docs/ODD.md and the table in the same order):

    1. Dated events due this month fire first (SimPy events queued before the body). On January 1st
       the year-start event comes before all others: it queues the next year start and this year's end
       (`schedule_year`), draws the year's price and yield shock of each crop line (`draw_line_shocks`),
       then each mechanism's year start: it draws the year's illness
       onsets and yield shocks, schedules that year's onsets and harvests, and forms
       the cooperatives' field-management contracts (`year_start`; with the party policies
       also: pairs formed, leaders' effects set, a switching cooperative's investment, pilots
       started). Then illness onsets and recoveries and harvests due this month (and, with the
       party policies, the quarterly audits of the last quarter's books and cultivation reviews).
    2. Labour allocation (`labour`): who works locally this month; the cooperatives'
       contract days.
    3. Production and sales (`produce`): each household's labour is split between own
       farm, contracts and local wage work; harvests due this month are sold (leakage is
       taken from the month's sales; a pilot plot is harvested).
    4. Monthly payments (`pay`): local wages, remittances, social assistance, medical
       costs and reimbursements, consumption; cooperative wages and running costs (and a
       service team's overcharge on them); help for paired households in illness.
    5. The month's settlement (`settle`): each household's budget — interest on informal debt, buffer-stock
       consumption, repayment or a new informal loan up to its borrowing limit (household_budget.py).
    6. The year end, a dated event after December's body: cooperative accounts and land payments
       (`close_accounts`); the surplus split — assistance fund, reserve, collective,
       dividends (`allocate_surplus`); assistance fund payments (`pay_assistance`);
       owner's profit, failures and new members, then party members leaving, the party
       organisation recounted, new applicants, line-switch and pilot decisions (`year_end`);
       then the model's steps: the ledger's year closed (`close_ledger_year`), the registration's
       assessment: exits, returns, monitoring (`assess_registration`), poverty classified
       (`classify_poverty`), public-programme spending booked by village (`book_public_programme`),
       poverty person-years and the registered poor's income gain booked (`book_poverty_totals`),
       the year's outcomes computed, read only, and collected (`report_outcomes`, DataCollector),
       the year's accumulators zeroed (`reset_year_accumulators`).

    Within each step the economy runs first (then the registration, which has no hooks), then the policies in
    schedule order (each declares what it
    runs `after`; sim/policies/registry.py).
    Every yuan moves through `self.ledger`.

    Parameters (all keyword, all defaulted, so Mesa's `batch_run` can drive it):
    config: a `Config`, a path to YAML, a mapping, or None for the default village.
    rng: integer seed (None draws one from OS entropy; it is kept in `self.seed`).
    overrides: dotted overrides, a mapping or `key=value` strings.
    years: run length in years (default: the config's `years`).
    Extra keyword arguments are overrides with `__` for dots
    (`cooperative__wage_yuan_per_mu_year=300`).
    """

    def __init__(
        self,
        config: Config | str | Path | Mapping | None = None,
        rng: int | np.random.Generator | None = None,
        overrides: Mapping[str, Any] | list[str] | None = None,
        years: int | None = None,
        **kw_overrides: Any,
    ) -> None:
        if isinstance(rng, np.random.Generator):
            rng = int(rng.integers(0, 2**63 - 1))
        seed = fresh_seed() if rng is None else int(rng)
        super().__init__(rng=seed)
        merged: dict[str, Any] = {}
        if overrides:
            merged.update(overrides if isinstance(overrides, Mapping) else
                          dict(parse_override(o) for o in overrides))
        merged.update({k.replace("__", "."): v for k, v in kw_overrides.items()})
        self.config: Config = resolve_config(config, merged or None)
        self.seed = seed
        self.years = int(years if years is not None else self.config.years)
        self.streams = Streams(seed)
        self._build_population()
        self.ledger = Ledger(self.hh.n, registry.sources())
        self.ledger.track_households(COOP_PAYOUT_SOURCES)  # who receives cooperative money (elite capture)
        self.acct_public = self.ledger.open_account("public")
        self.acct_market = self.ledger.open_account("market")
        self.acct_employers = self.ledger.open_account("employers")
        self.acct_health = self.ledger.open_account("health")
        self.vill.collective_income_year = np.zeros(self.vill.n)  # the committee's own income (project fees)
        self.vill.account = np.array([self.ledger.open_account(f"committee:{v}", village=v)
                                      for v in range(self.vill.n)])
        self.ledger.set_villages(self.hh.village, self.vill.n, self.acct_public)  # public spending by village
        self.ledger.pay_households(self.acct_market, self.hh.opening_savings_yuan, "opening_balance")
        self.public_programme_year = np.zeros(self.vill.n)
        self.public_programme_total = np.zeros(self.vill.n)
        self.public_programme_unattributed_total = 0.0  # programme money that reached no village
        self.poverty_person_years_total = np.zeros(self.vill.n)  # since the start (`book_poverty_totals`)
        self.income_gained_by_registered_poor_total = np.zeros(self.vill.n)
        self.coops = Coops.empty()
        # the public account's envelopes (issue 4)
        self.funder = Funder(self, self.config.funding, registry.funding_lines(), registry.funding_line_policies())
        self.calendar = Calendar(self._month)
        self.economy = Economy(self, self.config.section("economy"))
        self._policies: dict[str, Policy] = {
            name: registry.policy_class(name)(self, self.config.section(name))
            for name in registry.policy_names() if self.config.has(name)
        }
        self._hook_runners: dict[str, list[Policy]] = {}
        self.economy.init()
        self.assessed_income_per_capita = self.economy.expected_income_per_capita()
        self.assessment_line = self.poverty_line  # the line registration assessed against (the start year's)
        self.registration = Registration(self, self.config.section("registration"))  # 建档立卡 and exit (always on)
        self.hh.registered_poor = self.registration.register(self.assessed_income_per_capita)
        self.hh.poor_at_start = self.hh.registered_poor.copy()
        self.hh.poor = self.hh.registered_poor.copy()
        self.hh.income_per_capita_last_year = self.assessed_income_per_capita.copy()
        for policy in self._policies.values():
            policy.init()
        self.defer_agents()  # Mesa agents made on first access (sim/agents.py)
        self.calendar.at(0, self._year_start)
        self.history: list[dict[str, float]] = []
        self.village_history: list[list[dict[str, float]]] = []
        self.flows_history: list[dict] = []
        self.datacollector = mesa.DataCollector(
            model_reporters={name: _reporter(name) for name in ("year", *registry.outcomes())}
        )

    # -- construction ------------------------------------------------------------------------
    def _build_population(self) -> None:
        """One village, or a county's villages (sim/county.py), each drawn from its own streams and
        concatenated: village v's households are `village_slice(v)`."""
        self.village_params = village_params(self.config)
        households, members, starts = [], [], [0]
        for v, params in enumerate(self.village_params):
            hh = build_households(params, self.streams[f"population/v{params.stream_key}"], village=v)
            members.append(build_party_members(params, hh, self.streams[f"party/v{params.stream_key}"]))
            households.append(hh)
            starts.append(starts[-1] + hh.n)
        self.hh = households[0] if len(households) == 1 else concat_households(households)
        self.party = members[0] if len(members) == 1 else concat_party_members(members, starts[:-1])
        self.vill = Villages(collective_assets_yuan=np.array([p.collective_assets_yuan for p in self.village_params]))
        self.vill.stream_key = np.array([p.stream_key for p in self.village_params], np.int64)
        self.vill.township_key = np.array([p.township_key for p in self.village_params], np.int64)
        self._line_index = {name: i for i, name in enumerate(self.config.crop_lines)}
        self._village_bounds = np.array(starts)
        self.cooperative_specs = cooperative_specs(self.config, self.vill.n)

    # -- what policies use (sim/interface.py) ---------------------------------------------------
    def mechanism(self, cls: type[P]) -> P | None:
        """The active mechanism of class `cls`, or None when it is switched off (how mechanisms reach each other)."""
        found = self._policies.get(getattr(cls, "name", ""))
        return found if isinstance(found, cls) else None

    def active_mechanisms(self) -> list[Policy]:
        """The mechanisms of this run: the always-on ones (economy, registration), then the switched-on ones in
        schedule order."""
        return [self.economy, self.registration, *self._policies.values()]

    def policy(self, name: str) -> Policy | None:
        """The active policy called `name`, or None when it is switched off (for tests and tools; mechanisms use
        the typed `mechanism`)."""
        return self._policies.get(name)

    @property
    def village_sizes(self) -> np.ndarray:
        """Households per village."""
        return np.diff(self._village_bounds)

    def village_slice(self, v: int) -> slice:
        """Households of village v are contiguous: this is their index range."""
        return slice(int(self._village_bounds[v]), int(self._village_bounds[v + 1]))

    def village_top_decile(self, values: np.ndarray) -> np.ndarray:
        """Households at or above their village's 90th percentile of `values` (income per person, say)."""
        return village_kernels.top_decile(np.asarray(values, np.float64), self._village_bounds)

    def draw(self, stream: str, fn: Callable[[np.random.Generator, int], Any]) -> Any:
        """One draw per household from each village's own stream (so a village draws the same alone or in
        a county): `fn(rng, n)` returns an array of n, or a tuple of such arrays drawn in that order."""
        b = self._village_bounds
        parts = [fn(self.village_rng(stream, v), int(b[v + 1] - b[v])) for v in range(self.vill.n)]
        if len(parts) == 1:
            return parts[0]
        if isinstance(parts[0], tuple):
            return tuple(np.concatenate(col) for col in zip(*parts, strict=True))
        return np.concatenate(parts)

    def village_rng(self, stream: str, v: int) -> np.random.Generator:
        """Village v's own stream `<stream>/v<key>` (its stream key: sim/county.py). The streams that were
        single and global before counties keep their old name for key 0, so a one-village run draws
        exactly what it drew then."""
        key = int(self.vill.stream_key[v])
        return self.streams[stream if key == 0 and stream in LEGACY_STREAMS else f"{stream}/v{key}"]

    def line_shock_for(self, lines: list[str], villages) -> np.ndarray:
        """This year's revenue shock of each (line, village) pair: price x township and village weather."""
        col = np.array([self._line_index[name] for name in lines], dtype=np.int64)
        return self._line_shock[np.asarray(villages, dtype=np.int64), col]

    @property
    def month(self) -> int:
        return self.calendar.month

    @property
    def month_of_year(self) -> int:
        return self.month % 12

    @property
    def year_index(self) -> int:
        return self.month // 12

    @property
    def year(self) -> int:
        return self.config.start_year + self.year_index

    @property
    def poverty_line(self) -> float:
        return self.config.poverty_line.for_year(self.year)

    @property
    def price_index(self) -> float:
        """Nominal wages, prices and transfers relative to the start year."""
        return (1.0 + self.config.section("economy").nominal_growth_per_year) ** self.year_index

    @property
    def active_policies(self) -> tuple[str, ...]:
        return tuple(self._policies)

    # -- running --------------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one month."""
        self.calendar.advance()
        if self.month >= self.years * 12:
            self.running = False

    def run(self) -> VillageModel:
        while self.running:
            self.step()
        return self

    def _hooks(self, hook: str) -> None:
        runners = self._hook_runners.get(hook)
        if runners is None:  # the mechanisms whose class has this hook, worked out once per hook
            runners = self._hook_runners[hook] = [m for m in self.active_mechanisms() if overrides(m, hook)]
        for mechanism in runners:
            getattr(mechanism, hook)()

    def _month(self, month: int) -> None:
        """The month's order: see the class docstring."""
        for hook in HOOKS_MONTH:
            self._hooks(hook)

    def _year_end(self) -> None:
        """A dated event at the end of December, after that month's body: the hooks, then the model's steps."""
        for hook in HOOKS_YEAR_END:
            self._hooks(hook)
        for step in YEAR_END_STEPS:
            getattr(self, f"_{step}")()

    def _year_start(self) -> None:
        """A dated event on January 1st: it fires before any other event of the year."""
        for step in YEAR_START_STEPS:
            getattr(self, f"_{step}")()
        self._hooks("year_start")

    def schedule(self) -> pd.DataFrame:
        """The schedule as a table (phase, when, step, who), in the order things run; see sim/schedule.py."""
        return schedule_table(self)

    # -- the model's own steps (named in sim/schedule.py) ---------------------------------------
    def _schedule_year(self) -> None:
        self.calendar.at(self.month + 12, self._year_start)
        self.calendar.at(self.month + 11, self._year_end, end_of_month=True)

    def _draw_line_shocks(self) -> None:
        self._line_shock = year_line_shocks(self)  # (village, line): market, township, village (risk.py)

    def _close_ledger_year(self) -> None:
        # (category, household) income and the (source, from, to) flows of the year just closed
        self.last_income_fen, self.last_flows = self.ledger.close_year()

    def _assess_registration(self) -> None:
        """The registration's year-end assessment: exits, returns, monitoring (before poverty is reclassified:
        monitoring compares with last year's income)."""
        self.registration.assess(disposable_fen(self.last_income_fen) / FEN_PER_YUAN / self.hh.persons)

    def _classify_poverty(self) -> None:
        """Who is poor after the year just closed; who left poverty or fell back into it this year."""
        hh = self.hh
        pc = disposable_fen(self.last_income_fen) / FEN_PER_YUAN / hh.persons
        poor = pc < self.poverty_line
        was_poor = hh.poor_at_start if self.year_index == 0 else hh.poor
        self.lifted_year = was_poor & ~poor
        self.returned_year = poor & ~was_poor & hh.left_poverty_once
        hh.left_poverty_once |= self.lifted_year
        hh.poor = poor
        hh.income_per_capita_last_year = pc

    def _book_public_programme(self) -> None:
        """Public-programme spending since the start, by the village the money reached (from the ledger)."""
        programme_fen = self.ledger.last_programme_fen
        self.public_programme_total += programme_fen[1:] / FEN_PER_YUAN
        self.public_programme_unattributed_total += programme_fen[0] / FEN_PER_YUAN

    def _book_poverty_totals(self) -> None:
        """Poverty person-years and the registered poor's income gain since the start, by village (sim/poverty.py)."""
        total = disposable_fen(self.last_income_fen) / FEN_PER_YUAN

        def per_village(values: np.ndarray) -> np.ndarray:
            return np.bincount(self.hh.village, weights=values.astype(np.float64), minlength=self.vill.n)

        person_years, gain = poverty.year_totals(self, total, self.hh.poor, per_village)
        self.poverty_person_years_total = self.poverty_person_years_total + person_years
        self.income_gained_by_registered_poor_total = self.income_gained_by_registered_poor_total + gain

    def _report_outcomes(self) -> None:
        totals, villages = year_end_outcomes(self, self.last_income_fen, self.last_flows)
        totals["year"] = float(self.year)
        self.history.append(totals)
        self.village_history.append(villages)
        self.flows_history.append({"year": self.year, "flows": self.last_flows})
        self.datacollector.collect(self)

    def _reset_year_accumulators(self) -> None:
        self.vill.collective_income_year[:] = 0.0
        self.public_programme_year[:] = 0.0
        for mechanism in self.active_mechanisms():
            mechanism.reset_year()


def _reporter(name: str) -> Callable[[VillageModel], float]:
    def report(model: VillageModel) -> float:
        return model.history[-1][name]

    report.__name__ = name
    return report
