"""The dashboard's words in English and Chinese, and its figures formatted for people (sim/i18n.py's numbers)."""

from __future__ import annotations

import math

from sim.i18n import LANGS, fmt_amount, public_source_label

TEXT = {
    "title": ("Programme budget: try a split", "扶贫项目资金：试一试分配方案"),
    "lang": ("中文", "English"),
    "place": ("Place", "地区"),
    "county6": ("County sample: 6 villages", "县样本：6个村"),
    "county20": ("County sample: 20 villages", "县样本：20个村"),
    "county58": ("County sample: 58 villages", "县样本：58个村"),
    "budget": ("Budget (million yuan)", "预算（百万元）"),
    "shares": ("Share of each line (weights; normalised to the budget)", "各项资金比重（按预算归一）"),
    "replicates": ("Shock paths (shared seeds)", "冲击路径数（共用随机种子）"),
    "run": ("Run", "运行"),
    "keep": ("Keep this scenario", "保留此方案"),
    "optimise": ("Find the best split", "寻找最优分配"),
    "optimised": ("The sliders now hold the best split found; run it to see its figures.",
                  "滑块已设为找到的最优分配；点击运行查看效果。"),
    "running": ("Running {done} of {total} runs", "正在运行：{done}/{total}"),
    "vs": ("Against no programme money on the same shock paths; 95% intervals.",
           "与同一冲击路径上无项目资金相比；95%置信区间。"),
    "headcount": ("Poverty headcount ratio, last year", "末年贫困发生率"),
    "lifted": ("Extra households lifted", "多脱贫户数"),
    "cost_per_lifted": ("Public yuan per extra household lifted", "每多脱贫一户的财政资金"),
    "income": ("Extra income gained by the registered poor", "建档立卡贫困人口多增收入"),
    "kept": ("Scenarios side by side", "方案对比"),
    "scenario": ("Scenario", "方案"),
    "download_pdf": ("Download briefing (PDF)", "下载简报（PDF）"),
    "download_csv": ("Download tables (CSV)", "下载表格（CSV）"),
    "none": ("Run a split to see its figures.", "运行一个分配方案以查看结果。"),
}


def tr(key: str, lang: str, **values) -> str:
    text = TEXT[key][LANGS.index(lang)]
    return text.format(**values) if values else text


def line_label(line: str, lang: str) -> str:
    return public_source_label(line, lang)


def figure(key: str, value: tuple[float, float, float], lang: str) -> str:
    """'0.78% [0.51%, 1.05%]' / '4.46 million [3.12 million, 5.80 million]'."""
    def one(x: float) -> str:
        if not math.isfinite(x):
            return "–"
        return f"{x:.2%}" if key == "headcount" else (f"{x:+,.1f}" if key == "lifted" else fmt_amount(x, lang))
    v, lo, hi = value
    return f"{one(v)} [{one(lo)}, {one(hi)}]"
