"""The briefing's words in English and Chinese, and numbers formatted for people (thousands separators,
yuan, percentages, percentage points). Variant names come from the experiment file (label_en, label_zh);
outcome names from the mechanisms' declarations (sim.policies.registry.outcomes())."""

from __future__ import annotations

import math

from sim.errors import UserInputError
from sim.policies.registry import outcomes

LANGS = ("en", "zh")

# key: (English, Chinese)
TEXT: dict[str, tuple[str, str]] = {
    # charts
    "poverty.title": ("Poverty headcount ratio by year", "各年贫困发生率"),
    "poverty.y": ("Share of persons in poor households", "贫困户人口占比"),
    "poverty.line_change": ("Poverty line raised\nto {yuan} ({year})", "{year}年贫困线\n提高到{yuan}"),
    "year": ("Year", "年份"),
    "band.replicates": ("lines: mean of {n} replicates; bands: 95% interval of the mean",
                        "线：{n}次重复模拟的均值；阴影：均值的95%置信区间"),
    "band.sweep": ("lines: mean over {n} runs across the sweep; bands: middle 95% of runs",
                   "线：参数扫描中{n}次模拟的均值；阴影：中间95%的模拟结果"),
    "income.title": ("Income per person by source, {year}", "{year}年人均收入构成"),
    "income.all": ("All households", "全部农户"),
    "income.registered": ("Registered poor households", "建档立卡贫困户"),
    "income.x": ("Yuan per person per year", "元/人/年"),
    "income.net": ("net income (95% interval)", "人均纯收入（95%置信区间）"),
    "income.note": ("Costs (medical, interest) are drawn left of zero; bars: mean over runs",
                    "医疗和利息支出画在零的左侧；条形为各次模拟的均值"),
    "poverty_line": ("Poverty line ({yuan})", "贫困线（{yuan}）"),
    "dist.title": ("Distribution of income per person, {year}", "{year}年人均收入分布"),
    "dist.x": ("Household income per person (yuan per year)", "户人均收入（元/年）"),
    "dist.y": ("Share of persons with at most this income", "收入不高于此值的人口占比"),
    "dist.note": ("Persons-weighted; line: mean of the runs' percentiles; band: 95% interval",
                  "按人口加权；线：各次模拟分位数的均值；阴影：95%置信区间"),
    "effects.title": ("Effect of each variant versus {baseline}, {year}", "各方案相对于“{baseline}”的效果（{year}年）"),
    "effects.note": ("Difference from the baseline paired by replicate seed, with its 95% interval",
                     "与基准方案按相同随机种子配对的差值及其95%置信区间"),
    "effects.poverty": ("Poverty headcount ratio\n(percentage points)", "贫困发生率\n（百分点）"),
    "effects.lifted": ("Households lifted\nsince the start", "累计脱贫户数"),
    "effects.income": ("Income per person\n(yuan per year)", "人均纯收入\n（元/年）"),
    "effects.better": ("better", "更好"),
    "funding.title": ("Public spending and households lifted", "财政投入与脱贫户数"),
    "funding.cost": ("Public cost per household lifted", "每脱贫户财政成本"),
    "funding.cost_all": ("per household lifted", "按全部脱贫户"),
    "funding.cost_extra": ("per extra household lifted\n(vs {baseline})", "按新增脱贫户\n（相对于“{baseline}”）"),
    "funding.yuan": ("Yuan per household", "元/户"),
    "funding.scatter": ("Households lifted against spending", "脱贫户数与财政投入"),
    "funding.spending": ("Public programme spending since the start (10,000 yuan)", "累计财政扶贫投入（万元）"),
    "funding.lifted": ("Households lifted since the start", "累计脱贫户数"),
    "funding.note": ("dots: runs; crosses: variant means with 95% intervals",
                     "点：单次模拟；十字：方案均值及95%置信区间"),
    "sens.title.sobol": ("Sensitivity: Sobol indices", "敏感性分析：Sobol指数"),
    "sens.title.morris": ("Sensitivity: Morris elementary effects", "敏感性分析：Morris基本效应"),
    "sens.S1": ("first order (S1)", "一阶指数（S1）"),
    "sens.ST": ("total order (ST)", "总效应指数（ST）"),
    "sens.mu_star": ("mean absolute effect (μ*)", "平均绝对效应（μ*）"),
    "sens.note": ("error bars: 95% confidence intervals (SALib)", "误差线：95%置信区间（SALib）"),
    "coop.title": ("Cooperative health", "合作社运行状况"),
    "coop.active": ("Active cooperatives", "运营中合作社"),
    "coop.failed": ("Failed cooperatives", "失败合作社"),
    "coop.leakage": ("Money diverted or captured (10,000 yuan)", "资金流失（万元）"),
    "coop.dividends": ("Dividends paid (10,000 yuan)", "分红支付（万元）"),
    "coop.wages": ("Wages paid (10,000 yuan)", "工资支付（万元）"),
    "coop.zero": ("zero in every run", "所有模拟中均为零"),
    "coop.without": ("Variants without a cooperative are not drawn: {names}", "未画出无合作社的方案：{names}"),
    # skips
    "skip.no_distribution": ("income distribution: the folder has no distribution.parquet (results written "
                             "before it existed; re-run the experiment)",
                             "收入分布：结果文件夹中没有 distribution.parquet（旧版结果，请重新运行实验）"),
    "skip.one_variant": ("effects versus the baseline: the experiment has one variant only",
                         "相对于基准的效果：实验只有一个方案"),
    "skip.no_funding": ("funding: public spending is above zero in fewer than two variants",
                        "财政投入：只有不到两个方案有财政投入"),
    "skip.no_sensitivity": ("sensitivity: the folder has no sensitivity.parquet (run `coopsim sensitivity`)",
                            "敏感性分析：结果文件夹中没有 sensitivity.parquet（请运行 coopsim sensitivity）"),
    "skip.columns": ("{chart}: the results do not include {columns} (left out by the experiment's `outcomes` list)",
                     "{chart}：结果中没有 {columns}（实验文件的 outcomes 未保留）"),
    "skip.no_coop": ("cooperative health: no variant has a cooperative", "合作社运行状况：没有方案包含合作社"),
    # briefing
    "brief.subtitle": ("Simulation briefing", "模拟分析简报"),
    "brief.setup": ("{variants} variant{vs} × {replicates} replicate{rs} ({runs} runs), {start}–{end}, "
                    "{households} households; baseline: {baseline}",
                    "{variants}个方案 × {replicates}次重复（共{runs}次模拟），{start}—{end}年，{households}户；"
                    "基准方案：{baseline}"),
    "brief.points": (", {points} sweep points", "，{points}个参数点"),
    "brief.headline": ("Headline results, {year}", "主要结果（{year}年）"),
    "brief.col.variant": ("Variant", "方案"),
    "brief.col.poverty": ("Poverty headcount", "贫困发生率"),
    "brief.col.lifted": ("Households lifted\nsince {start}", "{start}年以来脱贫户数"),
    "brief.col.effect": ("Effect on poverty\nvs baseline", "贫困发生率变化（相对基准）"),
    "brief.col.cost": ("Public cost per\nhousehold lifted", "每脱贫户财政成本"),
    "brief.baseline": ("baseline", "基准"),
    "brief.none": ("no public spending", "无财政投入"),
    "brief.table_note": ("Means over replicates with 95% intervals in brackets. Effect: difference in the poverty "
                         "headcount ratio from the baseline, paired by replicate seed. Cost: public programme "
                         "spending since the start divided by households lifted since the start, per run.",
                         "括号内为95%置信区间，数值为各次重复模拟的均值。效果：与基准方案按相同随机种子配对的"
                         "贫困发生率差值。成本：每次模拟累计财政扶贫投入除以累计脱贫户数。"),
    "brief.table_note_sweep": ("Means over all runs of the sweep; in brackets the middle 95% of runs (runs differ by "
                               "design, so this is a range, not an interval of the mean). Effect: difference in the "
                               "poverty headcount ratio from the baseline at the same sweep point and seed. Cost: "
                               "public programme spending since the start divided by households lifted since the "
                               "start, per run.",
                               "数值为参数扫描中全部模拟的均值；括号内为中间95%的模拟结果（各次模拟的参数本就不同，"
                               "这是范围而不是均值的置信区间）。效果：与基准方案在相同参数点和随机种子下的贫困发生率差值。"
                               "成本：每次模拟累计财政扶贫投入除以累计脱贫户数。"),
    "brief.charts": ("Charts", "图表"),
    "brief.skipped": ("Not shown", "未显示"),
    "brief.generated": ("Generated by coopsim {version} from {folder} (git {commit}); the model was not re-run.",
                        "由 coopsim {version} 根据 {folder} 生成（git {commit}）；未重新运行模型。"),
    "brief.failed": ("{n} runs failed and are left out (see runs.parquet).",
                     "{n}次模拟失败，未计入（见 runs.parquet）。"),
    "brief.page": ("page {n}", "第{n}页"),
}

