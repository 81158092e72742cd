"""Random valid configs for property tests: the default village made small, a random set of policies, and
random values for numeric settings drawn within the bounds each field declares."""

from __future__ import annotations

import math

import annotated_types as at
from hypothesis import strategies as st
from pydantic import BaseModel

from sim.config import Config
from sim.policies import registry

POLICY_NAMES = registry.policy_names()
REQUIRES = registry.requires()

# every config section (a nested model: economy, cooperative, the policies' params, village), from the schema
SECTIONS = tuple(name for name, f in Config.model_fields.items()
                 if isinstance(f.annotation, type) and issubclass(f.annotation, BaseModel) and name != "poverty_line")


def numeric_leaves(model: type[BaseModel], prefix: str = "") -> list[tuple[str, type, float, float]]:
    """(dotted path, int or float, lowest, highest) of every plain number field, nested sections included."""
    out = []
    for name, field in model.model_fields.items():
        tp = field.annotation
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            out += numeric_leaves(tp, f"{prefix}{name}.")
        elif tp in (int, float):
            lo, hi = -math.inf, math.inf
            for m in field.metadata:
                lo = m.ge if isinstance(m, at.Ge) else m.gt if isinstance(m, at.Gt) else lo
                hi = m.le if isinstance(m, at.Le) else m.lt if isinstance(m, at.Lt) else hi
            out.append((prefix + name, tp, lo, hi))
    return out


LEAVES = [leaf for s in SECTIONS for leaf in numeric_leaves(Config.model_fields[s].annotation, f"{s}.")
          if leaf[0] != "village.households"]


def _value(draw, tp: type, lo: float, hi: float, default: float):
    lo_f = lo if math.isfinite(lo) else min(0.0, default) if default >= 0 else 3 * default
    hi_f = hi if math.isfinite(hi) else max(3 * abs(default), lo_f + 10)
    kind = draw(st.sampled_from(["low", "high", "zero", "near", "any"]))
    x = {"low": lo_f, "high": hi_f, "zero": 0.0, "near": default * draw(st.floats(0, 3)),
         "any": draw(st.floats(lo_f, hi_f))}[kind]
    x = min(max(x, lo_f), hi_f)
    return int(round(x)) if tp is int else round(x, 4)


def _policies(draw) -> list[str]:
    chosen = {p for p in POLICY_NAMES if draw(st.booleans()) or draw(st.booleans())}  # each on 3 times in 4
    while any(need not in chosen for p in chosen for need in REQUIRES.get(p, ())):
        chosen |= {need for p in list(chosen) for need in REQUIRES.get(p, ())}
    return [p for p in POLICY_NAMES if p in chosen]


@st.composite
def random_configs(draw, max_settings: int = 12) -> dict:
    """Overrides (dotted keys) for a small village of 1-2 years; may be invalid (the caller validates)."""
    defaults = Config().model_dump()
    out = {"years": draw(st.integers(1, 2)), "village.households": draw(st.integers(10, 60)),
           "policies": _policies(draw)}
    for path, tp, lo, hi in draw(st.lists(st.sampled_from(LEAVES), max_size=max_settings, unique=True)):
        node = defaults
        for part in path.split("."):
            node = node[part]
        out[path] = _value(draw, tp, lo, hi, float(node))
    for path in draw(st.lists(st.sampled_from(DISTS), max_size=3, unique=True)):
        out[path] = draw(_dist())
    if draw(st.integers(0, 4)) == 0:  # a small county: villages of 10-30 households, factors drawn or zero
        out["village.households"] = 15
        out["county"] = {"villages": draw(st.integers(2, 3)),
                         "households": {"dist": "uniform", "low": 10, "high": draw(st.integers(10, 30))},
                         "min_households_per_village": 10,
                         "land_factor": draw(st.sampled_from([None, {"dist": "constant", "value": 0},
                                                              {"dist": "lognormal", "mean": 1, "sd": 0.3}])),
                         "skill_factor": draw(st.sampled_from([None, {"dist": "constant", "value": 0},
                                                               {"dist": "uniform", "low": 0.5, "high": 1.5}]))}
    return out


DISTS = ["village.persons", "village.land_mu_per_person", "village.skill", "village.savings_yuan",
         "village.party_capability", "village.party_integrity", "health.serious.spell_months",
         "health.chronic.cost_yuan", "governance.capable_person_capability",
         "governance.capable_person_integrity"]
_num = st.floats(-50, 5000).map(lambda x: round(x, 3))


def _dist():
    return st.one_of(
        st.builds(lambda v: {"dist": "constant", "value": v}, _num),
        st.builds(lambda m, s: {"dist": "lognormal", "mean": m, "sd": s}, st.floats(0.01, 5000), st.floats(0, 5000)),
        st.builds(lambda m, s, lo: {"dist": "normal", "mean": m, "sd": s, "low": lo}, _num, st.floats(0, 500),
                  st.sampled_from([0, 1, 0.5])),
        st.builds(lambda a, w: {"dist": "uniform", "low": a, "high": a + w}, _num, st.floats(0, 500)),
        st.builds(lambda a, b: {"dist": "beta", "a": a, "b": b}, st.floats(0.1, 20), st.floats(0.1, 20)),
        st.builds(lambda m, o, h: {"dist": "shifted_poisson", "mean": m, "offset": o, "high": h},
                  st.floats(0.1, 20), st.integers(0, 3), st.integers(1, 40)))
