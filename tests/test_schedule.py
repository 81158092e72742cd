"""The schedule in one place: `VillageModel.schedule()` / `coopsim schedule`, the model docstring and the ODD agree;
computing the year's outcomes changes no state."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from sim.metrics import year_end_outcomes
from sim.model import VillageModel
from sim.policies import registry
from sim.schedule import YEAR_END_STEPS, schedule_names

ROOT = Path(__file__).resolve().parents[1]
ODD = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")


def _every_policy(years: int = 1) -> VillageModel:
    return VillageModel(config=ROOT / "configs" / "village.yaml", rng=2, years=years,
                        overrides={"village.households": 60, "policies": list(registry.policy_names())})


def _named_in_order(text: str) -> list[str]:
    """The schedule's step names as `code` in the text, first mentions, in order."""
    seen: list[str] = []
    for name in re.findall(r"`(\w+)`", text):
        if name in schedule_names() and name not in seen:
            seen.append(name)
    return seen


def test_the_table_lists_every_phase_in_order_with_who_runs_each_step():
    table = _every_policy().run().schedule()
    assert list(table.columns) == ["order", "phase", "when", "step", "who", "what"]
    steps = [s for s in dict.fromkeys(table.loc[table.phase != "dated event", "step"])]
    assert steps == list(schedule_names())
    assert list(dict.fromkeys(table.phase)) == ["year start", "dated event", "month", "year end"]
    year_end = table[table.phase == "year end"]
    assert year_end.step.tolist()[-len(YEAR_END_STEPS):] == list(YEAR_END_STEPS)
    dated = table[table.phase == "dated event"]
    assert {"economy", "governance", "party_organisation"} <= set(dated.who)  # who queued them
    month = table[table.phase == "month"]
    order = ["economy", *registry.policy_names()]
    for hook in ("labour", "produce", "pay"):  # the economy first, then schedule order
        who = month[month.step == hook].who.tolist()
        assert who == sorted(who, key=order.index)


def test_docstring_and_odd_follow_the_schedule():
    assert _named_in_order(VillageModel.__doc__ or "") == list(schedule_names())
    section = ODD.split("## 3. Process overview and scheduling", 1)[1].split("## 4.", 1)[0]
    assert _named_in_order(section) == list(schedule_names())


def test_coopsim_schedule_prints_the_order():
    res = subprocess.run([sys.executable, "-m", "sim", "schedule", "configs/village.yaml"], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert "step" in lines[0] and "who" in lines[0]
    first = [next(i for i, line in enumerate(lines) if f" {s} " in line + " ") for s in ("schedule_year", "labour",
                                                                                         "report_outcomes")]
    assert first == sorted(first)


def _state(model: VillageModel) -> dict:
    """Everything the outcome computation could change: the arrays, the mechanisms' own state, the counters."""
    parts = {"hh": model.hh.__dict__, "party": model.party.__dict__, "coops": model.coops.__dict__,
             "vill": model.vill.__dict__, "balance": {"b": model.ledger.balance},
             "model": {k: v for k, v in model.__dict__.items() if k.startswith(("public_", "lifted", "returned"))}}
    for name in model.active_policies:
        parts[name] = {k: v for k, v in model.policy(name).__dict__.items() if isinstance(v, (np.ndarray, int, float))}
    return copy.deepcopy(parts)


def _same(a, b) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray):
        return np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b or (a != a and b != b)


def test_computing_the_outcomes_twice_gives_the_same_and_changes_nothing():
    model = _every_policy(years=2).run()
    before = _state(model)
    first = year_end_outcomes(model, model.last_income_fen, model.last_flows)
    second = year_end_outcomes(model, model.last_income_fen, model.last_flows)
    assert _same(first, second)
    assert _same(_state(model), before)
    assert first[0]["poverty_headcount_ratio"] == model.history[-1]["poverty_headcount_ratio"]
