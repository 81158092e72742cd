"""Briefing charts: one function per chart, each reading tables of a results folder and returning a
matplotlib Figure in English or Chinese. A chart whose data is not in the folder raises `Skipped` with a note.

The bundled font Coopsim Sans SC (a subset of Noto Sans SC, SIL Open Font License; sim/fonts/) is registered at
import, so Chinese renders in PNG, SVG and PDF on a fresh machine without system fonts."""

from __future__ import annotations

import functools
from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no display needed

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter  # noqa: E402

from sim.compare import incremental_cost, mean_ci, paired_differences, spread  # noqa: E402
from sim.i18n import (  # noqa: E402
    MINUS,
    fmt_amount,
    fmt_yuan,
    income_category_label,  # noqa: E402
    outcome_label,
    parameter_label,
    t,
)

FONT_FILE = Path(__file__).parent / "fonts" / "CoopsimSansSC-Regular.otf"
CJK_FAMILY = "Coopsim Sans SC"
font_manager.fontManager.addfont(str(FONT_FILE))
FAMILIES = {"en": ["DejaVu Sans", CJK_FAMILY], "zh": [CJK_FAMILY, "DejaVu Sans"]}

# household income categories (sim/ledger.py INCOME_CATEGORIES): earned or received, and costs
EARNED_CATEGORIES = ("farm", "wage", "dividend", "assistance", "transfer", "remittance")
COST_CATEGORIES = ("medical", "interest")
BASELINE_COLOUR = "#555555"
LINE_JUMP = 0.10  # mark a year whose poverty line is this much above the year before


def missing_glyphs(texts) -> list[str]:
    """The characters of `texts` that no bundled font can draw (Coopsim Sans SC, DejaVu Sans): they would print as
    boxes."""
    covered = _covered()
    return sorted({c for text in texts for c in text if not c.isspace() and ord(c) not in covered})


@functools.cache
def _covered() -> frozenset[int]:
    from matplotlib import ft2font

    fonts = (str(FONT_FILE), font_manager.findfont("DejaVu Sans", fallback_to_default=False))
    return frozenset(c for f in fonts for c in ft2font.FT2Font(f).get_charmap())


class Skipped(Exception):  # noqa: N818 - a chart left out for want of data is an outcome, not an error
    """The folder lacks this chart's data; the message says what is missing."""


@contextmanager
def theme(lang: str):
    """Seaborn's white grid with the language's fonts (concrete family names, so a figure saved later
    still finds them) and sizes that stay readable when printed."""
    rc = dict(sns.axes_style("whitegrid"))
    rc.update({"font.family": FAMILIES[lang], "font.size": 10, "axes.titlesize": 12, "axes.labelsize": 10,
               "legend.fontsize": 9, "xtick.labelsize": 9, "ytick.labelsize": 9, "axes.titleweight": "normal",
               "figure.dpi": 100, "savefig.dpi": 150, "svg.fonttype": "path",
               "axes.unicode_minus": True})
    with plt.rc_context(rc):
        yield


def variant_colours(variants: list[str], baseline: str | None) -> dict[str, tuple]:
    """One colour per variant, the same in every chart; the baseline is grey."""
    others = [v for v in variants if v != baseline]
    palette = sns.color_palette("colorblind", max(len(others), 1))
    colours = dict(zip(others, palette, strict=False))
    if baseline in variants:
        colours[baseline] = BASELINE_COLOUR
    return colours


def summarise(df: pd.DataFrame, by: list[str], value: str, band: str = "ci") -> pd.DataFrame:
    """Per group: n, mean and a band — the 95% interval of the mean across replicates ("ci"), or the middle
    95% of runs ("spread", for sweeps, where runs differ by design and a mean's interval would mislead)."""
    rows = []
    for key, grp in df.groupby(by, sort=False):
        v = grp[value].to_numpy(float)
        if band == "ci":
            n, m, lo, hi = mean_ci(v)
            if n == 1:
                lo = hi = m
        else:
            v = v[np.isfinite(v)]
            n, m = v.size, float(v.mean()) if v.size else np.nan
            lo, hi = (np.percentile(v, [2.5, 97.5]) if v.size else (np.nan, np.nan))
        rows.append({**dict(zip(by, key if isinstance(key, tuple) else (key,), strict=True)), "n": n, "mean": m,
                     "low": lo, "high": hi})
    return pd.DataFrame(rows)


