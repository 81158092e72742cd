"""`coopsim report` on an optimisation folder: per language the planner's charts (frontier with its band, the
optimal split per budget, current against optimal) as PNG/SVG/PDF, one briefing PDF (a page of key figures, then
a page per chart) and a self-contained HTML page. The model is not re-run."""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages

from sim.charts import theme
from sim.i18n import LANGS, fmt_amount
from sim.io import atomic_write_text
from sim.plan import charts

TEXT = {
    "title": ("The best split of the programme budget", "扶贫项目资金的最优分配"),
    "key": ("Optimal split against the current one, on {n} fresh shock paths: {measure} {opt} [{lo} to {hi}] "
            "against {cur}; the optimal split does better on {p:.0%} of the paths.",
            "在{n}条新的冲击路径上，最优分配的{measure}为{opt}［{lo}至{hi}］，现行分配为{cur}；"
            "最优分配在{p:.0%}的路径上更好。"),
    "check": ("Frontier check: {text}.", "效果曲线检查：{text}。"),
    "geo": ("The county budget shared across {by}s by their budget-outcome curves: {alloc} of {budget} yuan "
            "allocated; against each place's share pro rata to households.",
            "按各地的预算—效果曲线在{by_zh}之间分配县级资金：{budget}元中分配了{alloc}元；对照为按户数分配。"),
}
BY_ZH = {"village": "村", "township": "乡镇"}


def is_optimisation(folder: Path) -> bool:
    try:
        return json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8")).get("kind") == "optimisation"
    except (OSError, ValueError):
        return False


def figures(folder: Path, lang: str) -> dict:
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    objective = m["settings"]["objective"]
    summary, splits = pd.read_parquet(folder / "summary.parquet"), pd.read_parquet(folder / "splits.parquet")
    geographic = m.get("mode") == "geographic"
    figs = {"places" if geographic else "current_vs_optimal": charts.current_vs_optimal(
        splits, summary, m["current"], m["optimal"], objective, lang, places=geographic)}
    if (folder / "frontier.parquet").exists():
        rows = pd.read_parquet(folder / "frontier.parquet")
        figs["frontier"] = charts.frontier(rows.drop_duplicates("level"), objective, m["budget_yuan"], lang)
        figs["optimal_splits"] = charts.split_bars(rows, lang)
    return figs


def key_text(folder: Path, lang: str) -> list[str]:
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    objective = m["settings"]["objective"]
    s = pd.read_parquet(folder / "summary.parquet").set_index("variant")
    col = f"{objective}_vs_baseline"
    opt, cur = s.loc[m["optimal"]], s.loc[m["current"]]
    i = LANGS.index(lang)
    lines = [TEXT["key"][i].format(n=int(opt["n"]), measure=charts.measure_label(objective, lang),
                                   opt=fmt_amount(opt[col], lang), lo=fmt_amount(opt[f"{col}_low"], lang),
                                   hi=fmt_amount(opt[f"{col}_high"], lang), cur=fmt_amount(cur[col], lang),
                                   p=cur["p_optimal_better"])]
    if m.get("mode") == "geographic":
        alloc, budget = fmt_amount(m["allocated_yuan"], lang), fmt_amount(m["budget_yuan"], lang)
        lines.insert(0, TEXT["geo"][i].format(by=m["by"], by_zh=BY_ZH[m["by"]], alloc=alloc, budget=budget))
    if "frontier_check" in m:
        lines.append(TEXT["check"][i].format(text=m["frontier_check"]))
    return lines


def write_optimisation_report(folder: str | Path, out: str | Path | None = None, langs=LANGS,
                              formats=("png", "svg", "pdf"), log: Callable[[str], None] = lambda _m: None) -> dict:
    folder = Path(folder)
    out = Path(out) if out is not None else folder / "report"
    written = {}
    for lang in langs:
        where = out / lang
        (where / "charts").mkdir(parents=True, exist_ok=True)
        figs, text = figures(folder, lang), key_text(folder, lang)
        files = [_save(fig, where / "charts" / f"{name}.{fmt}", fmt, lang)
                 for name, fig in figs.items() for fmt in formats]
        files += [_pdf(where / "briefing.pdf", figs, text, lang), _html(where / "briefing.html", figs, text, lang)]
        for fig in figs.values():
            plt.close(fig)
        written[lang] = {"files": files, "skipped": []}
        log(f"{lang}: {where}")
    return written


def _save(fig, path: Path, fmt: str, lang: str) -> Path:
    with theme(lang):
        fig.savefig(path, format=fmt, dpi=150, bbox_inches="tight", pad_inches=0.15,
                    metadata={"Date": None} if fmt in ("svg", "pdf") else None)
    return path


def _pdf(path: Path, figs: dict, text: list[str], lang: str) -> Path:
    with theme(lang), PdfPages(path, metadata={"CreationDate": None}) as pdf:
        page = plt.figure(figsize=(11.69, 8.27))
        page.text(0.06, 0.9, TEXT["title"][LANGS.index(lang)], fontsize=18)
        for k, line in enumerate(text):
            page.text(0.06, 0.8 - 0.08 * k, line, fontsize=11, wrap=True)
        pdf.savefig(page)
        plt.close(page)
        for fig in figs.values():
            pdf.savefig(fig, bbox_inches="tight")
    return path


def _html(path: Path, figs: dict, text: list[str], lang: str) -> Path:
    imgs = []
    for fig in figs.values():
        buf = io.BytesIO()
        _save(fig, buf, "png", lang)  # type: ignore[arg-type]
        imgs.append(f'<img alt="" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">')
    body = "".join(f"<p>{html.escape(t)}</p>" for t in text) + "".join(imgs)
    title = html.escape(TEXT["title"][LANGS.index(lang)])
    atomic_write_text(path, f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>{title}</title>'
                            f'<style>img{{max-width:100%}}</style><h1>{title}</h1>{body}</html>')
    return path
