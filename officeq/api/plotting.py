"""Any figure of ``officeq plot`` from what the API returned, as a matplotlib Figure."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from officeq.api.staffing import StaffingAnswer
from officeq.api.sweeping import SweepResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from officeq.measure.run import RunResult


def plot(
    result: RunResult | SweepResult | StaffingAnswer | str | Path,
    kind: str = "overview",
    ax: Axes | None = None,
    **options: Any,
) -> Figure:
    """Draw one of ``officeq plot``'s figures and return it (Jupyter shows it inline).

    Args:
        result: a run, a sweep, a staffing answer, or a results folder.
        kind: ``overview``, ``backlog``, ``scorecard``, ``steering``, ``caseworkers``,
            ``decision_times`` (one run); ``frontier``, ``staffing``, ``heatmap``,
            ``backlog``, ``scorecard``, ``spread``, ``gaps``, ``decision_times`` (a sweep;
            ``frontier`` and ``staffing`` also for a staffing answer).
        ax: draw into this matplotlib Axes (single-panel kinds only).
        options: ``metric``, ``target``, ``x``, ``y``, ``by_group`` as on the command line
            (for ``gaps``, ``metric`` is the need group, or ``all``).

    Raises:
        officeq.experiments.folders.ResultsError: the kind does not fit the result, or
            the folder is not whole (no valid manifest.json, a file that does not match
            it or does not parse), named in the message.
        ValueError: ``ax`` given for a figure with several panels.
    """
    from officeq.figures.kinds import FigureOptions, make_figure

    return make_figure(_as_results(result), kind, FigureOptions(**options), ax=ax)


def _as_results(result: Any) -> Any:
    """The tables a figure reads, from whatever the API returned (or a folder)."""
    from officeq.experiments.folders import Results, load_results, run_results
    from officeq.measure.run import RunResult

    if isinstance(result, str | Path):
        return load_results(result)
    if isinstance(result, RunResult):
        return run_results(result)
    if isinstance(result, SweepResult):
        return Results(
            Path(f"sweep {result.experiment.spec.name}"),
            "sweep",
            result.daily,
            runs=result.runs,
            summary=result.summary,
            monthly=result.monthly,
            spec=result.experiment.resolved,
        )
    if isinstance(result, StaffingAnswer):
        import pandas as pd

        runs, summary, spec = result.tables()
        return Results(Path("staffing advice"), "sweep", pd.DataFrame(), runs, summary, spec=spec)
    raise TypeError(
        f"cannot plot a {type(result).__name__}: give a result of officeq.run, "
        "officeq.sweep or officeq.staff, or a results folder"
    )
