"""The Run tab: replications of the office in the background; the summary with 95%
intervals, the backlog over the year, the monthly scorecard and who waits."""

from __future__ import annotations

from typing import Any

from shiny import reactive, render, ui

from officeq.app import views
from officeq.app.jobs import RUNNING, Job
from officeq.app.settings import job_folder
from officeq.app.tabs.common import Outcome, State, error_line, image, progress_line, watch
from officeq.app.tasks import RESULTS, prepare_run, run_office

MAX_KEPT = 4


def panel(state: State) -> ui.NavPanel:
    return ui.nav_panel(
        "Run",
        ui.layout_sidebar(
            ui.sidebar(
                ui.input_numeric(
                    "run_replications", "Replications (runs of the year)", 10, min=2, max=200
                ),
                ui.input_numeric("run_seed", "Seed (same seed: same random days)", 2025, min=0),
                ui.input_text("run_name", "Name of this scenario", placeholder="e.g. two more"),
                ui.input_action_button("run_start", "Run", class_="btn-primary"),
                ui.input_action_button("run_cancel", "Cancel", class_="btn-outline-secondary"),
                ui.output_ui("run_status"),
                ui.input_action_button(
                    "run_keep", "Keep for Compare", class_="btn-outline-primary"
                ),
                ui.output_ui("run_kept"),
                width=300,
            ),
            ui.output_ui("run_headline"),
            ui.layout_columns(
                ui.card(ui.card_header("Summary"), ui.output_ui("run_summary")),
                ui.card(ui.card_header("Who waits"), ui.output_ui("run_groups")),
                col_widths=(7, 5),
            ),
            ui.card(
                ui.card_header("Users overdue for follow-up over the year"),
                ui.output_image("run_backlog", height="auto"),
            ),
            ui.card(
                ui.card_header("Monthly scorecard"),
                ui.output_image("run_scorecard", height="auto"),
                ui.output_data_frame("run_monthly"),
            ),
            ui.card(
                ui.card_header("Backlog by need group (innsatsgruppe)"),
                ui.output_image("run_backlog_groups", height="auto"),
            ),
        ),
        value="run",
    )


