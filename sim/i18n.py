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
    "band.single": ("dotted lines: middle 90% of single villages under {name} (what one village may see in a year)",
                    "虚线：“{name}”下单个村的中间90%（一个村在一年中可能出现的范围）"),
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
    "funding.cost_extra": ("Public yuan per extra household lifted\n(vs {baseline})",
                           "每多脱贫一户的财政资金\n（相对于“{baseline}”）"),
    "funding.yuan": ("Yuan per extra household", "元/户"),
    "funding.scatter": ("Households lifted since the start\n(row: variant and its public programme spending)",
                        "累计脱贫户数\n（每行：方案及其累计项目财政投入）"),
    "funding.lifted": ("Households lifted since the start", "累计脱贫户数"),
    "funding.note": ("Left: extra public programme spending over extra households lifted against {baseline}, paired "
                     "by seed; bars: 95% bootstrap interval.\nRight: dots are single runs; diamonds the mean with the "
                     "95% interval of the mean.",
                     "左：相对于“{baseline}”按相同随机种子配对的新增项目财政投入除以新增脱贫户数；误差线为95% "
                     "bootstrap区间。\n右：点为单次模拟；菱形为均值及均值的95%置信区间。"),
    "sens.title.sobol": ("Sensitivity: Sobol indices", "敏感性分析：Sobol指数"),
    "sens.title.morris": ("Sensitivity: Morris elementary effects", "敏感性分析：Morris基本效应"),
    "sens.S1": ("first order (S1)", "一阶指数（S1）"),
    "sens.ST": ("total order (ST)", "总效应指数（ST）"),
    "sens.mu_star": ("mean absolute effect (μ*)", "平均绝对效应（μ*）"),
    "sens.note": ("error bars: 95% confidence intervals (SALib)", "误差线：95%置信区间（SALib）"),
    "coop.title": ("Cooperative health", "合作社运行状况"),
    "coop.active": ("Active cooperatives", "运营中合作社"),
    "coop.failed": ("Failed cooperatives", "失败合作社"),
    "coop.leakage": ("Money diverted or captured (yuan per year)", "资金流失（元/年）"),
    "coop.dividends": ("Dividends paid (yuan per year)", "分红支付（元/年）"),
    "coop.wages": ("Wages paid (yuan per year)", "工资支付（元/年）"),
    "coop.active.share": ("Runs with an active cooperative (share)", "有运营中合作社的模拟占比"),
    "coop.failed.share": ("Runs with a failed cooperative (share)", "有失败合作社的模拟占比"),
    "coop.dropped": ("Not drawn, zero in every run: {names}", "所有模拟中均为零，未画出：{names}"),
    "coop.without": ("Variants without a cooperative are not drawn: {names}", "未画出无合作社的方案：{names}"),
    # skips
    "skip.no_distribution": ("income distribution: these results predate the income distribution (the experiment "
                             "must be run again to show it)",
                             "收入分布：这批结果早于收入分布功能（需重新运行实验才能显示）"),
    "skip.one_variant": ("effects versus the baseline: the experiment has one variant only",
                         "相对于基准的效果：实验只有一个方案"),
    "skip.no_funding": ("funding: public spending is above zero in fewer than two variants",
                        "财政投入：只有不到两个方案有财政投入"),
    "skip.no_sensitivity": ("sensitivity: this experiment has no sensitivity analysis",
                            "敏感性分析：本实验未做敏感性分析"),
    "skip.columns": ("{chart}: the experiment did not keep {columns}", "{chart}：实验未保留{columns}"),
    "skip.no_coop": ("cooperative health: no variant has a cooperative", "合作社运行状况：没有方案包含合作社"),
    # briefing
    "brief.subtitle": ("Simulation briefing", "模拟分析简报"),
    "brief.points": (", {points} sweep points", "，{points}个参数点"),
    "brief.headline": ("Headline results, {year}", "主要结果（{year}年）"),
    "brief.col.variant": ("Variant", "方案"),
    "brief.col.poverty": ("Poverty headcount", "贫困发生率"),
    "brief.col.lifted": ("Households lifted\nsince {start}", "{start}年以来脱贫户数"),
    "brief.col.effect": ("Change in the\nheadcount", "贫困发生率变化"),
    "brief.col.extra": ("Extra households\nlifted since {start}", "{start}年以来\n多脱贫户数"),
    "brief.col.cost": ("Public yuan per extra\nhousehold lifted", "每多脱贫一户\n财政资金"),
    "brief.col.cost_yuan": ("Public yuan per extra yuan\ngained by the poor", "贫困户每多增收1元\n所需财政资金（元）"),
    "brief.col.beats": ("Beats baseline\n(share of seeds)", "优于基准的\n种子占比"),
    "brief.baseline": ("baseline", "基准"),
    "brief.none": ("no public spending", "无财政投入"),
    "brief.no_gain": ("no extra gain", "无新增效果"),
    "key.best": ("{best} leaves the fewest person-years in poverty: {years} fewer than {baseline} {years_interval}; "
                 "it lifts {extra} more households {interval} at {cost} of public money per extra household, and "
                 "beats {baseline} on {p_base} of {seeds} seeds and the runner-up, {second}, on {p} {p_interval}.",
                 "“{best}”的贫困人年数最少：比“{baseline}”少{years}人年{years_interval}；多脱贫{extra}户{interval}，"
                 "每多脱贫一户花费财政资金{cost}；在{seeds}个随机种子中，{p_base}优于“{baseline}”，{p}{p_interval}"
                 "优于次优方案“{second}”。"),
    "key.baseline_best": ("No variant does better than the baseline, {best}, on poverty person-years.",
                          "没有方案在贫困人年数上优于基准方案“{best}”。"),
    "key.too_few": (" Only {seeds} seeds: an order from fewer than 30 changes between batches of seeds.",
                    "仅有{seeds}个随机种子：少于30个种子的排序会随种子批次而变化。"),
    "opposite": ("Households lifted and the headcount move in opposite directions ({names}): in {name}, {lifted} "
                 "households poor at the start had left poverty by {last}, yet the headcount rose from {start} "
                 "({first}) to {end} ({last}). Both are true: households lifted counts only exits of households "
                 "poor at the start; the headcount also counts households that fell into poverty since.",
                 "脱贫户数与贫困发生率走向相反（{names}）：在“{name}”中，期初贫困的{lifted}户到{last}年已脱贫，"
                 "但贫困发生率从{start}（{first}年）升至{end}（{last}年）。两者都成立：脱贫户数只计期初贫困户的退出，"
                 "贫困发生率还计入此后新陷入贫困的农户。"),
    "opposite.line": (" The poverty line rose to {yuan} in {year}, which counts more households as poor.",
                      "{year}年贫困线提高到{yuan}，更多农户被计为贫困。"),
    "brief.setup": ("{villages}, {households} households, {years} years ({start}–{end}); {variants} variant{vs} × "
                    "{replicates} replicate{rs} = {runs} runs, every variant on the same {replicates} seeds "
                    "(experiment seed {seed}); baseline: {baseline}",
                    "{villages}，{households}户，{years}年（{start}—{end}年）；{variants}个方案 × {replicates}次重复"
                    " = {runs}次模拟，各方案使用相同的{replicates}个随机种子（实验种子{seed}）；基准方案：{baseline}"),
    "brief.villages": ("{n} village{s}", "{n}个村"),
    "brief.about": ("about {n}", "约{n}"),
    "appx.title": ("Appendix: gross cost and public money", "附录：总成本与财政资金"),
    "appx.gross_title": ("Gross public cost per household lifted", "按全部脱贫户计算的财政成本"),
    "appx.spending": ("Public programme spending\nsince the start", "累计项目财政投入"),
    "appx.lifted": ("Households lifted\nsince the start", "累计脱贫户数"),
    "appx.gross": ("Gross cost per\nhousehold lifted", "每脱贫一户\n总成本"),
    "appx.gross_note": ("Gross cost: public programme spending since the start divided by every household poor at "
                        "the start that has left poverty (means over runs). It counts households that would have "
                        "left poverty without the programme (the baseline lifts households too), so it says nothing "
                        "about what the money achieved; the first page's cost per extra household lifted does.",
                        "总成本：累计项目财政投入除以期初贫困户中已脱贫的全部户数（各次模拟的均值）。它包括没有项目"
                        "也会脱贫的农户（基准方案同样有农户脱贫），因此不能说明资金的效果；首页的每多脱贫一户财政资金"
                        "才能说明。"),
    "money.title": ("Public money since the start, by source (mean over runs)", "累计财政资金来源（各次模拟均值）"),
    "money.unit": ("yuan", "元"),
    "money.row": ("Source", "来源"),
    "money.budget": ("Budget of the funding scenario", "资金方案预算"),
    "money.programme_total": ("Programme spending (funding lines)", "项目资金支出（各资金条线）"),
    "money.unexplained": ("  Programme spending no source explains", "  无法归入来源的项目支出"),
    "money.unspent": ("Budget not spent", "未使用预算"),
    "money.all": ("All public money", "财政资金合计"),
    "money.line": (" (line: {line})", "（条线：{line}）"),
    "money.no_line": (" (outside every funding line)", "（不属于任何资金条线）"),
    "money.other": (" (national programme)", "（国家政策）"),
    "money.note": ("Each row is the public account's net payments under one ledger source. Programme spending is the "
                   "money of the scenario's funding lines; national programmes (dibao, tekun, health insurance, "
                   "farm subsidies) are public money outside the budget.",
                   "每行是财政账户在一个来源下的净支出。项目资金支出来自资金方案的各条线；国家政策（低保、特困供养、"
                   "医疗保险、农业补贴）是预算之外的财政资金。"),
    "brief.table_note": ("Headcount: mean over runs [95% interval]. Every other column compares the variant with the "
                         "baseline on the same seeds (common random numbers): changes are mean paired differences "
                         "[95% interval]; costs are the extra public programme spending divided by the extra "
                         "households lifted, or by the extra income gained by the registered poor, since the start "
                         "[95% bootstrap interval]; beats: the share of seeds on which the variant leaves fewer "
                         "poverty person-years [95% Wilson interval].",
                         "贫困发生率：各次模拟的均值［95%置信区间］。其余各列在相同随机种子下与基准方案比较：变化为配对"
                         "差值的均值［95%置信区间］；成本为累计新增项目财政投入除以新增脱贫户数或贫困户新增收入"
                         "［95% bootstrap区间］；优于基准：贫困人年数少于基准的种子占比［95% Wilson区间］。"),
    "brief.table_note_sweep": ("Means over all runs of the sweep; for the headcount and its change, in brackets the "
                               "middle 95% of runs (runs differ by design, so this is a range, not an interval of the "
                               "mean). Differences and costs are paired by sweep point and seed.",
                               "数值为参数扫描中全部模拟的均值；贫困发生率及其变化的括号内为中间95%的模拟结果（各次模拟"
                               "的参数本就不同，这是范围而不是均值的置信区间）。差值和成本按相同参数点和随机种子配对。"),
    "brief.charts": ("Charts", "图表"),
    "brief.skipped": ("Not shown", "未显示"),
    "brief.generated": ("Made with coopsim {version} (git {commit}) from the experiment's stored results; the model "
                        "was not re-run.",
                        "由 coopsim {version}（git {commit}）根据实验保存的结果生成；未重新运行模型。"),
    "brief.failed": ("{n} runs failed and are left out.", "{n}次模拟失败，未计入。"),
    "brief.page": ("page {n}", "第{n}页"),
}

