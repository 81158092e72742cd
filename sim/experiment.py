"""Experiment files: a base config, named variants, replicates and an optional sweep, expanded into
run specs with common random numbers (replicate r has the same seed in every variant and point)."""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from sim.config import Config, apply_overrides, funding_relative_to, read_yaml, validate
from sim.errors import UserInputError
from sim.folder import read_marker
from sim.jobsize import JobSize, households_of, sweep_point_count
from sim.policies import registry
from sim.schema import Strict


class Variant(Strict):
    name: str = Field(min_length=1)
    label_en: str | None = None
    label_zh: str | None = None
    description: str = ""
    overrides: dict[str, Any] = Field(default_factory=dict)


class SweepParameter(Strict):
    """A swept setting (dotted config key) with its range; `values` for a grid of given values."""

    low: float | None = None
    high: float | None = None
    values: list[Any] | None = None
    integer: bool = False

    @model_validator(mode="after")
    def _range(self) -> SweepParameter:
        if self.values is None:
            if self.low is None or self.high is None:
                raise ValueError("give low and high (or a list of values)")
            if self.high < self.low:
                raise ValueError("high must be >= low")
        elif not self.values:
            raise ValueError("values must not be empty")
        return self

    def bounds(self) -> tuple[float, float]:
        """(low, high) of a range parameter (the validator made sure both are given)."""
        if self.low is None or self.high is None:
            raise ValueError("a parameter given by values has no range")
        return self.low, self.high


class Sweep(Strict):
    # grid: every combination of `values` (or `levels` evenly spaced points from low to high);
    # lhs: `samples` Latin-hypercube points; sobol: SALib Saltelli/Sobol sample with base `samples`
    # (a power of two); morris: SALib Morris with `samples` trajectories of `levels` levels
    method: Literal["grid", "lhs", "sobol", "morris"] = "grid"
    parameters: dict[str, SweepParameter] = Field(min_length=1)
    samples: int = Field(default=16, ge=1, le=1_000_000)
    levels: int = Field(default=4, ge=2, le=100)

    @model_validator(mode="after")
    def _method_needs(self) -> Sweep:
        if self.method == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(f"sobol samples must be a power of two (got {self.samples})")
        if self.method in ("lhs", "sobol", "morris"):
            for name, p in self.parameters.items():
                if p.values is not None:
                    raise ValueError(f"{self.method} needs low and high for {name}, not values")
        return self


class Experiment(Strict):
    name: str = Field(min_length=1)
    description: str = ""
    # the briefing's title and description (`coopsim report`); defaults: the name, `description`
    title_en: str | None = None
    title_zh: str | None = None
    description_zh: str | None = None
    base: str = "configs/village.yaml"  # relative to the experiment file's folder, then to the working folder
    overrides: dict[str, Any] = Field(default_factory=dict)  # applied to the base for every variant
    years: int | None = Field(default=None, ge=1, le=100)
    replicates: int = Field(default=10, ge=1, le=100_000)
    seed: int = Field(default=20240601, ge=0)
    variants: list[Variant] = Field(default_factory=lambda: [Variant(name="base")], min_length=1)
    baseline: str | None = None
    sweep: Sweep | None = None
    outcomes: list[str] | None = None  # outcomes kept in the tables (default: all)
    runs_per_task: int = Field(default=8, ge=1, le=10_000)

    @field_validator("variants")
    @classmethod
    def _unique(cls, v: list[Variant]) -> list[Variant]:
        names = [x.name for x in v]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"variant names must be unique: {', '.join(sorted(dup))}")
        return v

    @model_validator(mode="after")
    def _baseline_known(self) -> Experiment:
        names = [v.name for v in self.variants]
        if self.baseline is not None and self.baseline not in names:
            raise ValueError(f"baseline {self.baseline!r} is not a variant; variants: {', '.join(names)}")
        if self.outcomes is not None:
            allowed = set(registry.outcomes()) | {f"{k}_total" for k in registry.run_totals()}
            for o in self.outcomes:
                if o not in allowed:
                    hint = difflib.get_close_matches(o, sorted(allowed), n=3)
                    raise ValueError(f"outcomes: unknown outcome {o!r}"
                                     + (f" (did you mean {', '.join(map(repr, hint))}?)" if hint else "")
                                     + f"; the {len(allowed)} outcomes are listed in sim/metrics.py (OUTCOMES) "
                                       f"and runs.parquet's columns")
        return self

    @property
    def baseline_variant(self) -> str:
        return self.baseline or self.variants[0].name


