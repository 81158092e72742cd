"""Small results folders for the chart and report tests, made once per test session."""

from __future__ import annotations

from sim.executors import run_experiment
from sim.experiment import load_experiment
from sim.sensitivity import analyse, check_plan
from tests.test_experiment import write_experiment

POLICIES = ["cooperative", "land_shares", "distribution"]
# three variants, two of them with public spending (subsidy shares), so every experiment chart is drawn
VARIANTS = [
    {"name": "none", "label_en": "No cooperative", "label_zh": "无合作社", "overrides": {"policies": []}},
    {"name": "coop", "label_zh": "合作社", "overrides": {"policies": POLICIES}},
    {"name": "coop_wages", "label_en": "+ wage contracting", "label_zh": "+返聘务工",
     "overrides": {"policies": POLICIES + ["wage_contracting"]}},
]


def experiment_folder(tmp):
    path = write_experiment(tmp, name="small", variants=VARIANTS, baseline="none", title_zh="小型实验",
                            description="A small test experiment.", description_zh="一个小型测试实验。")
    run_experiment(load_experiment(path), tmp / "small", executor="serial", progress=False)
    return tmp / "small"


def sensitivity_folder(tmp):
    path = write_experiment(
        tmp, name="sens", years=1, replicates=1, runs_per_task=16,
        variants=[{"name": "package", "label_zh": "扶贫机制", "overrides": {"policies": POLICIES}}],
        outcomes=["poverty_headcount_ratio", "mean_income_per_capita"],
        sweep={"method": "sobol", "samples": 4, "parameters": {
            "economy.local_wage_yuan_per_day": {"low": 50, "high": 100},
            "economy.remittance_yuan_per_migrant_month": {"low": 300, "high": 1500}}})
    plan = load_experiment(path)
    check_plan(plan)
    run_experiment(plan, tmp / "sens", executor="serial", progress=False)
    analyse(tmp / "sens", plan)
    return tmp / "sens"