# household income categories (sim/ledger.py INCOME_CATEGORIES; not the ledger's money tags, its sources)
INCOME_CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "farm": ("Own farm", "农业经营"), "wage": ("Wages", "工资"), "dividend": ("Dividends", "分红"),
    "assistance": ("Assistance", "帮扶救助"), "transfer": ("Transfers", "转移支付"),
    "remittance": ("Remittances", "外出务工汇款"), "medical": ("Medical costs", "医疗支出"),
    "interest": ("Interest", "利息支出"),
}

# public money by ledger source and funding line, for the briefing's reconciliation (sources declared by the
# mechanisms in sim/policies/*.py; a source without a name here shows its tag with spaces)
PUBLIC_LABELS: dict[str, tuple[str, str]] = {
    "subsidy_shares": ("Subsidy shares for the poor", "贫困户财政补助股金"),
    "mutual_aid_capital": ("Mutual-aid fund capital", "互助资金本金"),
    "interest_subsidy": ("Loan interest subsidy", "贷款贴息"),
    "project_funding": ("Public works contracted to cooperatives", "项目代建资金"),
    "project_agency": ("Project agency", "项目代建"),
    "demonstration_award": ("Demonstration-cooperative awards", "示范社奖励"),
    "awards": ("Awards", "奖励"),
    "training_funding": ("Training", "培训"), "training": ("Training", "培训"),
    "instructor_funding": ("Township instructor posts", "乡镇指导员岗位"),
    "instructor_posts": ("Instructor posts", "指导员岗位"),
    "office_fund": ("Village office funds", "村办公经费"),
    "service_team_fund": ("Service teams", "服务队"),
    "points_startup": ("Points supermarket start-up", "积分超市启动资金"),
    "office_service": ("Office and service teams", "办公与服务队"),
    "public_welfare_job_wage": ("Public-welfare posts", "公益岗位"),
    "public_welfare_jobs": ("Public-welfare posts", "公益岗位"),
    "industrial_subsidy": ("Industrial subsidies", "产业奖补"),
    "insurance_premium_subsidy": ("Crop insurance premium subsidy", "农业保险保费补贴"),
    "crop_insurance": ("Crop insurance", "农业保险"),
    "dibao": ("Dibao (minimum living allowance)", "低保"), "tekun": ("Tekun (five-without support)", "特困供养"),
    "farm_subsidy": ("Farm subsidies", "农业补贴"), "medical_insurance": ("Basic medical insurance", "基本医疗保险"),
    "serious_illness_insurance": ("Serious-illness insurance", "大病保险"),
    "medical_assistance": ("Medical assistance", "医疗救助"), "housing_renovation": ("Housing renovation", "危房改造"),
    "medical_premium_subsidy": ("Medical insurance premium subsidy", "医保参保补贴"),
    "monitoring_support": ("Return-to-poverty monitoring support", "防返贫监测帮扶"),
}


