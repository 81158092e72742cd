"""The malformed-input corpus (tests/test_malformed_input.py): (input, expected fragment of the one-line error)."""

from __future__ import annotations

from sim.config import Config
from tests.random_configs import SECTIONS, numeric_leaves

FINITE = "finite number"
NOT_BOOL = "true/false is not a number"

# settings of every kind: ints, bounded and unbounded floats, shares, a line, a poverty-line year, a list item, and
# the first two number settings of every section (read from the schema, so a renamed setting keeps its case)
NUMERIC = ["years", "start_year", "village.households", "crop_lines.grain.revenue_yuan_per_mu_year",
           "crop_lines.cash_crop.yield_sd",
           "poverty_line.growth_per_year_after_table", "poverty_line.yuan_per_person_year.2015",
           "cooperatives.0.leader_cash_yuan"]
NUMERIC += [path for section in SECTIONS for path, *_ in numeric_leaves(Config.model_fields[section].annotation,
                                                                      f"{section}.")[:2] if path not in NUMERIC]
DIST_SETTINGS = ["village.land_mu_per_person", "village.skill", "health.chronic.cost_yuan",
                 "health.serious.spell_months"]

OVERRIDES: list[tuple[list[str], str]] = []
for key in NUMERIC:
    for bad in (".nan", ".inf", "-.inf"):
        OVERRIDES.append(([f"{key}={bad}"], FINITE))
for key in ["years", "village.households", "crop_lines.grain.revenue_yuan_per_mu_year",
            "poverty_line.yuan_per_person_year.2015", "start_year", *NUMERIC[8:12]]:
    OVERRIDES.append(([f"{key}=true"], NOT_BOOL))
OVERRIDES += [
    (["crop_lines.grain.harvest_months=[8, true]"], NOT_BOOL),
    (["village.land_mu_per_person={dist: constant, value: .nan}"], FINITE),
    (["village.skill={dist: normal, mean: .inf, sd: 1, low: 0}"], FINITE),
    (["health.chronic.cost_yuan={dist: lognormal, mean: 100, sd: .inf}"], FINITE),
    (["village.savings_yuan={dist: uniform, low: 0, high: .inf}"], FINITE),
    (["village.persons={dist: shifted_poisson, mean: .nan}"], FINITE),
    (["village.skill={dist: lognormal, mean: true, sd: 1}"], NOT_BOOL),
    (["village.skill={dist: normal, mean: 1, sd: 0.5, low: -.inf}"], FINITE),
    # distributions that can draw what the quantity cannot take
    (["village.land_mu_per_person={dist: normal, mean: 1.3, sd: 0.7}"], "cannot be below 0"),
    (["village.skill={dist: uniform, low: -1, high: 2}"], "cannot be below 0"),
    (["health.chronic.cost_yuan={dist: normal, mean: 1200, sd: 900}"], "set low: 0 to truncate"),
    (["health.chronic.cost_yuan={dist: constant, value: -5}"], "cannot be below 0"),
    (["health.serious.spell_months={dist: normal, mean: 5, sd: 3}"], "cannot be below 0"),
    (["health.serious.spell_months={dist: constant, value: -2}"], "cannot be below 0"),
    (["health.chronic.spell_months={dist: uniform, low: -1, high: 3}"], "cannot be below 0"),
    (["village.persons={dist: constant, value: 0}"], "cannot be below 1"),
    (["village.party_capability={dist: normal, mean: 0.5, sd: 0.2}"], "cannot be below 0"),
    (["village.party_integrity={dist: uniform, low: 0.5, high: 1.5}"], "cannot be above 1"),
    (["governance.capable_person_capability={dist: lognormal, mean: 0.5, sd: 0.1}"], "cannot be above 1"),
    # out of range, zero divisors, poverty lines
    (["project_agency.day_wage_yuan_per_day=0"], "greater than 0"),
    (["cooperative.wage_yuan_per_mu_year=-1"], "greater than or equal to 0"),
    (["years=0"], "greater than or equal to 1"),
    (["years=1000"], "less than or equal to 100"),
    (["years=2.5"], "fractional part"),
    (["assistance_fund.profit_share=1.5"], "less than or equal to 1"),
    (["poverty_line.yuan_per_person_year={2015: -2800}"], "greater than 0"),
    (["poverty_line.yuan_per_person_year={2015: 0}"], "greater than 0"),
    (["poverty_line.yuan_per_person_year={}"], "at least 1 item"),
    (["poverty_line.yuan_per_person_year.2016=-1"], "greater than 0"),
    (["poverty_line.yuan_per_person_year={2015: abc}"], "valid number"),
    # the shape of --set itself
    (["years"], "expected key=value"),
    (["=3"], "empty key"),
    (["years=[1"], "not valid YAML"),
    (["years={a: 1"], "not valid YAML"),
    (["cooperatives.7.line=grain"], "index 7 out of range"),
    (["cooperatives.x.line=grain"], "is not a list index"),
    (["years.x=1"], "valid integer"),
    (["cooperative.wage_yuan_per_mu=300"], "did you mean 'wage_yuan_per_mu_year'"),
    (["nonsense=1"], "unknown key 'nonsense'"),
    (["policies=[cooperative, magic]"], "unknown policy 'magic'"),
    (["policies=[cooperative, cooperative]"], "a policy is named twice"),
    (["policies=[distribution]"], "needs policy 'cooperative'"),
    (["policies=cooperative"], "valid list"),
    (["economy.own_line=rice"], "is not one of crop_lines"),
    (["cooperatives.0.line=rice"], "is not one of crop_lines"),
    (["crop_lines.grain.harvest_months=[8, 8]"], "harvest months must be distinct"),
    (["crop_lines.grain.harvest_months=[12]"], "less than or equal to 11"),
    (["crop_lines.grain.harvest_months=[]"], "at least 1 item"),
    (["village={households: 10, colour: red}"], "unknown key 'colour'"),
    ([f"cooperative.wage_yuan_per_mu_year={'9' * 400}x"], "…"),
    (["cooperatives=[]"], "the cooperative policy needs at least one cooperative"),
    (["village.savings_yuan={dist: constant, value: -100000}"], "cannot be below 0"),
    (["funding=no/such/scenario.yaml"], "no/such/scenario.yaml: file not found"),
    (["village.households=5000000", "years=100"], "5,000,000 households x 100 years: about"),
]

