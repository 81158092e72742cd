"""Scoring a simulated distribution against one reported figure: intervals, weighted interval score, verdict.

Used by `coopsim validate` (sim/validate.py). Definitions:
- the 50% and 90% central intervals are the 25th-75th and 5th-95th percentiles of the simulated values;
- the interval score of a central (1 - alpha) interval [l, u] at the reported value y is
  (u - l) + (2 / alpha) * (l - y) if y < l, + (2 / alpha) * (y - u) if y > u (Gneiting & Raftery 2007);
- the weighted interval score (Bracher et al. 2021, PLoS Comput Biol 17: e1008618) over K intervals and the
  median m is (0.5 |y - m| + sum_k alpha_k / 2 * IS_alpha_k) / (K + 0.5); here K = 2 (alpha 0.5 and 0.1);
- a target is informative only when its 90% interval is narrower than the reported value itself
  (width / |reported| < 1); a wider interval is "uninformative", whatever it contains (issue 16 item 3).
"""

from __future__ import annotations

import numpy as np

ALPHAS = (0.5, 0.1)  # the 50% and the 90% central intervals
COUNTED_ROLES = ("calibration", "held_out")  # inputs and identities are listed, never counted as validation


def interval(x: np.ndarray, alpha: float) -> tuple[float, float]:
    """The central (1 - alpha) interval of the values (linear-interpolated percentiles)."""
    return float(np.quantile(x, alpha / 2)), float(np.quantile(x, 1 - alpha / 2))


def interval_score(low: float, high: float, y: float, alpha: float) -> float:
    """Gneiting & Raftery's interval score of [low, high] at y: width plus 2/alpha times the miss."""
    return (high - low) + 2 / alpha * max(low - y, 0.0) + 2 / alpha * max(y - high, 0.0)


def weighted_interval_score(x: np.ndarray, y: float) -> float:
    """Bracher et al.'s WIS of the simulated values x at the reported value y (units of y)."""
    total = 0.5 * abs(y - float(np.median(x)))
    for a in ALPHAS:
        total += a / 2 * interval_score(*interval(x, a), y, a)
    return total / (len(ALPHAS) + 0.5)


def verdict(role: str, within_90: bool, width_relative: float) -> str:
    """input / identity (not counted), uninformative (90% wider than the reported value), within, outside."""
    if role not in COUNTED_ROLES:
        return role
    if not np.isfinite(width_relative) or width_relative >= 1:
        return "uninformative"
    return "within" if within_90 else "outside"


def score(x: np.ndarray, reported: float, role: str) -> dict:
    """Every column of the validation table that depends on the simulated values of one target."""
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if not x.size:
        return {"simulated_median": np.nan, "low_50": np.nan, "high_50": np.nan, "low_90": np.nan,
                "high_90": np.nan, "width_relative": np.nan, "wis": np.nan, "wis_relative": np.nan,
                "within_50": False, "within_90": False, "verdict": verdict(role, False, np.nan)}
    (l50, h50), (l90, h90) = interval(x, 0.5), interval(x, 0.1)
    scale = abs(reported) if reported else np.nan
    wis = weighted_interval_score(x, reported)
    within_90 = bool(l90 <= reported <= h90)
    return {"simulated_median": float(np.median(x)), "low_50": l50, "high_50": h50, "low_90": l90, "high_90": h90,
            "width_relative": (h90 - l90) / scale, "wis": wis, "wis_relative": wis / scale,
            "within_50": bool(l50 <= reported <= h50), "within_90": within_90,
            "verdict": verdict(role, within_90, (h90 - l90) / scale)}
