"""Compiled month kernels: the hottest per-month household arithmetic as plain loops compiled by numba, each
with its numpy twin; `COOPSIM_KERNELS=numba|numpy` picks the path (numba when it is installed).

A kernel is a `Kernel(numpy_twin, loop)`: the loop is compiled on its first call (`njit(cache=True)`: the machine
code is kept on disk beside this file, so a worker process loads it instead of compiling), and numba is imported
only then, so `import sim` stays light. Both paths do the same integer-fen and IEEE double arithmetic in the same
order, so they give exactly equal results (tests/test_kernels.py runs whole villages on both and compares them).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from typing import Any

from sim import interrupt
from sim.errors import UserInputError

CHOICES = ("numba", "numpy")
ENV = "COOPSIM_KERNELS"


def chosen() -> str:
    """The path `COOPSIM_KERNELS` asks for; unset or empty: numba when it is installed, else numpy."""
    value = os.environ.get(ENV, "").strip().lower()
    if not value:
        return "numba" if importlib.util.find_spec("numba") is not None else "numpy"
    if value not in CHOICES:
        raise UserInputError(f"{value!r} is not a kernel path; allowed: {', '.join(CHOICES)}", field=ENV)
    return value


class Kernel:
    """One kernel's two paths; calling it runs the chosen one (resolved on the first call, see `select`)."""

    registry: list[Kernel] = []

    def __init__(self, numpy_twin: Callable[..., Any], loop: Callable[..., Any]):
        self.numpy_twin, self.loop = numpy_twin, loop
        self._compiled: Callable[..., Any] | None = None
        self._run: Callable[..., Any] | None = None
        Kernel.registry.append(self)

    def __call__(self, *args: Any) -> Any:
        run = self._run or self._resolve()
        try:
            result = run(*args)
        except BaseException as exc:
            # a stop signalled while compiled code ran is what the job must see, whatever it became there
            stop = interrupt.stop_in(exc)
            if stop is not None and stop is not exc:
                raise stop from None
            raise
        interrupt.raise_held()
        return result

    def _resolve(self) -> Callable[..., Any]:
        if chosen() == "numpy":
            self._run = self.numpy_twin
        else:
            if self._compiled is None:
                from numba import njit  # deferred: numba takes about half a second to import

                self._compiled = njit(cache=True)(self.loop)
            self._run = self._compiled
        return self._run


def select(path: str | None = None) -> None:
    """Re-resolve every kernel on its next call: `path` overrides COOPSIM_KERNELS (None: read it again)."""
    if path is not None:
        if path not in CHOICES:
            raise UserInputError(f"{path!r} is not a kernel path; allowed: {', '.join(CHOICES)}", field=ENV)
        os.environ[ENV] = path
    for k in Kernel.registry:
        k._run = None


def kernel(numpy_twin: Callable[..., Any]) -> Callable[[Callable[..., Any]], Kernel]:
    """Decorator on the loop: `@kernel(numpy_twin) def loop(...)` makes the pair one `Kernel`."""
    return lambda loop: Kernel(numpy_twin, loop)
