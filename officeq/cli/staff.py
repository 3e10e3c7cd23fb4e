"""The ``officeq staff`` command: the fewest caseworkers that meet every target."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape
from rich.table import Table

from officeq.cli.common import (
    Finite,
    Interruption,
    console,
    err_console,
    fail,
    force_option,
    load,
    set_option,
    workers_option,
)

if TYPE_CHECKING:
    from officeq.api import StaffingAnswer


def _cell(level, metric: str) -> str:  # type: ignore[no-untyped-def]
    if level is None:
        return "–"
    mean, low, high = level.interval(metric)
    return f"{mean:.3f} ({low:.3f}–{high:.3f})"


@click.command("staff")
@click.argument("config")
@click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="METRIC>=VALUE",
    help="A target, e.g. 'inquiry_sla_hit_rate>=0.9' (repeatable).",
)
@click.option(
    "--confidence",
    type=Finite(0.5, 1, max_open=True),
    default=0.95,
    show_default=True,
    help="Level of each one-sided confidence bound.",
)
@click.option("--min", "lo", type=click.IntRange(min=0), default=1, show_default=True)
@click.option("--max", "hi", type=click.IntRange(min=1), default=60, show_default=True)
@click.option(
    "--policy",
    "policies",
    multiple=True,
    help="Policies to size (default: the config's); repeatable.",
)
@workers_option
@click.option(
    "--max-replications",
    type=click.IntRange(min=2),
    default=40,
    show_default=True,
    help="Replications per staffing level at most.",
)
@click.option(
    "--out",
    metavar="DIR",
    help="Write the staffing curve here (for officeq plot --kind staffing).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@set_option
@force_option
def staff_cmd(
    config: str,
    targets: tuple[str, ...],
    confidence: float,
    lo: int,
    hi: int,
    policies: tuple[str, ...],
    workers: int | None,
    max_replications: int,
    out: str | None,
    as_json: bool,
    overrides: tuple[str, ...],
    force: bool,
) -> None:
    """Find the fewest caseworkers for which every target holds, per policy.

    CONFIG is an office config, or an experiment spec whose `base:` is the
    office and whose `targets:` block lists targets.
    """
    from officeq.config.loading import ConfigError, read_yaml

    seed = 2025
    spec_targets: list[str] = []
    office_file = Path(config)
    try:
        raw = read_yaml(config)
    except ConfigError as e:
        fail(str(e))
    if "base" in raw:  # an experiment spec
        from officeq.experiments.spec import load_spec

        try:
            exp = load_spec(config)
        except ConfigError as e:
            fail(str(e))
        cfg = exp.scenarios[0].config
        seed, spec_targets = exp.spec.seed, list(exp.spec.targets)
        office_file = Path(config).parent / exp.spec.base
        if overrides:
            fail(f"{config}: --set works on office configs; put overrides in the spec's grid")
    else:
        cfg = load(config, overrides)
    from officeq.api import StaffingError, staff

    if out is not None:
        from officeq.measure.output import OutputError, check_replaceable

        try:
            check_replaceable(out, "staffing")  # before anything runs
        except OutputError as e:
            fail(str(e))

    def report(name: str, c: int, verdict: bool | None, runs: int) -> None:
        word = {True: "meets the targets", False: "misses the targets"}.get(
            verdict, "not yet decided, adding replications"
        )
        err_console.print(f"{name}: {c} caseworkers: {word} ({runs} replications)", highlight=False)

    stop = Interruption()
    try:
        with stop.sigterm_like_ctrl_c():
            answer = staff(
                cfg,
                [*spec_targets, *targets],
                policies=list(policies) or None,
                lo=lo,
                hi=hi,
                confidence=confidence,
                workers=workers,
                max_replications=max_replications,
                seed=seed,
                progress=report,
                force=force,
                assumptions_from=office_file,
            )
    except StaffingError as e:
        fail(f"{config}: {e}")
    except ConfigError as e:  # too big to run without --force
        fail(f"{config}: {e.field}: {e.message}")
    except KeyboardInterrupt:  # its worker processes are already stopped
        err_console.print(f"{stop.word}: no answer, nothing written", highlight=False)
        sys.exit(stop.exit_code)
    results, analytic, parsed = answer.advice, answer.analytic, answer.targets
    grid_runs = (hi - lo + 1) * 20
    if out is not None:
        _write_curve(out, answer)
    if as_json:
        doc = {}
        for name, a in results.items():
            level = a.levels.get(a.best)
            doc[name] = {
                "caseworkers": a.caseworkers,
                "metrics": {
                    t.metric: dict(
                        zip(("mean", "low", "high"), level.interval(t.metric), strict=True)
                    )
                    for t in parsed
                }
                if level
                else {},
                "runs": a.runs,
            }
        console.print_json(json.dumps(doc))
        return
    table = Table(
        title=f"fewest caseworkers meeting {', '.join(map(str, parsed))} "
        f"({confidence:.0%} one-sided bounds)",
        title_justify="left",
    )
    for col in ("policy", "caseworkers", "metric", "at the answer (95% CI)", "one fewer", "runs"):
        table.add_column(col)
    for name, a in results.items():
        answer = a.levels.get(a.best)
        below = a.levels.get(a.best - 1)
        for i, t in enumerate(parsed):
            shown = (
                str(a.caseworkers)
                if a.caseworkers is not None
                else (f"none in {lo}–{hi} (best at {hi})")
            )
            table.add_row(
                escape(name) if i == 0 else "",
                shown if i == 0 else "",
                str(t),
                _cell(answer, t.metric),
                _cell(below, t.metric),
                str(a.runs) if i == 0 else "",
            )
    console.print(table)
    console.print(
        f"analytic baseline ({analytic.note}): Erlang C {analytic.erlang_c}, "
        f"square-root rule {analytic.square_root} caseworkers on the phones "
        f"(offered load {analytic.offered_load:.1f})",
        highlight=False,
    )
    console.print(
        f"a full grid at 20 replications over {lo}–{hi} would take {grid_runs} runs per policy",
        highlight=False,
    )


def _write_curve(out: str, answer: StaffingAnswer) -> None:
    """The levels the advisor ran, as a sweep's tables (for officeq plot --kind staffing)."""
    from officeq.experiments.output import write_staffing
    from officeq.measure.output import OutputError

    try:
        write_staffing(out, *answer.tables())
    except OutputError as e:
        fail(str(e))
