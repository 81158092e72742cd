"""Places: scenario configs for the places of the seed articles (docs/model.md §7) with their reported figures.

A place file (`configs/places/<name>.yaml`) is a normal run config — loaded and validated as any
config, so every config error applies — plus a `place:` block:

    place:
      name, name_zh, seed            the place and the seed article it comes from
      scale                          how the modelled place relates to the real one (text)
      calibration: {seed, population, generations, max_simulations, replicates}   (ABC-SMC)
      validation: {seed, draws, replicates}   (posterior-predictive)
      free_parameters: [{path, low, high, source}]   dotted config keys fitted, uniform priors and their source
      targets: [{id, figure, figure_zh, reported, unit, outcome, year, sum_to, per, role, source}]

A target's simulated value is computed from a run's yearly outcomes (`sim/metrics.py`): `outcome` in
`year` (default: the last year), or summed over `year`..`sum_to`; optionally divided by `per`, another
such measure (a ratio: per household, per mu, per cooperative). `role` is `calibration` (used to fit),
`held_out` (only compared), `input` (a figure used to set a default: shown, not counted as validation) or
`identity` (an accounting restatement of inputs, e.g. a fund paying the share it is given: shown, not counted).
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from sim.config import Config, apply_overrides, read_yaml, validate
from sim.errors import UserInputError
from sim.policies import registry
from sim.schema import Strict

PLACES_DIR = Path("configs") / "places"


class Measure(Strict):
    """An outcome of a run: its value in `year` (default: the run's last year), or its sum over `year`..`sum_to`."""

    outcome: str
    year: int | None = None
    sum_to: int | None = None

    @model_validator(mode="after")
    def _known(self) -> Measure:
        declared = registry.outcomes()
        if self.outcome not in declared:
            hint = difflib.get_close_matches(self.outcome, list(declared), n=1)
            raise ValueError(f"unknown outcome {self.outcome!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
                             + "; outcomes are declared by the mechanisms (sim/policies/*.py, `outcomes`)")
        if self.sum_to is not None and (self.year is None or self.sum_to < self.year):
            raise ValueError("sum_to needs a year, and must not be before it")
        return self

    def years(self, start_year: int, n_years: int) -> list[int]:
        last = start_year + n_years - 1
        if self.year is None:
            return [last]
        return list(range(self.year, (self.sum_to or self.year) + 1))

    def value(self, series: pd.DataFrame) -> float:
        """From one run's yearly rows (`year` and outcome columns)."""
        years = self.years(int(series["year"].min()), int(series["year"].nunique()))
        rows = series[series["year"].isin(years)]
        return float(rows[self.outcome].sum())


class Target(Measure):
    """A figure the article reports that the model can produce."""

    id: str = Field(min_length=1, pattern=r"^[a-z0-9_]+$")
    figure: str = Field(min_length=1)
    figure_zh: str = ""
    reported: float
    unit: str
    per: Measure | None = None  # divide by this measure (a ratio)
    role: Literal["calibration", "held_out", "input", "identity"]
    source: str = Field(min_length=1)  # "seed 003: <the passage>"

    def value(self, series: pd.DataFrame) -> float:
        num = super().value(series)
        if self.per is None:
            return num
        den = self.per.value(series)
        return num / den if den != 0 else float("nan")

    def outcomes(self) -> set[str]:
        return {self.outcome} | ({self.per.outcome} if self.per else set())


class FreeParameter(Strict):
    """A fitted setting and its uniform prior [low, high], with the prior's source."""

    path: str = Field(min_length=1)  # a dotted config key, as in --set
    low: float
    high: float
    integer: bool = False
    source: str = Field(min_length=1)  # why these bounds: a published range, or "assumption: ..."

    @model_validator(mode="after")
    def _range(self) -> FreeParameter:
        if self.high <= self.low:
            raise ValueError("high must be greater than low")
        return self


class CalibrationSettings(Strict):
    """ABC-SMC settings (sim/calibrate.py)."""

    seed: int = Field(default=20240701, ge=0)  # SeedSequence seed of the replicates and of pyabc's draws
    population: int = Field(default=40, ge=2, le=100_000)  # particles per generation
    generations: int = Field(default=6, ge=1, le=100)  # at most
    max_simulations: int = Field(default=600, ge=2)  # parameter sets at most (each run `replicates` times)
    replicates: int = Field(default=3, ge=1, le=1000)  # runs per parameter set (common random numbers)


class ValidationSettings(Strict):
    """Posterior-predictive validation (sim/validate.py)."""

    seed: int = Field(default=20240801, ge=0)  # posterior draws and replicate seeds (not the calibration's)
    draws: int = Field(default=20, ge=1, le=10_000)  # parameter sets drawn from the posterior
    replicates: int = Field(default=2, ge=1, le=10_000)  # runs per parameter set


class PlaceInfo(Strict):
    name: str = Field(min_length=1)
    name_zh: str = ""
    seed: str = Field(min_length=1)  # the seed article, e.g. "003"
    scale: str = ""
    calibration: CalibrationSettings = Field(default_factory=CalibrationSettings)
    validation: ValidationSettings = Field(default_factory=ValidationSettings)
    free_parameters: list[FreeParameter] = Field(min_length=1)
    targets: list[Target] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> PlaceInfo:
        ids = [t.id for t in self.targets]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"target ids must be unique: {', '.join(dup)}")
        paths = [p.path for p in self.free_parameters]
        if len(set(paths)) != len(paths):
            raise ValueError("a free parameter is named twice")
        if not any(t.role == "calibration" for t in self.targets):
            raise ValueError("at least one target must have role: calibration")
        return self


