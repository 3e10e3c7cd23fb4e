"""Figures of a 20-scenario sweep stay readable: no legend over a panel, no label over
another, small multiples or highlighting beyond six series, calendar dates on time axes,
and the staffing advisor's folders plotted or refused in one line.

The sweep is synthetic (made once per module, in well under a second) but written by
officeq's own writer, so it is read back exactly as a real results folder.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from officeq.cli import main
from officeq.experiments.folders import ResultsError, load_results
from officeq.experiments.labels import scenario_name
from officeq.experiments.output import write_staffing, write_sweep
from officeq.experiments.results import summarise
from officeq.figures.kinds import FigureOptions, make_figure, report_figures
from officeq.figures.series import MAX_SERIES

STAFF = list(range(18, 28))
POLICIES = ["deadline_first", "needs_based"]
GROUPS = ["standard", "specially_adapted"]
DAYS, WARMUP, REPS = 150, 30, 3
MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
SWEEP_KINDS = [
    "backlog",
    "frontier",
    "staffing",
    "heatmap",
    "scorecard",
    "spread",
    "gaps",
    "decision_times",
]
CONTEXT = ["scenario_id", "scenario", "staff_caseworkers", "policy_name"]


def _tables(warmup: int = WARMUP, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Runs and daily series of 10 staffing levels × 2 policies; the two policies nearly
    alike, so the frontier's points bunch as in real sweeps."""
    rng = np.random.default_rng(seed)
    runs, daily = [], []
    dates = pd.date_range("2025-01-06", periods=DAYS, freq="D")
    for sid, (c, p) in enumerate(itertools.product(STAFF, POLICIES)):
        ctx = {
            "scenario_id": sid,
            "scenario": scenario_name("", [("staff.caseworkers", c), ("policy.name", p)]),
            "staff_caseworkers": c,
            "policy_name": p,
        }
        level = 140 - 4 * (c - 18)
        for r in range(REPS):
            answered = rng.poisson(90, DAYS) + 10
            overdue = rng.poisson(level, DAYS)
            daily.append(
                pd.DataFrame(
                    {
                        **ctx,
                        "replication": r,
                        "day": np.arange(DAYS),
                        "date": dates,
                        "warmup": np.arange(DAYS) < warmup,
                        "inquiries_answered": answered,
                        "inquiries_answered_on_time": rng.binomial(answered, 0.9),
                        "followup_overdue": overdue,
                        **{f"followup_overdue_{g}": overdue // 2 for g in GROUPS},
                    }
                )
            )
            gap = 20 + rng.normal(0, 1)
            runs.append(
                {
                    **ctx,
                    "replication": r,
                    "followup_backlog_mean": level + rng.normal(0, 2),
                    "inquiry_sla_hit_rate": 0.90 + 0.004 * (c - 18) + rng.normal(0, 0.002),
                    "followup_backlog_max_caseworker_mean": level / c * 2 + rng.normal(0, 1),
                    "income_support_decision_days_mean": 30 - (c - 18) + rng.normal(0, 1),
                    "income_support_decision_days_p90": 50 - (c - 18) + rng.normal(0, 1),
                    **{
                        f"followup_gap_days_mean_owner_{w}{s}": gap + (5 if w == "away" else 0)
                        for w in ("away", "present")
                        for s in ("", *(f"_{g}" for g in GROUPS))
                    },
                }
            )
    return pd.DataFrame(runs), pd.concat(daily, ignore_index=True)


def _spec(**extra: object) -> dict:
    grid = {"staff.caseworkers": STAFF, "policy.name": POLICIES}
    base = {"start_date": "2025-01-06", "horizon_days": DAYS, "warmup_days": WARMUP}
    return {"name": "readable", "grid": grid, "base_config": base, **extra}


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("readable") / "sweep"
    runs, daily = _tables()
    write_sweep(out, runs, daily, summarise(runs, CONTEXT), _spec())
    return out


@pytest.fixture(scope="module")
def staffing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A staffing advisor's folder: its levels, targets, rule and answer, no daily series."""
    out = tmp_path_factory.mktemp("readable") / "staff"
    runs, _ = _tables()
    spec = _spec(
        name="staffing advisor",
        targets=["followup_backlog_mean<=110"],
        advisor={
            "answer": {"deadline_first": 27, "needs_based": None},
            "confidence": 0.95,
            "range": [18, 28],
            "runs": {"deadline_first": 60, "needs_based": 60},
        },
    )
    write_staffing(out, runs, summarise(runs, CONTEXT), spec)
    return out


def drawn(fig: Figure) -> Figure:
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    return fig


def panels(fig: Figure) -> list:
    return [ax for ax in fig.axes if ax.get_visible()]


def overlapping(boxes: list) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, j in itertools.combinations(range(len(boxes)), 2)
        if boxes[i].overlaps(boxes[j])
    ]


def texts(items) -> list:  # type: ignore[no-untyped-def]
    return [t for t in items if t.get_visible() and t.get_text().strip()]


