"""The sweep's result store: every finished run recorded durably as it finishes.

An embedded SQLite file (``store.sqlite`` in the output folder), one row per
run keyed by (scenario id, replication), committed at once with full
synchronisation. A sweep killed at any moment loses at most the runs in
flight; ``--resume`` reads what is there and runs only what is missing. The
store remembers the experiment's fingerprint and refuses to mix results of
a changed spec.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    scenario_id INTEGER NOT NULL,
    replication INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    summary TEXT NOT NULL,
    daily BLOB NOT NULL,
    monthly BLOB,
    PRIMARY KEY (scenario_id, replication)
);
"""


class StoreError(RuntimeError):
    """The store cannot be used as asked (changed spec, no --resume, ...)."""


class Store:
    """Runs recorded in one SQLite file."""

    def __init__(self, path: str | Path | None, fingerprint: str, resume: bool) -> None:
        """Open (or create) the store at ``path``; None keeps it in memory."""
        self.path = Path(path) if path is not None else None
        if self.path is None:
            self._db = sqlite3.connect(":memory:")
            self._db.executescript(SCHEMA)
            self._db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
            return
        existed = self.path.exists()
        if existed and not resume:
            raise StoreError(
                f"{self.path.parent} already holds a sweep; add --resume to continue it, "
                "or choose another --out"
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        self._add_monthly_column()
        row = self._db.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()
        if row is None:
            with self._db:
                self._db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
        elif row[0] != fingerprint:
            self._db.close()
            raise StoreError(
                f"{self.path.parent} holds results of a different experiment (the spec, its "
                "base config, seed or run length changed); refusing to mix them: use another "
                "--out, or delete the folder to start over"
            )

    def _add_monthly_column(self) -> None:
        """Stores written before monthly tables were kept get the column (NULL: none)."""
        columns = {r[1] for r in self._db.execute("PRAGMA table_info(runs)")}
        if "monthly" not in columns:
            with self._db:
                self._db.execute("ALTER TABLE runs ADD COLUMN monthly BLOB")

    def done(self) -> set[tuple[int, int]]:
        """Keys (scenario id, replication) of the runs already recorded."""
        return {tuple(r) for r in self._db.execute("SELECT scenario_id, replication FROM runs")}

    def add(
        self,
        scenario_id: int,
        replication: int,
        seed: int,
        summary: dict[str, Any],
        daily: pd.DataFrame,
        monthly: pd.DataFrame | None = None,
    ) -> None:
        """Record one finished run (committed before returning)."""
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO runs "
                "(scenario_id, replication, seed, summary, daily, monthly) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    scenario_id,
                    replication,
                    seed,
                    json.dumps(summary),
                    _parquet(daily),
                    None if monthly is None else _parquet(monthly),
                ),
            )

    def runs(self) -> Iterator[tuple[int, int, int, dict[str, Any]]]:
        """(scenario id, replication, seed, summary) of every run, in key order."""
        cur = self._db.execute(
            "SELECT scenario_id, replication, seed, summary FROM runs "
            "ORDER BY scenario_id, replication"
        )
        for sid, rep, seed, summary in cur:
            yield sid, rep, seed, json.loads(summary)

    def daily(self) -> Iterator[tuple[int, int, pd.DataFrame]]:
        """(scenario id, replication, daily table) of every run, in key order."""
        cur = self._db.execute(
            "SELECT scenario_id, replication, daily FROM runs ORDER BY scenario_id, replication"
        )
        for sid, rep, blob in cur:
            yield sid, rep, pd.read_parquet(io.BytesIO(blob))

    def monthly(self) -> Iterator[tuple[int, int, pd.DataFrame | None]]:
        """(scenario id, replication, monthly table) of every run, in key order; None for
        runs recorded by an officeq that kept no monthly tables."""
        cur = self._db.execute(
            "SELECT scenario_id, replication, monthly FROM runs ORDER BY scenario_id, replication"
        )
        for sid, rep, blob in cur:
            yield sid, rep, None if blob is None else pd.read_parquet(io.BytesIO(blob))

    def close(self) -> None:
        self._db.close()


def _parquet(table: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    table.to_parquet(buf, index=False)
    return buf.getvalue()
