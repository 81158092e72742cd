"""Typed run configuration: YAML loading (safe), dotted overrides, one clear error per bad input.

The defaults of `Config()` are the typical poor mountain village of
`configs/village.yaml` (a test keeps the two equal); every value there carries
its unit and source.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from sim import yamlfile
from sim.county import SCALABLE, CountyParams
from sim.errors import UserInputError
from sim.funding import FUNDING_LINES, FundingScenario, load_funding
from sim.policies.assistance_fund import AssistanceFundParams
from sim.policies.awards import AwardsParams
from sim.policies.cooperative import CooperativeParams, CooperativeSpec
from sim.policies.demography import DemographyParams
from sim.policies.dibao import DibaoParams
from sim.policies.distribution import DistributionParams
from sim.policies.economy import EconomyParams, PovertyLine
from sim.policies.governance import GovernanceParams
from sim.policies.household_budget import HouseholdBudgetParams
from sim.policies.household_business import HouseholdBusinessParams
from sim.policies.industrial_subsidy import IndustrialSubsidyParams
from sim.policies.instructor_posts import InstructorPostsParams
from sim.policies.land_shares import LandSharesParams
from sim.policies.line_switch import LineSwitchParams
from sim.policies.mutual_aid_credit import MutualAidCreditParams
from sim.policies.paired_assistance import PairedAssistanceParams
from sim.policies.party_organisation import PartyOrganisationParams
from sim.policies.pilot_first import PilotFirstParams
from sim.policies.poverty_campaign import PovertyCampaignParams
from sim.policies.project_agency import ProjectAgencyParams
from sim.policies.public_welfare_jobs import PublicWelfareJobsParams
from sim.policies.registration import RegistrationParams
from sim.policies.registry import POLICY_GROUPS, POLICY_NAMES, REQUIRES, expand_groups
from sim.policies.service_teams import ServiceTeamsParams
from sim.policies.subsidised_loans import SubsidisedLoansParams
from sim.policies.talent_return import TalentReturnParams
from sim.policies.tekun import TekunParams
from sim.policies.training import TrainingParams
from sim.policies.wage_contracting import WageContractingParams
from sim.population import VillageParams
from sim.schema import Month, NonNegative, Strict


class LineParams(Strict):
    """A crop or livestock line: money per mu per year at normal yield and price."""

    revenue_yuan_per_mu_year: NonNegative
    cost_yuan_per_mu_year: NonNegative  # seeds, fertiliser, machinery, hired harvest work
    labour_days_per_mu_year: NonNegative  # household labour the line needs when farmed by the household
    field_management_days_per_mu_year: NonNegative = 4.0  # weeding, fertilising: the contractable part
    harvest_months: list[Month] = Field(min_length=1)
    yield_sd: float = Field(default=0.2, ge=0, le=2)  # lognormal sd of the yearly yield shock
    price_sd: float = Field(default=0.1, ge=0, le=2)  # lognormal sd of the yearly price shock

    @field_validator("harvest_months")
    @classmethod
    def _distinct(cls, v: list[int]) -> list[int]:
        if len(set(v)) != len(v):
            raise ValueError("harvest months must be distinct")
        return sorted(v)


def _default_lines() -> dict[str, LineParams]:
    return {
        # Maize/potato mixed farming on mountain plots: gross ~1,100 yuan/mu, costs ~450 (public farm cost
        # surveys put mountain maize net income at 500-700 yuan/mu, 2015).
        "grain": LineParams(revenue_yuan_per_mu_year=1100, cost_yuan_per_mu_year=450,
                            labour_days_per_mu_year=18, field_management_days_per_mu_year=4,
                            harvest_months=[8, 9], yield_sd=0.2, price_sd=0.1),
        # A cash line run at scale by a cooperative (tea, vegetables, mulberry-silk in seeds 000/003):
        # gross ~2,200, costs ~1,150 excl. field management (seed 003: ~300 yuan/mu wages).
        "cash_crop": LineParams(revenue_yuan_per_mu_year=2200, cost_yuan_per_mu_year=1150,
                                labour_days_per_mu_year=30, field_management_days_per_mu_year=4,
                                harvest_months=[5, 6, 7, 8, 9], yield_sd=0.25, price_sd=0.15),
        # A new, riskier line a cooperative may switch to (line_switch, pilot_first): a high-value variety
        # (kiwifruit, edible fungi, early tea in seed 000); more revenue and cost per mu, larger shocks.
        "new_variety": LineParams(revenue_yuan_per_mu_year=4000, cost_yuan_per_mu_year=1600,
                                  labour_days_per_mu_year=40, field_management_days_per_mu_year=6,
                                  harvest_months=[8, 9], yield_sd=0.3, price_sd=0.2),
    }


_LINES_REPLACE = (f" (a `crop_lines:` map replaces the default crop lines {', '.join(_default_lines())}: list every "
                  f"line the config uses, or add one line with --set crop_lines.NAME=...)")


class Config(Strict):
    """One run: a village (or county), its economy, and the policies switched on."""

    start_year: int = Field(default=2015, ge=1990, le=2100)
    years: int = Field(default=10, ge=1, le=100)
    policies: list[str] = Field(
        default_factory=lambda: [*POLICY_GROUPS["national_programmes"], "cooperative", "land_shares",
                                 "wage_contracting", "assistance_fund", "distribution"]
    )
    poverty_line: PovertyLine = Field(default_factory=PovertyLine)
    village: VillageParams = Field(default_factory=VillageParams)
    crop_lines: dict[str, LineParams] = Field(default_factory=_default_lines)
    economy: EconomyParams = Field(default_factory=EconomyParams)
    registration: RegistrationParams = Field(default_factory=RegistrationParams)  # always on (issue 14 item 6)
    household_budget: HouseholdBudgetParams = Field(default_factory=HouseholdBudgetParams)  # always on
    demography: DemographyParams = Field(default_factory=DemographyParams)  # always on unless enabled: false
    household_business: HouseholdBusinessParams = Field(default_factory=HouseholdBusinessParams)  # likewise
    cooperatives: list[CooperativeSpec] = Field(default_factory=lambda: [CooperativeSpec()])
    cooperative: CooperativeParams = Field(default_factory=CooperativeParams)
    land_shares: LandSharesParams = Field(default_factory=LandSharesParams)
    wage_contracting: WageContractingParams = Field(default_factory=WageContractingParams)
    assistance_fund: AssistanceFundParams = Field(default_factory=AssistanceFundParams)
    distribution: DistributionParams = Field(default_factory=DistributionParams)
    # -- party organisation, paired assistance, governance, pilots (docs/model.md §3.6-3.9) --
    party_organisation: PartyOrganisationParams = Field(default_factory=PartyOrganisationParams)
    paired_assistance: PairedAssistanceParams = Field(default_factory=PairedAssistanceParams)
    governance: GovernanceParams = Field(default_factory=GovernanceParams)
    line_switch: LineSwitchParams = Field(default_factory=LineSwitchParams)
    pilot_first: PilotFirstParams = Field(default_factory=PilotFirstParams)
    # -- public works, training, awards, service teams, instructor posts (docs/model.md §3.12-3.13) --
    project_agency: ProjectAgencyParams = Field(default_factory=ProjectAgencyParams)
    training: TrainingParams = Field(default_factory=TrainingParams)
    awards: AwardsParams = Field(default_factory=AwardsParams)
    service_teams: ServiceTeamsParams = Field(default_factory=ServiceTeamsParams)
    instructor_posts: InstructorPostsParams = Field(default_factory=InstructorPostsParams)
    # -- finance, county scale and funding scenarios (docs/model.md §3.10-3.13, §4; issue 4) --
    mutual_aid_credit: MutualAidCreditParams = Field(default_factory=MutualAidCreditParams)
    subsidised_loans: SubsidisedLoansParams = Field(default_factory=SubsidisedLoansParams)
    # -- national programmes (issue 14) --
    dibao: DibaoParams = Field(default_factory=DibaoParams)
    tekun: TekunParams = Field(default_factory=TekunParams)
    poverty_campaign: PovertyCampaignParams = Field(default_factory=PovertyCampaignParams)
    # -- labour and household business (issue 14 items 3-4) --
    public_welfare_jobs: PublicWelfareJobsParams = Field(default_factory=PublicWelfareJobsParams)
    talent_return: TalentReturnParams = Field(default_factory=TalentReturnParams)
    industrial_subsidy: IndustrialSubsidyParams = Field(default_factory=IndustrialSubsidyParams)
    county: CountyParams | None = None  # absent: one village
    funding: FundingScenario | None = None  # a scenario file's path or the mapping; absent: no budget caps

    @field_validator("funding", mode="before")
    @classmethod
    def _load_funding(cls, v: Any) -> Any:
        """A path is read (and validated, errors naming that file) as a funding scenario."""
        if isinstance(v, (str, Path)):
            if not str(v).strip():
                raise ValueError("an empty path; name a scenario file (configs/funding/*.yaml) or leave funding out")
            return load_funding(v)
        return v

    @field_validator("policies")
    @classmethod
    def _known_policies(cls, v: list[str]) -> list[str]:
        """Known names, each once; a group's name (POLICY_GROUPS) stands for its members."""
        allowed = (*POLICY_NAMES, *POLICY_GROUPS)
        for name in v:
            if name not in allowed:
                hint = difflib.get_close_matches(name, allowed, n=1)
                raise ValueError(
                    f"unknown policy {name!r}"
                    + (f" (did you mean {hint[0]!r}?)" if hint else "")
                    + f"; allowed: {', '.join(allowed)}"
                )
        if len(set(v)) != len(v):
            raise ValueError("a policy is named twice")
        return expand_groups(v)

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        for name in self.policies:
            for needed in REQUIRES.get(name, ()):
                if needed not in self.policies:
                    raise ValueError(f"policy {name!r} needs policy {needed!r} in policies")
        if self.has("cooperative") and not self.cooperatives:
            raise ValueError("cooperatives: the cooperative policy needs at least one cooperative; list one, or "
                             "take cooperative out of policies")
        if self.economy.own_line not in self.crop_lines:
            raise ValueError(f"economy.own_line {self.economy.own_line!r} is not one of crop_lines: "
                             f"{', '.join(self.crop_lines)}" + _LINES_REPLACE)
        for i, c in enumerate(self.cooperatives):
            if c.line not in self.crop_lines:
                raise ValueError(f"cooperatives.{i}.line {c.line!r} is not one of crop_lines: "
                                 f"{', '.join(self.crop_lines)}" + _LINES_REPLACE)
        # -- cooperative types and the party policies (issue 3) --
        for i, c in enumerate(self.cooperatives):
            reserve, collective = c.split(self.distribution.reserve_share, self.distribution.collective_share)
            if reserve + collective > 1:
                raise ValueError(f"cooperatives.{i}: reserve share {reserve} + collective share {collective} exceed 1")
        if self.has("line_switch") and self.line_switch.new_line not in self.crop_lines:
            raise ValueError(f"line_switch.new_line {self.line_switch.new_line!r} is not one of crop_lines: "
                             f"{', '.join(self.crop_lines)}" + _LINES_REPLACE)
        # -- county and funding (issue 4) --
        if self.county is not None:
            for i, c in enumerate(self.cooperatives):
                if c.village != 0:
                    raise ValueError(f"cooperatives.{i}.village: in a county the cooperatives list is the template "
                                     f"every village gets; leave village at 0 (got {c.village})")
            for name in ("land_factor", "skill_factor"):
                target = self.village.land_mu_per_person if name == "land_factor" else self.village.skill
                if getattr(self.county, name) is not None and not isinstance(target, SCALABLE):
                    raise ValueError(f"county.{name} scales the village's distribution, which must then be "
                                     f"constant, lognormal, normal or uniform (got {target.dist})")
        if self.funding is not None:
            for line, amount in self.funding.lines.items():
                policy = FUNDING_LINES[line].policy
                if amount > 0 and policy not in self.policies:
                    where = f" of {self.funding.file}" if self.funding.file else ""
                    raise ValueError(f"funding line {line!r}{where} ({amount:,.0f} yuan) is spent by policy "
                                     f"{policy!r}, which is not in policies; add it or set the line to 0")
        return self

    def has(self, policy: str) -> bool:
        return policy in self.policies


