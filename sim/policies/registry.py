"""The names of the switchable policies, their order within each phase, and what each needs."""

from __future__ import annotations

import importlib

# Order matters: within a phase, policies run in this order (the cooperative keeps its
# accounts before the assistance fund takes its share, which comes before distribution).
POLICY_MODULES: dict[str, str] = {
    "cooperative": "sim.policies.cooperative:Cooperatives",
    "land_shares": "sim.policies.land_shares:LandShares",
    "wage_contracting": "sim.policies.wage_contracting:WageContracting",
    "assistance_fund": "sim.policies.assistance_fund:AssistanceFund",
    "distribution": "sim.policies.distribution:Distribution",
}
POLICY_NAMES: tuple[str, ...] = tuple(POLICY_MODULES)

REQUIRES: dict[str, tuple[str, ...]] = {
    "land_shares": ("cooperative", "distribution"),  # land-share dividends are paid by the distribution rule
    "wage_contracting": ("cooperative",),
    "assistance_fund": ("cooperative",),
    "distribution": ("cooperative",),
}


def policy_class(name: str):
    module, cls = POLICY_MODULES[name].split(":")
    return getattr(importlib.import_module(module), cls)
