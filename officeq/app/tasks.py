"""The work a page starts, as plain functions a background job runs.

Each takes ``progress(done, total)`` and writes its results folder the way
the matching command does, so every number on the page comes from the same
files ``officeq sweep``, ``officeq staff --out`` and ``officeq forecast``
write. They run in a child process (:mod:`officeq.app.jobs`); the page reads
what they wrote. :func:`prepare_run` writes the two files that reproduce a
page's run from the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from officeq.config.loading import dump_config
from officeq.config.schema import Config

Progress = Callable[[int, int], None]

OFFICE_FILE = "office.yaml"
SPEC_FILE = "experiment.yaml"
RESULTS = "results"


def prepare_run(folder: Path, cfg: Config, replications: int, seed: int) -> Path:
    """Write ``office.yaml`` (the resolved config) and ``experiment.yaml`` (a spec of it)
    into ``folder``; ``officeq sweep folder/experiment.yaml`` reproduces the page's run."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / OFFICE_FILE).write_text(dump_config(cfg), encoding="utf-8")
    spec = {"name": "page", "base": OFFICE_FILE, "replications": replications, "seed": seed}
    text = "# officeq sweep experiment.yaml --out results  (the page's run, exactly)\n"
    (folder / SPEC_FILE).write_text(text + yaml.safe_dump(spec, sort_keys=False), "utf-8")
    return folder / SPEC_FILE


def run_office(progress: Progress, spec: str, out: str, workers: int | None) -> str:
    """``officeq sweep SPEC --out OUT``: the page's replications of one office."""
    from officeq.api.sweeping import sweep

    sweep(spec, workers=workers, out=out, progress=progress)
    return out


def run_staffing(
    progress: Progress,
    config: str,
    targets: Sequence[str],
    policies: Sequence[str] | None,
    lo: int,
    hi: int,
    max_replications: int,
    seed: int,
    out: str,
    workers: int | None,
) -> dict[str, Any]:
    """``officeq staff CONFIG --target ... --out OUT``: the fewest caseworkers per policy."""
    from officeq.api.staffing import staff
    from officeq.experiments.output import write_staffing

    levels = {"n": 0}
    span = max(1, hi - lo + 1) * (len(policies) if policies else 1)

    def report(_policy: str, _caseworkers: int, _verdict: bool | None, _runs: int) -> None:
        levels["n"] += 1
        progress(min(levels["n"], span), span)

    progress(0, span)
    answer = staff(
        config,
        list(targets),
        policies=list(policies) if policies else None,
        lo=lo,
        hi=hi,
        max_replications=max_replications,
        seed=seed,
        workers=workers,
        progress=report,
    )
    write_staffing(out, *answer.tables())
    progress(span, span)
    return {"caseworkers": answer.caseworkers, "at_best": at_best(answer)}


def at_best(answer: Any) -> dict[str, list[dict[str, Any]]]:
    """Per policy, each target's mean over replications at the best level reached (the
    answer, or the top of the range when none met): how far a short range falls short."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, a in answer.advice.items():
        level = a.levels.get(a.best)
        rows = []
        for t in answer.targets:
            if level is None or t.metric not in level.values:
                continue
            mean = level.interval(t.metric)[0]
            rows.append(
                {"metric": t.metric, "op": t.op, "value": t.value, "mean": mean, "at": a.best}
            )
        out[name] = rows
    return out


def run_forecast(
    progress: Progress,
    config: str,
    snapshot: str,
    weeks: int,
    replications: int,
    compare: Mapping[str, Sequence[str]],
    out: str,
    workers: int | None,
) -> str:
    """``officeq forecast CONFIG --from SNAPSHOT --out OUT``: the weekly fan chart's table."""
    from officeq.api.forecasting import forecast
    from officeq.measure.output import ISO_SECONDS, write_folder

    result = forecast(
        config,
        snapshot,
        weeks,
        replications,
        compare=dict(compare) or None,
        workers=workers,
        progress=progress,
    )

    def build(folder: Path) -> list[str]:
        result.table.to_csv(folder / "forecast.csv", index=False, date_format=ISO_SECONDS[:8])
        return ["forecast.csv"]

    write_folder(out, build, "forecast", replications * (1 + len(compare)))
    return out
