"""What a planner asks to split: the county (or village) config every candidate runs on, the budget, the funding
lines being split, the current split and the shipped splits to beat, read from an experiment, a config or a
funding scenario file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.config import Config, apply_overrides, load_config, parse_override, read_yaml, validate
from sim.errors import UserInputError
from sim.experiment import input_hashes, load_experiment
from sim.policies import registry

BASELINE = "no_programme"  # the reference every outcome is measured against: no programme money at all
DEFAULT_CONFIG = "configs/county.yaml"


@dataclass
class Problem:
    template: dict  # resolved config (JSON data) every candidate runs on; its `funding` is replaced
    years: int
    budget_yuan: float  # what the split shares out (scaled: what the simulated villages get)
    lines: list[str]
    scenarios: dict[str, dict[str, float]]  # the current split and the shipped ones, yuan per line (scaled)
    current: str
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (English, Chinese)
    source: str = ""
    inputs: dict[str, str] = field(default_factory=dict)
    capacity: dict[str, float] | None = None  # what each line can use (sim/plan/absorb.py), once measured

    def config(self, name: str, split: dict[str, float]) -> dict:
        """The template with `split` as its funding scenario (a zero budget: no programme money)."""
        return funded(self.template, name, split, self.years)


def funded(template: dict, name: str, split: dict[str, float], years: int) -> dict:
    """`template` (config data) with `split` (yuan per line) as its funding scenario, run for `years`."""
    lines = {k: float(v) for k, v in split.items() if v > 0}
    funding = {"name": name, "budget_yuan": float(sum(lines.values())), "lines": lines, "scale": 1.0}
    return {**template, "funding": funding, "years": years}


def _scaled(funding: Any) -> dict[str, float]:
    return {k: float(v) * float(funding.get("scale", 1.0)) for k, v in (funding.get("lines") or {}).items()}


def load_problem(path: str | Path, overrides: list[str] | None = None, current: str | None = None,
                 budget_yuan: float | None = None, lines: list[str] | None = None) -> Problem:
    """Read the file: an experiment (its variants with funding are the shipped splits), a config (its scenario is
    the current split) or a funding scenario (run on configs/county.yaml). `overrides` (--set) apply to all."""
    data = read_yaml(path)
    if "variants" in data:
        scen, labels, template, years, cur = _from_experiment(path, current)
    else:
        scen, labels, template, years, cur = _from_config(path, data)
    template = _apply(template, overrides)
    if not scen:
        raise UserInputError("no funding scenario to start from: give a config with `funding:`, a scenario file, "
                             "or an experiment whose variants name scenarios", file=str(path))
    chosen = lines or _lines_of(scen, template)
    problem = Problem(template, years, budget_yuan or sum(scen[cur].values()), chosen, scen, cur, labels, str(path))
    problem.inputs = input_hashes([str(path)])
    return problem


def _from_experiment(path, current: str | None):
    plan = load_experiment(path)
    configs = {r.variant: json.loads(r.config) for r in plan.runs}
    scen = {v: _scaled(c["funding"]) for v, c in configs.items()
            if c.get("funding") and sum(_scaled(c["funding"]).values()) > 0}
    labels = {v.name: (v.label_en or v.name, v.label_zh or v.label_en or v.name) for v in plan.experiment.variants}
    if current is not None and current not in scen:
        raise UserInputError(f"no variant {current!r} with programme money; variants with money: "
                             f"{', '.join(scen)}", field="--current")
    cur = current or next(iter(scen), "")
    years = plan.runs[0].years
    return scen, labels, configs[cur] if cur else plan.base_config, years, cur


def _from_config(path, data: dict):
    # a funding scenario is run on the county
    cfg = load_config(DEFAULT_CONFIG, {"funding": str(path)}) if "budget_yuan" in data else load_config(path)
    template = cfg.model_dump(mode="json")
    if cfg.funding is None:
        return {}, {}, template, cfg.years, ""
    name = cfg.funding.name
    return {name: _scaled(template["funding"])}, {name: (name, name)}, template, cfg.years, name


def _apply(template: dict, overrides: list[str] | None) -> dict:
    if not overrides:
        return template
    pairs = dict(parse_override(o) for o in overrides)
    merged = apply_overrides(template, pairs, "--set", Config().model_dump(mode="json"))
    return validate(Config, merged, "--set").model_dump(mode="json")


def _lines_of(scen: dict[str, dict[str, float]], template: dict) -> list[str]:
    """Every line a shipped split funds, in declaration order, whose mechanism is switched on."""
    on = set(template.get("policies") or [])
    named = {k for s in scen.values() for k, v in s.items() if v > 0}
    policies = registry.funding_line_policies()
    return [n for n in registry.funding_lines() if n in named and policies[n] in on]


def rescale(problem: Problem, factor: float) -> Problem:
    """The problem with its budget and every shipped split multiplied by `factor`."""
    if factor != 1.0:
        problem.budget_yuan *= factor
        problem.scenarios = {k: {n: v * factor for n, v in s.items()} for k, s in problem.scenarios.items()}
    return problem
