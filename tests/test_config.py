"""Configs: the shipped village equals the defaults; overrides; consistency checks."""

import pytest

from sim.config import Config, apply_overrides, load_config, parse_override
from sim.errors import UserInputError
from sim.policies.economy import PovertyLine


def test_shipped_village_config_equals_the_defaults():
    assert load_config("configs/village.yaml") == Config()


def test_dotted_overrides_reach_nested_and_listed_settings():
    cfg = load_config("configs/village.yaml", ["cooperatives.0.type=capable_person_led",
                                               "cooperative.wage_yuan_per_mu_year=250", "policies=[]"])
    assert cfg.cooperatives[0].type == "capable_person_led"
    assert cfg.cooperative.wage_yuan_per_mu_year == 250
    assert cfg.policies == []


def test_an_override_inside_an_overridden_mapping_leaves_the_callers_mapping_alone():
    lines = {"pigs": {"months_to_sale": 6}}
    out = apply_overrides({}, {"credit.lines": lines, "credit.lines.pigs.months_to_sale": 9})
    assert out["credit"]["lines"]["pigs"]["months_to_sale"] == 9
    assert lines == {"pigs": {"months_to_sale": 6}}


def test_parse_override_reads_yaml_values():
    assert parse_override("a.b=[x, y]") == ("a.b", ["x", "y"])
    assert parse_override("a=0.5") == ("a", 0.5)
    with pytest.raises(UserInputError, match="expected key=value"):
        parse_override("nonsense")


def test_list_index_out_of_range_is_a_clear_error():
    with pytest.raises(UserInputError, match="out of range"):
        apply_overrides({"cooperatives": [{}]}, {"cooperatives.3.line": "grain"})


def test_policy_needing_another_is_rejected():
    with pytest.raises(UserInputError, match="needs policy 'cooperative'"):
        load_config(None, {"policies": ["wage_contracting"]})


def test_unknown_line_is_rejected():
    with pytest.raises(UserInputError, match="cooperatives.0.line: 'tea' is not one of crop_lines"):
        load_config(None, {"cooperatives.0.line": "tea"})


def test_poverty_line_by_year():
    line = PovertyLine()
    assert line.for_year(2014) == 2800 and line.for_year(2020) == 3315
    assert line.for_year(2022) == pytest.approx(3315 * 1.02**2)
    assert line.for_year(2000) == 2300


def test_poverty_line_is_one_series_without_a_jump():
    """The default series never jumps by 10% in a year (the 2019->2020 step is 3,218 -> 3,315: +3.0%); the
    ~4,000 figure is only the named alternative table."""
    line = PovertyLine()
    steps = [line.for_year(y + 1) / line.for_year(y) - 1 for y in range(2011, 2030)]
    assert max(steps) < 0.10
    assert PovertyLine(table="announced_2020").for_year(2020) == 4000
    assert PovertyLine(table="nbs_2010_prices").for_year(2019) == 3218
    with pytest.raises(UserInputError, match="poverty_line.table"):
        load_config(None, {"poverty_line.table": "world_bank"})
