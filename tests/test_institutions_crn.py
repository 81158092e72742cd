"""The institutions that carry risk (issue 15, item 2) never shift another mechanism's draws: with each switched on,
the village's people, illness, own-farm shocks, line shocks and cooperative shocks are those of the same seed
without it (common random numbers)."""

import numpy as np
import pytest

from sim.model import VillageModel

BASE = ["national_programmes", "cooperative", "land_shares", "distribution", "reserve"]


def _trace(policies: list[str], years: int = 3) -> tuple[list, VillageModel]:
    m = VillageModel(rng=11, years=years, policies=policies)
    seen = []
    while m.running:
        m.step()
        if m.month_of_year == 0:
            seen.append((m.hh.ill.copy(), m.economy.shock.copy(), m._line_shock.copy(), m.coops.shock.copy()))
    return seen, m


@pytest.mark.parametrize("mechanism", ["crop_insurance", "joint_cooperative", "lease_back", "processing_workshop"])
def test_switching_an_institution_on_leaves_the_other_draws_alone(mechanism):
    off, base = _trace(BASE)
    on, full = _trace([*BASE, mechanism])
    for a, b in zip(off, on, strict=True):
        for x, y in zip(a, b, strict=True):
            np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(base.hh.persons, full.hh.persons)
    assert full.history[-1]["ledger_imbalance"] == 0
