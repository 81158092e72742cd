"""Checks that a place's held-out figures were not used to build it: no held-out value in its config or priors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sim.places import Place

REL_TOL = 1e-9  # the same number, up to float rounding


def numbers(node: Any, path: str = "") -> Iterator[tuple[str, float]]:
    """Every number in a nested config (dicts and lists), with its dotted path."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from numbers(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from numbers(v, f"{path}.{i}")
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield path, float(node)


def place_numbers(place: Place) -> Iterator[tuple[str, float]]:
    """The resolved config's numbers (its own settings and every default) and the priors' bounds."""
    yield from numbers(place.config.model_dump(mode="json"))
    for i, p in enumerate(place.info.free_parameters):
        yield f"place.free_parameters.{i}.low ({p.path})", p.low
        yield f"place.free_parameters.{i}.high ({p.path})", p.high


def held_out_leaks(place: Place) -> list[str]:
    """'target = value at setting' for every held-out figure whose value is a config number or a prior bound."""
    leaks = []
    held = [t for t in place.info.targets if t.role == "held_out"]
    for path, x in place_numbers(place):
        for t in held:
            if abs(x - t.reported) <= REL_TOL * max(abs(t.reported), 1e-12):
                leaks.append(f"{place.key}: held-out {t.id} = {t.reported:g} appears at {path}")
    return leaks
