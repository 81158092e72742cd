"""Guards on a place's fit file: a fit too small or degenerate is refused, a better fit is never replaced silently.

A fit is refused (exit 2, one line) unless `--force` when: its population is below MIN_POPULATION, it ran fewer
than MIN_GENERATIONS generations, its last population's effective sample size is below MIN_ESS, or a parameter's
posterior has collapsed (its 90% interval has zero width). A new fit never replaces one of the same place file
with more runs (conditional on the same shared values) unless `--force`; whatever it replaces is kept beside it
as `fit.previous.json`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sim.errors import UserInputError
from sim.io import atomic_write_json

MIN_POPULATION = 20  # particles per generation: fewer cannot describe a posterior's 5-95% range
MIN_GENERATIONS = 2  # one generation is a rejection sample at the first (loose) epsilon
MIN_ESS = 10.0  # Kish effective sample size of the last population


def problems(fit: dict) -> list[str]:
    """Why a fit is too small or degenerate (empty: it may be written)."""
    out = []
    if fit["population"] < MIN_POPULATION:
        out.append(f"population {fit['population']} is below {MIN_POPULATION}")
    if fit["generations"] < MIN_GENERATIONS:
        out.append(f"{fit['generations']} generation(s), the method needs at least {MIN_GENERATIONS}")
    if fit["ess"] < MIN_ESS:
        out.append(f"effective sample size {fit['ess']:.1f} is below {MIN_ESS:g}")
    flat = [k for k, v in fit["fitted"].items() if v["high_95"] <= v["low_5"]]
    if flat:
        out.append(f"degenerate posterior (a single value) for {', '.join(flat)}")
    return out


def check_fit(fit: dict, force: bool, path: Path) -> None:
    found = problems(fit)
    if found and not force:
        raise UserInputError(f"fit refused, not written: {'; '.join(found)}; run a larger fit (--population, "
                             "the place's calibration settings) or --force to write it anyway", file=str(path))


def write_fit(fit: dict, path: Path, force: bool, log: Callable[[str], None]) -> None:
    """Write the fit; keep the one it replaces as fit.previous.json; never replace a larger one unless forced."""
    if path.exists():
        old = json.loads(path.read_text(encoding="utf-8"))
        same = old.get("place_fingerprint") == fit["place_fingerprint"] and "posterior" in old
        same = same and old.get("conditional_on", {}) == fit.get("conditional_on", {})
        larger = same and old.get("runs", 0) > fit["runs"]
        if larger and not force:
            raise UserInputError(f"a fit with more runs exists ({old['runs']} against this one's {fit['runs']}): "
                                 "kept, this one not written; --force to replace it (it is then kept as "
                                 "fit.previous.json)", file=str(path))
        previous = path.with_name("fit.previous.json")
        path.replace(previous)
        log(f"the previous fit is kept as {previous}")
    atomic_write_json(path, fit)
