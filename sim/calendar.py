"""The SimPy side: one monthly clock process and dated events (year start, harvests, illness onsets
and recoveries).

Month t runs as: the dated events due at t fire (in the order they were scheduled),
then the clock runs month t's body, then any end-of-month events (time t + 0.5,
e.g. the year end in December). The clock achieves this by yielding a zero-delay
timeout when it wakes, which SimPy queues behind every event already due at t.
`advance()` stops before month t+1's events, so between steps the state is that of
the end of month t. There is one process (the clock), not one per household: an
event carries the array of households it concerns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import simpy


@dataclass
class Dated:
    """The dated events one function schedules: `Economy._harvest`, or `Economy.year_start` for the lambdas
    it queues (a lambda is named after the function that made it)."""

    source: str  # "Class.method"
    end_of_month: bool
    first_month: int
    count: int = 0


class Calendar:
    """Months are integers: month 0 is January of the start year."""

    def __init__(self, month_body: Callable[[int], None]):
        self.env = simpy.Environment()
        self._month_body = month_body
        self._in_body = False
        self.dated: dict[tuple[str, bool], Dated] = {}  # every kind of dated event scheduled so far
        self._sources: dict[object, str] = {}  # the name each scheduling function's events are logged under
        self.env.process(self._clock())

    @property
    def month(self) -> int:
        return int(self.env.now)

    def _clock(self):
        while True:
            yield self.env.timeout(0)  # queue behind the dated events due now
            self._in_body = True
            try:
                self._month_body(int(self.env.now))
            finally:
                self._in_body = False
            yield self.env.timeout(1)

    def at(self, month: int, action: Callable[[], None], end_of_month: bool = False) -> None:
        """Run `action` at the start of `month`, before that month's body (or, with `end_of_month`,
        after the body, at time month + 0.5). Never in the past, and never at the start of the
        current month from inside its body (it would run after it)."""
        delay = month + (0.5 if end_of_month else 0.0) - self.env.now
        if delay < 0 or (delay == 0 and self._in_body):
            raise ValueError(f"cannot schedule month {month} during month {self.env.now}: too late")
        self.env.timeout(delay).callbacks.append(lambda _event: action())
        self._log(action, month, end_of_month)

    def _log(self, action: Callable[[], None], month: int, end_of_month: bool) -> None:
        target = getattr(action, "func", action)  # a functools.partial: the function it calls
        code = getattr(target, "__code__", None)  # one name per code object: worked out once
        source = self._sources.get(code) if code is not None else None
        if source is None:
            qualname = getattr(target, "__qualname__", type(target).__name__)
            source = qualname.split(".<locals>")[0] + (" (its events)" if "<lambda>" in qualname else "")
            if code is not None:
                self._sources[code] = source
        entry = self.dated.get((source, end_of_month))
        if entry is None:
            entry = self.dated[(source, end_of_month)] = Dated(source, end_of_month, month)
        entry.count += 1

    def advance(self) -> None:
        """Run the current month: its dated events, then its body."""
        self.env.run(until=self.env.now + 1)
