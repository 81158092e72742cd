"""Per-village order statistics as compiled loops over the villages' contiguous household slices (sim/kernels.py),
each with its numpy twin: each village's Gini coefficient and who is in its top income decile. A county has hundreds
of villages: one call for all of them, not a dozen numpy calls per village."""

from __future__ import annotations

import numpy as np

from sim.kernels import kernel


def _gini_numpy(income, weight, bounds):
    out = np.zeros(bounds.size - 1)
    for v in range(bounds.size - 1):
        y, w = np.maximum(income[bounds[v]:bounds[v + 1]], 0.0), weight[bounds[v]:bounds[v + 1]]
        if y.size == 0 or np.cumsum(w)[-1] <= 0 or np.cumsum(y * w)[-1] <= 0:
            continue
        order = np.argsort(y, kind="stable")
        ys, ws = y[order], w[order]
        cw, cyw = np.cumsum(ws), np.cumsum(ys * ws)
        lorenz = cyw / cyw[-1]
        prev = np.concatenate([[0.0], lorenz[:-1]])
        b = np.cumsum(ws * (lorenz + prev))[-1] / cw[-1] / 2  # area under the Lorenz curve by trapezoids
        out[v] = 1 - 2 * b
    return out


@kernel(_gini_numpy)
def gini(income, weight, bounds):
    """The weighted Gini coefficient of each village's incomes (households `bounds[v]` to `bounds[v + 1]`; negative
    incomes count as zero; 0 for a village with no income or no weight): one minus twice the area under the Lorenz
    curve, by trapezoids over the households in order of income (ties in household order). Sums run in household
    order, one after another."""
    out = np.zeros(bounds.size - 1)
    for v in range(bounds.size - 1):
        lo, n = bounds[v], bounds[v + 1] - bounds[v]
        y = np.maximum(income[lo:lo + n], 0.0)
        total_w, total_yw = 0.0, 0.0
        for i in range(n):
            total_w += weight[lo + i]
            total_yw += y[i] * weight[lo + i]
        if n == 0 or total_w <= 0 or total_yw <= 0:
            continue
        order = np.argsort(y, kind="mergesort")
        cyw = np.empty(n)
        cw, acc = 0.0, 0.0
        for j in range(n):
            acc += y[order[j]] * weight[lo + order[j]]
            cyw[j] = acc
            cw += weight[lo + order[j]]
        area, prev = 0.0, 0.0
        for j in range(n):
            lorenz = cyw[j] / cyw[n - 1]
            area += weight[lo + order[j]] * (lorenz + prev)
            prev = lorenz
        out[v] = 1 - 2 * (area / cw / 2)
    return out


def _top_decile_numpy(values, bounds):
    top = np.zeros(values.size, np.bool_)
    for v in range(bounds.size - 1):
        sl = slice(bounds[v], bounds[v + 1])
        if sl.stop > sl.start:
            top[sl] = values[sl] >= np.quantile(values[sl], 0.9)
    return top


@kernel(_top_decile_numpy)
def top_decile(values, bounds):
    """Households at or above their village's 90th percentile of `values`: numpy's default quantile (linear
    interpolation between the order statistics at (n - 1) x 0.9, worked out as numpy does)."""
    top = np.zeros(values.size, np.bool_)
    for v in range(bounds.size - 1):
        lo, n = bounds[v], bounds[v + 1] - bounds[v]
        if n == 0:
            continue
        s = np.sort(values[lo:lo + n])
        at = (n - 1) * 0.9
        below = np.floor(at)
        if at >= n - 1:
            threshold = s[n - 1]
        else:
            a, b, gamma = s[int(below)], s[int(below) + 1], at - below
            diff = b - a
            threshold = b - diff * (1 - gamma) if gamma >= 0.5 else a + diff * gamma
        for i in range(n):
            top[lo + i] = values[lo + i] >= threshold
    return top