_GOOD_HEAD = "years: 2\n"
CONFIG_FILES: list[tuple[str, str | bytes, str]] = [
    ("empty", "", "the file is empty"),
    ("only comments", "# nothing here\n", "the file is empty"),
    ("a list", "- years: 2\n", "expected a mapping of settings at the top level, got a list"),
    ("a scalar", "hello\n", "got a text"),
    ("a number", "42\n", "got a number"),
    ("duplicate top key", "years: 2\nyears: 3\n", "duplicate key 'years'"),
    ("duplicate section", "cooperative:\n  wage_yuan_per_mu_year: 300\ncooperative:\n  wage_yuan_per_mu_year: 200\n",
     "line 3, column 1: duplicate key 'cooperative'"),
    ("duplicate nested key", "village:\n  households: 10\n  households: 20\n", "line 3, column 3: duplicate key"),
    ("duplicate line", "crop_lines:\n  grain: {revenue_yuan_per_mu_year: 1}\n  grain: {revenue_yuan_per_mu_year: 2}\n",
     "duplicate key 'grain'"),
    ("duplicate in a flow map", "village: {households: 10, households: 20}\n", "duplicate key 'households'"),
    ("duplicate poverty year", "poverty_line:\n  yuan_per_person_year:\n    2015: 2800\n    2015: 2900\n",
     "duplicate key '2015'"),
    ("tab indentation", "village:\n\thouseholds: 10\n", "not valid YAML: line 2"),
    ("unclosed list", "policies: [cooperative\n", "not valid YAML"),
    ("unclosed quote", "economy:\n  own_line: \"grain\n", "not valid YAML"),
    ("bad indentation", "village:\n  households: 10\n persons: 3\n", "not valid YAML"),
    ("two documents", "years: 2\n---\nyears: 3\n", "not valid YAML"),
    ("not utf-8", b"years: 2\nname: \xff\xfe\n", "not a UTF-8 text file"),
    ("years true", "years: true\n", NOT_BOOL),
    ("years yes is text", "years: yes\n", "valid integer"),
    ("years nan", "years: .nan\n", FINITE),
    ("wage inf", "cooperative:\n  wage_yuan_per_mu_year: .inf\n", FINITE),
    ("wage NaN spelled", "cooperative:\n  wage_yuan_per_mu_year: .NaN\n", FINITE),
    ("constant nan", "village:\n  skill: {dist: constant, value: .nan}\n", FINITE),
    ("normal mean inf", "village:\n  savings_yuan: {dist: normal, mean: .inf, sd: 1}\n", FINITE),
    ("poverty nan", "poverty_line:\n  yuan_per_person_year: {2015: .nan}\n", FINITE),
    ("poverty inf", "poverty_line:\n  yuan_per_person_year: {2015: .inf}\n", FINITE),
    ("poverty negative", "poverty_line:\n  yuan_per_person_year: {2015: -1}\n", "greater than 0"),
    ("poverty text", "poverty_line:\n  yuan_per_person_year: {2015: lots}\n", "valid number"),
    ("negative spell", "health:\n  serious:\n    onsets_per_person_year: 0.1\n"
                       "    cost_yuan: {dist: constant, value: 1}\n"
                       "    spell_months: {dist: normal, mean: 3, sd: 2}\n", "cannot be below 0"),
    ("negative cost", "health:\n  chronic:\n    onsets_per_person_year: 0.1\n"
                      "    cost_yuan: {dist: uniform, low: -100, high: 100}\n", "cannot be below 0"),
    ("day wage 0", "policies: [cooperative, project_agency]\nproject_agency:\n  day_wage_yuan_per_day: 0\n",
     "greater than 0"),
    ("unknown key", "colour: red\n", "unknown key 'colour'"),
    ("typo key", "yaers: 2\n", "did you mean 'years'"),
    ("unknown nested key", "village:\n  househods: 10\n", "did you mean 'households'"),
    ("unknown dist", "village:\n  skill: {dist: gamma, k: 2}\n", "village.skill"),
    ("dist without tag", "village:\n  skill: {mean: 1, sd: 1}\n", "village.skill"),
    ("section is a number", "village: 3\n", "village"),
    ("policies a map", "policies: {cooperative: true}\n", "valid list"),
    ("unknown policy", "policies: [cooperative, magic]\n", "unknown policy 'magic'"),
    ("partial lines", "crop_lines:\n  pig: {revenue_yuan_per_mu_year: 100, cost_yuan_per_mu_year: 10, "
     "labour_days_per_mu_year: 1, harvest_months: [3]}\n", "a `crop_lines:` map replaces the default crop lines"),
    ("line missing field", "crop_lines:\n  grain: {revenue_yuan_per_mu_year: 100}\n", "Field required"),
    ("reserve over 1", "distribution:\n  reserve_share: 0.7\n  collective_share: 0.6\n", "exceed 1"),
    ("many aliases", "a: &x 1\n" + "".join(f"k{i}: *x\n" for i in range(300)), "more than 200 aliases"),
    ("alias bomb", "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
     "once aliases are expanded"),
    ("unknown alias", "years: *nowhere\n", "not valid YAML"),
    ("long key", "k" * 300 + ": 1\n", "…"),
    ("long value", "economy:\n  own_line: " + "x" * 300 + "\n", "…"),
    ("deep nesting", "a: " + "[" * 3000 + "]" * 3000 + "\n", "bad.yaml"),
    ("empty funding", "funding: ''\n", "funding: an empty path"),
]