def check_readable(fig: Figure) -> None:
    """No legend over a panel; no tick label, point label or panel title over another."""
    r = fig.canvas.get_renderer()
    axes = panels(fig)
    frames = [ax.get_window_extent(r) for ax in axes]
    legends = [*fig.legends, *(ax.get_legend() for ax in axes if ax.get_legend())]
    for legend in legends:
        box = legend.get_window_extent(r)
        hit = [
            ax.get_label() or ax.get_title()
            for ax, f in zip(axes, frames, strict=True)
            if box.overlaps(f)
        ]
        assert not hit, f"legend covers panels {hit}"
    for ax in axes:
        for ticks in (ax.get_xticklabels(), ax.get_yticklabels()):
            boxes = [t.get_window_extent(r) for t in texts(ticks)]
            assert not overlapping(boxes), [t.get_text() for t in texts(ticks)]
        labels = texts(ax.texts)
        assert not overlapping([t.get_window_extent(r) for t in labels]), [
            t.get_text() for t in labels
        ]
    titles = [ax.title for ax in axes if ax.get_title()]
    assert not overlapping([t.get_window_extent(r) for t in titles])


@pytest.mark.parametrize("kind", SWEEP_KINDS)
def test_every_sweep_kind_is_readable_with_20_scenarios(sweep: Path, kind: str) -> None:
    fig = drawn(make_figure(load_results(sweep), kind))
    check_readable(fig)
    width, height = fig.get_size_inches() * 130  # the saved image's pixels
    assert width <= 2000 and height <= 2000, (width, height)


def coloured(ax) -> list:  # type: ignore[no-untyped-def]
    """Scenario lines in colour (not reference lines)."""
    return [ln for ln in ax.get_lines() if ln.get_gid()]


def greyed(ax) -> int:  # type: ignore[no-untyped-def]
    """How many scenarios are drawn as grey context."""
    return sum(len(c.get_segments()) for c in ax.collections if c.get_gid() == "other scenarios")


def test_backlog_of_many_scenarios_is_small_multiples_on_one_y_axis(sweep: Path) -> None:
    res = load_results(sweep)
    fig = make_figure(res, "backlog")
    axes = panels(fig)
    assert len(axes) == 20 > MAX_SERIES
    names = set(res.daily["scenario"])
    assert {coloured(ax)[0].get_gid() for ax in axes} == names  # each scenario once
    for ax in axes:
        assert len(coloured(ax)) == 1 and greyed(ax) == 19  # its own line, the others grey
        assert ax.get_ylim() == axes[0].get_ylim()  # shared, so panels compare
    assert not fig.legends


def test_highlight_colours_the_chosen_and_greys_the_rest(sweep: Path) -> None:
    opts = FigureOptions(highlight=("staff_caseworkers=20,24", "policy_name=needs_based"))
    fig = drawn(make_figure(load_results(sweep), "backlog", opts))
    (ax,) = panels(fig)
    chosen = coloured(ax)
    assert {ln.get_gid() for ln in chosen} == {
        "20 caseworkers, needs-based",
        "24 caseworkers, needs-based",
    }
    assert greyed(ax) == 18
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "other scenarios",
        "20 caseworkers, needs-based",
        "24 caseworkers, needs-based",
    ]
    check_readable(fig)
    fig = drawn(make_figure(load_results(sweep), "scorecard", opts))
    assert len(coloured(panels(fig)[0])) == 2
    check_readable(fig)


def test_only_keeps_the_chosen_scenarios_in_every_kind(sweep: Path) -> None:
    res = load_results(sweep)
    opts = FigureOptions(only=("staff.caseworkers=20,21,24",))
    (ax,) = panels(make_figure(res, "backlog", opts))
    assert len(coloured(ax)) == 6 and greyed(ax) == 0
    staffing = make_figure(res, "staffing", opts)
    for line in coloured(staffing.axes[0]):
        assert list(line.get_xdata()) == [20, 21, 24]
    heat = make_figure(res, "heatmap", opts)
    assert [t.get_text() for t in heat.axes[0].get_xticklabels()] == ["20", "21", "24"]


def plot(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["plot", *map(str, args)])


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--only", "staf_caseworkers=20", "did you mean 'staff_caseworkers'"),
        ("--only", "policy_name=needs_base", "did you mean 'needs_based'"),
        ("--highlight", "staff_caseworkers=99", "has no value '99'"),
        ("--only", "staff_caseworkers", "is not COLUMN=VALUE"),
    ],
)
def test_a_bad_choice_is_one_line_and_exit_2(
    sweep: Path, tmp_path: Path, option: str, value: str, said: str
) -> None:
    result = plot(sweep, "--kind", "backlog", option, value, "--out", tmp_path / "b.png")
    assert result.exit_code == 2, result.output
    assert said in result.output and option in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "b.png").exists()