def band_note(series: pd.DataFrame, band: str, lang: str) -> str:
    runs_per_variant = int(series.groupby("variant")["run_id"].nunique().max())
    return t("band.replicates" if band == "ci" else "band.sweep", lang, n=runs_per_variant)


def require(df: pd.DataFrame, columns, chart_key: str, lang: str, **title) -> None:
    """Skip the chart, naming what is missing, when the table lacks columns it draws."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        chart = t(chart_key, lang, **title).split("\n")[0]
        sep = "、" if lang == "zh" else ", "
        named = sep.join(outcome_label(c, lang) for c in missing[:2]) + (f" (+{len(missing) - 2})"
                                                                          if len(missing) > 2 else "")
        raise Skipped(t("skip.columns", lang, chart=chart, columns=named))


def _legend_right(ax, **kw):
    return ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, **kw)


def _note(fig: Figure, text: str, y: float = -0.02) -> None:
    fig.text(0.01, y, text, ha="left", va="top", fontsize=8, color="#444444")


def _order(df: pd.DataFrame, labels: dict[str, str]) -> list[str]:
    present = set(df["variant"])
    return [v for v in labels if v in present] + sorted(present - set(labels))


def _thousands(x, _pos=None) -> str:
    return f"{x:,.0f}".replace("-", MINUS) if x == int(x) else f"{x:,.1f}".replace("-", MINUS)


def _signed(x, _pos=None) -> str:
    if x == 0:
        return "0"
    return (f"{x:+,.0f}" if x == int(x) else f"{x:+,.1f}").replace("-", MINUS)


# -- 1. poverty headcount over the years ------------------------------------------------------------

def poverty_headcount(series: pd.DataFrame, labels: dict[str, str], lang: str, baseline: str | None = None,
                      poverty_line_by_year: dict[int, float] | None = None, band: str = "ci",
                      single: pd.DataFrame | None = None) -> Figure:
    """Poverty headcount ratio by year and variant, with a band across replicates; with `single` (the runs' villages,
    or the runs when each is one village) dotted lines show the middle 90% of single villages under the baseline,
    the spread a reader thinking of one village should expect. A year whose poverty line jumps (2020: 4,000 yuan)
    is marked."""
    require(series, ["poverty_headcount_ratio"], "poverty.title", lang)
    order = _order(series, labels)
    colours = variant_colours(order, baseline)
    stats = summarise(series, ["variant", "year"], "poverty_headcount_ratio", band)
    wide = _single_spread(single, band)
    with theme(lang):
        fig, ax = plt.subplots(figsize=(8, 4.8))
        for v in order:
            s = stats[stats["variant"] == v].sort_values("year")
            if wide is not None and v == (baseline or order[0]):
                w = wide[wide["variant"] == v].sort_values("year")
                ax.fill_between(w["year"], w["low"], w["high"], color=colours[v], alpha=0.06, linewidth=0)
                for edge in ("low", "high"):
                    ax.plot(w["year"], w[edge], color=colours[v], linewidth=0.9, linestyle=(0, (1, 1.5)))
            ax.fill_between(s["year"], s["low"], s["high"], color=colours[v], alpha=0.22, linewidth=0)
            ax.plot(s["year"], s["mean"], color=colours[v], marker="o", markersize=3.5,
                    linewidth=2.4 if v == baseline else 1.8, linestyle="--" if v == baseline else "-",
                    label=labels.get(v, v))
        years = sorted(series["year"].unique())
        line_by_year = poverty_line_by_year or {}
        for year in line_jumps(line_by_year, years):
            ax.axvline(year, color="#b22222", linestyle=":", linewidth=1.2)
            ax.annotate(t("poverty.line_change", lang, year=year, yuan=fmt_yuan(line_by_year[year], lang)),
                        xy=(year, 1.0), xycoords=("data", "axes fraction"), xytext=(4, -4),
                        textcoords="offset points", ha="left", va="top", fontsize=8, color="#b22222")
        ax.set_xticks(years)
        ax.set_xlabel(t("year", lang))
        ax.set_ylabel(t("poverty.y", lang))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        top = max(float(stats["high"].max()), float(wide["high"].max()) if wide is not None else 0.0)
        ax.set_ylim(0, max(0.05, top * 1.15))
        ax.set_title(t("poverty.title", lang), loc="left")
        _legend_right(ax)
        name = labels.get(baseline or order[0], baseline or order[0])
        note = band_note(series, band, lang) + ("\n" + t("band.single", lang, name=name) if wide is not None else "")
        _note(fig, note)
    return fig


def _single_spread(single: pd.DataFrame | None, band: str) -> pd.DataFrame | None:
    """The middle 90% of single villages by variant and year (None for sweeps, whose band is already runs)."""
    if single is None or band != "ci" or "poverty_headcount_ratio" not in single.columns:
        return None
    q = single.groupby(["variant", "year"])["poverty_headcount_ratio"].quantile([0.05, 0.95]).unstack()
    return q.rename(columns={0.05: "low", 0.95: "high"}).reset_index()


def _bar_errors(table: pd.DataFrame) -> list[np.ndarray]:
    """Error-bar lengths below and above each mean, never negative: a ratio of mean differences can lie outside
    its bootstrap percentile interval when the extra households lifted are near zero."""
    mean, low, high = (table[c].to_numpy(float) for c in ("mean", "low", "high"))
    return [np.clip(mean - low, 0, None), np.clip(high - mean, 0, None)]


def line_jumps(line_by_year: dict[int, float], years: list[int]) -> list[int]:
    out = []
    for y in years:
        prev, now = line_by_year.get(y - 1), line_by_year.get(y)
        if prev and now and now / prev - 1 >= LINE_JUMP:
            out.append(int(y))
    return out


# -- 2. income per person by source ----------------------------------------------------------------

def income_by_source(series: pd.DataFrame, labels: dict[str, str], lang: str, baseline: str | None = None,
                     line: float | None = None, year: int | None = None) -> Figure:
    """Income per person by source in one year (default: the last), by variant: all households and the
    registered poor side by side; costs left of zero; the net total with its 95% interval."""
    year = int(series["year"].max()) if year is None else year
    require(series, [f"income_per_capita_{s}" for s in EARNED_CATEGORIES + COST_CATEGORIES], "income.title", lang,
            year=year)
    at = series[series["year"] == year]
    order = _order(at, labels)
    groups = [("income_per_capita_", t("income.all", lang))]
    if f"income_per_capita_registered_{EARNED_CATEGORIES[0]}" in at.columns:
        groups.append(("income_per_capita_registered_", t("income.registered", lang)))
    greys = [(0.55, 0.55, 0.55), (0.75, 0.75, 0.75)]
    colours = dict(zip(EARNED_CATEGORIES + COST_CATEGORIES, sns.color_palette("Set2", len(EARNED_CATEGORIES)) + greys,
                       strict=True))
    with theme(lang):
        fig, axes = plt.subplots(1, len(groups), figsize=(4.4 * len(groups) + 1.4, 0.5 * len(order) + 2.2),
                                 sharey=True, sharex=True, squeeze=False)
        ypos = np.arange(len(order))[::-1]
        for ax, (prefix, title) in zip(axes[0], groups, strict=True):
            means = at.groupby("variant")[[prefix + s for s in EARNED_CATEGORIES + COST_CATEGORIES]].mean()
            left_pos, left_neg = np.zeros(len(order)), np.zeros(len(order))
            for src in EARNED_CATEGORIES + COST_CATEGORIES:
                vals = means.reindex(order)[prefix + src].to_numpy(float)
                neg = src in COST_CATEGORIES
                start = left_neg if neg else left_pos
                ax.barh(ypos, vals, left=start, color=colours[src], height=0.62, label=income_category_label(src, lang),
                        edgecolor="white", linewidth=0.5)
                if neg:
                    left_neg = left_neg + vals
                else:
                    left_pos = left_pos + vals
            net = at.assign(_net=at[[prefix + s for s in EARNED_CATEGORIES + COST_CATEGORIES]].sum(axis=1))
            ns = summarise(net, ["variant"], "_net").set_index("variant").reindex(order)
            ax.errorbar(ns["mean"], ypos, xerr=[ns["mean"] - ns["low"], ns["high"] - ns["mean"]], fmt="D",
                        color="black", markersize=4, capsize=3, linewidth=1, label=t("income.net", lang))
            if line:
                ax.axvline(line, color="#b22222", linestyle="--", linewidth=1.2,
                           label=t("poverty_line", lang, yuan=fmt_yuan(line, lang)))
            ax.axvline(0, color="black", linewidth=0.8)
            ax.set_title(title, loc="left")
            ax.set_xlabel(t("income.x", lang))
            ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
            ax.grid(axis="y", visible=False)
        axes[0][0].set_yticks(ypos)
        axes[0][0].set_yticklabels([labels.get(v, v) for v in order])
        handles, names = axes[0][0].get_legend_handles_labels()
        fig.suptitle(t("income.title", lang, year=year), x=0.01, ha="left", fontsize=12)
        fig.tight_layout()
        fig.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=min(len(names), 6),
                   frameon=False)
        _note(fig, t("income.note", lang), y=-0.12 - 0.02 * (len(names) > 6))
    return fig


# -- 3. the distribution of income per person ------------------------------------------------------

def income_distribution(distribution: pd.DataFrame | None, runs: pd.DataFrame, labels: dict[str, str], lang: str,
                        baseline: str | None = None, line: float | None = None, year: int | None = None,
                        band: str = "ci") -> Figure:
    """The end-of-run distribution of household income per person (persons-weighted ECDF) by variant, against
    the poverty line: where a curve crosses the line is that variant's poverty headcount ratio."""
    if distribution is None or not len(distribution):
        raise Skipped(t("skip.no_distribution", lang))
    d = distribution.merge(runs[["run_id", "variant"]], on="run_id")
    order = _order(d, labels)
    colours = variant_colours(order, baseline)
    stats = summarise(d, ["variant", "percentile"], "income_yuan", band)
    with theme(lang):
        fig, ax = plt.subplots(figsize=(8, 4.8))
        for v in order:
            s = stats[stats["variant"] == v].sort_values("percentile")
            share = s["percentile"] / 100
            ax.fill_betweenx(share, s["low"], s["high"], color=colours[v], alpha=0.18, linewidth=0)
            ax.plot(s["mean"], share, color=colours[v], linewidth=2.4 if v == baseline else 1.7,
                    linestyle="--" if v == baseline else "-", label=labels.get(v, v))
        if line:
            ax.axvline(line, color="#b22222", linestyle="--", linewidth=1.2,
                       label=t("poverty_line", lang, yuan=fmt_yuan(line, lang)))
        hi = float(stats.loc[stats["percentile"] == 95, "high"].max())
        ax.set_xlim(0, max(hi, (line or 0) * 1.5))
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
        ax.set_xlabel(t("dist.x", lang))
        ax.set_ylabel(t("dist.y", lang))
        ax.set_title(t("dist.title", lang, year=year or ""), loc="left")
        _legend_right(ax)
        _note(fig, t("dist.note", lang))
    return fig


