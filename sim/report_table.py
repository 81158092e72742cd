"""The yearly summary tables printed after a run (rich): poverty and income by source; cooperative money."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from sim.i18n import fmt_pct

POVERTY_COLUMNS = [
    ("year", "year", "{:.0f}"),
    ("poor (persons)", "poverty_headcount_ratio", "{:.1%}"),
    ("gap", "poverty_gap_index", "{:.3f}"),
    ("income", "mean_income_per_capita", "{:,.0f}"),
    ("farm", "income_per_capita_farm", "{:,.0f}"),
    ("wage", "income_per_capita_wage", "{:,.0f}"),
    ("dividend", "income_per_capita_dividend", "{:,.0f}"),
    ("remittance", "income_per_capita_remittance", "{:,.0f}"),
    ("transfer", "income_per_capita_transfer", "{:,.0f}"),
    ("assistance", "income_per_capita_assistance", "{:,.0f}"),
    ("medical", "income_per_capita_medical", "{:,.0f}"),
]
COOP_COLUMNS = [
    ("year", "year", "{:.0f}"),
    ("coops active", "coop_active", "{:.0f}"),
    ("members", "coop_members", "{:,.0f}"),
    ("coop profit", "coop_profit", "{:,.0f}"),
    ("dividends", "dividends_paid", "{:,.0f}"),
    ("land rent/floor", "land_payments_paid", "{:,.0f}"),
    ("wages", "wages_paid", "{:,.0f}"),
    ("assistance", "assistance_paid", "{:,.0f}"),
    ("collective", "collective_income", "{:,.0f}"),
    ("lifted", "households_lifted", "{:,.0f}"),
    ("returned", "households_returned_to_poverty", "{:,.0f}"),
]

# -- party organisation, paired assistance, governance, pilots: shown when one of them is on --
PARTY_POLICIES = ("party_organisation", "paired_assistance", "governance", "line_switch", "pilot_first")
PARTY_COLUMNS = [
    ("year", "year", "{:.0f}"),
    ("branch", "party_branches", "{:.0f}"),
    ("group", "party_groups", "{:.0f}"),
    ("instr", "instructors", "{:.0f}"),
    ("members", "party_members", "{:.0f}"),
    ("activ", "activists", "{:.0f}"),
    ("pairs", "pairings", "{:,.0f}"),
    ("certified", "paired_certified_out", "{:,.0f}"),
    ("leakage", "leakage", "{:,.0f}"),
    ("removed", "leader_removals", "{:.0f}"),
    ("elite", "elite_capture_share", "{:.0%}"),
    ("pilots", "pilot_trials", "{:.0f}"),
    ("switch loss", "line_switch_losses", "{:,.0f}"),
]


def _table(title: str, columns, frame) -> Table:
    table = Table(title=title, title_justify="left")
    for head, _, _ in columns:
        table.add_column(head, justify="right", no_wrap=True)
    for _, row in frame.iterrows():
        table.add_row(*[fmt.format(row[key]) for _, key, fmt in columns])
    return table


def _print(console: Console, title: str, columns, frame) -> None:
    """The table, split into as many tables as the console's width needs (each repeating the year), so no number
    is ever cut to `…`."""
    for i, part in enumerate(_chunks(columns, frame, console.width)):
        console.print(_table(title if i == 0 else f"{title} (continued)", part, frame))


def _chunks(columns, frame, width: int) -> list[list]:
    """Columns in groups whose table fits `width` (a column takes its widest text plus 3 for padding and rule)."""
    def need(col) -> int:
        head, key, fmt = col
        return max([len(head), *(len(fmt.format(v)) for v in frame[key])]) + 3

    year, rest = columns[0], columns[1:]
    groups: list[list] = [[year]]
    for col in rest:
        if len(groups[-1]) > 1 and sum(map(need, groups[-1])) + need(col) + 1 > width:
            groups.append([year])
        groups[-1].append(col)
    return groups


def print_yearly_table(result, console: Console | None = None) -> None:
    console = console or Console()  # the terminal's width, or COLUMNS, or 80
    y = result.yearly
    _print(console, "Poverty and income per person by source (yuan/person/year)", POVERTY_COLUMNS, y)
    _print(console, "Cooperatives and the village collective (yuan/year)", COOP_COLUMNS, y)
    if any(p in result.config.policies for p in PARTY_POLICIES):
        _print(console, "Party organisation (at year end), pairing (lifted: paired households lifted), governance "
                        "(leakage, leaders removed, elite: share of payouts to top decile and leaders), pilots "
                        "(yuan/year)", PARTY_COLUMNS, y)
    f = result.final
    imbalance = f"ledger imbalance: {f['ledger_imbalance']:.2f} yuan"
    if result.funding is not None:  # the scenario's totals say who was lifted and at what cost
        print_funding(result, console)
        console.print(imbalance)
        return
    cost = f["public_cost_per_household_lifted"]
    console.print(
        f"households lifted since the start: {f['households_lifted_since_start']:,.0f}   "
        f"public programme spending: {f['public_spending_total']:,.0f} yuan   "
        f"per household lifted: {'n/a' if cost != cost else f'{cost:,.0f} yuan'}   {imbalance}", soft_wrap=True
    )


def print_funding(result, console: Console) -> None:
    """A funding scenario's lines (allocated, spent, unspent) and its totals: who was lifted, at what cost."""
    fund, f, y = result.funding, result.final, result.yearly
    scenario = result.config.funding
    scaled = f" (x {scenario.scale:g} of {scenario.budget_yuan:,.0f})" if scenario.scale != 1 else ""
    table = Table(title=f"Funding scenario {scenario.name!r}: budget {scenario.budget_scaled_yuan:,.0f} yuan"
                        f"{scaled} (yuan over the run)", title_justify="left")
    for head in ("line", "spent by", "allocated", "spent", "unspent", "spent %"):
        text = head in ("line", "spent by")  # words wrap at 80 columns; numbers never do
        table.add_column(head, justify="left" if text else "right", no_wrap=not text)
    for _, r in fund.iterrows():
        if r.allocated_yuan == 0 and r.spent_yuan == 0:
            continue
        share = r.spent_yuan / r.allocated_yuan if r.allocated_yuan > 0 else float("nan")
        table.add_row(r.line, r.policy, f"{r.allocated_yuan:,.0f}", f"{r.spent_yuan:,.0f}",
                      f"{r.unspent_yuan:,.0f}", "n/a" if share != share else fmt_pct(share))
    table.add_row("total", "", f"{fund.allocated_yuan.sum():,.0f}", f"{fund.spent_yuan.sum():,.0f}",
                  f"{fund.unspent_yuan.sum():,.0f}", fmt_pct(fund.spent_yuan.sum() / max(fund.allocated_yuan.sum(), 1)))
    console.print(table)
    cost = f["public_cost_per_household_lifted"]
    first, last = y.iloc[0], y.iloc[-1]
    console.print(
        f"scenario {scenario.name!r} totals: households lifted {f['households_lifted_since_start']:,.0f} "
        f"(poverty headcount {first['poverty_headcount_ratio']:.1%} in {first['year']:.0f} -> "
        f"{last['poverty_headcount_ratio']:.1%} in {last['year']:.0f}); public programme spending "
        f"{f['public_spending_total']:,.0f} yuan; per household lifted "
        f"{'n/a' if cost != cost else f'{cost:,.0f} yuan'}; empty-shell villages {first['empty_shell_villages']:.0f} "
        f"-> {last['empty_shell_villages']:.0f}", soft_wrap=True)  # prose: the terminal wraps it, whole
    if f["households_lifted_since_start"] > 0 and last["poverty_headcount_ratio"] > first["poverty_headcount_ratio"]:
        console.print("households lifted and the headcount move apart: households lifted counts only exits of "
                      "households poor at the start; the headcount also counts households that fell into poverty "
                      "since (and a raised poverty line)", soft_wrap=True)
