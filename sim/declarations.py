"""What a mechanism declares about itself besides its parameters and money tags: its outcomes and its funding line.

The records are plain data (foundation layer); the registry (sim/policies/registry.py) gathers every
mechanism's declarations into the central catalogues. The money tags are the ledger's `Source`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

OutcomeKind = Literal["stock", "flow", "ratio"]
Pacing = Literal["start", "yearly", "as_due"]


@dataclass(frozen=True)
class Outcome:
    """One yearly outcome column. `kind`: "stock" (a level at the year end), "flow" (the year's amount: the
    run also reports its sum over the years as `<name>_total`), "ratio" (a share, index or per-person mean)."""

    name: str
    unit: str
    label_en: str
    label_zh: str
    kind: OutcomeKind = "stock"

    @property
    def total(self) -> str | None:
        """The run total's column (flows only)."""
        return f"{self.name}_total" if self.kind == "flow" else None


@dataclass(frozen=True)
class FundingLine:
    """A budget envelope of a funding scenario (configs/funding/*.yaml), spent by the mechanism declaring it.

    `sources`: the public-programme ledger sources its money is booked under (so spending is read from the
    ledger). `pacing` decides what the line makes available at a time (`Funder.available`): "start" and
    "as_due" everything still unspent, "yearly" an even share of what is left over the years left."""

    name: str
    pacing: Pacing
    rule: str  # how the money becomes things (for the docs and `coopsim run`)
    sources: tuple[str, ...]
