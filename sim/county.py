"""A county: many villages under one funder (docs/model.md §4, issue 4).

Villages differ in size, land, productivity (the main driver of poverty between villages), the
share of elderly households, party members and collective assets, each drawn from a
distribution in the `county:` config section. Village `v` of a county is the `village:` section
(the template) with its drawn values substituted, and its own random streams keyed by its
stream key (`village.stream_key + v`). `county_village_config(config, v)` is that village as a
one-village config: run with the same seed, it gives the same village and, the funder apart,
the same outcomes as inside the county (villages share only the funder and the market: line
prices and yields are county-wide).

Each village gets the cooperatives listed in `cooperatives:` (the template; their `village`
must stay 0).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.rng import Streams
from sim.schema import Beta, Constant, Dist, Lognormal, NonNegativeDist, Normal, ShiftedPoisson, Strict, Uniform

# stream names used for the villages' drawn characteristics (each its own stream: switching one
# distribution on or off never changes another's draws)
_DRAWN = ("households", "land_factor", "skill_factor", "elderly_household_share",
          "party_member_household_share", "collective_assets_yuan")


class CountyParams(Strict):
    """How the villages of a county vary. A value left out (None) keeps the `village:` template's."""

    villages: int = Field(default=1, ge=1, le=100_000)
    households: Dist | None = None  # households per village (rounded, at least min_households_per_village)
    min_households_per_village: int = Field(default=20, ge=1)
    land_factor: NonNegativeDist | None = None  # multiplies the template's land per person (mean 1: as the template)
    skill_factor: NonNegativeDist | None = None  # multiplies the template's skill: village productivity, remoteness
    elderly_household_share: Dist | None = None  # clipped to 0-1
    party_member_household_share: Dist | None = None  # clipped to 0-1
    collective_assets_yuan: Dist | None = None  # idle collective assets (clipped at 0)
    no_collective_assets_share: float = Field(default=0.0, ge=0, le=1)  # villages with none at all


def scaled(dist, factor: float):
    """The distribution of `factor` x a draw of `dist` (for a village's land or skill)."""
    f = float(factor)
    if f == 0:  # a village with no land (or no skill): every household's draw is 0
        return Constant(value=0.0)
    if isinstance(dist, Constant):
        return Constant(value=dist.value * f)
    if isinstance(dist, Lognormal):
        return Lognormal(mean=dist.mean * f, sd=dist.sd * f)
    if isinstance(dist, Normal):
        return Normal(mean=dist.mean * f, sd=dist.sd * f, low=_times(dist.low, f), high=_times(dist.high, f))
    if isinstance(dist, Uniform):
        return Uniform(low=_times(dist.low, f), high=_times(dist.high, f))
    raise ValueError(f"a {dist.dist} distribution cannot be scaled by a village factor; use constant, "
                     f"lognormal, normal or uniform")


def _times(bound: float | None, f: float) -> float | None:
    return None if bound is None else bound * f


SCALABLE = (Constant, Lognormal, Normal, Uniform)
_UNSCALABLE = (Beta, ShiftedPoisson)


def village_params(config) -> list:
    """One `VillageParams` per village: the template alone, or the county's drawn villages."""

    template = config.village
    county = config.county
    if county is None:
        return [template]
    n = county.villages
    # county-level draws come from streams of the seed 0 family keyed by the county's first stream
    # key, so they depend on the config alone: the same config gives the same villages at any seed
    streams = Streams(0)
    base = template.stream_key

    def drawn(name: str, dist):
        return None if dist is None else dist.draw(streams[f"county/{name}/k{base}"], n)

    households = drawn("households", county.households)
    land = drawn("land_factor", county.land_factor)
    skill = drawn("skill_factor", county.skill_factor)
    elderly = drawn("elderly_household_share", county.elderly_household_share)
    party = drawn("party_member_household_share", county.party_member_household_share)
    assets = drawn("collective_assets_yuan", county.collective_assets_yuan)
    none = (Streams(0)[f"county/no_collective_assets/k{base}"].random(n) < county.no_collective_assets_share)
    out = []
    for v in range(n):
        upd: dict = {"stream_key": base + v}
        if households is not None:
            upd["households"] = int(max(round(float(households[v])), county.min_households_per_village))
        if land is not None:
            upd["land_mu_per_person"] = scaled(template.land_mu_per_person, max(float(land[v]), 0.0))
        if skill is not None:
            upd["skill"] = scaled(template.skill, max(float(skill[v]), 0.0))
        if elderly is not None:
            upd["elderly_household_share"] = float(np.clip(elderly[v], 0, 1))
        if party is not None:
            upd["party_member_household_share"] = float(np.clip(party[v], 0, 1))
        if assets is not None:
            upd["collective_assets_yuan"] = float(max(assets[v], 0.0))
        if none[v]:
            upd["collective_assets_yuan"] = 0.0
        out.append(template.model_validate({**template.model_dump(), **upd}))
    return out


def cooperative_specs(config, n_villages: int) -> list:
    """The cooperatives of the run: the listed ones for one village; the list as a template for each
    village of a county (named `<name>@v<village>`)."""
    if config.county is None:
        return list(config.cooperatives)
    return [s.model_copy(update={"village": v, "name": f"{s.name}@v{v}"})
            for v in range(n_villages) for s in config.cooperatives]


def county_village_config(config, v: int):
    """Village `v` of a county as a one-village config (same people, same streams). The funding
    scenario is dropped: its envelopes are the county's."""
    vp = village_params(config)[v]
    data = config.model_dump()
    data.update(county=None, village=vp.model_dump())
    if "funding" in data:
        data["funding"] = None
    return type(config).model_validate(data)
