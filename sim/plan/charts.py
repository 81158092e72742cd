"""The planner's charts, in English and Chinese: the budget-outcome frontier with its 95% band, the optimal split
at each budget as stacked bars, and the current split against the optimal one (line by line, and their outcomes
with intervals). Fonts, theme and number formats are the briefing's (sim/charts.py, sim/i18n.py)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.charts import theme
from sim.i18n import LANGS, fmt_amount, public_source_label
from sim.plan.objective import LABELS

TEXT = {
    "frontier.title": ("What each budget can do: the optimal split's outcome", "不同预算下最优分配的效果"),
    "frontier.x": ("Programme budget (million yuan)", "项目预算（万元）"),
    "frontier.note": ("Band: 95% interval of the mean over the fresh seeds (shared by every level). Dashed: the "
                      "current budget.", "阴影：各预算水平共用的新随机种子上均值的95%置信区间。虚线：当前预算。"),
    "splits.title": ("The optimal split at each budget", "各预算水平下的最优分配"),
    "splits.y": ("Share of the budget", "占预算比例"),
    "current.title": ("Current split and optimal split", "现行分配与最优分配"),
    "current.yuan": ("Million yuan per line", "各项资金（万元）"),
    "current.gain": ("Optimal minus current, paired by seed: {d} [{lo}, {hi}]",
                     "最优减现行（按种子配对）：{d}［{lo}，{hi}］"),
    "current.outcome": ("Outcome (95% interval)", "效果（95%置信区间）"),
    "current": ("Current", "现行"), "optimal": ("Optimal", "最优"),
    "places.title": ("The county budget across places: pro rata to households and optimal",
                     "县级资金的地区分配：按户数分配与最优分配"),
    "places.yuan": ("Million yuan per place", "各地资金（万元）"),
    "pro_rata": ("Pro rata", "按户数"),
    "village": ("Village {n}", "{n}号村"), "township": ("Township {n}", "{n}号乡镇"),
}


def place_label(name: str, lang: str) -> str:
    """'village 3' / 'township 0' in the chart's language."""
    kind, _, n = name.partition(" ")
    return tr(kind, lang).format(n=n) if kind in ("village", "township") else name


UNIT = {"en": 1e6, "zh": 1e4}  # axis units: million yuan, 万元


def tr(key: str, lang: str) -> str:
    return TEXT[key][LANGS.index(lang)]


def measure_label(objective: str, lang: str) -> str:
    return LABELS[objective][LANGS.index(lang)]


def frontier(levels: pd.DataFrame, objective: str, budget_yuan: float, lang: str) -> Figure:
    """Outcome against budget (against no programme money when the objective is one measure), band and points."""
    col = f"{objective}_vs_baseline" if f"{objective}_vs_baseline" in levels else "score"
    with theme(lang):
        fig, ax = plt.subplots(figsize=(8, 4.8))
        x = levels["budget_yuan"].to_numpy(float) / UNIT[lang]
        ax.fill_between(x, levels[f"{col}_low"], levels[f"{col}_high"], alpha=0.25, color="C0", linewidth=0)
        ax.plot(x, levels[col], "o-", color="C0")
        ax.axvline(budget_yuan / UNIT[lang], color="#555555", linestyle="--", linewidth=1)
        ax.set_xlabel(tr("frontier.x", lang))
        ax.set_ylabel(measure_label(objective, lang))
        ax.set_title(tr("frontier.title", lang))
        fig.text(0.01, -0.04, tr("frontier.note", lang), fontsize=8, ha="left")
    return fig


def split_bars(frontier_rows: pd.DataFrame, lang: str) -> Figure:
    """One stacked bar per budget level: each line's share of the optimal split."""
    wide = frontier_rows.pivot_table(index="budget_yuan", columns="line", values="share", sort=False)
    with theme(lang):
        fig, ax = plt.subplots(figsize=(8, 4.8))
        bottom = np.zeros(len(wide))
        names = [f"{b / UNIT[lang]:,.0f}" for b in wide.index]
        for i, line in enumerate(wide.columns):
            ax.bar(names, wide[line], bottom=bottom, label=public_source_label(line, lang), color=f"C{i % 10}")
            bottom += wide[line].to_numpy(float)
        ax.set_ylabel(tr("splits.y", lang))
        ax.set_xlabel(tr("frontier.x", lang))
        ax.set_title(tr("splits.title", lang))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return fig


def current_vs_optimal(splits: pd.DataFrame, summary: pd.DataFrame, current: str, optimal: str, objective: str,
                       lang: str, places: bool = False) -> Figure:
    """Left: yuan per line (with `places`: per village or township), current beside optimal; right: both
    outcomes with their 95% intervals."""
    wide = splits.pivot_table(index="line", columns="variant", values="yuan", sort=False)
    col = f"{objective}_vs_baseline" if f"{objective}_vs_baseline" in summary else "score"
    rows = summary.set_index("variant").loc[[current, optimal]]
    label = place_label if places else public_source_label
    with theme(lang):
        fig, (left, right) = plt.subplots(1, 2, figsize=(10, max(4.8, 0.16 * len(wide))),
                                          gridspec_kw={"width_ratios": [3, 1]})
        y = np.arange(len(wide))
        left.barh(y - 0.2, wide[current] / UNIT[lang], height=0.4, color="#888888",
                  label=tr("pro_rata" if places else "current", lang))
        left.barh(y + 0.2, wide[optimal] / UNIT[lang], height=0.4, label=tr("optimal", lang), color="C0")
        left.set_yticks(y, [label(n, lang) for n in wide.index], fontsize=7 if len(wide) > 20 else None)
        left.set_xlabel(tr("places.yuan" if places else "current.yuan", lang))
        left.legend(frameon=False)
        means = rows[col].to_numpy(float)
        err = np.vstack([means - rows[f"{col}_low"].to_numpy(float), rows[f"{col}_high"].to_numpy(float) - means])
        right.errorbar([0, 1], means, yerr=err, fmt="o", color="C0", capsize=4)
        right.set_xticks([0, 1], [tr("pro_rata" if places else "current", lang), tr("optimal", lang)])
        right.set_xlim(-0.5, 1.5)
        right.set_ylabel(measure_label(objective, lang))
        right.set_title(tr("current.outcome", lang), fontsize=10)
        fig.suptitle(tr("places.title" if places else "current.title", lang))
        g = summary.set_index("variant").loc[optimal]
        fig.text(0.01, -0.03, tr("current.gain", lang).format(
            d=fmt_amount(g["gain_vs_current"], lang), lo=fmt_amount(g["gain_vs_current_low"], lang),
            hi=fmt_amount(g["gain_vs_current_high"], lang)), fontsize=9)
        fig.tight_layout()
    return fig
