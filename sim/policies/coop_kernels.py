"""The cooperatives' monthly wage kernel (sim/kernels.py): contract wages for the days worked, a plain loop with
its numpy twin."""

from __future__ import annotations

import numpy as np

from sim.kernels import kernel


def _contract_wages_numpy(contract_coop, contract_mu, total_days, worked_days, own_days, wage_per_mu, n_coops,
                          mu_worked_year):
    on = contract_coop >= 0
    worked_share = np.zeros(contract_coop.size)
    np.divide(worked_days, total_days, out=worked_share, where=own_days > 0)
    monthly = np.where(on, contract_mu * wage_per_mu / 12, 0.0)
    wage = monthly * worked_share
    mu_worked_year += contract_mu * worked_share / 12
    by_coop = contract_coop[on]
    return (wage, np.bincount(by_coop, weights=wage[on], minlength=n_coops),
            np.bincount(by_coop, weights=(monthly - wage)[on], minlength=n_coops),
            np.bincount(by_coop, weights=contract_mu[on], minlength=n_coops))


@kernel(_contract_wages_numpy)
def contract_wages(contract_coop, contract_mu, total_days, worked_days, own_days, wage_per_mu, n_coops,
                   mu_worked_year):
    """Each contracted household's month of field-management wages: its contract's monthly wage times the share
    of its contract days it worked (`worked_days / total_days`, where it has days with its cooperative); adds the
    mu worked to `mu_worked_year`. Returns the wages per household, and per cooperative the wages, the wages of
    days nobody worked (hired from outside) and the mu contracted, each summed in household order."""
    wage = np.zeros(contract_coop.size)
    wages, outside, contracted = np.zeros(n_coops), np.zeros(n_coops), np.zeros(n_coops)
    for i in range(contract_coop.size):
        share = worked_days[i] / total_days[i] if own_days[i] > 0 else 0.0
        mu_worked_year[i] += contract_mu[i] * share / 12
        k = contract_coop[i]
        if k >= 0:
            monthly = contract_mu[i] * wage_per_mu / 12
            wage[i] = monthly * share
            wages[k] += wage[i]
            outside[k] += monthly - wage[i]
            contracted[k] += contract_mu[i]
    return wage, wages, outside, contracted