EXPERIMENT_FILES: list[tuple[str, str, str]] = [
    ("empty", "", "the file is empty"),
    ("duplicate key", "name: x\nname: y\nbase: BASE\n", "duplicate key 'name'"),
    ("duplicate variants", "name: x\nbase: BASE\nvariants: [{name: a}, {name: a}]\n", "variant names must be unique"),
    ("replicates true", "name: x\nbase: BASE\nreplicates: true\n", NOT_BOOL),
    ("replicates 0", "name: x\nbase: BASE\nreplicates: 0\n", "greater than or equal to 1"),
    ("replicates inf", "name: x\nbase: BASE\nreplicates: .inf\n", FINITE),
    ("years nan", "name: x\nbase: BASE\nyears: .nan\n", FINITE),
    ("missing base", "name: x\nbase: no/such.yaml\n", "base config 'no/such.yaml' not found"),
    ("override nan", "name: x\nbase: BASE\noverrides: {cooperative.wage_yuan_per_mu_year: .nan}\n", FINITE),
    ("variant override inf", "name: x\nbase: BASE\nvariants: [{name: a, overrides: {years: .inf}}]\n", FINITE),
    ("variant override bool", "name: x\nbase: BASE\nvariants: [{name: a, overrides: {years: true}}]\n", NOT_BOOL),
    ("sweep low inf", "name: x\nbase: BASE\nsweep: {method: lhs, parameters: {cooperative.wage_yuan_per_mu_year: "
     "{low: 0, high: .inf}}}\n", FINITE),
    ("sweep low nan", "name: x\nbase: BASE\nsweep: {method: lhs, parameters: {cooperative.wage_yuan_per_mu_year: "
     "{low: .nan, high: 3}}}\n", FINITE),
    ("sweep value inf", "name: x\nbase: BASE\nsweep: {parameters: {cooperative.wage_yuan_per_mu_year: "
     "{values: [100, .inf]}}}\n", FINITE),
    ("sweep value negative", "name: x\nbase: BASE\nsweep: {parameters: {cooperative.wage_yuan_per_mu_year: "
     "{values: [-100]}}}\n", "greater than or equal to 0"),
    ("sweep unknown key", "name: x\nbase: BASE\nsweep: {parameters: {cooperative.wage: {values: [1]}}}\n",
     "unknown key 'wage'"),
    ("sobol not power of two", "name: x\nbase: BASE\nsweep: {method: sobol, samples: 10, parameters: "
     "{cooperative.wage_yuan_per_mu_year: {low: 1, high: 2}}}\n", "power of two"),
    ("lhs with values", "name: x\nbase: BASE\nsweep: {method: lhs, parameters: {years: {values: [1, 2]}}}\n",
     "needs low and high"),
    ("unknown outcome", "name: x\nbase: BASE\noutcomes: [gin]\n",
     "outcomes: unknown outcome 'gin' (did you mean 'gini'"),
    ("unknown baseline", "name: x\nbase: BASE\nbaseline: nope\n", "baseline: 'nope' is not a variant"),
    ("unknown key", "name: x\nbase: BASE\nreplicats: 3\n", "did you mean 'replicates'"),
    ("a list", "- name: x\n", "got a list"),
    ("huge lhs", "name: x\nbase: BASE\nreplicates: 1\nsweep: {method: lhs, samples: 1000000, parameters: "
     "{cooperative.wage_yuan_per_mu_year: {low: 100, high: 300}}}\n", "add --yes"),
    ("huge replicates", "name: x\nbase: BASE\nreplicates: 100000\nvariants: [{name: a}, {name: b}]\n", "add --yes"),
]

SCENARIO_FILES: list[tuple[str, str, str]] = [
    ("empty", "", "the file is empty"),
    ("budget nan", "name: s\nbudget_yuan: .nan\nlines: {}\n", FINITE),
    ("budget inf", "name: s\nbudget_yuan: .inf\nlines: {}\n", FINITE),
    ("budget true", "name: s\nbudget_yuan: true\nlines: {}\n", NOT_BOOL),
    ("duplicate line", "name: s\nbudget_yuan: 1e9\nlines:\n  training: 1e6\n  training: 2e6\n", "duplicate key"),
    ("line nan", "name: s\nbudget_yuan: 1e9\nlines: {training: .nan}\n", "line 'training': the amount must be"),
]
