"""Named random streams: each mechanism draws from its own stream, so switching one policy on
never shifts another mechanism's draws (common random numbers across variants)."""

from __future__ import annotations

import zlib

import numpy as np


class Streams:
    """`streams["illness"]` is a Generator seeded from (seed, name) alone."""

    def __init__(self, seed: int):
        if seed < 0:
            raise ValueError("seed must be >= 0")
        self.seed = int(seed)
        self._streams: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        if name not in self._streams:
            key = zlib.crc32(name.encode("utf-8"))
            self._streams[name] = np.random.Generator(
                np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=(key,)))
            )
        return self._streams[name]


def fresh_seed() -> int:
    """A seed from OS entropy, for runs where the user gave none (it is recorded in the results)."""
    return int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> 1)
