"""Many series in one figure that stays readable, and calendar time axes.

Up to :data:`MAX_SERIES` scenarios are told apart by colour, line style and marker in
one panel. Beyond that a figure either highlights the scenarios chosen (``--highlight``:
those in colour, the rest as thin grey context) or draws small multiples (one panel per
scenario on a shared y axis, the others grey behind it). Time runs along calendar dates
(month names), taken from the ``date`` column that every daily table carries.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection

from officeq.figures.common import draw_lines, new_figure

MAX_SERIES = 6
"""More scenarios than this in one panel are not told apart: facet or highlight."""
OTHER = "0.72"
"""The grey of the scenarios drawn as context."""
FOCUS = (0.0, 0.447, 0.698)
"""The colour of a small multiple's own scenario (colorblind-safe blue, dark in grey)."""


def time_column(daily: pd.DataFrame) -> str:
    """``date`` (calendar days) when the table has it, else ``day``."""
    return "date" if "date" in daily.columns else "day"


def with_dates(daily: pd.DataFrame) -> pd.DataFrame:
    """The table with its ``date`` column as datetimes (``daily.csv`` stores text)."""
    if "date" in daily.columns and not pd.api.types.is_datetime64_any_dtype(daily["date"]):
        return daily.assign(date=pd.to_datetime(daily["date"]))
    return daily


def time_axis(ax: Any, x: str, compact: bool = False) -> str:
    """Month names on a date axis; returns the axis label to use."""
    if x != "date":
        return "simulated day"
    locator = mdates.AutoDateLocator(minticks=2, maxticks=4 if compact else 8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    return "date (simulated)"


def paths(band: pd.DataFrame, x: str, y: str) -> dict[str, np.ndarray]:
    """Each scenario's mean line as an (n, 2) array of plotted x and y (dates as numbers)."""
    out = {}
    for name, g in band.groupby("scenario", sort=False):
        xs = mdates.date2num(g[x]) if x == "date" else g[x].to_numpy(float)
        out[str(name)] = np.column_stack([xs, g[y].to_numpy(float)])
    return out


def draw_context(
    ax: Any,
    band: pd.DataFrame,
    x: str,
    y: str,
    names: Sequence[str],
    lines: dict[str, np.ndarray] | None = None,
) -> None:
    """``names`` as thin grey lines behind the rest: one collection, one legend entry."""
    lines = paths(band, x, y) if lines is None else lines
    segments = [lines[n] for n in names if n in lines]
    if not segments:
        return
    grey = LineCollection(segments, colors=OTHER, linewidths=0.8, zorder=1)
    grey.set_label("other scenarios")
    grey.set_gid("other scenarios")
    ax.add_collection(grey)
    ax.autoscale_view()


def draw_chosen(
    ax: Any,
    band: pd.DataFrame,
    x: str,
    y: str,
    names: Sequence[str],
    chosen: Sequence[str],
    styles: dict[str, dict[str, Any]],
    labels: dict[str, str],
    cap: float | None = None,
) -> None:
    """The ``chosen`` scenarios in colour with their bands, the others grey behind."""
    draw_context(ax, band, x, y, [n for n in names if n not in set(chosen)])
    draw_lines(ax, band, x, y, {n: styles[n] for n in chosen}, labels, cap)


def facet_figure(n: int, panel: tuple[float, float] = (3.1, 1.9), title_room: float = 1.6):
    """A grid of ``n`` small panels with shared axes (the spare ones hidden)."""
    ncols = min(4, max(1, math.ceil(math.sqrt(n))))
    nrows = math.ceil(n / ncols)
    size = (panel[0] * ncols + 0.8, panel[1] * nrows + title_room)
    fig, axes = new_figure(nrows, ncols, size, sharex=True, sharey=True)
    flat = list(axes.flat)
    for k, ax in enumerate(flat):
        if k >= n:
            ax.set_visible(False)
            above = flat[k - ncols] if k >= ncols else None
            if above is not None:  # the panel above now ends its column: show its dates
                above.xaxis.set_tick_params(labelbottom=True)
    return fig, flat[:n]


def draw_facets(
    axes: Sequence[Any],
    band: pd.DataFrame,
    x: str,
    y: str,
    styles: dict[str, dict[str, Any]],
    labels: dict[str, str],
    cap: float | None = None,
) -> None:
    """One scenario per panel, in one strong colour with its band (its panel title names
    it), every other scenario grey behind it."""
    names = list(styles)
    focus = {"color": FOCUS, "linestyle": "-", "marker": None}
    lines = paths(band, x, y)
    for ax, name in zip(axes, names, strict=True):
        draw_context(ax, band, x, y, [n for n in names if n != name], lines)
        draw_lines(ax, band, x, y, {name: focus}, labels, cap)
        ax.set_title(labels[name], fontsize=8.5)