def public_source_label(key: str, lang: str) -> str:
    return PUBLIC_LABELS[key][LANGS.index(lang)] if key in PUBLIC_LABELS else key.replace("_", " ")


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


def fmt_yuan(x: float, lang: str = "en", digits: int = 3) -> str:
    """Yuan for people: whole yuan below 10,000, above that `digits` significant digits in the reader's units:
    8,031 yuan, 176,000 yuan, 68.2 million yuan, 1.20 billion yuan / 8,031元, 17.6万元, 12.0亿元."""
    return "–" if not _ok(x) else fmt_amount(x, lang, digits) + (" yuan" if lang == "en" else "元")


def fmt_amount(x: float, lang: str = "en", digits: int = 3) -> str:
    """A number in the reader's units without the unit: English million and billion, Chinese 万 and 亿 (written
    here, not with a locale library: a dozen lines, and every machine sharing a venv keeps working)."""
    if not _ok(x):
        return "–"
    rounded = _round_sig(x, digits)
    for size, word in SCALES[lang]:
        if abs(rounded) >= size:
            return _sign(_sig_text(x / size, digits) + word)
    return _sign(f"{x:,.0f}" if abs(x) < 10_000 else _sig_text(x, digits))


SCALES = {"en": ((1e9, " billion"), (1e6, " million")), "zh": ((1e8, "亿"), (1e4, "万"))}


