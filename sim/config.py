"""Typed run configuration: YAML loading (safe), dotted overrides, one clear error per bad input.

The defaults of `Config()` are the typical poor mountain village of
`configs/village.yaml` (a test keeps the two equal); every value there carries
its unit and source.
"""

from __future__ import annotations

import copy
import difflib
import re
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo

from sim import yamlfile
from sim.county import SCALABLE, CountyParams
from sim.errors import UserInputError
from sim.policies import registry
from sim.policies.cooperative import CooperativeSpec
from sim.policies.economy import PovertyLine
from sim.policies.risk import RiskParams
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
        # The household's own farm in the default village: maize and potatoes fed to a few pigs (过腹转化); net
        # ~1,350 yuan/mu against ~650 for grain sold (NDRC cost surveys 2015; sources in configs/village.yaml).
        "mixed_farm": LineParams(revenue_yuan_per_mu_year=2300, cost_yuan_per_mu_year=950,
                                 labour_days_per_mu_year=30, field_management_days_per_mu_year=4,
                                 harvest_months=[8, 9, 11], yield_sd=0.2, price_sd=0.15),
        # A cash line run at scale by a cooperative (tea, vegetables, mulberry-silk in seeds 000/003):
        # gross ~2,200, costs ~1,550 excl. field management (seed 003: ~300 yuan/mu wages), so that dividends per
        # pooled mu come near seed 003's ~240 yuan.
        "cash_crop": LineParams(revenue_yuan_per_mu_year=2200, cost_yuan_per_mu_year=1550,
                                labour_days_per_mu_year=30, field_management_days_per_mu_year=4,
                                harvest_months=[5, 6, 7, 8, 9], yield_sd=0.25, price_sd=0.15),
        # A new, riskier line a cooperative may switch to (line_switch, pilot_first): a high-value variety
        # (kiwifruit, edible fungi, early tea in seed 000); more revenue and cost per mu, larger shocks.
        "new_variety": LineParams(revenue_yuan_per_mu_year=4000, cost_yuan_per_mu_year=1600,
                                  labour_days_per_mu_year=40, field_management_days_per_mu_year=6,
                                  harvest_months=[8, 9], yield_sd=0.3, price_sd=0.2),
        # The county's cooperative lines (seed 003, Zhijin: mulberry and silkworms in Baima, vegetables in
        # Longchang, wood-ear fungi in Houzhai); a county draws each village's line from `county.line_mix`.
        # Money per mu and risk: assumptions (Baima's net is ~40% of output: 0.8M of 2M yuan, seed 003).
        "silkworms": LineParams(revenue_yuan_per_mu_year=2400, cost_yuan_per_mu_year=1400,
                                labour_days_per_mu_year=35, field_management_days_per_mu_year=5,
                                harvest_months=[4, 5, 7, 8], yield_sd=0.25, price_sd=0.2),
        "vegetables": LineParams(revenue_yuan_per_mu_year=2600, cost_yuan_per_mu_year=1500,
                                 labour_days_per_mu_year=40, field_management_days_per_mu_year=5,
                                 harvest_months=[5, 6, 7, 8, 9, 10], yield_sd=0.15, price_sd=0.15),
        "fungi": LineParams(revenue_yuan_per_mu_year=3200, cost_yuan_per_mu_year=2100,
                            labour_days_per_mu_year=45, field_management_days_per_mu_year=6,
                            harvest_months=[6, 7, 8], yield_sd=0.3, price_sd=0.15),
    }


class FundingScenario(Strict):
    """A budget and its split. Amounts in yuan over the whole run."""

    name: str = "scenario"
    description: str = ""
    budget_yuan: NonNegative
    lines: dict[str, Any] = Field(default_factory=dict)
    # multiplies the budget and every line: a sample of the county gets its share of the budget
    # (`--set county.villages=58 --set funding.scale=0.1` runs a tenth of a 578-village county)
    scale: float = Field(default=1.0, gt=0, le=1000)
    file: str | None = None  # where it was read from (set by the loader)

    @field_validator("lines")
    @classmethod
    def _known_and_non_negative(cls, v: dict[str, Any]) -> dict[str, float]:
        out = {}
        for name, amount in v.items():
            known = registry.funding_lines()
            if name not in known:
                hint = difflib.get_close_matches(name, known, n=1)
                raise ValueError(f"unknown funding line {name!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
                                 + f"; allowed lines: {', '.join(known)}")
            if isinstance(amount, bool) or not isinstance(amount, (int, float)):
                raise ValueError(f"line {name!r}: the amount must be a number of yuan (got {amount!r})")
            if not np.isfinite(amount) or amount < 0:
                raise ValueError(f"line {name!r}: the amount must be >= 0 yuan (got {amount!r})")
            out[name] = float(amount)
        return out

    @model_validator(mode="after")
    def _within_budget(self) -> FundingScenario:
        total = sum(self.lines.values())
        if total > self.budget_yuan + 1e-6:
            split = ", ".join(f"{k} {v:,.0f}" for k, v in self.lines.items())
            raise ValueError(f"the lines add up to {total:,.0f} yuan, {total - self.budget_yuan:,.0f} more than "
                             f"budget_yuan {self.budget_yuan:,.0f} ({split}); lower a line or raise the budget")
        return self

    def amount(self, line: str) -> float:
        """What `line` may spend over the run, yuan (scaled)."""
        return self.lines.get(line, 0.0) * self.scale

    @property
    def budget_scaled_yuan(self) -> float:
        return self.budget_yuan * self.scale