# ---------------------------------------------------------------------------------------------
# loading and overrides


def parse_override(text: str, file: str = "--set") -> tuple[str, Any]:
    """`a.b.c=value` -> ("a.b.c", parsed value); values are YAML scalars or flow lists/maps."""
    if "=" not in text:
        raise UserInputError(f"expected key=value, got {text!r}", file=file)
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key:
        raise UserInputError(f"empty key in {text!r}", file=file)
    if not raw.strip():
        return key, ""
    try:
        return key, yamlfile.loads(raw)
    except UserInputError as exc:
        raise UserInputError(f"value {yamlfile.cut(raw)!r}: {exc.message}", file=file, field=key) from None


def apply_overrides(data: dict, overrides: Mapping[str, Any] | None, file: str | None = None,
                    defaults: dict | None = None) -> dict:
    """Return a copy of `data` with dotted-key overrides applied (list items by index: `cooperatives.0.line`).

    Where a key names a section the data does not have, the section is first copied from
    `defaults` (so `cooperatives.0.line=grain` works on a file that lists no cooperatives)."""
    import copy

    out = copy.deepcopy(data)
    for key, value in (overrides or {}).items():
        parts = key.split(".")
        if parts[0] == "funding" and len(parts) > 1 and isinstance(out.get("funding"), (str, Path)):
            # a setting inside a scenario named by its file (`funding.scale=0.1`): read the file first
            out["funding"] = load_funding(out["funding"]).model_dump(mode="json")
        node: Any = out
        default: Any = defaults
        for depth, part in enumerate(parts[:-1]):
            path = ".".join(parts[: depth + 1])
            default = _lookup(default, part)
            node = _child(node, part, path, file, copy.deepcopy(default))
        last, value = parts[-1], copy.deepcopy(value)  # a later key may set a field inside it: never the caller's
        if isinstance(node, list):
            node[_index(node, last, key, file)] = value
        elif isinstance(node, dict):
            node[last] = value
        else:
            raise UserInputError(f"cannot set a field inside a {type(node).__name__}", file=file, field=key)
    return out


