"""Building blocks for typed configs: a strict base model (finite numbers, no booleans for numbers) and
random distributions with the range of values they can draw."""

from __future__ import annotations

import typing
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

_CONFIG = ConfigDict(extra="forbid", validate_assignment=True, frozen=False, allow_inf_nan=False)


def _refuse_booleans(cls: type[BaseModel], value: Any, info: ValidationInfo) -> Any:
    field = cls.model_fields.get(info.field_name or "")
    if field is not None and _has_bool(value) and _numeric(field.annotation) and not _admits_bool(field.annotation):
        raise ValueError("true/false is not a number here; write the number")
    return value


class Strict(BaseModel):
    """A config section: unknown keys are rejected, values are validated on assignment, every number is
    finite (no NaN or infinity anywhere, lists and tables included) and true/false is not a number."""

    model_config = _CONFIG
    _no_booleans_for_numbers = field_validator("*", mode="before")(classmethod(_refuse_booleans))


class _DistBase(BaseModel):
    """A distribution: as Strict, checking its number fields by name (`dist` is the union's tag, which
    pydantic does not let a before-validator touch)."""

    model_config = _CONFIG
    _no_booleans_for_numbers = field_validator("value", "mean", "sd", "low", "high", "a", "b", "offset",
                                               mode="before", check_fields=False)(classmethod(_refuse_booleans))


def _has_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, list):
        return any(isinstance(v, bool) for v in value)
    if isinstance(value, dict):
        return any(isinstance(v, bool) for v in value.values())
    return False


def _numeric(annotation: Any) -> bool:
    """Whether a field's type is or holds a plain number (int or float)."""
    if annotation in (int, float):
        return True
    return any(_numeric(a) for a in typing.get_args(annotation) if not isinstance(a, (str, int, float)))


def _admits_bool(annotation: Any) -> bool:
    """Whether a field's type takes true/false somewhere (a bool) or delegates to config sections, which
    check their own fields."""
    if annotation is bool or annotation is Any:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_admits_bool(a) for a in typing.get_args(annotation) if not isinstance(a, (str, int, float)))


class Constant(_DistBase):
    dist: Literal["constant"] = "constant"
    value: float

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, self.value, dtype=np.float64)

    def bounds(self) -> tuple[float, float]:
        return self.value, self.value


class Lognormal(_DistBase):
    """Lognormal given by its own mean and standard deviation (not those of the log)."""

    dist: Literal["lognormal"] = "lognormal"
    mean: float = Field(gt=0)
    sd: float = Field(ge=0)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if self.sd == 0:
            return np.full(n, self.mean)
        sigma2 = np.log1p((self.sd / self.mean) ** 2)
        mu = np.log(self.mean) - sigma2 / 2
        return rng.lognormal(mu, np.sqrt(sigma2), n)

    def bounds(self) -> tuple[float, float]:
        return (self.mean, self.mean) if self.sd == 0 else (0.0, np.inf)


class Normal(_DistBase):
    """Normal, optionally clipped to [low, high]: the explicit truncation of a quantity that cannot be
    negative (`low: 0`). Leave a bound out for none."""

    dist: Literal["normal"] = "normal"
    mean: float
    sd: float = Field(ge=0)
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Normal:
        if self.low is not None and self.high is not None and self.high < self.low:
            raise ValueError("high must be >= low")
        return self

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.clip(rng.normal(self.mean, self.sd, n), *self.bounds())

    def bounds(self) -> tuple[float, float]:
        if self.sd == 0:
            return tuple(np.clip(self.mean, *self.limits()).repeat(2).tolist())
        return self.limits()

    def limits(self) -> tuple[float, float]:
        return (-np.inf if self.low is None else self.low), (np.inf if self.high is None else self.high)


class Uniform(_DistBase):
    dist: Literal["uniform"] = "uniform"
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError("high must be >= low")
        return self

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, n)

    def bounds(self) -> tuple[float, float]:
        return self.low, self.high


class Beta(_DistBase):
    dist: Literal["beta"] = "beta"
    a: float = Field(gt=0)
    b: float = Field(gt=0)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.beta(self.a, self.b, n)

    def bounds(self) -> tuple[float, float]:
        return 0.0, 1.0


class ShiftedPoisson(_DistBase):
    """offset + Poisson(mean - offset), clipped to [offset, high]: e.g. household size."""

    dist: Literal["shifted_poisson"] = "shifted_poisson"
    mean: float = Field(gt=0)
    offset: int = Field(default=1, ge=0)
    high: int = Field(default=12, ge=1)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        lam = max(self.mean - self.offset, 0.0)
        return np.clip(self.offset + rng.poisson(lam, n), self.offset, self.high).astype(np.float64)

    def bounds(self) -> tuple[float, float]:
        return float(min(self.offset, self.high)), float(self.high)


Dist = Annotated[
    Constant | Lognormal | Normal | Uniform | Beta | ShiftedPoisson,
    Field(discriminator="dist"),
]

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Month = Annotated[int, Field(ge=0, le=11)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]  # a value something is divided by


def _within(low: float | None, high: float | None, what: str):
    """A check that a distribution draws only values in [low, high]."""

    def check(dist: Any) -> Any:
        lo, hi = dist.bounds()
        if low is not None and lo < low:
            fix = f"set low: {low:g} to truncate the normal" if dist.dist == "normal" else \
                f"use a distribution that stays at or above {low:g} (lognormal; a normal with low: {low:g})"
            drawn = f"can draw {lo:g}" if np.isfinite(lo) else "has no lower bound"
            raise ValueError(f"{what} cannot be below {low:g}, but this {dist.dist} {drawn}; {fix}")
        if high is not None and hi > high:
            fix = f"set high: {high:g} to truncate the normal" if dist.dist == "normal" else \
                f"use a distribution that stays at or below {high:g} (beta; a normal with high: {high:g})"
            drawn = f"can draw {hi:g}" if np.isfinite(hi) else "has no upper bound"
            raise ValueError(f"{what} cannot be above {high:g}, but this {dist.dist} {drawn}; {fix}")
        return dist

    return AfterValidator(check)


NonNegativeDist = Annotated[Dist, _within(0, None, "this quantity")]  # amounts, lengths, costs, factors
ShareDist = Annotated[Dist, _within(0, 1, "a share or score")]
AtLeastOneDist = Annotated[Dist, _within(1, None, "this count")]  # persons per household, months of a spell


def yearly_value(table: dict[int, float], year: int, growth: float) -> float:
    """A yearly table's value in `year`: the first year's before the table, the last earlier year's within it, and
    after it that value grown at `growth` a year (poverty line, dibao standards and coverage, migrant wages)."""
    first = min(table)
    if year <= first:
        return float(table[first])
    last = max(y for y in table if y <= year)
    return float(table[last] * (1 + growth) ** (year - last))
