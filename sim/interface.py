"""What a mechanism may use of the model: a small typed interface (`VillageModel` implements it).

Mechanisms are typed against `Model`, never against `VillageModel`, so the dependencies point down:
the model imports the mechanisms, the mechanisms know only this.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

import numpy as np

from sim.calendar import Calendar
from sim.cooperatives import Coops
from sim.funding import Funder
from sim.ledger import Ledger
from sim.population import Households, PartyMembers, VillageParams, Villages
from sim.rng import Streams

M = TypeVar("M")


class Model(Protocol):
    """The model as its mechanisms see it: the state arrays, the ledger, the clock, random streams, the funder."""

    hh: Households
    party: PartyMembers
    coops: Coops
    vill: Villages
    ledger: Ledger
    funder: Funder
    calendar: Calendar
    streams: Streams
    config: Any  # the run's `Config` (sim/config.py, a layer above)
    economy: Any  # the always-on household economy (sim/policies/economy.py)
    registration: Any  # the always-on registration and exit (sim/policies/registration.py)
    poverty_person_years_total: np.ndarray
    income_gained_by_registered_poor_total: np.ndarray
    seed: int
    years: int
    acct_public: int
    acct_market: int
    acct_employers: int
    acct_health: int
    assessed_income_per_capita: np.ndarray
    village_params: Sequence[VillageParams]
    cooperative_specs: list[Any]
    public_programme_year: np.ndarray
    last_income_fen: np.ndarray  # (income category, household) of the year just closed (`close_ledger_year`)
    cooperative_agents: list[Any]  # Mesa agents, views over the arrays
    public_programme_total: np.ndarray  # by village, since the start (`book_public_programme`)
    public_programme_unattributed_total: float
    lifted_year: np.ndarray  # households that left poverty this year (`classify_poverty`)
    returned_year: np.ndarray  # households that fell back into poverty this year

    @property
    def month(self) -> int: ...
    @property
    def month_of_year(self) -> int: ...
    @property
    def year_index(self) -> int: ...
    @property
    def year(self) -> int: ...
    @property
    def poverty_line(self) -> float: ...
    @property
    def price_index(self) -> float: ...
    @property
    def active_policies(self) -> tuple[str, ...]: ...
    @property
    def village_sizes(self) -> np.ndarray: ...

    def mechanism(self, cls: type[M]) -> M | None: ...
    def active_mechanisms(self) -> list[Any]: ...
    def village_slice(self, v: int) -> slice: ...
    def village_top_decile(self, values: np.ndarray) -> np.ndarray: ...
    def draw(self, stream: str, fn: Callable[[np.random.Generator, int], Any]) -> Any: ...
    def village_rng(self, stream: str, v: int) -> np.random.Generator: ...
    def line_shock_for(self, lines: list[str]) -> np.ndarray: ...
    def add_party_agents(self, rows: np.ndarray) -> None: ...
