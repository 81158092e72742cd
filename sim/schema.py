"""Building blocks for typed configs: a strict base model and random distributions."""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator


class Strict(BaseModel):
    """A config section: unknown keys are rejected, values are validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


class Constant(Strict):
    dist: Literal["constant"] = "constant"
    value: float

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, self.value, dtype=np.float64)


class Lognormal(Strict):
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


class Normal(Strict):
    dist: Literal["normal"] = "normal"
    mean: float
    sd: float = Field(ge=0)
    low: float = -np.inf
    high: float = np.inf

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.clip(rng.normal(self.mean, self.sd, n), self.low, self.high)


class Uniform(Strict):
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


class Beta(Strict):
    dist: Literal["beta"] = "beta"
    a: float = Field(gt=0)
    b: float = Field(gt=0)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.beta(self.a, self.b, n)


class ShiftedPoisson(Strict):
    """offset + Poisson(mean - offset), clipped to [offset, high]: e.g. household size."""

    dist: Literal["shifted_poisson"] = "shifted_poisson"
    mean: float = Field(gt=0)
    offset: int = Field(default=1, ge=0)
    high: int = Field(default=12, ge=1)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        lam = max(self.mean - self.offset, 0.0)
        return np.clip(self.offset + rng.poisson(lam, n), self.offset, self.high).astype(np.float64)


Dist = Annotated[
    Constant | Lognormal | Normal | Uniform | Beta | ShiftedPoisson,
    Field(discriminator="dist"),
]

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Month = Annotated[int, Field(ge=0, le=11)]
NonNegative = Annotated[float, Field(ge=0.0)]