# -- 4. effects versus the baseline ----------------------------------------------------------------

EFFECT_OUTCOMES = (("poverty_headcount_ratio", "effects.poverty", 100.0, -1),
                   ("households_lifted_since_start", "effects.lifted", 1.0, 1),
                   ("mean_income_per_capita", "effects.income", 1.0, 1))


def effects(runs: pd.DataFrame, labels: dict[str, str], lang: str, baseline: str, year: int | None = None,
            band: str = "ci") -> Figure:
    """Forest plot: each variant's end-of-run difference from the baseline, paired by replicate seed (and sweep
    point), with its 95% interval, for the poverty headcount ratio, households lifted and income per person."""
    ok = runs[runs["status"] == "ok"]
    order = [v for v in _order(ok, labels) if v != baseline]
    if not order:
        raise Skipped(t("skip.one_variant", lang))
    outcomes = [o for o in EFFECT_OUTCOMES if o[0] in ok.columns]
    if not outcomes:
        require(ok, [EFFECT_OUTCOMES[0][0]], "effects.title", lang, baseline=labels.get(baseline, baseline),
                year=year or "")
    stat = mean_ci if band == "ci" else spread
    colours = variant_colours(order + [baseline], baseline)
    with theme(lang):
        fig, axes = plt.subplots(1, len(outcomes), figsize=(2.9 * len(outcomes) + 2.2, 0.5 * len(order) + 2.0),
                                 sharey=True, squeeze=False)
        ypos = np.arange(len(order))[::-1]
        for ax, (name, key, scale, better) in zip(axes[0], outcomes, strict=True):
            ax.axvline(0, color=BASELINE_COLOUR, linewidth=1)
            for y, v in zip(ypos, order, strict=True):
                _, d, lo, hi = (x * scale for x in stat(paired_differences(ok, v, baseline, name)))
                ax.errorbar(d, y, xerr=[[d - lo], [hi - d]], fmt="o", color=colours[v], markersize=6, capsize=4,
                            linewidth=1.6)
            ax.set_title(t(key, lang), loc="left", fontsize=10)
            ax.xaxis.set_major_formatter(FuncFormatter(_signed))
            arrow = "←" if better < 0 else "→"
            better_text = t("effects.better", lang)
            ax.annotate(f"{arrow} {better_text}" if better < 0 else f"{better_text} {arrow}",
                        xy=(0.0 if better < 0 else 1.0, -0.16), xycoords="axes fraction", fontsize=8,
                        ha="left" if better < 0 else "right", color="#2e7d32")
            ax.grid(axis="y", visible=False)
            ax.margins(x=0.15)
        axes[0][0].set_yticks(ypos)
        axes[0][0].set_yticklabels([labels.get(v, v) for v in order])
        axes[0][0].set_ylim(-0.6, len(order) - 0.4)
        fig.suptitle(t("effects.title", lang, baseline=labels.get(baseline, baseline), year=year or ""),
                     x=0.01, ha="left", fontsize=12)
        fig.tight_layout()
        _note(fig, t("effects.note", lang), y=-0.04)
    return fig


