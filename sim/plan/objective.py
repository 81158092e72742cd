"""What a split is judged by: households lifted out of poverty, poverty person-years avoided, income gained by the
registered poor (all over the whole run), or a weighted sum of them; a run's score, higher is better."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sim.errors import UserInputError

# name -> (runs.parquet column, sign: +1 where more is better)
MEASURES = {
    "lifted": ("households_lifted_since_start", 1.0),
    "person_years": ("poverty_person_years_total", -1.0),
    "income": ("income_gained_by_registered_poor_total", 1.0),
}
LABELS = {
    "lifted": ("households lifted out of poverty since the start", "脱贫户数（累计）"),
    "person_years": ("poverty person-years avoided", "减少的贫困人年"),
    "income": ("income gained by the registered poor (yuan)", "建档立卡贫困人口增收（元）"),
    "weighted": ("weighted score", "加权得分"),
}


def weights_for(objective: str, weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """The weights of each measure: one measure alone, or the planner's weights for 'weighted'."""
    if objective in MEASURES:
        return {objective: 1.0}
    if objective != "weighted":
        raise UserInputError(f"unknown objective {objective!r}; allowed: {', '.join([*MEASURES, 'weighted'])}",
                             field="--objective")
    if not weights:
        raise UserInputError("a weighted objective needs --weight MEASURE=NUMBER (measures: "
                             f"{', '.join(MEASURES)})", field="--weight")
    for name in weights:
        if name not in MEASURES:
            raise UserInputError(f"unknown measure {name!r}; allowed: {', '.join(MEASURES)}", field="--weight")
    return {k: float(v) for k, v in weights.items()}


def parse_weights(items: list[str] | None) -> dict[str, float]:
    out = {}
    for item in items or []:
        name, _, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise UserInputError(f"{item!r}: write MEASURE=NUMBER, e.g. lifted=1", field="--weight") from None
        if not np.isfinite(out[name.strip()]):
            raise UserInputError(f"{item!r}: the weight must be a finite number", field="--weight")
    return out


def score(runs: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Each run's score: the weighted sum of its measures, each signed so that higher is better (person-years
    count negatively: fewer is better)."""
    total = pd.Series(0.0, index=runs.index)
    for name, w in weights.items():
        column, sign = MEASURES[name]
        total = total + w * sign * runs[column].astype(float)
    return total
