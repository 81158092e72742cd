"""The pinned regression baseline: fresh fixed-seed runs give exactly the stored yearly outcomes.

Money is compared to the fen and counts exactly; ratios (shares, per-person incomes, indices) to a
relative 1e-9. A change MEANT to move results regenerates tests/baseline.json with
`python -m tests.regen_baseline`, in a commit of its own saying why.
"""

from __future__ import annotations

import json
import math

import pytest

from tests.regen_baseline import BASELINE_FILE, REGEN_COMMAND, RUNS, run_all

RTOL = 1e-9


@pytest.fixture(scope="module")
def fresh() -> dict:
    return run_all()


def _moved(stored, now) -> bool:
    if stored is None or now is None:
        return (stored is None) != (now is None)
    if isinstance(stored, int) and isinstance(now, int):
        return stored != now
    return not math.isclose(stored, now, rel_tol=RTOL, abs_tol=1e-12)


def differences(stored: list[dict], now: list[dict], keys: tuple[str, ...]) -> list[str]:
    """One line per outcome and row that moved or is gone, naming the row by its keys (year, village). An outcome
    the baseline does not have yet is no regression (a new mechanism's, a new run total)."""
    out = []
    if len(stored) != len(now):
        out.append(f"{len(now)} rows, the baseline has {len(stored)}")
    for old, new in zip(stored, now, strict=False):  # a length change is reported above
        where = ", ".join(f"{k} {new.get(k)}" for k in keys)
        for name in sorted(old):
            if name not in new:
                out.append(f"{where}: {name} is gone")
            elif _moved(old[name], new[name]):
                out.append(f"{where}: {name} {old[name]!r} -> {new[name]!r}")
    return out


@pytest.mark.parametrize("run", list(RUNS))
def test_baseline_unchanged(run: str, fresh: dict) -> None:
    stored = json.loads(BASELINE_FILE.read_text(encoding="utf-8"))[run]
    moved = differences(stored["yearly"], fresh[run]["yearly"], ("year",))
    if "yearly_by_village" in stored:
        moved += ["by village: " + m for m in differences(stored["yearly_by_village"],
                                                           fresh[run]["yearly_by_village"], ("village", "year"))]
    moved += ["run totals: " + m for m in differences([stored["final"]], [fresh[run]["final"]], ())]
    assert not moved, (f"run {run!r} moved from the pinned baseline ({len(moved)} values; money in fen):\n  "
                       + "\n  ".join(moved[:40]) + f"\nIf the change is meant to move results, regenerate with "
                       f"`{REGEN_COMMAND}` and commit tests/baseline.json saying why.")


def test_differences_name_the_outcome_and_year() -> None:
    """The failure message says which outcome moved in which year (and ignores a sub-tolerance wobble)."""
    old = [{"year": 2015, "wages_paid": 100, "gini": 0.3}]
    new = [{"year": 2015, "wages_paid": 101, "gini": 0.3 * (1 + 1e-12)}]
    assert differences(old, new, ("year",)) == ["year 2015: wages_paid 100 -> 101"]