def _lookup(node: Any, part: str) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list):
        try:
            return node[int(part)]
        except (ValueError, IndexError):
            return None
    return None


def _index(node: list, part: str, path: str, file: str | None) -> int:
    try:
        idx = int(part)
    except ValueError:
        raise UserInputError(f"{part!r} is not a list index (0..{len(node) - 1})", file=file, field=path) from None
    if not -len(node) <= idx < len(node):
        raise UserInputError(f"index {idx} out of range (0..{len(node) - 1})", file=file, field=path)
    return idx


def _child(node: Any, part: str, path: str, file: str | None, default: Any) -> Any:
    if isinstance(node, list):
        return node[_index(node, part, path, file)]
    if isinstance(node, dict):
        if part not in node or node[part] is None:
            node[part] = default if isinstance(default, (dict, list)) else {}
        return node[part]
    raise UserInputError(f"cannot descend into a {type(node).__name__}", file=file, field=path)


def read_yaml(path: str | Path) -> dict:
    """Read a YAML mapping safely (YAML 1.2, no duplicate keys, bounded aliases: sim/yamlfile.py); every
    failure, an empty file included, is a UserInputError naming the file."""
    data = yamlfile.read(path)
    if data is None:
        raise UserInputError("the file is empty; expected a mapping of settings (key: value lines)",
                             file=str(path))
    if not isinstance(data, dict):
        raise UserInputError(f"expected a mapping of settings at the top level, got {_kind(data)}",
                             file=str(path))
    return data


