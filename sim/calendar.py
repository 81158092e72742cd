"""The SimPy side: one monthly clock process and dated events (harvests, illness onsets and recoveries).

Dated events are scheduled with URGENT priority, so everything due in month t fires
before the clock runs month t's body. There is one process (the clock), not one per
household: an event carries the array of households it concerns.
"""

from __future__ import annotations

from typing import Callable

import simpy
from simpy.core import URGENT
from simpy.events import Event


class _Dated(Event):
    def __init__(self, env: simpy.Environment, delay: int, action: Callable[[], None]):
        super().__init__(env)
        self._ok = True
        self._value = None
        self.callbacks.append(lambda _event: action())
        env.schedule(self, URGENT, delay)


class Calendar:
    """Months are integers: month 0 is January of the start year."""

    def __init__(self, month_body: Callable[[int], None]):
        self.env = simpy.Environment()
        self._month_body = month_body
        self._in_body = False
        self.env.process(self._clock())

    @property
    def month(self) -> int:
        return int(self.env.now)

    def _clock(self):
        while True:
            # a zero delay at NORMAL priority lets every URGENT event due now fire first
            yield self.env.timeout(0)
            self._in_body = True
            try:
                self._month_body(int(self.env.now))
            finally:
                self._in_body = False
            yield self.env.timeout(1)

    def at(self, month: int, action: Callable[[], None]) -> None:
        """Run `action` at the start of `month` (before that month's body); not in the past."""
        delay = month - self.env.now
        if delay < 0 or (delay == 0 and self._in_body):
            raise ValueError(f"cannot schedule month {month} during month {self.env.now}: too late")
        _Dated(self.env, delay, action)

    def advance(self) -> None:
        """Run the current month: its dated events, then its body."""
        self.env.run(until=self.env.now + 1)
