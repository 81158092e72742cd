"""The interface every mechanism implements: what it declares about itself, and the lifecycle hooks the model calls."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import numpy as np

from sim.declarations import FundingLine, Outcome
from sim.ledger import Source
from sim.schema import Strict

if TYPE_CHECKING:
    from sim.interface import Model


P = TypeVar("P", bound="Policy")


class Policy:
    """One mechanism. A subclass declares everything about itself in class variables (the registry derives the
    central catalogues from them: config sections, ledger sources, outcomes, run totals, funding lines):

    `name`: its config key and its name in `policies:`; `Params`: its config section (a `Strict` model,
    defaults and units in the names); `requires`: mechanisms that must be switched on with it; `after` /
    `before`: mechanisms whose hooks run before / after its own in every phase; `groups`: names that stand
    in `policies:` for all their members (`national_programmes`); `sources`: the ledger money tags it books;
    `outcomes`: the yearly outcomes its `year_outcomes` returns (zero in every village when it is off);
    `funding_line`: the funding-scenario envelope it spends from; `always_on`: the economy, its sub-parts and
    registration.

    Hooks (all optional), in the order the model calls them (`VillageModel.schedule()`):
    `init` once after the population is built; `year_start` in January;
    monthly `labour`, `produce`, `pay`, `settle` (the household budget closes the month); in December
    `close_accounts`, `allocate_surplus`, `pay_assistance`, `year_end`; `reset_year` after the year's outcomes.
    """

    name: ClassVar[str] = ""
    Params: ClassVar[type[Strict]] = Strict
    requires: ClassVar[tuple[str, ...]] = ()
    after: ClassVar[tuple[str, ...]] = ()
    before: ClassVar[tuple[str, ...]] = ()
    groups: ClassVar[tuple[str, ...]] = ()
    sources: ClassVar[tuple[Source, ...]] = ()
    outcomes: ClassVar[tuple[Outcome, ...]] = ()
    funding_line: ClassVar[FundingLine | None] = None
    always_on: ClassVar[bool] = False

    def __init__(self, model: Model, params: Any) -> None:
        self.model = model
        self.p = params

    def required(self, cls: type[P]) -> P:
        """A mechanism this one `requires` (so it is on whenever this one is), found by its class."""
        found = self.model.mechanism(cls)
        if found is None:
            raise RuntimeError(f"{self.name} requires {cls.name}, which is switched off")
        return found

    @classmethod
    def check_config(cls, config: Any) -> None:
        """Raise ValueError when the whole config is inconsistent with this mechanism (it is switched on)."""

    def init(self) -> None: ...
    def year_start(self) -> None: ...
    def labour(self) -> None: ...
    def produce(self) -> None: ...
    def pay(self) -> None: ...
    def settle(self) -> None: ...
    def close_accounts(self) -> None: ...
    def allocate_surplus(self) -> None: ...
    def pay_assistance(self) -> None: ...
    def year_end(self) -> None: ...
    def reset_year(self) -> None:
        """Zero the year's own counters, after the year's outcomes are reported (`reset_year_accumulators`)."""

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        """The declared `outcomes` of the year just closed, one array over villages per name; `lifted` marks the
        households that left poverty this year. Reads state only: it never changes it."""
        return {}


HOOKS_MONTH = ("labour", "produce", "pay", "settle")
HOOKS_YEAR_END = ("close_accounts", "allocate_surplus", "pay_assistance", "year_end")


def overrides(mechanism: Policy, hook: str) -> bool:
    """Whether the mechanism's class has its own `hook` (the base's hooks do nothing)."""
    return getattr(type(mechanism), hook) is not getattr(Policy, hook)