# -- 5. funding -------------------------------------------------------------------------------------

def funding(runs: pd.DataFrame, labels: dict[str, str], lang: str, baseline: str) -> Figure:
    """Left: public yuan per EXTRA household lifted against the baseline (paired by seed, 95% bootstrap interval)
    per spending variant. Right: a dot plot, one row per variant (its spending in the label, so variants with the
    same budget never share a point): households lifted since the start, single runs as dots and the mean with its
    95% interval. Drawn when more than one variant spends."""
    ok = runs[runs["status"] == "ok"]
    require(ok, ["public_spending_total", "households_lifted_since_start"], "funding.title", lang)
    spending = ok.groupby("variant")["public_spending_total"].mean()
    spenders = [v for v in _order(ok, labels) if spending.get(v, 0) > 0 and v != baseline]
    if len(spenders) < 2:
        raise Skipped(t("skip.no_funding", lang))
    order = _order(ok, labels)
    colours = variant_colours(order, baseline)
    extra = pd.DataFrame([incremental_cost(ok, v, baseline) for v in spenders], index=spenders)
    with theme(lang):
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 0.5 * len(order) + 3.2),
                                       gridspec_kw={"width_ratios": [1, 1.15], "wspace": 0.6})
        y = np.arange(len(spenders))[::-1]
        ax1.barh(y, extra["mean"].fillna(0), height=0.6, color=[colours[v] for v in spenders],
                 xerr=_bar_errors(extra), capsize=3, error_kw={"linewidth": 1})
        for yi, v in zip(y, spenders, strict=True):
            if not np.isfinite(extra.loc[v, "mean"]):
                ax1.text(0, yi, " " + t("brief.no_gain", lang), va="center", fontsize=8, color="#444444")
        ax1.set_yticks(y, [labels.get(v, v) for v in spenders])
        ax1.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: fmt_amount(x, lang, 2)))
        ax1.xaxis.set_major_locator(MaxNLocator(nbins=4))
        ax1.set_xlabel(t("funding.yuan", lang))
        ax1.set_title(t("funding.cost_extra", lang, baseline=labels.get(baseline, baseline)), loc="left",
                      fontsize=10)
        ax1.grid(axis="y", visible=False)
        _lifted_dots(ax2, ok, order, labels, colours, spending, lang)
        fig.suptitle(t("funding.title", lang), x=0.01, ha="left", fontsize=12)
        _note(fig, t("funding.note", lang, baseline=labels.get(baseline, baseline)), y=0.0)
    return fig


