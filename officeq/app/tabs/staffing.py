"""The Staffing tab: the advisor (``officeq staff``): targets in, the fewest caseworkers
per policy and the staffing curve out, searched in the background."""

from __future__ import annotations

from typing import Any

from shiny import reactive, render, ui

from officeq.app.jobs import RUNNING, Job
from officeq.app.levers import POLICY_CHOICES
from officeq.app.settings import job_folder
from officeq.app.staffing_form import (
    DEFAULT_BACKLOG,
    DEFAULT_HIT_RATE,
    FormError,
    default_range,
    form,
    shortfall,
    target_words,
)
from officeq.app.tabs.common import State, error_line, image, progress_line, watch
from officeq.app.tasks import OFFICE_FILE, run_staffing
from officeq.config.loading import dump_config, load_config

DEFAULT_REPLICATIONS = 20


def panel(state: State) -> ui.NavPanel:
    cfg = load_config(state.settings.config)
    lo, hi = default_range(cfg)
    return ui.nav_panel(
        "Staffing",
        ui.card(
            ui.card_header("Targets (leave one blank to drop it) and the search"),
            ui.layout_columns(
                ui.div(
                    ui.input_numeric(
                        "staff_hit_rate",
                        "48-hour hit rate at least (%)",
                        DEFAULT_HIT_RATE,
                        min=0,
                        max=100,
                        step=1,
                    ),
                    ui.input_numeric(
                        "staff_backlog",
                        "Users overdue for follow-up at most (mean)",
                        DEFAULT_BACKLOG,
                        min=0,
                        step=5,
                    ),
                    ui.input_numeric(
                        "staff_on_time",
                        "Income-support decisions on time at least (%)",
                        None,
                        min=0,
                        max=100,
                        step=1,
                    ),
                    ui.output_ui("staff_targets_error"),
                ),
                ui.input_checkbox_group(
                    "staff_policies",
                    "Policies to size",
                    dict(POLICY_CHOICES),
                    selected=[cfg.policy.name],
                ),
                ui.div(
                    ui.input_numeric("staff_min", "Fewest caseworkers searched", lo, min=1, step=1),
                    ui.input_numeric("staff_max", "Most caseworkers searched", hi, min=1, step=1),
                    ui.input_numeric(
                        "staff_max_replications",
                        "Replications per level at most",
                        DEFAULT_REPLICATIONS,
                        min=2,
                        max=200,
                        step=1,
                    ),
                    ui.output_ui("staff_range_error"),
                ),
                ui.div(
                    ui.input_action_button(
                        "staff_start", "Find the staffing", class_="btn-primary w-100 mb-2"
                    ),
                    ui.input_action_button(
                        "staff_cancel", "Cancel", class_="btn-outline-secondary w-100"
                    ),
                    ui.output_ui("staff_status"),
                ),
                col_widths=(3, 3, 3, 3),
            ),
        ),
        ui.output_ui("staff_answer"),
        ui.card(
            ui.card_header("The targets' metrics against staffing"),
            ui.output_image("staff_curve", height="auto"),
        ),
        value="staffing",
    )


def serve(input: Any, output: Any, session: Any, state: State) -> None:
    s = state.settings
    job_value: reactive.Value[Job | None] = reactive.value(None)
    problem: reactive.Value[tuple[str, str]] = reactive.value(("", ""))
    answer: reactive.Value[dict[str, Any] | None] = reactive.value(None)

    def finished(job: Job) -> None:
        from officeq.experiments.folders import load_results

        meta = job.meta  # type: ignore[attr-defined]
        results = load_results(meta["folder"] / "staffing")
        answer.set(meta | {"results": results} | dict(job.value))

    tick = watch(job_value, finished)

    @reactive.effect
    @reactive.event(input.staff_start)
    def _start() -> None:
        current = job_value()
        if current is not None and current.state == RUNNING:
            problem.set(("status", "a search is going; cancel it first"))
            return
        office = state.office()
        if office.error:
            problem.set(("status", office.error))
            return
        try:
            f = form(
                office.config,
                input.staff_hit_rate(),
                input.staff_backlog(),
                input.staff_on_time(),
                list(input.staff_policies() or ()),
                input.staff_min(),
                input.staff_max(),
                input.staff_max_replications(),
            )
        except FormError as e:
            problem.set((e.where, str(e)))
            return
        problem.set(("", ""))
        seed = input.run_seed()
        seed = seed if isinstance(seed, int) and seed >= 0 else 2025
        folder = job_folder(s.results, f"staffing-{office.config.name}")
        (folder / OFFICE_FILE).write_text(dump_config(office.config), encoding="utf-8")
        job = Job(
            run_staffing,
            dict(
                config=str(folder / OFFICE_FILE),
                targets=f.targets,
                policies=f.policies,
                lo=f.lo,
                hi=f.hi,
                max_replications=f.max_replications,
                seed=seed,
                out=str(folder / "staffing"),
                workers=s.workers,
            ),
            "staffing search",
        )
        job.meta = {"folder": folder, "form": f, "seed": seed}  # type: ignore[attr-defined]
        answer.set(None)
        job_value.set(state.start(job))

    @reactive.effect
    @reactive.event(input.staff_cancel)
    def _cancel() -> None:
        job = job_value()
        if job is not None:
            job.cancel()

    def where(part: str) -> Any:
        kind, message = problem()
        return error_line(message) if kind == part and message else None

    @render.ui
    def staff_targets_error() -> Any:
        return where("targets")

    @render.ui
    def staff_range_error() -> Any:
        return where("range")

    @render.ui
    def staff_status() -> Any:
        tick()
        return where("status") or progress_line(job_value(), "staffing levels (at most)")

    @render.ui
    def staff_answer() -> Any:
        a = answer()
        if a is None:
            return ui.p(
                "Set the targets and press 'Find the staffing': the advisor runs staffing "
                "levels upward until each policy meets every target.",
                class_="lead",
            )
        f = a["form"]
        items = []
        for policy, n in a["caseworkers"].items():
            words = POLICY_CHOICES.get(policy, policy)
            text = (
                f"{n} caseworkers under {words}"
                if n is not None
                else f"none in {f.lo}–{f.hi} caseworkers under {words}"
                + shortfall(a.get("at_best", {}).get(policy, []))
                + " (try a larger range)"
            )
            items.append(
                ui.tags.li(
                    text,
                    class_="oq-staff-answer",
                    **{"data-policy": policy, "data-caseworkers": "" if n is None else str(n)},
                )
            )
        targets = ", ".join(target_words(t) for t in f.targets)
        return ui.div(
            ui.h4("The fewest caseworkers that meet every target"),
            ui.tags.ul(*items, class_="lead"),
            ui.p(
                f"Targets: {targets} (officeq staff --target {' --target '.join(f.targets)}). "
                f"A level meets a target when its one-sided 95% bound "
                f"over replications does (up to {f.max_replications} replications per level, "
                f"seed {a['seed']}, common random numbers across levels).",
                class_="small text-muted",
            ),
        )

    @render.image(delete_file=False)
    def staff_curve() -> Any:
        a = answer()
        if a is None:
            return None
        from officeq.app.views import figure_file

        path = figure_file(a["results"], a["folder"] / "figures", "staffing")
        return image(path, "The targets' metrics against caseworkers")