def serve(input: Any, output: Any, session: Any, state: State) -> None:
    s = state.settings
    message = reactive.value("")

    def finished(job: Job) -> None:
        from officeq.experiments.folders import load_results

        meta = dict(job.meta)  # type: ignore[attr-defined]
        meta.pop("spec")
        results = load_results(meta["folder"] / RESULTS)
        state.outcome.set(Outcome(results=results, **meta))

    tick = watch(state.run_job, finished)
    so_far: dict[str, Any] = {}
    counted = reactive.value((0, -1))
    """(the job's id, replications finished): changes only when another one finishes."""

    @reactive.effect
    def _count() -> None:
        tick()
        job = state.run_job()
        key = (id(job), job.progress[0] if job is not None and job.state == RUNNING else -1)
        with reactive.isolate():
            if counted() != key:
                counted.set(key)

    @reactive.calc
    def partial() -> Any:
        """The summary of the replications finished so far, while a run goes on."""
        counted()
        job = state.run_job()
        if job is None or job.state != RUNNING:
            so_far.clear()
            return None
        done = job.progress[0]
        if done < 1:
            return None
        if so_far.get("job") is not job:
            from officeq.experiments.spec import load_spec

            so_far.clear()
            so_far.update(job=job, experiment=load_spec(job.meta["spec"]), done=-1)
        if so_far["done"] != done:
            from officeq.app.partial import summary_so_far

            store = job.meta["folder"] / RESULTS / "store.sqlite"
            so_far.update(done=done, summary=summary_so_far(so_far["experiment"], store))
        return so_far.get("summary")

    @reactive.effect
    @reactive.event(input.run_start)
    def _start() -> None:
        current = state.run_job()
        if current is not None and current.state == RUNNING:
            message.set("a run is going; cancel it first")
            return
        office = state.office()
        reps, seed = input.run_replications(), input.run_seed()
        if office.error:
            message.set(office.error)
            return
        if not isinstance(reps, int) or not 2 <= reps <= 200:
            message.set(f"replications: {reps} is not a whole number from 2 to 200")
            return
        if not isinstance(seed, int) or seed < 0:
            message.set(f"seed: {seed} is not a whole number from 0")
            return
        message.set("")
        state.outcome.set(None)  # the page shows the run that goes on
        name = (input.run_name() or "").strip() or _auto_name(office)
        folder = job_folder(s.results, name)
        spec = prepare_run(folder, office.config, reps, seed)
        meta = dict(name=name, folder=folder, seed=seed, replications=reps)
        meta |= dict(overrides=list(office.overrides), source=office.shown or office.source)
        job = Job(
            run_office,
            dict(spec=str(spec), out=str(folder / RESULTS), workers=s.workers),
            f"{reps} replications of {name}",
        )
        job.meta = meta | {"spec": spec}  # type: ignore[attr-defined]
        state.run_job.set(state.start(job))

    @reactive.effect
    @reactive.event(input.run_cancel)
    def _cancel() -> None:
        job = state.run_job()
        if job is not None:
            job.cancel()

    @render.ui
    def run_status() -> Any:
        tick()
        if message():
            return error_line(message(), id="run_error")
        return progress_line(state.run_job(), "replications")

    @reactive.effect
    @reactive.event(input.run_keep)
    def _keep() -> None:
        o = state.outcome()
        if o is None:
            return
        kept = [k for k in state.kept() if k.folder != o.folder]
        state.kept.set((*kept, o)[-MAX_KEPT:])

    @render.ui
    def run_kept() -> Any:
        kept = state.kept()
        if not kept:
            return ui.p("Keep up to four runs to compare them.", class_="small text-muted")
        return ui.p("Kept: " + "; ".join(k.name for k in kept), class_="small")

    @render.ui
    def run_headline() -> Any:
        o = state.outcome()
        if o is None:
            return ui.p("Set the office on the Office tab and press Run.", class_="lead")
        rows = views.rows_of(o.results.summary)
        hit, backlog = (rows.get(m) for m in views.HEADLINE)
        if hit is None or backlog is None:
            return None
        from officeq.figures.findings import level_text

        return ui.div(
            ui.h4(o.name, class_="mb-1"),
            ui.p(
                f"{level_text(views.HEADLINE[0], hit['mean'])} of inquiries answered within "
                f"the deadline; on an average day "
                f"{level_text(views.HEADLINE[1], backlog['mean'])} users are overdue for "
                f"follow-up (means of {o.replications} replications, seed {o.seed}).",
                class_="lead oq-headline",
            ),
        )

    @render.ui
    def run_summary() -> Any:
        early = partial()
        if early is not None:
            done, total = state.run_job().progress
            return ui.div(
                ui.p(
                    f"So far: {done} of {total} replications finished; the intervals narrow "
                    "as more finish.",
                    class_="small text-muted oq-so-far",
                ),
                ui.HTML(views.summary_html(early, so_far=True)),
            )
        o = state.outcome()
        return None if o is None else ui.HTML(views.summary_html(o.results.summary))

    @render.ui
    def run_groups() -> Any:
        o = state.outcome()
        if o is None:
            return None
        return ui.HTML(views.groups_html(o.results.summary, o.results.groups))

    def figure(kind: str, alt: str, **options: Any) -> Any:
        o = state.outcome()
        if o is None:
            return None
        path = views.figure_file(o.results, o.folder / "figures", kind, **options)
        return image(path, alt)

    @render.image(delete_file=False)
    def run_backlog() -> Any:
        return figure("backlog", "Users overdue for follow-up per day: mean and 95% band")

    @render.image(delete_file=False)
    def run_scorecard() -> Any:
        return figure("scorecard", "The monthly 48-hour hit rate against its target")

    @render.data_frame
    def run_monthly() -> Any:
        o = state.outcome()
        return None if o is None else views.scorecard_table(o.results)

    @render.image(delete_file=False)
    def run_backlog_groups() -> Any:
        return figure("backlog", "Users overdue per need group", by_group=True)


def _auto_name(office: Any) -> str:
    """The config's name and its changes in words: ``baseline, caseworkers 15``."""
    from officeq.experiments.labels import phrase

    changes = []
    for text in office.overrides:
        path, _, value = text.partition("=")
        changes.append(phrase(path, value))
    return ", ".join([office.config.name, *changes])
