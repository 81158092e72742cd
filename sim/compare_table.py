"""The tables `coopsim compare` prints (rich): each outcome per variant, the cost per extra household lifted and the
ranking. They read at 80 columns: a value and its interval are stacked in one cell and wrap rather than end in
`…`; variants show their labels; numbers carry significant digits, percentages, whole households and yuan."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.i18n import fmt_amount, fmt_int, fmt_pct, fmt_pp, fmt_sig
from sim.policies import registry
from sim.ranking import MIN_REPLICATES_TO_RANK, can_rank

HEADLINE = ("poverty_headcount_ratio", "households_lifted_since_start", "mean_income_per_capita",
            "poverty_person_years_total", "poverty_gap_index_mean", "poverty_severity_index_mean",
            "income_gained_by_registered_poor_total")


def console():
    """A console as wide as the terminal, or COLUMNS, or 80 (rich's default) off a terminal."""
    from rich.console import Console

    return Console()


def number(x: float, unit: str, diff: bool = False) -> str:
    """A value in its unit for people: shares as percentages (differences in percentage points), households and
    other counts whole (two significant digits below 10), yuan in yuan / million, the rest 3 significant digits."""
    if not np.isfinite(x):
        return "–"
    if unit.startswith("share"):
        return fmt_pp(x) if diff else fmt_pct(x)
    if unit.startswith("yuan") and "/yuan" not in unit:
        return ("+" if diff and x > 0 else "") + fmt_amount(x)
    if unit in ("households", "persons", "cooperatives", "villages", "person-years") and abs(x) >= 10:
        return ("+" if diff and x > 0 else "") + fmt_int(x)
    return fmt_sig(x, 2 if unit in ("households", "persons") else 3, sign=diff)


def _cell(value: str, low: str, high: str) -> str:
    return f"{value}\n[{low}, {high}]" if low != "–" else value


def _table(title: str, heads: tuple[str, ...]):
    from rich.table import Table

    t = Table(title=title, title_justify="left", show_lines=True)
    for i, head in enumerate(heads):
        t.add_column(head, justify="left" if i == 0 or head == "variant" else "right", overflow="fold")
    return t


def print_comparison(table: pd.DataFrame, outcomes: list[str] | None = None, out=None,
                     labels: dict[str, str] | None = None) -> None:
    """One table per outcome: per variant its mean [95% interval] and the difference from the baseline, paired by
    seed [95% interval]."""
    declared, labels, out = registry.outcomes(), labels or {}, out or console()
    baseline = table["baseline"].iloc[0]
    with_points = table["point"].nunique() > 1
    for o in [o for o in (outcomes or HEADLINE) if o in set(table["outcome"])]:
        unit = declared[o].unit if o in declared else ""
        t = _table(f"{declared[o].label_en if o in declared else o} ({unit or 'value'}): mean [95% interval]; "
                   f"difference from {labels.get(baseline, baseline)}, paired by seed",
                   ("variant", *(("point",) if with_points else ()), "runs", "mean", "difference"))
        for _, r in table[table["outcome"] == o].iterrows():
            base = r["variant"] == baseline
            t.add_row(labels.get(r["variant"], r["variant"]), *((str(r["point"]),) if with_points else ()),
                      str(r["n"]), _cell(*(number(r[k], unit) for k in ("mean", "ci_low", "ci_high"))),
                      "baseline" if base else _cell(*(number(r[k], unit, diff=True)
                                                      for k in ("diff", "diff_ci_low", "diff_ci_high"))))
        out.print(t)


def print_cost_effectiveness(table: pd.DataFrame, out=None, labels: dict[str, str] | None = None) -> None:
    """The planners' table: what each extra household lifted, and each yuan of income gained by the households
    poor at the start, costs in public money against the baseline (paired by seed)."""
    if not len(table):
        return
    labels, out = labels or {}, out or console()
    with_points = table["point"].nunique() > 1
    income = "public_yuan_per_extra_yuan_gained" in table and table["public_yuan_per_extra_yuan_gained"].notna().any()
    base = table["baseline"].iloc[0]
    t = _table(f"Public cost per extra household lifted against {labels.get(base, base)}"
               + (" and per yuan of income gained by the poor" if income else "")
               + " (paired by seed; – where nothing extra is gained)",
               ("variant", *(("point",) if with_points else ()), "extra spending (yuan)", "extra households lifted",
                "yuan per extra household [95%]", *(("extra income of the poor (yuan)",
                                                     "yuan per yuan gained [95%]") if income else ())))
    for _, r in table.iterrows():
        t.add_row(labels.get(r["variant"], r["variant"]), *((str(r["point"]),) if with_points else ()),
                  fmt_amount(r["extra_spending_yuan"]), number(r["extra_households_lifted"], "households", True),
                  _cell(*(fmt_amount(r[k]) for k in ("cost_per_extra_household_yuan", "ci_low", "ci_high"))),
                  *((number(r["extra_income_gained_by_poor_yuan"], "yuan", True),
                     _cell(*(fmt_sig(r[k]) for k in ("public_yuan_per_extra_yuan_gained", "income_ci_low",
                                                     "income_ci_high")))) if income else ()))
    out.print(t)


def print_ranking(pairs: pd.DataFrame, regrets: pd.DataFrame, out=None, labels: dict[str, str] | None = None) -> None:
    """Who beats whom across shock paths, each variant's regret, and whether there are enough paths to rank."""
    if not len(regrets):
        return
    labels, out = labels or {}, out or console()
    for point, reg in regrets.groupby("point"):
        n = int(reg["n"].iloc[0])
        where = f" (point {point})" if regrets["point"].nunique() > 1 else ""
        t = _table(f"Ranking on poverty person-years{where}: {n} shock paths (seeds) every variant finished; "
                   "regret = person-years more than the best variant on the same seed",
                   ("rank", "variant", "mean person-years", "mean regret", "max regret", "best on"))
        for _, r in reg.iterrows():
            t.add_row(str(r["rank"]), labels.get(r["variant"], r["variant"]), fmt_int(r["mean"]),
                      fmt_sig(r["mean_regret"]), fmt_sig(r["max_regret"]), fmt_pct(r["share_best"], digits=0))
        out.print(t)
        names = list(reg["variant"])
        pt = _table(f"P(row beats column on the same seed: fewer poverty person-years) [95% Wilson interval]{where}",
                    ("variant", *(labels.get(b, b) for b in names)))
        pp = pairs[pairs["point"] == point].set_index(["variant", "other"])
        for a in names:
            pt.add_row(labels.get(a, a), *["–" if a == b else _cell(*(f"{pp.loc[(a, b), k]:.2f}" for k in (
                "p_beats", "ci_low", "ci_high"))) for b in names])
        out.print(pt)
        if not can_rank(n):
            out.print(f"[bold]Too few shock paths to rank:[/bold] {n} replicates; rankings from fewer than "
                      f"{MIN_REPLICATES_TO_RANK} change between batches of seeds. Run at least "
                      f"{MIN_REPLICATES_TO_RANK} replicates (experiment file: replicates).")