@dataclass(frozen=True)
class RunSpec:
    run_id: int
    variant: str
    point: int  # sweep point index (0 without a sweep)
    replicate: int
    seed: int
    params: tuple[tuple[str, Any], ...]  # swept values at this point
    config: str  # resolved config, JSON (plain data, so it travels to any worker)
    years: int


@dataclass
class Plan:
    """An experiment resolved into runs."""

    experiment: Experiment
    file: str
    base_config: dict
    points: list[dict[str, Any]]  # swept values per point
    seeds: list[int]  # per replicate
    runs: list[RunSpec]
    fingerprint: str  # of everything the runs read: the experiment, resolved configs, scenario contents
    inputs: dict[str, str] = field(default_factory=dict)  # each file read -> its content hash

    def tasks(self) -> list[list[RunSpec]]:
        k = self.experiment.runs_per_task
        return [self.runs[i:i + k] for i in range(0, len(self.runs), k)]


def replicate_seeds(seed: int, replicates: int) -> list[int]:
    """Replicate r's seed, from numpy's SeedSequence of the experiment seed: the same in every variant."""
    children = np.random.SeedSequence(seed).spawn(replicates)
    return [int(c.generate_state(1, np.uint64)[0] >> 1) for c in children]


def sweep_points(sweep: Sweep | None, seed: int) -> tuple[list[dict[str, Any]], np.ndarray | None]:
    """The sweep's points as {dotted key: value}; also the raw sample matrix for SALib analysis."""
    if sweep is None:
        return [{}], None
    names = list(sweep.parameters)
    params = [sweep.parameters[n] for n in names]
    if sweep.method == "grid":
        axes = [p.values if p.values is not None else list(np.linspace(*p.bounds(), sweep.levels)) for p in params]
        matrix = None
        combos = list(itertools.product(*axes))
    else:
        if sweep.method == "lhs":
            from scipy.stats import qmc

            unit = qmc.LatinHypercube(d=len(names), seed=seed).random(sweep.samples)
            matrix = qmc.scale(unit, [p.low for p in params], [p.high for p in params]) if names else unit
        else:
            problem = salib_problem(sweep)
            if sweep.method == "sobol":
                from SALib.sample import sobol

                matrix = sobol.sample(problem, sweep.samples, calc_second_order=False, seed=seed)
            else:
                from SALib.sample import morris

                matrix = morris.sample(problem, sweep.samples, num_levels=sweep.levels, seed=seed)
        combos = [tuple(row) for row in matrix]
    points = []
    for combo in combos:
        points.append({n: (int(round(float(v))) if p.integer else _plain(v))
                       for n, p, v in zip(names, params, combo, strict=True)})
    return points, matrix


def salib_problem(sweep: Sweep) -> dict:
    names = list(sweep.parameters)
    return {"num_vars": len(names), "names": names,
            "bounds": [[sweep.parameters[n].low, sweep.parameters[n].high] for n in names]}


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v


def _base_path(base: str, file: Path) -> Path:
    candidate = (file.parent / base)
    return candidate if candidate.exists() else Path(base)


def load_experiment(path: str | Path, confirm_size: Callable[[Any], None] | None = None) -> Plan:
    """Read, validate and expand an experiment file; every problem is a UserInputError naming the file.
    `confirm_size(JobSize)` may refuse a job too big to expand (see sim/jobsize.py) before its runs are made."""
    file = Path(path)
    data = read_yaml(file)
    exp: Experiment = validate(Experiment, data, str(file))
    base_file = _base_path(exp.base, file)
    base = read_yaml(base_file) if base_file.exists() else None
    if base is None:
        raise UserInputError(f"base config {exp.base!r} not found (looked next to the experiment file and in "
                             f"the working folder)", file=str(file), field="base")
    return build_plan(exp, base, str(file), str(base_file), confirm_size)