def _lifted_dots(ax, ok: pd.DataFrame, order: list[str], labels: dict[str, str], colours: dict,
                 spending: pd.Series, lang: str) -> None:
    """One row per variant: its runs' households lifted as dots (spread a little vertically), the mean with its 95%
    interval as a diamond; the row label names the variant and its mean public programme spending."""
    y = np.arange(len(order))[::-1]
    jitter = np.random.default_rng(0)  # a fixed spread, the same picture every time
    for yi, v in zip(y, order, strict=True):
        r = ok.loc[ok["variant"] == v, "households_lifted_since_start"].to_numpy(float)
        ax.scatter(r, yi + jitter.uniform(-0.18, 0.18, r.size), s=12, alpha=0.4, color=colours[v], linewidth=0)
        _, m, lo, hi = mean_ci(r)
        ax.errorbar(m, yi, xerr=[[m - lo], [hi - m]] if np.isfinite(lo) else None, fmt="D", markersize=7,
                    color=colours[v], markeredgecolor="black", markeredgewidth=0.6, capsize=4, linewidth=1.6)
    ax.set_yticks(y, [f"{labels.get(v, v)}\n{fmt_yuan(spending.get(v, 0.0), lang)}" for v in order])
    ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.set_xlabel(t("funding.lifted", lang))
    ax.set_title(t("funding.scatter", lang), loc="left", fontsize=10)
    ax.grid(axis="y", visible=False)
    ax.set_ylim(-0.6, len(order) - 0.4)


