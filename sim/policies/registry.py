"""The mechanisms and every central catalogue derived from what each declares about itself (sim/policies/base.py).

Every module in sim/policies/ is imported once and each `Policy` subclass it defines with a `name` is
registered: adding a mechanism is adding its file (and its test, and its section in configs/village.yaml).
A mechanism defined elsewhere (a test, a plug-in) joins through `register(cls)`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

import sim.policies
from sim.declarations import FundingLine, Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.schema import Strict

_REGISTERED: dict[str, type[Policy]] = {}  # by name, switchable mechanisms and the economy
_LISTENERS: list[Callable[[], None]] = []
_ORDER: list[tuple[str, ...]] = []  # the schedule order, worked out once per change of the registry (`policy_names`)


def register(cls: type[Policy]) -> type[Policy]:
    """Add a mechanism (usable as a class decorator). Its declarations are checked against everything already
    registered: a name, outcome, source or funding line declared twice with different meanings is an error."""
    _check(cls)
    _REGISTERED[cls.name] = cls
    _changed()
    return cls


def unregister(name: str) -> None:
    """Remove a mechanism registered with `register` (a test's, when it is done)."""
    del _REGISTERED[name]
    _changed()


def on_change(listener: Callable[[], None]) -> None:
    """Call `listener()` whenever a mechanism is registered or removed from now on (the config syncs its
    sections)."""
    _LISTENERS.append(listener)


def _changed() -> None:
    _ORDER.clear()
    for listener in _LISTENERS:
        listener()


def _check(cls: type[Policy]) -> None:
    if not cls.name or cls.name in _REGISTERED and _REGISTERED[cls.name] is not cls:
        raise ValueError(f"{cls.__qualname__}: a mechanism needs a unique name (got {cls.name!r})")
    if not (isinstance(cls.Params, type) and issubclass(cls.Params, Strict)):
        raise ValueError(f"{cls.name}: Params must be a Strict model")
    others = [m for m in _REGISTERED.values() if m is not cls]
    taken = {o.name for m in others for o in m.outcomes}
    taken |= {o.total for m in others for o in m.outcomes if o.total}
    for o in cls.outcomes:
        if o.name in taken or o.total in taken:
            raise ValueError(f"{cls.name}: outcome {o.name!r} is already declared")
    known = {s.name: s for m in others for s in m.sources}
    for s in cls.sources:
        if s.name in known and known[s.name] != s:
            raise ValueError(f"{cls.name}: source {s.name!r} is declared elsewhere as {known[s.name]}")
    line = cls.funding_line
    if line is not None and any(m.funding_line and m.funding_line.name == line.name for m in others):
        raise ValueError(f"{cls.name}: funding line {line.name!r} is already declared")


def _discover() -> None:
    package = sim.policies
    for info in pkgutil.iter_modules(package.__path__):
        if info.name in ("base", "registry"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for obj in vars(module).values():
            if (isinstance(obj, type) and issubclass(obj, Policy) and obj.__module__ == module.__name__
                    and obj.name):
                register(obj)


# -- the catalogues (live: a mechanism registered later is in them) ---------------------------------------------
def mechanisms() -> list[type[Policy]]:
    """Every mechanism: the always-on ones (the economy first), then the switchable ones in schedule order."""
    return [*always_on(), *(_REGISTERED[n] for n in policy_names())]


def always_on() -> list[type[Policy]]:
    """The mechanisms every run has: the household economy first, then the others by name (registration)."""
    on = [m for m in _REGISTERED.values() if m.always_on]
    return sorted(on, key=lambda m: (m.name != "economy", m.name))


def policy_names() -> tuple[str, ...]:
    """The switchable mechanisms in their order within each phase: after what each names in `after`, before
    what it names in `before`, ties broken by name (a stable topological order)."""
    if not _ORDER:
        _ORDER.append(_schedule_order())
    return _ORDER[0]


def _schedule_order() -> tuple[str, ...]:
    switchable = {n: m for n, m in _REGISTERED.items() if not m.always_on}
    first = {n: {a for a in m.after if a in switchable} for n, m in switchable.items()}
    for n, m in switchable.items():
        for b in m.before:
            if b in switchable:
                first[b].add(n)
    done: list[str] = []
    while len(done) < len(switchable):
        ready = sorted(n for n in switchable if n not in done and first[n] <= set(done))
        if not ready:
            stuck = sorted(set(switchable) - set(done))
            raise ValueError(f"the mechanisms' `after` declarations form a cycle among {', '.join(stuck)}")
        done.append(ready[0])
    return tuple(done)


def policy_groups() -> dict[str, tuple[str, ...]]:
    """Named groups of mechanisms: a group's name in `policies:` (a config, an experiment, --set) stands for its
    members, in schedule order (a mechanism joins a group by naming it in `groups`)."""
    out: dict[str, tuple[str, ...]] = {}
    for n in policy_names():
        for g in _REGISTERED[n].groups:
            out[g] = (*out.get(g, ()), n)
    return out


def expand_groups(names: list[str]) -> list[str]:
    """Policy names with each group replaced by its members (first mention kept, duplicates dropped)."""
    groups = policy_groups()
    out: list[str] = []
    for name in names:
        for member in groups.get(name, (name,)):
            if member not in out:
                out.append(member)
    return out


def policy_class(name: str) -> type[Policy]:
    """The mechanism called `name` (switchable or always on)."""
    return _REGISTERED[name]


def requires() -> dict[str, tuple[str, ...]]:
    return {n: _REGISTERED[n].requires for n in policy_names() if _REGISTERED[n].requires}


def sources() -> tuple[Source, ...]:
    """Every ledger source, once, in declaration order (the economy's first)."""
    out: dict[str, Source] = {}
    for m in mechanisms():
        for s in m.sources:
            out.setdefault(s.name, s)
    return tuple(out.values())


def outcomes() -> dict[str, Outcome]:
    """Every yearly outcome by name: the economy's, then each mechanism's in schedule order."""
    return {o.name: o for m in mechanisms() for o in m.outcomes}


def owner(outcome: str) -> str:
    """The mechanism declaring `outcome`."""
    return next(m.name for m in mechanisms() if any(o.name == outcome for o in m.outcomes))


def run_totals() -> tuple[str, ...]:
    """The yearly flows whose sum over the run is reported as `<name>_total` (a flow whose total is itself a
    yearly outcome, as `public_spending_total`, has it there already)."""
    declared = outcomes()
    return tuple(o.name for o in declared.values() if o.kind == "flow" and o.total not in declared)


def funding_lines() -> dict[str, FundingLine]:
    return {m.funding_line.name: m.funding_line for m in mechanisms() if m.funding_line is not None}


def funding_line_policies() -> dict[str, str]:
    """The mechanism that spends each line."""
    return {m.funding_line.name: m.name for m in mechanisms() if m.funding_line is not None}


def funding_line_policy(line: str) -> str:
    return funding_line_policies()[line]


_discover()
