"""The cooperatives' state: arrays over cooperatives, owned by the model (the `cooperative` mechanism fills them)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Coops:
    """Per-cooperative state (arrays over cooperatives); Mesa `Cooperative` agents are views into it."""

    name: list[str]
    type: list[str]
    village: np.ndarray
    line: list[str]
    leader_household: np.ndarray
    account: np.ndarray
    active: np.ndarray
    failed: np.ndarray
    productivity: np.ndarray  # scales yield (leader capability under governance; 1 otherwise)
    land_payment_yuan_per_mu_year: np.ndarray
    collective_share_yuan: np.ndarray
    shock: np.ndarray = field(init=False)
    loss_years: np.ndarray = field(init=False)
    surplus_yuan: np.ndarray = field(init=False)
    # this year's accounts, yuan
    sales_year: np.ndarray = field(init=False)
    cost_year: np.ndarray = field(init=False)
    wages_year: np.ndarray = field(init=False)
    land_payments_year: np.ndarray = field(init=False)
    profit_year: np.ndarray = field(init=False)
    dividends_year: np.ndarray = field(init=False)
    collective_year: np.ndarray = field(init=False)
    # governance (docs/model.md §3.6): operating costs scale with the leader (1 otherwise); revenue lost to leakage
    cost_factor: np.ndarray = field(init=False)
    leakage_year: np.ndarray = field(init=False)
    loss_covered_year: np.ndarray = field(init=False)  # the part of a loss the reserve paid back (reserve.py)
    # the cooperative's life (coop_life.py): registered with no operations (a shell), or struck off as one
    dormant: np.ndarray = field(init=False)
    deregistered: np.ndarray = field(init=False)
    labour_quality: np.ndarray = field(init=False)  # yield factor of who manages the fields this year (1: reference)
    reserve_account: np.ndarray = field(init=False)  # ledger account of its reserve (distribution.py), -1: none
    # income besides its own sales: insurance indemnities, pooled-risk transfers, back rents, processing margins
    other_income_year: np.ndarray = field(init=False)
    farmed_share: np.ndarray = field(init=False)  # of its pooled land, the share it farms itself (lease_back: less)
    # what other mechanisms expect the cooperative to earn besides farming, at the year's prices (lease_back's back
    # rent and margin net of the leased land's payment), for the pro-forma profit of coop_life
    expected_other_income_yuan: np.ndarray = field(init=False)

    YEAR_FIELDS = ("sales_year", "cost_year", "wages_year", "land_payments_year", "profit_year",
                   "dividends_year", "collective_year", "leakage_year", "loss_covered_year", "other_income_year",
                   "expected_other_income_yuan")

    def __post_init__(self) -> None:
        n = self.n
        self.shock = np.ones(n)
        self.loss_years = np.zeros(n, np.int64)
        self.surplus_yuan = np.zeros(n)
        self.cost_factor = np.ones(n)
        self.dormant = np.zeros(n, bool)
        self.deregistered = np.zeros(n, bool)
        self.labour_quality = np.ones(n)
        self.reserve_account = np.full(n, -1, np.int64)
        self.farmed_share = np.ones(n)
        self.reset_year()

    def reset_year(self) -> None:
        for f in self.YEAR_FIELDS:
            setattr(self, f, np.zeros(self.n))

    @property
    def n(self) -> int:
        return int(self.village.size)

    @staticmethod
    def empty() -> Coops:
        z = np.zeros(0)
        return Coops([], [], z.astype(np.int64), [], z.astype(np.int64), z.astype(np.int64), z.astype(bool),
                     z.astype(bool), z, z.copy(), z.copy())
