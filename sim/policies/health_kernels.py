"""Health's month kernel (sim/kernels.py): the year's insured cost grows by the month's, and each reimbursement
layer pays the growth of what it owes on the year's cost; a plain loop with its numpy twin (health.py's
`reimbursed`, the same arithmetic in the same order)."""

from __future__ import annotations

import numpy as np

from sim.kernels import kernel


def _month_numpy(cost_year, insured, share, basic_rate, basic_deductible, basic_cap, serious_rate, serious_threshold,
                 assist_rate, assist_cap, so_far):
    cost_year += insured
    in_policy = cost_year * share
    basic = np.minimum(basic_rate * np.maximum(in_policy - basic_deductible, 0.0), basic_cap)
    serious = serious_rate * np.maximum(in_policy - basic - serious_threshold, 0.0)
    assist = np.minimum(assist_rate * np.maximum(in_policy - basic - serious, 0.0), assist_cap)
    paid = np.rint(np.maximum(np.stack([basic, serious, assist]) - so_far, 0.0) * 100).astype(np.int64)
    so_far[:] = basic, serious, assist
    return paid


@kernel(_month_numpy)
def month(cost_year, insured, share, basic_rate, basic_deductible, basic_cap, serious_rate, serious_threshold,
          assist_rate, assist_cap, so_far):
    """Adds the month's insured cost (`insured`, yuan: Health.insured_cost) to each household's `cost_year` (yuan,
    in place). A layer owes on the cost within the policy range (`share`):
    basic insurance above its deductible up to its cap, serious-illness insurance above its threshold on what basic
    left, medical assistance on what both left, up to its cap. Returns what each layer pays now, in fen (rows:
    basic, serious illness, assistance): the growth of what it owes over `so_far` (yuan, rows as returned), which
    becomes what it owes now."""
    n = cost_year.size
    paid = np.zeros((3, n), np.int64)
    for i in range(n):
        cost_year[i] += insured[i]
        in_policy = cost_year[i] * share
        basic = min(basic_rate[i] * max(in_policy - basic_deductible[i], 0.0), basic_cap[i])
        serious = serious_rate[i] * max(in_policy - basic - serious_threshold[i], 0.0)
        assist = min(assist_rate[i] * max(in_policy - basic - serious, 0.0), assist_cap[i])
        paid[0, i] = np.int64(np.rint(max(basic - so_far[0, i], 0.0) * 100.0))
        paid[1, i] = np.int64(np.rint(max(serious - so_far[1, i], 0.0) * 100.0))
        paid[2, i] = np.int64(np.rint(max(assist - so_far[2, i], 0.0) * 100.0))
        so_far[0, i], so_far[1, i], so_far[2, i] = basic, serious, assist
    return paid


def _onsets_numpy(s, s_cost, s_months, c, c_cost, c_months, price_index, month, ill, ill_this_year, ill_until,
                  medical_yuan_per_month, admission_due):
    admission_due[s] += s_cost[s] * price_index
    ends = [_spell_numpy(s, s_months, month, ill, ill_this_year, ill_until)]
    medical_yuan_per_month[c] = np.maximum(np.where(ill[c], medical_yuan_per_month[c], 0.0), c_cost[c])
    ends.append(_spell_numpy(c, c_months, month, ill, ill_this_year, ill_until))
    return np.concatenate(ends)


def _spell_numpy(idx, months, month, ill, ill_this_year, ill_until):
    end = np.maximum(np.where(ill[idx], ill_until[idx], 0), month + months[idx])
    ill[idx] = True
    ill_this_year[idx] = True
    ill_until[idx] = end
    return end


@kernel(_onsets_numpy)
def onsets(s, s_cost, s_months, c, c_cost, c_months, price_index, month, ill, ill_this_year, ill_until,
           medical_yuan_per_month, admission_due):
    """This month's onsets (in place): serious illnesses `s` (households) add their admission's cost at this
    year's prices to `admission_due`; chronic onsets `c` set the household's monthly treatment cost (the larger
    of the new and an ongoing one). Each onset's household loses a labour unit from `month` for the spell's
    months (drawn per household in `s_months`, `c_months`): an ongoing spell ends at the later of the two ends.
    Returns the spells' end months, the serious onsets' first."""
    ends = np.empty(s.size + c.size, np.int64)
    for j in range(s.size + c.size):
        chronic = j >= s.size
        i = c[j - s.size] if chronic else s[j]
        if chronic:
            ongoing = medical_yuan_per_month[i] if ill[i] else 0.0
            medical_yuan_per_month[i] = max(ongoing, c_cost[i])
        else:
            admission_due[i] += s_cost[i] * price_index
        end = month + (c_months[i] if chronic else s_months[i])
        if ill[i]:
            end = max(ill_until[i], end)
        ill[i], ill_this_year[i], ill_until[i] = True, True, end
        ends[j] = end
    return ends


def _recover_numpy(month, ill, ill_until, medical_yuan_per_month):
    done = ill & (ill_until == month)
    ill[done] = False
    ill_until[done] = -1
    medical_yuan_per_month[done] = 0.0


@kernel(_recover_numpy)
def recover(month, ill, ill_until, medical_yuan_per_month):
    """Spells ending at `month` end (in place): the household is well, its treatment cost stops."""
    for i in range(ill.size):
        if ill[i] and ill_until[i] == month:
            ill[i], ill_until[i], medical_yuan_per_month[i] = False, -1, 0.0
