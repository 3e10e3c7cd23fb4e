"""The fit report of ``officeq calibrate``: one self-contained HTML page with figures.

What was fitted (estimate, 95% interval, method, source), how each duration
or interval distribution was chosen (AIC of each family, Kolmogorov–Smirnov
statistic), the rows left out and why, what came from ``--base``; and the
figures: observed against fitted weekday and hour-of-day profiles, duration
histograms with the fitted density, and Q-Q plots. Figures are embedded as
base64 PNG like :mod:`officeq.figures.report`.
"""

from __future__ import annotations

import html

import numpy as np
from matplotlib.figure import Figure

from officeq.data.arrivals import StreamFit
from officeq.data.calibrate import Calibration
from officeq.data.fitting import DistFit
from officeq.data.yamlout import estimate_note
from officeq.figures.common import new_figure, styled
from officeq.figures.report import SELF_CHECK, STYLE, png_data

WEEKDAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_PLOTTED = 20_000


def _observed_vs_fitted(ax, x, observed, fitted, label: str, xlabels=None) -> None:  # type: ignore[no-untyped-def]
    err = 1.96 * np.sqrt(np.maximum(observed, 0))
    ax.bar(x, observed, color="#9ecae1", label="observed (±1.96√n)", yerr=err, ecolor="#555")
    ax.plot(x, fitted, "o-", color="#d62728", ms=3, label="fitted")
    ax.set_title(label, fontsize=10)
    if xlabels is not None:
        ax.set_xticks(x, xlabels)
    ax.legend(fontsize=7)


@styled
def stream_figure(name: str, s: StreamFit) -> Figure:
    """Weekday and hour profiles of one stream: observed counts and the fit's expectation."""
    fig, axes = new_figure(2, 2, size=(10.0, 6.0))
    o = s.observed
    days = np.arange(7)
    _observed_vs_fitted(
        axes[0, 0],
        days,
        o["phone_weekday"],
        o["phone_weekday_fitted"],
        "phone by weekday",
        WEEKDAY_LABELS,
    )
    _observed_vs_fitted(
        axes[0, 1],
        days,
        o["digital_weekday"],
        o["digital_weekday_fitted"],
        "digital by weekday",
        WEEKDAY_LABELS,
    )
    hours = np.arange(24)
    if s.hour_profile is not None:
        weight = np.asarray(s.hour_profile) * o["phone_hour_exposure"]
        fitted = o["phone_hour"].sum() * weight / weight.sum()
        _observed_vs_fitted(axes[1, 0], hours, o["phone_hour"], fitted, "phone by hour of day")
    if s.digital_hour_profile is not None:
        weight = np.asarray(s.digital_hour_profile)
        fitted = o["digital_hour"].sum() * weight / weight.sum()
        _observed_vs_fitted(axes[1, 1], hours, o["digital_hour"], fitted, "digital by hour of day")
    fig.suptitle(f"{name}: observed and fitted arrivals")
    return fig


@styled
def dist_figure(path: str, d: DistFit, unit: str) -> Figure:
    """Histogram with the fitted density, and the Q-Q plot of one fit."""
    fig, axes = new_figure(1, 2, size=(10.0, 3.4))
    x = np.sort(d.values)
    if x.size > MAX_PLOTTED:
        x = x[np.linspace(0, x.size - 1, MAX_PLOTTED).astype(int)]
    hist, qq = axes[0, 0], axes[0, 1]
    hist.hist(x, bins=min(60, max(10, x.size // 20)), density=True, color="#9ecae1")
    if d.frozen is not None:
        grid = np.linspace(0, np.quantile(x, 0.995), 300)
        hist.plot(grid, d.frozen.pdf(grid), color="#d62728", label=f"{d.dist} fit")
        hist.legend(fontsize=8)
        p = (np.arange(1, x.size + 1) - 0.5) / x.size
        theory = d.frozen.ppf(p)
        qq.plot(theory, x, ".", ms=2, color="#3182bd")
        top = max(float(theory[-1]), float(x[-1]))
        qq.plot([0, top], [0, top], color="#d62728", lw=1)
        qq.set_xlabel(f"fitted quantile ({unit})")
        qq.set_ylabel(f"observed quantile ({unit})")
        if d.censored:
            qq.set_title("uncensored values only (censored ones make this approximate)", fontsize=8)
    hist.set_xlabel(unit)
    fig.suptitle(path, fontsize=10)
    return fig


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def render(cal: Calibration, yaml_text: str, title: str = "calibration") -> str:
    """The fit report as one HTML document."""
    parts = [
        f"<h1>officeq calibrate: {html.escape(title)}</h1>",
        f"<p>{cal.rows:,} event-log rows, {html.escape(cal.period)}; the rest from "
        f"<code>--base {html.escape(cal.base)}</code>.</p>",
    ]
    rows = [[p, estimate_note(e)] for p, e in sorted(cal.estimates.items())]
    for name, s in cal.streams.items():
        rows.append([f"{name}.arrivals_per_day", estimate_note(s.arrivals_per_day)])
        rows.append([f"{name}.digital_share", estimate_note(s.digital_share)])
    parts.append("<h2>Fitted numbers</h2>" + _table(["parameter", "fit"], rows))
    drows = []
    for p, d in sorted(cal.dists.items()):
        aic = ", ".join(f"{k} {v:,.1f}" for k, v in sorted(d.aic.items(), key=lambda kv: kv[1]))
        drows.append(
            [
                p,
                d.dist,
                f"{d.mean.value:.4g} ({d.mean.low:.4g}–{d.mean.high:.4g}, {d.mean.method})",
                f"{d.cv:.3f}",
                f"{d.n:,} ({d.censored:,} censored)",
                f"{d.ks:.4f}" + ("" if np.isnan(d.ks_p) else f" (p {d.ks_p:.3g})"),
                aic or "-",
            ]
        )
    parts.append(
        "<h2>Distributions (chosen by AIC)</h2>"
        + _table(["parameter", "chosen", "mean (95%)", "cv", "values", "KS", "AIC"], drows)
    )
    dropped = [[k, f"{v:,}"] for k, v in cal.dropped.items()] or [["none", "0"]]
    parts.append("<h2>Rows left out of a fit</h2>" + _table(["reason", "rows"], dropped))
    notes = [[k, v] for k, v in sorted(cal.base_notes.items())]
    parts.append(
        "<h2>From --base</h2><p>Everything not fitted above comes from the base config "
        "(calendar, admin share, overtime, deadlines, policy, steering).</p>"
        + (_table(["field", "why"], notes) if notes else "")
    )
    figures: list[tuple[str, Figure]] = [
        (f"{name}: weekday and hour profiles", stream_figure(name, s))
        for name, s in cal.streams.items()
    ]
    for p, d in sorted(cal.dists.items()):
        if d.frozen is not None:
            unit = "days" if p.endswith("_days") else "minutes"
            figures.append(
                (f"{p}: histogram with fitted density, and Q-Q plot", dist_figure(p, d, unit))
            )
    parts.append("<h2>Figures</h2>")
    for caption, fig in figures:
        parts.append(
            f'<figure><img alt="{html.escape(caption)}" src="{png_data(fig, dpi=80)}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        )
    parts.append("<h2>The written config</h2><pre>" + html.escape(yaml_text) + "</pre>")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>officeq calibrate: {html.escape(title)}</title><style>{STYLE}</style>"
        f"<script>{SELF_CHECK}</script></head><body>{''.join(parts)}</body></html>\n"
    )
