"""The interface every mechanism implements: a few lifecycle hooks called by the model in a fixed order."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from sim.model import VillageModel


class Policy:
    """One mechanism. Subclasses set `name` and override the hooks they need.

    Hooks (all optional), in the order the model calls them (see `VillageModel`):
    `init` once after the population is built; `year_start` in January;
    monthly `labour`, `produce`, `pay`, `settle` (the household budget closes the month); in December
    `close_accounts`, `allocate_surplus`, `pay_assistance`, `year_end`.
    """

    name: ClassVar[str] = ""

    def __init__(self, model: VillageModel, params) -> None:
        self.model = model
        self.p = params

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

    def outcomes(self, lifted):
        """Outcomes this policy computes at the year end, one array over villages per name (see
        `metrics.POLICY_OUTCOMES`); `lifted` marks the households that left poverty this year."""
        return {}


HOOKS_MONTH = ("labour", "produce", "pay", "settle")
HOOKS_YEAR_END = ("close_accounts", "allocate_surplus", "pay_assistance", "year_end")
