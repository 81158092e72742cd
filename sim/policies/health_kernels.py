"""Health's month kernel (sim/kernels.py): the year's insured cost grows by the month's, and each reimbursement
layer pays the growth of what it owes on the year's cost; a plain loop with its numpy twin (health.py's
`reimbursed`, the same arithmetic in the same order)."""

from __future__ import annotations

import numpy as np

from sim.kernels import kernel


def _month_numpy(cost_year, ill, medical_yuan_per_month, price_index, admission_due, share, basic_rate,
                 basic_deductible, basic_cap, serious_rate, serious_threshold, assist_rate, assist_cap, so_far):
    cost_year += ill * medical_yuan_per_month * price_index + admission_due
    in_policy = cost_year * share
    basic = np.minimum(basic_rate * np.maximum(in_policy - basic_deductible, 0.0), basic_cap)
    serious = serious_rate * np.maximum(in_policy - basic - serious_threshold, 0.0)
    assist = np.minimum(assist_rate * np.maximum(in_policy - basic - serious, 0.0), assist_cap)
    paid = np.rint(np.maximum(np.stack([basic, serious, assist]) - so_far, 0.0) * 100).astype(np.int64)
    so_far[:] = basic, serious, assist
    return paid


@kernel(_month_numpy)
def month(cost_year, ill, medical_yuan_per_month, price_index, admission_due, share, basic_rate, basic_deductible,
          basic_cap, serious_rate, serious_threshold, assist_rate, assist_cap, so_far):
    """Adds the month's insured cost (the chronic treatment of the ill at this year's prices, plus admissions due)
    to each household's `cost_year` (yuan, in place). A layer owes on the cost within the policy range (`share`):
    basic insurance above its deductible up to its cap, serious-illness insurance above its threshold on what basic
    left, medical assistance on what both left, up to its cap. Returns what each layer pays now, in fen (rows:
    basic, serious illness, assistance): the growth of what it owes over `so_far` (yuan, rows as returned), which
    becomes what it owes now."""
    n = cost_year.size
    paid = np.zeros((3, n), np.int64)
    for i in range(n):
        cost_year[i] += (1.0 if ill[i] else 0.0) * medical_yuan_per_month[i] * price_index + admission_due[i]
        in_policy = cost_year[i] * share
        basic = min(basic_rate[i] * max(in_policy - basic_deductible[i], 0.0), basic_cap[i])
        serious = serious_rate[i] * max(in_policy - basic - serious_threshold[i], 0.0)
        assist = min(assist_rate[i] * max(in_policy - basic - serious, 0.0), assist_cap[i])
        paid[0, i] = np.int64(np.rint(max(basic - so_far[0, i], 0.0) * 100.0))
        paid[1, i] = np.int64(np.rint(max(serious - so_far[1, i], 0.0) * 100.0))
        paid[2, i] = np.int64(np.rint(max(assist - so_far[2, i], 0.0) * 100.0))
        so_far[0, i], so_far[1, i], so_far[2, i] = basic, serious, assist
    return paid
