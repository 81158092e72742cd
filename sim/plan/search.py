"""The search for the best split: Optuna's TPE sampler (seeded, multivariate, asked in batches so both cores run
candidates at once) over a point of the unit cube per free line, turned into a split by `split_of`. Every candidate
is scored on the same seeds, so two candidates differ by their split, not by their luck.

Why Optuna: a maintained library (used widely, released monthly) whose TPE sampler needs no gradient, copes with
noisy scores, works from a few dozen evaluations and takes known points (the current and the shipped splits) as its
first trials; its ask-and-tell interface lets the runs of a batch go to worker processes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from sim.plan.split import Bounds, split_of, weights_of

ScoreBatch = Callable[[list[dict[str, float]]], Sequence[float]]


def search(score_batch: ScoreBatch, bounds: Bounds, trials: int, batch: int = 2, seed: int = 0,
           starts: Sequence[Mapping[str, float]] = ()) -> pd.DataFrame:
    """Try `trials` splits (the `starts` first), `batch` at a time; one row per trial: trial, score, and the
    yuan of each line (`yuan:<line>`)."""
    import optuna

    optuna.logging.set_verbosity(logging.WARNING)
    sampler = optuna.samplers.TPESampler(seed=seed, multivariate=True, constant_liar=True,
                                         n_startup_trials=max(min(10, trials // 3), 1))
    study = optuna.create_study(direction="maximize", sampler=sampler)
    for start in starts:
        study.enqueue_trial(weights_of(start, bounds), skip_if_exists=True)
    rows: list[dict] = []
    free = bounds.free()
    while len(rows) < trials:
        asked = [study.ask() for _ in range(min(batch, trials - len(rows)))]
        splits = [split_of({n: t.suggest_float(n, 0.0, 1.0) for n in free}, bounds) for t in asked]
        scores = score_batch(splits)
        for t, split, value in zip(asked, splits, scores, strict=True):
            study.tell(t, float(value))
            rows.append({"trial": len(rows), "score": float(value), **{f"yuan:{k}": v for k, v in split.items()}})
    return pd.DataFrame(rows)


def split_from_row(row: Mapping, lines: Sequence[str]) -> dict[str, float]:
    return {n: float(row[f"yuan:{n}"]) for n in lines}


def finalists(trials: pd.DataFrame, lines: Sequence[str], k: int) -> list[dict[str, float]]:
    """The `k` best distinct splits by their search score."""
    out: list[dict[str, float]] = []
    for _, row in trials.sort_values(["score", "trial"], ascending=[False, True]).iterrows():
        split = split_from_row(row, lines)
        if split not in out:
            out.append(split)
        if len(out) == k:
            break
    return out
