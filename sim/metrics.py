"""Outcome names (docs/model.md §6), their labels in English and Chinese, units, and how each is computed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim import poverty
from sim.ledger import CATEGORY_INDEX, FEN_PER_YUAN, INCOME_CATEGORIES, SOURCES

if TYPE_CHECKING:
    from sim.model import VillageModel


@dataclass(frozen=True)
class Outcome:
    name: str
    label_en: str
    label_zh: str
    unit: str


_CATEGORY_ZH = {"farm": "农业经营", "wage": "工资", "dividend": "分红", "remittance": "外出务工汇款",
                "transfer": "转移支付", "assistance": "帮扶救助", "medical": "医疗支出", "interest": "利息支出"}

OUTCOMES: dict[str, Outcome] = {o.name: o for o in [
    Outcome("poverty_headcount_ratio", "Poverty headcount ratio", "贫困发生率", "share of persons"),
    Outcome("poverty_headcount_ratio_registered", "Registered poor still poor", "建档立卡人口仍贫困比例",
            "share of persons"),
    Outcome("poverty_gap_index", "Poverty gap index (FGT1)", "贫困距指数", "index"),
    # -- issue 14 item 9 (sim/poverty.py has the definitions) --
    Outcome("poverty_severity_index", "Poverty severity index (FGT2)", "贫困强度指数(FGT2)", "index"),
    Outcome("poverty_person_years", "Persons in poor households this year", "当年贫困人年数", "person-years"),
    Outcome("poverty_person_years_total", "Poverty person-years since the start", "累计贫困人年数", "person-years"),
    Outcome("mean_income_per_capita_registered", "Income per capita of the registered poor", "建档立卡户人均收入",
            "yuan/person/year"),
    Outcome("income_gained_by_registered_poor_total", "Income gained by the registered poor since the start",
            "建档立卡户累计增收", "yuan"),
    Outcome("registered_poor_households", "Households still registered poor", "建档立卡未脱贫户数", "households"),
    Outcome("registered_exits", "Registered households certified out this year", "当年脱贫退出户数", "households"),
    Outcome("registered_exits_since_start", "Registered households certified out since the start", "累计脱贫退出户数",
            "households"),
    Outcome("registered_returns", "Certified-out households below the line this year", "当年返贫户数(已脱贫户)",
            "households"),
    Outcome("registered_returns_since_start", "Certified-out households ever back below the line",
            "累计返贫户数(已脱贫户)", "households"),
    Outcome("monitored_households", "Households under return-to-poverty monitoring", "防返贫监测户数", "households"),
    Outcome("monitoring_support_yuan", "Support paid to monitored households", "监测户帮扶资金", "yuan/year"),
    Outcome("guarantee_failures", "Households failing a guarantee (housing, schooling, medical)", "三保障未达标户数",
            "households"),
    Outcome("housing_renovations", "Dilapidated houses renovated", "危房改造户数", "households"),
    Outcome("public_yuan_per_yuan_gained_by_poor", "Public programme yuan per yuan gained by the registered poor",
            "每元贫困户增收的财政扶贫投入", "yuan/yuan"),
    Outcome("poor_households", "Poor households", "贫困户数", "households"),
    Outcome("households_lifted", "Households lifted this year", "当年脱贫户数", "households"),
    Outcome("households_returned_to_poverty", "Households returned to poverty", "返贫户数", "households"),
    Outcome("households_lifted_since_start", "Households lifted since the start", "累计脱贫户数", "households"),
    Outcome("mean_income_per_capita", "Mean income per capita", "人均纯收入", "yuan/person/year"),
    *[Outcome(f"income_per_capita_{c}", f"Income per capita: {c}", f"人均收入:{_CATEGORY_ZH[c]}",
              "yuan/person/year") for c in INCOME_CATEGORIES],
    Outcome("gini", "Gini coefficient of income per capita", "人均收入基尼系数", "index"),
    Outcome("coop_active", "Active cooperatives", "运营中合作社", "cooperatives"),
    Outcome("coop_failed", "Failed cooperatives", "失败合作社", "cooperatives"),
    Outcome("coop_members", "Cooperative member households", "合作社成员户数", "households"),
    Outcome("coop_profit", "Cooperative profit", "合作社利润", "yuan/year"),
    Outcome("coop_sales", "Cooperative sales (output value)", "合作社销售收入(产值)", "yuan/year"),
    Outcome("coop_share_capital", "Cash share capital held by member households", "成员户现金入股股金", "yuan"),
    Outcome("coop_pooled_land", "Land pooled into cooperatives", "入股(流转)土地", "mu"),
    Outcome("dividends_paid", "Dividends paid", "分红支付", "yuan/year"),
    Outcome("land_payments_paid", "Land rent and guaranteed floor paid", "土地租金与保底", "yuan/year"),
    Outcome("wages_paid", "Cooperative wages paid", "合作社工资支付", "yuan/year"),
    Outcome("assistance_paid", "Assistance fund paid", "帮扶基金支付", "yuan/year"),
    Outcome("collective_income", "Village collective income", "村集体收入", "yuan/year"),
    Outcome("empty_shell_villages", "Empty-shell villages", "空壳村", "villages"),
    Outcome("public_spending", "Public programme spending", "财政扶贫投入", "yuan/year"),
    Outcome("public_spending_total", "Public programme spending since the start", "累计财政扶贫投入", "yuan"),
    Outcome("public_transfers", "Public transfers and reimbursements", "公共转移支付", "yuan/year"),
    Outcome("public_cost_per_household_lifted", "Public cost per household lifted", "每脱贫户财政成本",
            "yuan/household"),
    Outcome("ledger_imbalance", "Ledger imbalance", "账目不平衡", "yuan"),
    # -- party organisation, paired assistance, governance, pilots (docs/model.md §3.6-3.9) --
    Outcome("party_branches", "Party branches in cooperatives (incl. joint)", "合作社党支部(含联合支部)",
            "branches"),
    Outcome("party_groups", "Party groups in cooperatives", "合作社党小组", "groups"),
    Outcome("instructors", "Township instructors in cooperatives", "党建工作指导员", "instructors"),
    Outcome("party_members", "Party members (probationary and full)", "党员(含预备党员)", "persons"),
    Outcome("activists", "Activists applying to join the party", "入党积极分子", "persons"),
    Outcome("pairings", "Households paired with a party member", "结对帮扶户数", "households"),
    Outcome("paired_households_lifted", "Paired households lifted this year", "结对帮扶脱贫户数", "households"),
    Outcome("leakage", "Cooperative money diverted or captured", "合作社资金流失(截留、精英俘获)",
            "yuan/year"),
    Outcome("leader_removals", "Cooperative leaders removed after audits", "罢免合作社负责人", "leaders"),
    Outcome("elite_capture_share", "Share of cooperative payouts and leakage to the top income decile and leaders",
            "合作社分配与流失中最高收入十分位及负责人户所得份额", "share"),
    Outcome("pilot_trials", "Pilot plots of a new line", "先行先试试点", "pilots"),
    Outcome("line_switch_losses", "Losses from failed line switches and pilots", "产业转换失败损失",
            "yuan/year"),
    # -- public works, training, awards, service teams, instructor posts (docs/model.md §3.12-3.13) --
    Outcome("projects", "Public works projects built by cooperatives", "合作社代建项目", "projects"),
    Outcome("project_wages_yuan", "Wages paid to villagers on public works projects", "代建项目村民务工工资",
            "yuan/year"),
    Outcome("project_fees_yuan", "Public works fees to the village collective", "代建项目村集体管理费", "yuan/year"),
    Outcome("training_sessions", "Training sessions", "培训班次", "sessions"),
    Outcome("trainees", "Households trained", "参训农户", "households"),
    Outcome("awards", "Demonstration-cooperative awards", "示范合作社奖励", "awards"),
    Outcome("award_yuan", "Demonstration-cooperative award money", "示范合作社奖励资金", "yuan/year"),
    Outcome("cadre_pay_yuan", "Village cadres' pay from office funds", "村干部报酬", "yuan/year"),
    Outcome("service_team_wages_yuan", "Sanitation and service team wages", "保洁服务队工资", "yuan/year"),
    Outcome("points_redeemed_yuan", "Points redeemed at the points supermarket", "积分超市兑换", "yuan/year"),
    Outcome("instructor_posts_funded", "Funded instructor posts held", "财政保障的党建指导员岗位", "posts"),
    # -- finance (docs/model.md §3.10-3.11) --
    Outcome("mutual_aid_fund_balance", "Mutual-aid fund balance (year end)", "扶贫互助资金余额(年末)", "yuan"),
    Outcome("loans_outstanding", "Mutual-aid loans outstanding (year end)", "互助资金贷款余额(年末)", "yuan"),
    Outcome("loans_issued", "Mutual-aid loans issued", "互助资金发放笔数", "loans/year"),
    Outcome("loan_defaults", "Mutual-aid loans defaulted", "互助资金违约笔数", "loans/year"),
    Outcome("loan_default_yuan", "Mutual-aid principal written off", "互助资金核销本金", "yuan/year"),
    Outcome("lending_to_poor_yuan", "Mutual-aid lending to registered-poor households", "向建档立卡贫困户发放互助资金",
            "yuan/year"),
    Outcome("interest_subsidy_yuan", "Interest subsidy paid", "财政贴息", "yuan/year"),
    Outcome("subsidised_loans_outstanding", "Subsidised loans outstanding (year end)", "贴息贷款余额(年末)", "yuan"),
    Outcome("party_member_loans", "Party-member farm loans issued", "党员农贷发放笔数", "loans/year"),
    # -- national programmes (issue 14) --
    Outcome("dibao_households", "Households receiving the minimum living allowance", "农村低保户数", "households"),
    Outcome("dibao_yuan", "Minimum living allowance paid", "农村低保金支出", "yuan/year"),
    Outcome("tekun_households", "Five-without households supported (tekun)", "特困供养户数", "households"),
    Outcome("tekun_yuan", "Support for the destitute paid", "特困供养金支出", "yuan/year"),
    # -- the household budget (issue 14 item 5: sim/policies/household_budget.py) --
    Outcome("households_in_debt", "Households owing informal debt (year end)", "有民间借贷欠款的农户(年末)",
            "households"),
    Outcome("informal_debt_yuan", "Informal debt outstanding (year end)", "民间借贷余额(年末)", "yuan"),
    Outcome("informal_interest_yuan", "Interest paid on informal debt", "民间借贷利息支出", "yuan/year"),
    Outcome("hardship_households", "Households consuming below subsistence in some month", "生活消费低于温饱线的农户",
            "households"),
    Outcome("informal_debt_written_off_yuan", "Informal debt beyond the limit written off by lenders",
            "超出借贷上限由债主核销的欠款", "yuan/year"),
    Outcome("medical_care_forgone_yuan", "Medical care forgone: unaffordable beyond cash and credit",
            "因无力支付且借贷无门而放弃的医疗", "yuan/year"),
    # -- persons with ages and migration (issue 14 item 3: sim/policies/demography.py) --
    Outcome("labour_units", "Labour units (at home and away)", "劳动力(含外出)", "labour units"),
    Outcome("migrant_labour_units", "Migrant labour units", "外出务工劳动力", "labour units"),
    Outcome("migrant_departures", "Members leaving for migrant work", "当年外出务工人数", "persons/year"),
    Outcome("migrant_returns", "Migrants returning home", "当年返乡人数", "persons/year"),
    Outcome("talent_returns", "Capable migrants persuaded home (能人回引)", "能人回引返乡人数", "persons/year"),
    Outcome("talent_returns_to_party_rolls", "Returnees joining the party's rolls (members, applicants)",
            "返乡能人纳入党员及入党申请人", "persons/year"),
    Outcome("household_lines_started", "Household lines started (livestock, small business)", "农户新发展产业项目",
            "lines/year"),
    Outcome("industrial_subsidy_yuan", "Industrial subsidies paid (产业奖补)", "产业奖补资金", "yuan/year"),
    Outcome("public_welfare_posts", "Public-welfare posts held (公益岗位)", "公益岗位在岗人数", "posts"),
    # -- for the briefing charts: income by source of the registered poor, the year's poverty line --
    *[Outcome(f"income_per_capita_registered_{c}", f"Income per capita of the registered poor: {c}",
              f"建档立卡户人均收入:{_CATEGORY_ZH[c]}", "yuan/person/year") for c in INCOME_CATEGORIES],
    Outcome("poverty_line", "Poverty line", "贫困线", "yuan/person/year"),
]}
# computed by the policies' `outcomes` hooks (zero when they are off), except elite_capture_share
POLICY_OUTCOMES = ("party_branches", "party_groups", "instructors", "party_members", "activists", "pairings",
                   "paired_households_lifted", "leakage", "leader_removals", "pilot_trials", "line_switch_losses",
                   "projects", "project_wages_yuan", "project_fees_yuan", "training_sessions", "trainees",
                   "awards", "award_yuan", "cadre_pay_yuan", "service_team_wages_yuan", "points_redeemed_yuan",
                   "instructor_posts_funded",
                   "mutual_aid_fund_balance", "loans_outstanding", "loans_issued", "loan_defaults", "loan_default_yuan",
                   "lending_to_poor_yuan", "interest_subsidy_yuan", "subsidised_loans_outstanding",
                   "party_member_loans", "dibao_households", "dibao_yuan", "tekun_households", "tekun_yuan",
                   "public_welfare_posts", "talent_returns", "talent_returns_to_party_rolls", "industrial_subsidy_yuan")
# what a cooperative pays out to households (the ledger records them per household): elite capture's base
COOP_PAYOUT_SOURCES = ("coop_wage", "land_rent", "dividend", "owner_profit", "assistance", "leakage",
                       "service_overcharge", "project_wage")


def gini(income: np.ndarray, weight: np.ndarray) -> float:
    """Weighted Gini of non-negative incomes (negative incomes count as zero)."""
    y = np.maximum(income, 0.0)
    if weight.sum() <= 0 or (y * weight).sum() <= 0:
        return 0.0
    order = np.argsort(y, kind="stable")
    y, w = y[order], weight[order]
    cw = np.cumsum(w)
    cyw = np.cumsum(y * w)
    # area under the Lorenz curve by trapezoids
    lorenz = cyw / cyw[-1]
    prev = np.concatenate([[0.0], lorenz[:-1]])
    b = np.sum(w * (lorenz + prev)) / cw[-1] / 2
    return float(1 - 2 * b)


def _group_sum(values: np.ndarray, group: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(group, weights=values, minlength=n)


def year_end_outcomes(model: VillageModel, income_fen: np.ndarray, flows: dict) -> tuple[dict, list[dict]]:
    """Outcomes of the year just closed: (totals, one dict per village). Updates poverty status."""
    hh, c, vill = model.hh, model.coops, model.vill
    nv = vill.n
    line = model.poverty_line
    income = income_fen / FEN_PER_YUAN  # (categories, households)
    total = income.sum(axis=0)
    pc = total / hh.persons
    poor = pc < line
    was_poor = hh.poor_at_start if model.year_index == 0 else hh.poor
    lifted = was_poor & ~poor
    returned = poor & ~was_poor & hh.left_poverty_once
    hh.left_poverty_once |= lifted
    hh.poor = poor
    hh.income_per_capita_last_year = pc
    v = hh.village
    persons_v = _group_sum(hh.persons, v, nv)
    gap = np.maximum(line - pc, 0.0) / line

    def per_village(values: np.ndarray) -> np.ndarray:
        return _group_sum(values.astype(np.float64), v, nv)

    reg_persons = per_village(hh.persons * hh.registered_poor)
    cv = c.village
    coop_sum = lambda arr: _group_sum(arr, cv, nv) if c.n else np.zeros(nv)  # noqa: E731
    # the collective's income: its cooperatives' collective share and the committee's own income (fees)
    collective_v = coop_sum(c.collective_year) + vill.collective_income_year
    vill.collective_income_year[:] = 0.0
    # public-programme spending, exactly from the ledger (by the village the money reached; issue 4)
    programme_fen = model.ledger.last_programme_fen
    public_programme = programme_fen[1:] / FEN_PER_YUAN
    model.public_programme_total += public_programme
    model.public_programme_unattributed_total = (getattr(model, "public_programme_unattributed_total", 0.0)
                                                 + programme_fen[0] / FEN_PER_YUAN)
    lifted_since = per_village(hh.poor_at_start & ~poor)
    assistance = model.policy("assistance_fund")
    assistance_v = coop_sum(assistance.paid_year) if assistance else np.zeros(nv)
    public_transfers = sum(amount for (src, frm, _to), amount in flows.items()
                           if frm == "public" and not SOURCES_BY_NAME[src].public_programme) / FEN_PER_YUAN

    cols = {
        "poverty_headcount_ratio": per_village(hh.persons * poor) / persons_v,
        "poverty_headcount_ratio_registered": np.divide(per_village(hh.persons * (poor & hh.registered_poor)),
                                                        reg_persons, out=np.zeros(nv), where=reg_persons > 0),
        "poverty_gap_index": per_village(hh.persons * gap) / persons_v,
        "poor_households": per_village(poor),
        "households_lifted": per_village(lifted),
        "households_returned_to_poverty": per_village(returned),
        "households_lifted_since_start": lifted_since,
        "mean_income_per_capita": per_village(total) / persons_v,
        **{f"income_per_capita_{cat}": per_village(income[CATEGORY_INDEX[cat]]) / persons_v
           for cat in INCOME_CATEGORIES},
        "coop_active": coop_sum(c.active.astype(float)),
        "coop_failed": coop_sum(c.failed.astype(float)),
        "coop_members": per_village(hh.coop >= 0),
        "coop_profit": coop_sum(np.where(c.active | (c.profit_year != 0), c.profit_year, 0.0)),
        "coop_sales": coop_sum(c.sales_year),
        # the share register at year end: cash paid in as share_capital (ledger) by households now members
        "coop_share_capital": per_village(np.where(hh.coop >= 0, hh.cash_share_yuan, 0.0)),
        "coop_pooled_land": per_village(np.where(hh.coop >= 0, hh.pooled_land_mu, 0.0)),
        "dividends_paid": coop_sum(c.dividends_year),
        "land_payments_paid": coop_sum(c.land_payments_year),
        "wages_paid": coop_sum(c.wages_year),
        "assistance_paid": assistance_v,
        "collective_income": collective_v,
        "empty_shell_villages": (collective_v <= 0).astype(float),
        "public_spending": public_programme,
        "public_spending_total": model.public_programme_total.copy(),
    }
    # -- party organisation, paired assistance, governance, pilots --
    cols.update({name: np.zeros(nv) for name in POLICY_OUTCOMES})
    cols.update(model.economy.outcomes(lifted))
    for name in model.active_policies:
        cols.update(model.policy(name).outcomes(lifted))
    cols.update(_registered_income(model, income, per_village, reg_persons))
    cols.update(model.registration.registration_outcomes())
    cols.update(poverty.poverty_outcomes(model, total, poor, per_village, persons_v, reg_persons))
    captured, paid_out = _elite_capture(model, pc)
    cols["elite_capture_share"] = np.divide(captured, paid_out, out=np.zeros(nv), where=paid_out > 0)
    villages = []
    for i in range(nv):
        row = {k: float(col[i]) for k, col in cols.items()}
        sl = model.village_slice(i)
        row["gini"] = gini(pc[sl], hh.persons[sl])
        row["public_cost_per_household_lifted"] = _per(row["public_spending_total"],
                                                       row["households_lifted_since_start"])
        row["public_yuan_per_yuan_gained_by_poor"] = poverty.per_yuan(row["public_spending_total"],
                                                                      row["income_gained_by_registered_poor_total"])
        villages.append(row)
    persons = persons_v.sum()
    totals = {k: float(col.sum()) for k, col in cols.items()}
    for k in ("poverty_headcount_ratio", "poverty_gap_index", "mean_income_per_capita",
              *[f"income_per_capita_{cat}" for cat in INCOME_CATEGORIES]):
        totals[k] = float((cols[k] * persons_v).sum() / persons)
    totals["poverty_headcount_ratio_registered"] = (float(per_village(hh.persons * (poor & hh.registered_poor)).sum()
                                                          / reg_persons.sum()) if reg_persons.sum() else 0.0)
    totals["gini"] = gini(pc, hh.persons)
    totals["public_transfers"] = float(public_transfers)
    totals["public_spending"] += programme_fen[0] / FEN_PER_YUAN  # programme money that reached no village
    totals["public_spending_total"] += model.public_programme_unattributed_total
    totals["public_cost_per_household_lifted"] = _per(totals["public_spending_total"],
                                                      totals["households_lifted_since_start"])
    totals["ledger_imbalance"] = model.ledger.imbalance_fen() / FEN_PER_YUAN
    totals.update(poverty.totals(cols, persons_v, reg_persons, totals["public_spending_total"]))
    for cat in INCOME_CATEGORIES:
        k = f"income_per_capita_registered_{cat}"
        totals[k] = float((cols[k] * reg_persons).sum() / reg_persons.sum()) if reg_persons.sum() else 0.0
    totals["poverty_line"] = float(line)
    totals["elite_capture_share"] = float(captured.sum() / paid_out.sum()) if paid_out.sum() > 0 else 0.0
    model.public_programme_year[:] = 0.0
    return totals, villages


SOURCES_BY_NAME = {s.name: s for s in SOURCES}


def _elite_capture(model: VillageModel, pc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per village: what the cooperatives paid out (and leaked) to households this year, and the part
    received by the village's top income decile (income per person) or by households that led a cooperative."""
    hh, nv = model.hh, model.vill.n
    got = np.zeros(hh.n)
    for source in COOP_PAYOUT_SOURCES:
        if source in model.ledger.last_received_fen:
            got += model.ledger.last_received_fen[source] / FEN_PER_YUAN
    got = np.maximum(got, 0.0)
    elite = model.village_top_decile(pc)
    leaders = model.coops.leader_household
    elite[leaders[leaders >= 0]] = True
    gov = model.policy("governance")
    if gov is not None:
        elite[np.array(gov.former_leaders_year, np.int64)] = True
    return (_group_sum(got * elite, hh.village, nv), _group_sum(got, hh.village, nv))


def _per(cost: float, households: float) -> float:
    return float(cost / households) if households > 0 else float("nan")


def _registered_income(model: VillageModel, income: np.ndarray, per_village, reg_persons: np.ndarray) -> dict:
    """Per village: income per person of registered-poor households by source (0 without any), and the line."""
    reg = model.hh.registered_poor
    out = {f"income_per_capita_registered_{cat}": np.divide(per_village(income[CATEGORY_INDEX[cat]] * reg),
                                                             reg_persons, out=np.zeros(len(reg_persons)),
                                                             where=reg_persons > 0)
           for cat in INCOME_CATEGORIES}
    out["poverty_line"] = np.full(len(reg_persons), float(model.poverty_line))
    return out