# household income categories (sim/ledger.py INCOME_CATEGORIES; not the ledger's money tags, its sources)
INCOME_CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "farm": ("Own farm", "农业经营"), "wage": ("Wages", "工资"), "dividend": ("Dividends", "分红"),
    "assistance": ("Assistance", "帮扶救助"), "transfer": ("Transfers", "转移支付"),
    "remittance": ("Remittances", "外出务工汇款"), "medical": ("Medical costs", "医疗支出"),
    "interest": ("Interest", "利息支出"),
}

# swept parameters with a name for people; others show their dotted key
PARAMETERS: dict[str, tuple[str, str]] = {
    "cooperative.wage_yuan_per_mu_year": ("Field-management wage per mu", "每亩田间管理工资"),
    "assistance_fund.profit_share": ("Assistance fund share of profit", "帮扶基金提取比例"),
    "land_shares.subsidy_share_yuan_per_poor_household": ("Subsidy shares per poor household",
                                                          "每户贫困户财政补助股金"),
    "economy.local_employment_probability_per_month": ("Chance of local work per month", "每月本地务工机会"),
    "health.serious.onsets_per_person_year": ("Hospital admissions per person", "人均住院率"),
    "crop_lines.cash_crop.revenue_yuan_per_mu_year": ("Cash crop revenue per mu", "经济作物每亩收入"),
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise UserInputError(f"unknown language {lang!r}; allowed: {', '.join(LANGS)}", field="--lang")
    return lang


def t(key: str, lang: str, **values) -> str:
    text = TEXT[key][LANGS.index(lang)]
    return text.format(**values) if values else text


def income_category_label(category: str, lang: str) -> str:
    return INCOME_CATEGORY_LABELS[category][LANGS.index(lang)]


def parameter_label(name: str, lang: str) -> str:
    return PARAMETERS[name][LANGS.index(lang)] if name in PARAMETERS else name


def outcome_label(name: str, lang: str) -> str:
    o = outcomes().get(name)
    return (o.label_zh if lang == "zh" else o.label_en) if o else name


def variant_labels(manifest: dict, lang: str) -> dict[str, str]:
    """Display names of the variants, from the experiment file (label_en / label_zh; else the name)."""
    out = {}
    for v in manifest.get("variants", []):
        out[v["name"]] = (v.get("label_zh") or v.get("label_en") if lang == "zh" else v.get("label_en")) or v["name"]
    return out


# -- numbers --------------------------------------------------------------------------------------

MINUS = "\u2212"


def _ok(x) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def _sign(s: str) -> str:
    return s.replace("-", MINUS)


def fmt_int(x: float, lang: str = "en") -> str:
    return _sign(f"{x:,.0f}") if _ok(x) else "–"


def fmt_number(x: float, digits: int = 1) -> str:
    return _sign(f"{x:,.{digits}f}") if _ok(x) else "–"


def fmt_pct(share: float, lang: str = "en", digits: int = 1) -> str:
    """A share as a percentage: 0.1234 -> 12.3%."""
    return _sign(f"{share * 100:.{digits}f}%") if _ok(share) else "–"


def fmt_pp(diff: float, lang: str = "en", digits: int = 1) -> str:
    """A difference of shares in percentage points, signed: -0.1012 -> −10.1 pp (个百分点)."""
    if not _ok(diff):
        return "–"
    unit = " 个百分点" if lang == "zh" else " pp"
    return _sign(f"{diff * 100:+.{digits}f}") + unit


def fmt_yuan(x: float, lang: str = "en") -> str:
    """Yuan with thousands separators: 8,031 yuan / 8,031元; in Chinese, 10,000 and over as 万元."""
    if not _ok(x):
        return "–"
    if lang == "zh":
        return _sign(f"{x / 10_000:,.1f}万元") if abs(x) >= 10_000 else _sign(f"{x:,.0f}元")
    return _sign(f"{x:,.0f} yuan")


def fmt_pp_bare(diff: float, lang: str = "en", digits: int = 1) -> str:
    """Percentage points without the unit, for an interval next to the value: −10.1."""
    return _sign(f"{diff * 100:+.{digits}f}") if _ok(diff) else "–"


def fmt_yuan_bare(x: float, lang: str = "en") -> str:
    """Yuan without the unit, for an interval next to the value (万 kept in Chinese)."""
    if not _ok(x):
        return "–"
    return _sign(f"{x / 10_000:,.1f}万") if lang == "zh" and abs(x) >= 10_000 else _sign(f"{x:,.0f}")


def fmt_interval(lo: float, hi: float, fmt, lang: str = "en") -> str:
    """An interval written out, e.g. [9.0% to 10.2%] / [9.0%至10.2%]."""
    if not (_ok(lo) and _ok(hi)):
        return ""
    sep = "至" if lang == "zh" else " to "
    return f"[{fmt(lo)}{sep}{fmt(hi)}]"
