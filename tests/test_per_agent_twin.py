"""The array household update and its plain per-agent Mesa twin give the same numbers."""

import importlib.util
from pathlib import Path

import numpy as np

from sim.policies.economy import household_month

spec = importlib.util.spec_from_file_location(
    "per_agent", Path(__file__).resolve().parents[1] / "benchmarks" / "per_agent.py")
per_agent = importlib.util.module_from_spec(spec)
spec.loader.exec_module(per_agent)


def test_array_and_per_agent_updates_agree():
    inputs = per_agent.random_inputs(2000, seed=3)
    rates = per_agent.default_rates()
    village = per_agent.PerAgentVillage(inputs, rates)
    village.step()
    slow = village.outputs()
    fast = household_month(**inputs, r=rates)
    for key in per_agent.OUTPUTS:
        np.testing.assert_allclose(fast[key], slow[key], rtol=1e-12, atol=1e-9, err_msg=key)
    assert slow["local_wage"].max() > 0 and (slow["effort"] < 1).any()
