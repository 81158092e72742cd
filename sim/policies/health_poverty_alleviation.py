"""Health poverty alleviation (健康扶贫, issue 14, item 2): from its start year the registered poor's
medical costs are reimbursed more (sim/policies/health.py has the layers).

From `start_year` (the health poverty alleviation project: 国卫财务发〔2016〕26号, June 2016) a registered-poor
household's basic insurance rate rises by `basic_rate_increase`, its serious-illness insurance threshold
is multiplied by `serious_threshold_factor` and its rate rises by `serious_rate_increase`, and it gets
medical assistance (医疗救助) like dibao households when `medical_assistance_for_registered_poor`.
It draws nothing and pays nothing itself: the health layers pay (sources medical_insurance,
serious_illness_insurance, medical_assistance).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.policies.base import Policy
from sim.schema import Share, Strict


class HealthPovertyAlleviationParams(Strict):
    """Sources in configs/village.yaml."""

    start_year: int = Field(default=2016, ge=1990, le=2100)
    basic_rate_increase: Share = 0.05
    serious_threshold_factor: Share = 0.5
    serious_rate_increase: Share = 0.05
    medical_assistance_for_registered_poor: bool = True


class HealthPovertyAlleviation(Policy):
    name = "health_poverty_alleviation"
    Params = HealthPovertyAlleviationParams
    groups = ("national_programmes",)
    before = ("cooperative",)

    def raise_layers(self, layers) -> np.ndarray:
        """Raise the registered poor's layers in place from the start year; returns who gets assistance."""
        m, p = self.model, self.p
        poor = m.hh.registered_poor & (m.year >= p.start_year)
        layers.basic_rate[poor] = np.minimum(layers.basic_rate[poor] + p.basic_rate_increase, 1.0)
        layers.serious_threshold[poor] *= p.serious_threshold_factor
        layers.serious_rate[poor] = np.minimum(layers.serious_rate[poor] + p.serious_rate_increase, 1.0)
        return poor & p.medical_assistance_for_registered_poor
