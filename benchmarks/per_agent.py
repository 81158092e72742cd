"""A plain per-agent Mesa implementation of the monthly household update (each agent's `step` in
Python), kept as the reference the array version (`sim.policies.economy.household_month`) is
checked and timed against."""

from __future__ import annotations

import mesa
import numpy as np

from sim.policies.economy import MonthRates

FIELDS = ("local_labour_units", "own_farm_mu", "contract_days", "employed", "persons", "labour_units",
          "remittance", "medical_per_month")
OUTPUTS = ("effort", "contract_worked_days", "spare_days", "local_wage", "remittance",
           "medical_cost")


class HouseholdAgent(mesa.Agent):
    def __init__(self, model, **state):
        super().__init__(model)
        for name, value in state.items():
            setattr(self, name, value)
        self.out: dict[str, float] = {}

    def step(self) -> None:
        r: MonthRates = self.model.rates
        avail = self.local_labour_units * r.work_days_per_unit
        need = self.own_farm_mu * r.farm_days_per_mu_month
        effort = min(1.0, avail / need) if need > 0 else 1.0
        spare = max(avail - need, 0.0)
        worked = min(self.contract_days, spare)
        spare = spare - worked
        self.out = {
            "effort": effort,
            "contract_worked_days": worked,
            "spare_days": spare,
            "local_wage": spare * r.work_share * r.wage_per_day if self.employed else 0.0,
            "remittance": self.remittance,
            "medical_cost": self.medical_per_month,
        }


class PerAgentVillage(mesa.Model):
    def __init__(self, inputs: dict[str, np.ndarray], rates: MonthRates, rng: int = 0):
        super().__init__(rng=rng)
        self.rates = rates
        n = len(inputs["persons"])
        for i in range(n):
            HouseholdAgent(self, **{k: inputs[k][i].item() for k in FIELDS})

    def step(self) -> None:
        self.agents.do("step")

    def outputs(self) -> dict[str, np.ndarray]:
        agents = list(self.agents)
        return {k: np.array([a.out[k] for a in agents]) for k in OUTPUTS}


def random_inputs(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """A household population with every branch of the update exercised."""
    rng = np.random.default_rng(seed)
    labour = rng.integers(0, 4, n).astype(float)
    return {
        "local_labour_units": np.maximum(labour - rng.integers(0, 2, n), 0).astype(float),
        "own_farm_mu": rng.choice([0.0, 1.0, 3.0, 8.0, 40.0], n),
        "contract_days": rng.choice([0.0, 2.0, 10.0], n),
        "employed": rng.random(n) < 0.4,
        "persons": rng.integers(1, 7, n).astype(float),
        "labour_units": labour,
        "remittance": rng.integers(0, 2, n) * 900.0,
        "medical_per_month": np.where(rng.random(n) < 0.1, rng.uniform(100, 3000, n), 0.0),
    }


def default_rates() -> MonthRates:
    return MonthRates(farm_days_per_mu_month=1.5, work_days_per_unit=22, work_share=0.5, wage_per_day=75)
