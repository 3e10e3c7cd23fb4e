"""Random streams: one ``numpy`` generator per random source, from one seed.

Each source has a fixed index, so adding a source never shifts another, and
replication ``r`` of two scenarios sees the same arrivals, durations, users
and absences (common random numbers).
"""

from __future__ import annotations

import numpy as np

SOURCES = {
    "inquiry.arrivals": 0,
    "inquiry.durations": 1,
    "income_support.arrivals": 2,
    "income_support.durations": 3,
    "income_support.urgent": 4,
    "caseload.initial": 5,
    "caseload.new_users": 6,
    "absence": 7,
    "outcomes": 8,
    "failure_demand": 9,
    "steering": 10,
    "appointments.lead": 11,
    "appointments.no_show": 12,
    "income_support.steps": 13,
    "income_support.case": 14,
    "snapshot": 15,
}


class Streams:
    """Named, independent random generators derived from one seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._entropy = np.random.SeedSequence(seed).entropy

    def sequence(self, name: str, *index: int) -> np.random.SeedSequence:
        """The seed sequence of source ``name`` (and sub-index, e.g. a caseworker)."""
        return np.random.SeedSequence(self._entropy, spawn_key=(SOURCES[name], *index))

    def rng(self, name: str, *index: int) -> np.random.Generator:
        """A fresh generator for source ``name``."""
        return np.random.default_rng(self.sequence(name, *index))