class Place:
    """A place: its name (file stem), its config and its `place:` block."""

    def __init__(self, key: str, file: str, config: Config, info: PlaceInfo, data: dict):
        self.key, self.file, self.config, self.info, self.data = key, file, config, info, data

    @property
    def calibration_targets(self) -> list[Target]:
        return [t for t in self.info.targets if t.role == "calibration"]

    def outcomes(self) -> list[str]:
        return sorted(set().union(*(t.outcomes() for t in self.info.targets)))

    def fingerprint(self) -> str:
        """Changes when the place's config or its place block changes (a fit of another version is stale)."""
        blob = json.dumps([self.config.model_dump(mode="json"), self.info.model_dump(mode="json")], sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def config_data(self) -> dict:
        """The run config as plain data (without the place block)."""
        return copy.deepcopy(self.data)


def load_place_file(path: str | Path, key: str | None = None) -> Place:
    """Read and validate a place file; every problem is a UserInputError naming the file (exit 2)."""
    file = str(path)
    data = read_yaml(path)
    if "place" not in data:
        raise UserInputError("a place file needs a `place:` block (name, seed, free_parameters, targets)",
                             file=file)
    raw = data.pop("place")
    try:
        info: PlaceInfo = validate(PlaceInfo, raw if isinstance(raw, dict) else {}, file)
    except UserInputError as err:
        err.field = f"place.{err.field}"
        raise
    config: Config = validate(Config, copy.deepcopy(data), file)
    first, last = config.start_year, config.start_year + config.years - 1
    for i, t in enumerate(info.targets):
        for where, m in (("", t), (".per", t.per)):
            if m is None:
                continue
            for y in (m.year, m.sum_to):
                if y is not None and not first <= y <= last:
                    raise UserInputError(f"year {y} is outside the run ({first}-{last})", file=file,
                                         field=f"place.targets.{i}{where}")
    defaults = Config().model_dump(mode="json")
    for i, p in enumerate(info.free_parameters):
        for value in (p.low, p.high):
            try:
                _check_path(data, p.path, file, defaults)
                validate(Config, apply_overrides(data, {p.path: value}, file, defaults), file)
            except UserInputError as err:
                raise UserInputError(f"free parameter {p.path!r} at {value}: {err.message}"
                                     + (f" ({err.field})" if err.field and err.field != p.path else ""),
                                     file=file, field=f"place.free_parameters.{i}.path") from None
    return Place(key or Path(path).stem, file, config, info, data)


def _check_path(data: dict, path: str, file: str, defaults: dict) -> None:
    """A free parameter must name an existing setting (not create a new key)."""
    node = apply_overrides(data, {}, file, defaults)
    merged = Config.model_validate(node).model_dump(mode="json")
    cur = merged
    for part in path.split("."):
        if isinstance(cur, list):
            try:
                cur = cur[int(part)]
                continue
            except (ValueError, IndexError):
                raise UserInputError(f"no such setting: {path}", file=file, field=path) from None
        if not isinstance(cur, dict) or part not in cur:
            allowed = list(cur) if isinstance(cur, dict) else []
            hint = difflib.get_close_matches(part, allowed, n=1)
            raise UserInputError(f"no such setting: {path}" + (f" (did you mean {hint[0]!r}?)" if hint else ""),
                                 file=file, field=path)
        cur = cur[part]
    if not isinstance(cur, (int, float)) or isinstance(cur, bool):
        raise UserInputError(f"{path} is not a number (got {cur!r})", file=file, field=path)


def places_dir() -> Path:
    """configs/places in the working folder, else the one of this checkout."""
    if PLACES_DIR.is_dir():
        return PLACES_DIR
    return Path(__file__).resolve().parents[1] / PLACES_DIR


def place_names(folder: Path | None = None) -> list[str]:
    folder = folder or places_dir()
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def load_place(name: str, folder: Path | None = None) -> Place:
    """A place by name (`configs/places/<name>.yaml`) or by a path to a place file."""
    p = Path(name)
    if p.suffix in (".yaml", ".yml") and p.exists():
        return load_place_file(p)
    folder = folder or places_dir()
    names = place_names(folder)
    if name not in names:
        hint = difflib.get_close_matches(name, names, n=1)
        raise UserInputError(f"unknown place {name!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
                             + f"; places: {', '.join(names) or '(none found in ' + str(folder) + ')'}",
                             field="PLACE")
    return load_place_file(folder / f"{name}.yaml", key=name)


def target_values(place: Place, series: pd.DataFrame) -> pd.DataFrame:
    """One row per run (run_id, point, replicate) and one column per target: the simulated values."""
    rows = []
    for run_id, s in series.groupby("run_id", sort=True):
        row: dict[str, float] = {"run_id": int(run_id), "point": int(s["point"].iloc[0]),
                                 "replicate": int(s["replicate"].iloc[0])}
        s = s.sort_values("year")
        for t in place.info.targets:
            row[t.id] = t.value(s)
        rows.append(row)
    return pd.DataFrame(rows)


def relative_error(simulated: np.ndarray | float, reported: float) -> np.ndarray | float:
    return (np.asarray(simulated, dtype=float) - reported) / abs(reported) if reported else np.nan