def test_highlight_on_a_kind_without_grey_context_is_refused(sweep: Path, tmp_path: Path) -> None:
    result = plot(sweep, "--kind", "frontier", "--highlight", "staff_caseworkers=20")
    assert result.exit_code == 2 and "--highlight" in result.output
    ok = plot(
        sweep,
        "--kind",
        "backlog",
        "--highlight",
        "staff_caseworkers=20",
        "--out",
        tmp_path / "h.png",
    )
    assert ok.exit_code == 0, ok.output and (tmp_path / "h.png").stat().st_size > 0


def month_like(label: str) -> bool:
    return label in MONTHS or (label.isdigit() and len(label) == 4)


def test_time_axes_show_calendar_months(sweep: Path) -> None:
    res = load_results(sweep)
    for opts in (FigureOptions(), FigureOptions(only=("staff_caseworkers=20",))):
        fig = drawn(make_figure(res, "backlog", opts))
        shown = [t.get_text() for ax in panels(fig) for t in texts(ax.get_xticklabels())]
        assert shown and all(month_like(s) for s in shown), shown
        assert len(set(shown) & MONTHS) >= 2
    fig = drawn(make_figure(res, "scorecard", FigureOptions(only=("staff_caseworkers=20",))))
    shown = [t.get_text() for t in texts(fig.axes[0].get_xticklabels())]
    assert shown[0] == "Feb 2025" and all(s.split()[0] in MONTHS for s in shown)


def warm_spans(ax) -> list:  # type: ignore[no-untyped-def]
    return [p for p in ax.patches if p.get_label() == "warm-up"]


def test_warmup_is_shaded_only_when_there_is_one(tmp_path: Path, sweep: Path) -> None:
    opts = FigureOptions(only=("staff_caseworkers=20",))
    fig = make_figure(load_results(sweep), "backlog", opts)
    assert warm_spans(panels(fig)[0]) and "warm-up" in fig.get_suptitle()
    runs, daily = _tables(warmup=0)
    write_sweep(tmp_path / "cold", runs, daily, summarise(runs, CONTEXT), _spec())
    fig = make_figure(load_results(tmp_path / "cold"), "backlog", opts)
    assert not warm_spans(panels(fig)[0]) and "warm-up" not in fig.get_suptitle()


def test_staffing_star_from_staff_results_is_the_advisors_answer(staffing: Path) -> None:
    res = load_results(staffing)
    assert not (staffing / "daily.parquet").exists()
    fig = make_figure(res, "staffing")
    # the means alone meet the target earlier than the advisor's bounds do
    means = make_figure(res, "staffing", FigureOptions(metric="followup_backlog_mean"))
    assert fig.officeq_meets == {"deadline_first": 27, "needs_based": None}
    assert means.officeq_meets == fig.officeq_meets  # the staff folder always uses the answer
    plain = load_results(staffing)
    sweep_like = type(plain)(plain.folder, "sweep", plain.daily, plain.runs, plain.summary)
    by_mean = make_figure(sweep_like, "staffing", FigureOptions(target=110))
    assert by_mean.officeq_meets["deadline_first"] < 27
    assert "advisor's answer" in fig.axes[0].get_title()
    assert "followup_backlog_mean<=110" in fig.axes[0].get_title()
    assert "means only" in by_mean.axes[0].get_title()
    stars = [c for c in fig.axes[0].collections if str(c.get_gid()).startswith("meets:")]
    assert [float(s.get_offsets()[0][0]) for s in stars] == [27]


@pytest.mark.parametrize("kind", ["staffing", "frontier", "heatmap", "spread", "gaps"])
def test_kinds_that_fit_staff_results_draw(staffing: Path, tmp_path: Path, kind: str) -> None:
    result = plot(staffing, "--kind", kind, "--out", tmp_path / f"{kind}.png")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("kind", ["backlog", "scorecard", "overview", "caseworkers"])
def test_kinds_that_do_not_fit_staff_results_are_one_line(staffing: Path, kind: str) -> None:
    result = plot(staffing, "--kind", kind)
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_report_of_staff_results_has_the_figures_that_fit(staffing: Path) -> None:
    captions = [c for c, _ in report_figures(load_results(staffing))]
    assert any("staffing" in c for c in captions)
    assert not any("over time" in c for c in captions)  # no daily series, no backlog
    result = CliRunner().invoke(
        main, ["report", str(staffing), "--out", str(staffing.parent / "r.html")]
    )
    assert result.exit_code == 0, result.output


def test_old_staff_folder_with_an_empty_daily_file_still_loads(tmp_path: Path) -> None:
    runs, _ = _tables()
    from officeq.experiments.output import SWEEP_FILES, _writers
    from officeq.measure.output import write_folder

    writers = _writers(runs, pd.DataFrame(), summarise(runs, CONTEXT), _spec())

    def build(folder: Path) -> list[str]:
        for name, write in zip(SWEEP_FILES, writers, strict=True):
            write(folder / name)
        return list(SWEEP_FILES)

    write_folder(tmp_path / "old", build, "staffing", len(runs))
    res = load_results(tmp_path / "old")
    assert res.daily.empty
    with pytest.raises(ResultsError, match="needs daily series"):
        make_figure(res, "backlog")
