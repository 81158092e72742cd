"""Demography's yearly member kernels (sim/kernels.py): the Spring Festival's moves, the labour derived from the
members and what migrants send home, each a plain loop over the (households x members) arrays with its numpy twin.

The twins are the arithmetic demography.py ran before the loops; both give exactly equal numbers (labour units are
sums of halves, exact in any order; each household's remittance is summed over its members by numpy on both
paths, from the kernel's per-member amounts)."""

from __future__ import annotations

import numpy as np

from sim.kernels import kernel


def _move_numpy(age, away, years_away, wage_factor, u, wage, gain, assisted, care, departure_rate, return_rate,
                return_age, lo, hi, max_age, keep_carer):
    member = age >= 0
    age = np.where(member, age + 1, -1)
    years_away = np.where(away, years_away + 1, 0)
    back = away & ((u < return_rate) | (age >= return_age))
    able = (age >= lo) & (age <= hi)
    own = departure_rate + gain[:, None]  # training raises it
    rate = own + assisted[:, None]  # employment assistance adds to it
    leave = member & ~away & able & (age <= max_age) & (u < rate)
    if keep_carer:  # the first leaver stays where the leavers would leave no able adult at home in a chronic spell
        able_home = member & ~(away & ~back) & able
        rows = np.flatnonzero(care & leave.any(axis=1) & ~(able_home & ~leave).any(axis=1))
        leave[rows, np.argmax(leave[rows], axis=1)] = False
    assisted_departures = (leave & (u >= own)).sum(axis=1)
    away = (away & ~back) | leave
    years_away[leave | back] = 0
    wage_factor = np.where(leave, wage, wage_factor)
    return age, away, years_away, wage_factor, leave.sum(axis=1), back.sum(axis=1), assisted_departures


@kernel(_move_numpy)
def move(age, away, years_away, wage_factor, u, wage, gain, assisted, care, departure_rate, return_rate, return_age,
         lo, hi, max_age, keep_carer):
    """A year on for every member: ages +1; migrants return (`u < return_rate`, or from `return_age`); able members
    at home up to `max_age` leave (`u <` the departure rate plus the household's `gain` and `assisted` rates),
    except that with `keep_carer` a household in a chronic spell (`care`) keeps its first leaver at home when the
    leavers would leave no able adult there. Returns the new (age, away, years_away, wage_factor) and per household
    the departures, returns and departures only the assisted rate made."""
    n, k = age.shape
    age2, away2, years2, wage2 = np.empty_like(age), np.empty_like(away), np.empty_like(years_away), wage_factor.copy()
    departures, returns, assisted_departures = np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n, np.int64)
    leave, back = np.zeros(k, np.bool_), np.zeros(k, np.bool_)
    for i in range(n):
        any_leave, able_home_stays = False, False
        for j in range(k):
            member = age[i, j] >= 0
            a = age[i, j] + 1 if member else -1
            age2[i, j] = a
            years2[i, j] = years_away[i, j] + 1 if away[i, j] else 0
            back[j] = away[i, j] and (u[i, j] < return_rate or a >= return_age)
            able = a >= lo and a <= hi
            leave[j] = member and not away[i, j] and able and a <= max_age and u[i, j] < departure_rate + gain[i] + \
                assisted[i]
            if leave[j]:
                any_leave = True
            elif member and not (away[i, j] and not back[j]) and able:
                able_home_stays = True
        if keep_carer and care[i] and any_leave and not able_home_stays:
            for j in range(k):
                if leave[j]:
                    leave[j] = False
                    break
        for j in range(k):
            if leave[j]:
                departures[i] += 1
                if u[i, j] >= departure_rate + gain[i]:
                    assisted_departures[i] += 1
                wage2[i, j] = wage[i, j]
            if back[j]:
                returns[i] += 1
            away2[i, j] = (away[i, j] and not back[j]) or leave[j]
            if leave[j] or back[j]:
                years2[i, j] = 0
    return age2, away2, years2, wage2, departures, returns, assisted_departures


def _labour_numpy(age, away, lo, hi, half_until, max_units):
    units = np.where((age >= lo) & (age <= hi), 1.0, np.where((age > hi) & (age <= half_until), 0.5, 0.0))
    labour = np.minimum(units.sum(axis=1), max_units)
    return labour, np.minimum((units * away).sum(axis=1), labour)


@kernel(_labour_numpy)
def labour(age, away, lo, hi, half_until, max_units):
    """Each household's labour units (1 per member of full-labour age, 0.5 above it until `half_until`, capped at
    `max_units`) and migrant labour units (of members away, at most the labour units)."""
    n, k = age.shape
    total, migrant = np.zeros(n), np.zeros(n)
    for i in range(n):
        for j in range(k):
            a = age[i, j]
            unit = 1.0 if a >= lo and a <= hi else (0.5 if a > hi and a <= half_until else 0.0)
            total[i] += unit
            if away[i, j]:
                migrant[i] += unit
        total[i] = min(total[i], max_units[i])
        migrant[i] = min(migrant[i], total[i])
    return total, migrant


def _sent_numpy(age, away, years_away, wage_factor, decay, ratio_without, lo, hi, base):
    home = (age >= 0) & ~away
    dependants = (home & ((age < lo) | (age > hi))).any(axis=1)
    ties = np.where(dependants, 1.0, ratio_without)[:, None] * decay[years_away]
    return base * wage_factor * ties * away


@kernel(_sent_numpy)
def sent(age, away, years_away, wage_factor, decay, ratio_without, lo, hi, base):
    """What each member away sends home a month (0 for the others): `base` (yuan) times its wage factor times its
    ties, which are `decay[years away]`, times `ratio_without` in a household with no child or old person at home."""
    n, k = age.shape
    out = np.zeros((n, k))
    for i in range(n):
        dependants = False
        for j in range(k):
            a = age[i, j]
            if a >= 0 and not away[i, j] and (a < lo or a > hi):
                dependants = True
        ratio = 1.0 if dependants else ratio_without
        for j in range(k):
            out[i, j] = base * wage_factor[i, j] * (ratio * decay[years_away[i, j]]) * (1.0 if away[i, j] else 0.0)
    return out