def _kind(value: Any) -> str:
    return {list: "a list", str: "a text", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), type(value).__name__)


def validate(model: type[BaseModel], data: dict, file: str | None) -> Any:
    """Validate `data` against `model`, turning the first pydantic error into a UserInputError."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _user_error(model, exc, file) from None


def _user_error(model: type[BaseModel], exc: ValidationError, file: str | None) -> UserInputError:
    err = exc.errors(include_url=False)[0]
    loc = [yamlfile.cut(str(p)) for p in err["loc"] if not str(p).startswith("function-")]
    # drop discriminator tags pydantic inserts into the location ("lognormal" in village.land.lognormal.mean)
    field = ".".join(loc)
    if err["type"] == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        hint = difflib.get_close_matches(loc[-1], allowed, n=1)
        msg = f"unknown key {loc[-1]!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
        if allowed:
            msg += f"; allowed keys here: {_some(allowed)}"
        return UserInputError(msg, file=file, field=field)
    msg = _cut_long_words(err["msg"].removeprefix("Value error, "))
    if not field:  # a check across settings: its message starts with the setting it is about
        field, msg = _setting_in_message(model, msg)
    if "input" in err and err["type"] not in ("missing",) and not isinstance(err["input"], (dict, list)):
        msg += f" (got {yamlfile.cut(repr(err['input']))})"
    return UserInputError(msg, file=file, field=field or "(top level)")


def _some(names: list[str], limit: int = 30) -> str:
    """A list of names for a message, at most `limit` of them."""
    more = f", ... ({len(names) - limit} more)" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def _cut_long_words(msg: str) -> str:
    """Values quoted in a message are cut to a readable length (a 10,000-character value stays one line)."""
    import re

    return re.sub(r"\S{80,}", lambda m: yamlfile.cut(m.group(0)), msg)


def _setting_in_message(model: type[BaseModel], msg: str) -> tuple[str, str]:
    """(setting, rest) for a model-level message that starts with a dotted setting of `model`
    ("economy.own_line 'x' is not ...", "cooperatives.0: ..."); policy dependencies are about `policies`."""
    import re

    m = re.match(r"([a-z_]+(?:\.[a-z0-9_]+)*):? (.*)", msg, re.S)
    if m and m.group(1).split(".")[0] in model.model_fields:
        return m.group(1), m.group(2)
    if msg.startswith("policy ") and "policies" in model.model_fields:
        return "policies", msg
    if msg.startswith("funding line ") and "funding" in model.model_fields:
        return "funding", msg
    return "", msg


def _allowed_keys(model: type[BaseModel], loc: list[str]) -> list[str]:
    """The field names at `loc` inside `model`, following nested models, lists and dicts."""
    import typing

    tp: Any = model
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if part in tp.model_fields:
                tp = tp.model_fields[part].annotation
                continue
            # a discriminated union member name
            return []
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (list, tuple) and args:
            tp = args[0]
        elif origin is dict and len(args) == 2:
            tp = args[1]
        else:
            members = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            match = [m for m in members if getattr(m.model_fields.get("dist"), "default", None) == part]
            if match:
                tp = match[0]
                continue
            return []
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    import typing

    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def load_config(
    path: str | Path | None = None,
    overrides: Mapping[str, Any] | Iterable[str] | None = None,
) -> Config:
    """Load a config file (or the defaults when `path` is None) and apply dotted overrides.

    `overrides` is a mapping of dotted keys to values, or `key=value` strings as given to `--set`.
    """
    file = str(path) if path is not None else None
    data = read_yaml(path) if path is not None else {}
    if path is not None:
        data = funding_relative_to(data, Path(path).parent)
    if overrides is not None and not isinstance(overrides, Mapping):
        overrides = dict(parse_override(o) for o in overrides)
    data = apply_overrides(data, overrides, file="--set" if overrides else file, defaults=_defaults())
    try:
        return validate(Config, data, file)
    except UserInputError as err:
        # an error inside an overridden setting is the override's fault, not the file's
        if overrides and err.field and any(_same_setting(err.field, k) for k in overrides):
            err.file = "--set"
        raise


def _same_setting(field: str, key: str) -> bool:
    """Whether an error at `field` concerns the override `key` (one inside the other)."""
    return field == key or field.startswith(key + ".") or key.startswith(field + ".")


def funding_relative_to(data: Mapping[str, Any], folder: Path) -> dict:
    """A `funding:` scenario path is read relative to `folder` (the file naming it) when it is not found
    from the working folder."""
    data = dict(data)
    if isinstance(data.get("funding"), str):
        rel = Path(data["funding"])
        if not rel.is_absolute() and not rel.exists() and (folder / rel).exists():
            data["funding"] = str(folder / rel)
    return data


def _defaults() -> dict:
    return Config().model_dump(mode="json")


def resolve_config(config: Config | str | Path | Mapping | None, overrides=None) -> Config:
    """Accept a Config, a path, a plain mapping or None (defaults); apply overrides."""
    if isinstance(config, Config):
        if not overrides:
            return config
        return validate(Config, apply_overrides(config.model_dump(mode="json"), _as_mapping(overrides)), None)
    if isinstance(config, Mapping):
        return validate(Config, apply_overrides(dict(config), _as_mapping(overrides), defaults=_defaults()), None)
    return load_config(config, overrides)


def _as_mapping(overrides) -> Mapping[str, Any]:
    if overrides is None or isinstance(overrides, Mapping):
        return overrides or {}
    return dict(parse_override(o) for o in overrides)
