"""What a cooperative's leader chooses each year (issue 15, item 4): effort and diversion, by a simple
expected-utility rule over pay, the chance of detection and the penalty. Pure functions over arrays of
cooperatives; governance.py feeds them and applies the choices.

Diversion. Diverting a share d of the year's expected revenue R (at most d_max, what can be taken without
stopping the business) gains (1 - integrity) x d x R: integrity is the share of each diverted yuan the
leader's conscience charges back, so a leader of integrity 1 never diverts. The year's audits find a
diversion with probability pi_max x (d / d_max)^2 (a larger diversion is more visible; pi_max is the chance
at the most, 1 - (1 - q x supervision)^audits for a per-audit chance q at full supervision). Found out, the
leader pays back what was taken (d R, 追缴) and loses the penalty L: the pay of a term (removal and barring)
plus the forfeited part of the stake. Expected utility (1 - integrity) d R - pi_max (d / d_max)^2 (L + d R)
is highest where its slope is zero, 3 pi_max R d^2 + 2 pi_max L d - (1 - integrity) R d_max^2 = 0:

    d* = (sqrt((pi_max L)^2 + 3 pi_max R^2 (1 - integrity) d_max^2) - pi_max L) / (3 pi_max R), within [0, d_max]

(d_max when nobody can find it out). So diversion falls with detection and with the penalty: a leader without
pay risks less and diverts more.

Effort. Effort e (0..1) scales the yield by 1 + effort_yield_gain x (e - 1/2) (half effort: the line's
normal yield, the typical cooperative the lines describe) and costs the leader effort_cost x e^2 / 2 (yuan a
year of a manager's time). The leader gains profit_share x R x effort_yield_gain x e, profit_share
being the part of a marginal yuan of profit the leader keeps (a performance share, plus the owner's residual
or the leader's stake's part of the dividends), so

    e* = profit_share x R x effort_yield_gain / effort_cost, within [0, 1].
"""

from __future__ import annotations

import numpy as np


def detection_at_most(supervision: np.ndarray, per_audit_at_full: float, audits_per_year: int) -> np.ndarray:
    """pi_max: the chance that a year's audits find a leader diverting the most he can."""
    return 1.0 - (1.0 - per_audit_at_full * np.clip(supervision, 0.0, 1.0)) ** audits_per_year


def chosen_diversion(integrity: np.ndarray, revenue_yuan: np.ndarray, penalty_yuan: np.ndarray,
                     detect_max: np.ndarray, max_share: float) -> np.ndarray:
    """d*, the share of revenue each leader diverts (0..max_share)."""
    honesty_cost = np.clip(1.0 - integrity, 0.0, 1.0)
    r, pl = np.maximum(revenue_yuan, 0.0), detect_max * np.maximum(penalty_yuan, 0.0)
    root = np.sqrt(pl**2 + 3.0 * detect_max * r**2 * honesty_cost * max_share**2) - pl
    d = np.divide(root, 3.0 * detect_max * r, out=np.full(r.shape, max_share), where=detect_max * r > 0)
    return np.where((honesty_cost > 0) & (r > 0), np.clip(d, 0.0, max_share), 0.0)


def detection_probability(diversion: np.ndarray, max_share: float, detect_max: np.ndarray) -> np.ndarray:
    """The chance a year's audits find diversion d: pi_max x (d / d_max)^2."""
    if max_share <= 0:
        return np.zeros_like(diversion)
    return detect_max * (diversion / max_share) ** 2


def per_audit(yearly: np.ndarray, audits_per_year: int) -> np.ndarray:
    """The chance of each of a year's audits that gives `yearly` over the year."""
    return 1.0 - (1.0 - np.clip(yearly, 0.0, 1.0)) ** (1.0 / audits_per_year)


def chosen_effort(profit_share: np.ndarray, revenue_yuan: np.ndarray, yield_gain: float,
                  effort_cost_yuan: float) -> np.ndarray:
    """e*, each leader's effort (0..1)."""
    gain = np.maximum(profit_share, 0.0) * np.maximum(revenue_yuan, 0.0) * yield_gain
    if effort_cost_yuan <= 0:
        return np.where(gain > 0, 1.0, 0.0)
    return np.clip(gain / effort_cost_yuan, 0.0, 1.0)


def effort_factor(effort: np.ndarray | float, yield_gain: float) -> np.ndarray | float:
    """The yield factor of effort: 1 + yield_gain x (effort - 1/2)."""
    return 1.0 + yield_gain * (effort - 0.5)