def build_plan(exp: Experiment, base: dict, file: str, base_file: str | None = None,
               confirm_size: Callable[[Any], None] | None = None) -> Plan:
    """Expand an experiment over a base config (plain data) into runs; used by `load_experiment` and by
    code that builds experiments itself (calibration, validation). Errors name `file`."""
    defaults = Config().model_dump(mode="json")
    folder = Path(file).parent  # scenario paths: relative to the file naming them
    base = funding_relative_to(base, Path(base_file).parent if base_file else folder)
    try:
        base = apply_overrides(base, funding_relative_to(exp.overrides, folder), file, defaults)
        base_model = validate(Config, base, base_file or file)
    except UserInputError as err:
        raise err.within(file, "overrides") from None
    base_cfg = base_model.model_dump(mode="json")
    if confirm_size is not None:
        n_runs = len(exp.variants) * sweep_point_count(exp.sweep) * exp.replicates
        confirm_size(JobSize(n_runs, households_of(base_model), exp.years or base_model.years))
    points, _ = sweep_points(exp.sweep, exp.seed)
    seeds = replicate_seeds(exp.seed, exp.replicates)
    years = exp.years or base_cfg["years"]
    resolved: dict[tuple[str, int], str] = {}
    for vi, variant in enumerate(exp.variants):
        for pi, point in enumerate(points):
            merged = funding_relative_to({**variant.overrides, **point}, folder)
            try:
                cfg = validate(Config, apply_overrides(base_cfg, merged, file, defaults), None)
            except UserInputError as err:
                where = f"variants.{vi}.overrides" if not point else f"variants.{vi} at sweep point {pi}"
                raise err.within(file, where) from None
            cfg_json = cfg.model_dump(mode="json")
            cfg_json["years"] = years
            resolved[(variant.name, pi)] = json.dumps(cfg_json, sort_keys=True)
    runs: list[RunSpec] = []
    for variant in exp.variants:
        for pi, point in enumerate(points):
            for r, seed in enumerate(seeds):
                runs.append(RunSpec(len(runs), variant.name, pi, r, seed, tuple(point.items()),
                                    resolved[(variant.name, pi)], years))
    inputs = input_hashes([file, base_file, *_scenario_files(resolved.values())])
    fingerprint = hashlib.sha256(json.dumps(
        [exp.model_dump(mode="json"), base_cfg, sorted(resolved.values()), sorted(inputs.values())],
        sort_keys=True, default=str).encode()).hexdigest()[:16]
    return Plan(exp, str(file), base_cfg, points, seeds, runs, fingerprint, inputs)


def _scenario_files(configs) -> list[str]:
    found = []
    for cfg in configs:
        funding = json.loads(cfg).get("funding")
        if isinstance(funding, dict) and funding.get("file"):
            found.append(funding["file"])
    return found


def input_hashes(files) -> dict[str, str]:
    """Content hash of every file an experiment reads (experiment, base config, scenarios, place file)."""
    out = {}
    for f in files:
        if f and f not in out and Path(f).is_file():
            out[f] = hashlib.sha256(Path(f).read_bytes()).hexdigest()[:16]
    return out


def refuse_edited(plan: Plan, folder: Path) -> None:
    """Results of this experiment from before an input changed are not resumed (runs would mix old and
    new inputs): the error names the file that changed."""
    marker = read_marker(folder)
    if not marker or marker.get("kind") != "experiment" or marker.get("fingerprint") == plan.fingerprint:
        return
    try:
        before = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8")).get("inputs") or {}
    except (OSError, ValueError):
        return
    if marker.get("name") != plan.experiment.name and plan.file not in before:
        return  # another experiment altogether: the folder's own message says so
    now = input_hashes(before)
    changed = [f for f, h in before.items() if now.get(f) != h]
    what = (f"{changed[0]} has changed since these results were started" if changed else
            "the experiment's resolved settings differ from these results' (an edited file or code defaults)")
    raise UserInputError(f"{what}; resuming would mix old and new runs: choose another --out, or --force to "
                         "move these results aside and start again", file=str(folder))


def n_tasks(plan: Plan) -> int:
    return math.ceil(len(plan.runs) / plan.experiment.runs_per_task)