def _round_sig(x: float, digits: int) -> float:
    return 0.0 if x == 0 else round(x, digits - 1 - math.floor(math.log10(abs(x))))


def _sig_text(x: float, digits: int) -> str:
    """`digits` significant digits, trailing zeros kept (2.00万 beside 2.08万), thousands separated."""
    r = _round_sig(x, digits)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(r)))) if r else 0
    return f"{r:,.{decimals}f}"


def fmt_sig(x: float, digits: int = 3, sign: bool = False) -> str:
    """A plain number to `digits` significant digits (at least whole units): 0.198, 1.10, +0.43, 1,650."""
    if not _ok(x):
        return "–"
    text = f"{x:+,.0f}" if sign else f"{x:,.0f}"
    if abs(x) < 10 ** (digits - 1):
        text = ("+" if sign and x > 0 else "") + _sig_text(x, digits)
    return _sign(text)


def fmt_pp_bare(diff: float, lang: str = "en", digits: int = 1) -> str:
    """Percentage points without the unit, for an interval next to the value: −10.1."""
    return _sign(f"{diff * 100:+.{digits}f}") if _ok(diff) else "–"


def fmt_yuan_bare(x: float, lang: str = "en", digits: int = 3) -> str:
    """Yuan without the unit, for an interval next to the value (万, million kept)."""
    return fmt_amount(x, lang, digits)


def fmt_interval(lo: float, hi: float, fmt, lang: str = "en") -> str:
    """An interval written out, e.g. [9.0% to 10.2%] / [9.0%至10.2%]."""
    if not (_ok(lo) and _ok(hi)):
        return ""
    sep = "至" if lang == "zh" else " to "
    return f"[{fmt(lo)}{sep}{fmt(hi)}]"
