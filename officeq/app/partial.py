"""The numbers of a run still going: its finished replications, read from its store.

A sweep records every finished replication in ``store.sqlite`` at once
(:mod:`officeq.experiments.store`). The page reads them read-only while the
sweep goes on, so the summary shows from the first finished replication and
its intervals narrow as more finish. The final table replaces it at the end
and equals it once every replication is in (the same rows, the same
:func:`officeq.experiments.results.summary_table`).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from officeq.experiments.spec import Experiment


def finished_runs(store: Path) -> list[tuple[int, int, int, dict[str, Any]]]:
    """(scenario id, replication, seed, summary) of the runs stored so far; [] when
    there is no store yet or it is busy."""
    if not store.is_file():
        return []
    try:
        db = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
        try:
            rows = db.execute(
                "SELECT scenario_id, replication, seed, summary FROM runs "
                "ORDER BY scenario_id, replication"
            ).fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return []
    return [(sid, rep, seed, json.loads(summary)) for sid, rep, seed, summary in rows]


def summary_so_far(experiment: Experiment, store: Path) -> pd.DataFrame | None:
    """The summary table (as ``summary.csv``) of the replications finished so far, or
    None before the first."""
    from officeq.experiments.results import runs_table, summary_table

    runs = finished_runs(store)
    if not runs:
        return None
    return summary_table(runs_table(experiment, runs), experiment)