def load_funding(path: str | Path) -> FundingScenario:
    """Read and validate a scenario file; errors name the file and the line."""
    data = read_yaml(path)
    if "file" in data:
        data.pop("file")
    scenario = validate(FundingScenario, data, str(path))
    scenario.file = str(path)
    return scenario


_LINES_REPLACE = (f" (a `crop_lines:` map replaces the default crop lines {', '.join(_default_lines())}: list every "
                  f"line the config uses, or add one line with --set crop_lines.NAME=...)")


class Config(Strict):
    """One run: a village (or county), its economy, and the policies switched on; each mechanism's section is
    added from its declaration (`Policy.Params`)."""

    start_year: int = Field(default=2015, ge=1990, le=2100)
    years: int = Field(default=10, ge=1, le=100)
    policies: list[str] = Field(
        default_factory=lambda: [*registry.policy_groups()["national_programmes"], "cooperative", "land_shares",
                                 "wage_contracting", "assistance_fund", "distribution"]
    )
    poverty_line: PovertyLine = Field(default_factory=PovertyLine)
    village: VillageParams = Field(default_factory=VillageParams)
    crop_lines: dict[str, LineParams] = Field(default_factory=_default_lines)
    risk: RiskParams = Field(default_factory=RiskParams)  # who shares which line shock (issue 15; sim/policies/risk.py)
    cooperatives: list[CooperativeSpec] = Field(default_factory=lambda: [CooperativeSpec()])
    # then one section per mechanism, `<name>: <its Params>` (the economy's included): `_add_sections` below
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
        """Known names, each once; a group's name (`registry.policy_groups()`) stands for its members."""
        allowed = (*registry.policy_names(), *registry.policy_groups())
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
        return registry.expand_groups(v)

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        for name in self.policies:
            for needed in registry.policy_class(name).requires:
                if needed not in self.policies:
                    raise ValueError(f"policy {name!r} needs policy {needed!r} in policies")
            registry.policy_class(name).check_config(self)
        if self.has("cooperative") and not self.cooperatives:
            raise ValueError("cooperatives: the cooperative policy needs at least one cooperative; list one, or "
                             "take cooperative out of policies")
        if self.section("economy").own_line not in self.crop_lines:
            raise ValueError(f"economy.own_line {self.section('economy').own_line!r} is not one of crop_lines: "
                             f"{', '.join(self.crop_lines)}" + _LINES_REPLACE)
        for i, c in enumerate(self.cooperatives):
            if c.line not in self.crop_lines:
                raise ValueError(f"cooperatives.{i}.line {c.line!r} is not one of crop_lines: "
                                 f"{', '.join(self.crop_lines)}" + _LINES_REPLACE)
        # -- cooperative types and the party policies (issue 3) --
        for i, c in enumerate(self.cooperatives):
            shares = self.section("distribution")
            reserve, collective = c.split(shares.reserve_share, shares.collective_share)
            if reserve + collective > 1:
                raise ValueError(f"cooperatives.{i}: reserve share {reserve} + collective share {collective} exceed 1")
        # -- county and funding (issue 4) --
        if self.county is not None:
            for line in self.county.line_mix or {}:
                if line not in self.crop_lines:
                    raise ValueError(f"county.line_mix: {line!r} is not one of crop_lines: "
                                     f"{', '.join(self.crop_lines)}")
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
                policy = registry.funding_line_policy(line)
                if amount > 0 and policy not in self.policies:
                    where = f" of {self.funding.file}" if self.funding.file else ""
                    raise ValueError(f"funding line {line!r}{where} ({amount:,.0f} yuan) is spent by policy "
                                     f"{policy!r}, which is not in policies; add it or set the line to 0")
        return self

    def has(self, policy: str) -> bool:
        return policy in self.policies

    def section(self, name: str) -> Any:
        """A mechanism's config section (its `Params`), by the mechanism's name."""
        return getattr(self, name)


_CORE_FIELDS = tuple(Config.__pydantic_fields__)


def _sync_sections() -> None:
    """Give `Config` one section per registered mechanism (`<name>: <its Params>`, defaulted). pydantic collects
    a model's fields when its class is made; a mechanism registered later (a test's, a plug-in's) is added by
    rebuilding the model in place, so `Config` stays the one class every module imported."""
    fields = Config.__pydantic_fields__
    for name in [n for n in fields if n not in _CORE_FIELDS]:
        del fields[name]
    for mechanism in registry.mechanisms():
        fields[mechanism.name] = FieldInfo.from_annotated_attribute(mechanism.Params,
                                                                    Field(default_factory=mechanism.Params))
    Config.model_rebuild(force=True)


_sync_sections()
registry.on_change(_sync_sections)


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
    return re.sub(r"\S{80,}", lambda m: yamlfile.cut(m.group(0)), msg)


def _setting_in_message(model: type[BaseModel], msg: str) -> tuple[str, str]:
    """(setting, rest) for a model-level message that starts with a dotted setting of `model`
    ("economy.own_line 'x' is not ...", "cooperatives.0: ..."); policy dependencies are about `policies`."""
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