# -- 6. sensitivity --------------------------------------------------------------------------------

def sensitivity(indices: pd.DataFrame | None, lang: str) -> Figure:
    """Sobol first- and total-order indices (or Morris mu*) per swept parameter, one panel per outcome,
    with SALib's 95% confidence intervals."""
    if indices is None or not len(indices):
        raise Skipped(t("skip.no_sensitivity", lang))
    sobol = indices["method"].iloc[0] == "sobol"
    measures = [("S1", "S1_conf", "sens.S1"), ("ST", "ST_conf", "sens.ST")] if sobol else \
        [("mu_star", "mu_star_conf", "sens.mu_star")]
    outcomes = list(dict.fromkeys(indices["outcome"]))
    params = list(dict.fromkeys(indices["parameter"]))
    ncols = 2 if len(outcomes) > 1 else 1
    nrows = int(np.ceil(len(outcomes) / ncols))
    colours = sns.color_palette("colorblind", 2)
    with theme(lang):
        fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols + 1.6, (0.42 * len(params) + 1.3) * nrows),
                                 sharey=True, squeeze=False)
        y = np.arange(len(params))[::-1]
        h = 0.8 / len(measures)
        for ax, o in zip(axes.flat, outcomes, strict=False):
            r = indices[indices["outcome"] == o].set_index("parameter").reindex(params)
            for i, (col, conf, key) in enumerate(measures):
                off = (len(measures) - 1) / 2 * h - i * h
                ax.barh(y + off, r[col], height=h, xerr=r[conf], capsize=2.5, color=colours[i], label=t(key, lang),
                        error_kw={"linewidth": 0.9})
            ax.axvline(0, color="black", linewidth=0.8)
            ax.set_title(outcome_label(o, lang), loc="left", fontsize=10)
            ax.grid(axis="y", visible=False)
            if sobol:
                low = min(float((r["S1"] - r["S1_conf"]).min()), float((r["ST"] - r["ST_conf"]).min()))
                high = max(float((r["S1"] + r["S1_conf"]).max()), float((r["ST"] + r["ST_conf"]).max()))
                ax.set_xlim(min(-0.05, low - 0.02), max(1.05, high + 0.02))
        for ax in axes.flat[len(outcomes):]:
            ax.set_visible(False)
        for row in axes:
            row[0].set_yticks(y)
            row[0].set_yticklabels([parameter_label(p, lang) for p in params])
        handles, names = axes[0][0].get_legend_handles_labels()
        fig.suptitle(t("sens.title.sobol" if sobol else "sens.title.morris", lang), x=0.01, ha="left",
                     fontsize=12)
        fig.tight_layout()
        fig.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(names), frameon=False)
        _note(fig, t("sens.note", lang), y=-0.05)
    return fig


