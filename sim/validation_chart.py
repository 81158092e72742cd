"""The validation figure (`coopsim validate`), in English and Chinese: per place, each target's posterior-predictive
50% and 90% intervals as a ratio to the reported value (1 = the article's figure), calibration and held-out marked.

Ratios put figures of different units on one axis; the axis is logarithmic and clipped to [1/20, 20] (a clipped
interval ends in an arrow-head marker); a target with no simulated value or a non-positive interval is left out
and counted in the note.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sim.charts import _note, theme

CLIP = (0.05, 20.0)
ROLE_COLOURS = {"calibration": "#0072B2", "held_out": "#D55E00", "input": "#999999", "identity": "#999999",
                "diagnostic": "#999999"}
TEXT = {
    "title": ("Reported figures against the posterior-predictive intervals", "文章数据与后验预测区间"),
    "x": ("simulated / reported (log scale; 1 = the article's figure)", "模拟值 / 报告值(对数刻度;1 = 文章数据)"),
    "calibration": ("calibration target", "校准目标"), "held_out": ("held out", "留出检验"),
    "input": ("input, identity or diagnostic (not counted)", "输入、恒等式或诊断(不计入)"),
    "note": ("thick: 50% interval; thin: 90% interval; {n} posterior draws x {r} runs per place; "
             "{skipped} target(s) without a positive interval left out",
             "粗线:50%区间;细线:90%区间;每地{n}组后验参数 × {r}次运行;{skipped}个无正值区间的目标未画出"),
}


def _t(key: str, lang: str, **kw) -> str:
    return TEXT[key][0 if lang == "en" else 1].format(**kw)


def drawable(table: pd.DataFrame) -> pd.DataFrame:
    """Rows with a positive reported value and a positive 90% interval, as ratios clipped to CLIP."""
    ok = (table["reported"] > 0) & (table["low_90"] > 0) & table["high_90"].notna()
    out = table[ok].copy()
    for c in ("low_90", "low_50", "simulated_median", "high_50", "high_90"):
        out[c + "_ratio"] = (out[c].clip(lower=1e-12) / out["reported"]).clip(*CLIP)
    return out


def validation_figure(table: pd.DataFrame, lang: str, names: dict[str, str]) -> Figure:
    """One row per target, grouped by place (named by `names`), roles by colour."""
    rows = drawable(table)
    label = "figure_zh" if lang == "zh" else "figure"
    with theme(lang):
        fig = Figure(figsize=(8.5, 0.28 * len(rows) + 1.6))
        ax = fig.subplots()
        for y, r in enumerate(rows.itertuples(index=False)):
            colour = ROLE_COLOURS[r.role]
            ax.plot([r.low_90_ratio, r.high_90_ratio], [y, y], color=colour, lw=1.2)
            ax.plot([r.low_50_ratio, r.high_50_ratio], [y, y], color=colour, lw=4, solid_capstyle="butt")
            ax.plot([r.simulated_median_ratio], [y], "o", color="white", mec=colour, ms=4)
        ax.axvline(1.0, color="#222222", lw=0.8)
        ax.set_xscale("log")
        ax.set_xlim(*CLIP)
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([f"{names.get(p, p)}: {(f or g)[:38]}" for p, f, g in
                            zip(rows["place"], rows[label], rows["figure"], strict=True)], fontsize=7)
        ax.invert_yaxis()
        ax.set_xlabel(_t("x", lang))
        ax.set_title(_t("title", lang))
        for role in ("calibration", "held_out", "input"):
            ax.plot([], [], color=ROLE_COLOURS[role], lw=4, label=_t(role, lang))
        ax.legend(loc="lower right", fontsize=7, frameon=True)
        draws = int(table["parameter_sets"].max()) if len(table) else 0
        runs = int(table["runs"].max() // max(draws, 1)) if len(table) else 0
        _note(fig, _t("note", lang, n=draws, r=runs, skipped=len(table) - len(rows)))
        fig.tight_layout()
    return fig


SHORT_ZH = {"cuiping": "翠屏", "liuba": "留坝", "wangqing": "汪清", "zhijin": "织金", "acheng": "阿城",
            "national": "全国"}


def write_figures(table: pd.DataFrame, folder: Path) -> list[Path]:
    """validation.png and .svg in folder/en and folder/zh."""
    written = []
    for lang in ("en", "zh"):
        names = SHORT_ZH if lang == "zh" else {k: k.capitalize() for k in table["place"].unique()}
        fig = validation_figure(table, lang, names)
        (folder / lang).mkdir(parents=True, exist_ok=True)
        for ext in ("png", "svg"):
            path = folder / lang / f"validation.{ext}"
            fig.savefig(path, format=ext, bbox_inches="tight")
            written.append(path)
    return written