# -- 7. cooperative health -------------------------------------------------------------------------

COOP_PANELS = (("coop_active", "coop.active", 1.0), ("coop_failed", "coop.failed", 1.0),
               ("leakage", "coop.leakage", 1.0), ("dividends_paid", "coop.dividends", 1.0),
               ("wages_paid", "coop.wages", 1.0))
MONEY_PANELS = ("leakage", "dividends_paid", "wages_paid")  # ticks in the reader's units (million / 万)


def cooperative_health(series: pd.DataFrame, labels: dict[str, str], lang: str, baseline: str | None = None,
                       band: str = "ci") -> Figure:
    """Active and failed cooperatives, money diverted or captured, dividends and wages paid, by year and
    variant (variants that never have a cooperative are left out and named). A panel that is zero in every run is
    dropped and named in the note; where no run has more than one cooperative, counts are drawn as the share of
    runs with an active (failed) cooperative and labelled so."""
    require(series, ["coop_active", "coop_failed"], "coop.title", lang)
    has_coop = series.groupby("variant")[["coop_active", "coop_failed"]].max().sum(axis=1) > 0
    order = [v for v in _order(series, labels) if has_coop.get(v, False)]
    if not order:
        raise Skipped(t("skip.no_coop", lang))
    without = [labels.get(v, v) for v in _order(series, labels) if v not in order]
    colours = variant_colours(_order(series, labels), baseline)
    data = series[series["variant"].isin(order)]
    present = [p for p in COOP_PANELS if p[0] in series.columns]
    panels = [p for p in present if (data[p[0]].abs() > 0).any()]
    shares = bool(data[["coop_active", "coop_failed"]].max().max() <= 1)
    years = sorted(data["year"].unique())
    with theme(lang):
        fig, axes = plt.subplots(2, 3, figsize=(11, 6.6), squeeze=False)
        for ax, (col, key, scale) in zip(axes.flat, panels, strict=False):
            share = shares and col in ("coop_active", "coop_failed")
            ax.set_title(t(key + (".share" if share else ""), lang), loc="left", fontsize=10)
            stats = summarise(data.assign(_v=data[col] * scale), ["variant", "year"], "_v", band)
            for v in order:
                s = stats[stats["variant"] == v].sort_values("year")
                ax.fill_between(s["year"], s["low"], s["high"], color=colours[v], alpha=0.18, linewidth=0)
                ax.plot(s["year"], s["mean"], color=colours[v], linewidth=1.7, label=labels.get(v, v))
            ax.set_xticks(years[:: max(1, len(years) // 5)])
            ax.set_ylim(bottom=0, top=1.05 if share else None)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0) if share else FuncFormatter(
                (lambda x, _p: fmt_amount(x, lang, 2)) if col in MONEY_PANELS else _thousands))
        legend_ax = axes.flat[len(panels)] if len(panels) < 6 else None
        for ax in axes.flat[len(panels) + 1:]:
            ax.set_visible(False)
        handles = [plt.Line2D([], [], color=colours[v], linewidth=2) for v in order]
        if legend_ax is not None:
            legend_ax.axis("off")
            legend_ax.legend(handles, [labels.get(v, v) for v in order], loc="center left", frameon=False)
        fig.suptitle(t("coop.title", lang), x=0.01, ha="left", fontsize=12)
        fig.tight_layout()
        notes = [band_note(data, band, lang)]
        dropped = [t(p[1], lang) for p in present if p not in panels]
        if dropped:
            notes.append(t("coop.dropped", lang, names=", ".join(dropped) if lang == "en" else "、".join(dropped)))
        if without:
            notes.append(t("coop.without", lang, names=", ".join(without)))
        _note(fig, "\n".join(notes), y=-0.0)
    return fig
