"""The Forecast tab: the office on the Office tab, started from an uploaded snapshot,
the next weeks as a fan chart (``officeq forecast``), run in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shiny import reactive, render, ui

from officeq.app.jobs import RUNNING, Job
from officeq.app.settings import EXAMPLE_SNAPSHOT, MAX_UPLOAD_BYTES, job_folder
from officeq.app.snapshots import SnapshotError, check, unpack
from officeq.app.tabs.common import State, error_line, image, progress_line, watch
from officeq.app.tasks import OFFICE_FILE, run_forecast
from officeq.config.loading import dump_config
from officeq.experiments.forecast import HEADLINE


def panel(state: State) -> ui.NavPanel:
    example = (
        ui.input_action_button(
            "forecast_example", "Use the example snapshot", class_="btn-outline-primary w-100"
        )
        if EXAMPLE_SNAPSHOT.is_dir()
        else None
    )
    return ui.nav_panel(
        "Forecast",
        ui.card(
            ui.card_header("Forecast from today's backlog"),
            ui.layout_columns(
                ui.div(
                    ui.input_file(
                        "forecast_upload",
                        "Snapshot (a zipped snapshot/ folder of officeq run --snapshot-at)",
                        accept=[".zip"],
                        button_label="Upload…",
                    ),
                    example,
                    ui.output_ui("forecast_snapshot"),
                ),
                ui.div(
                    ui.input_numeric("forecast_weeks", "Weeks ahead", 13, min=1, max=104),
                    ui.input_numeric(
                        "forecast_replications",
                        "Replications (more: smoother bands)",
                        30,
                        min=2,
                        max=500,
                    ),
                    ui.output_ui("forecast_form_error"),
                ),
                ui.div(
                    ui.input_action_button(
                        "forecast_start", "Forecast", class_="btn-primary w-100 mb-2"
                    ),
                    ui.input_action_button(
                        "forecast_cancel", "Cancel", class_="btn-outline-secondary w-100"
                    ),
                    ui.output_ui("forecast_status"),
                ),
                col_widths=(5, 4, 3),
            ),
            ui.p(
                "The office is the one on the Office tab; the snapshot gives its open "
                "inquiries, applications and caseload on the snapshot's day.",
                class_="small text-muted",
            ),
        ),
        ui.output_ui("forecast_headline"),
        ui.card(
            ui.card_header("The next weeks: median and 50% and 90% bands"),
            ui.output_image("forecast_fan", height="auto"),
        ),
        value="forecast",
    )


def serve(input: Any, output: Any, session: Any, state: State) -> None:
    s = state.settings
    snapshot: reactive.Value[tuple[Path, str] | None] = reactive.value(None)
    snap_error = reactive.value("")
    form_error = reactive.value("")
    job_value: reactive.Value[Job | None] = reactive.value(None)
    result: reactive.Value[dict[str, Any] | None] = reactive.value(None)

    def finished(job: Job) -> None:
        import pandas as pd

        folder = job.meta["folder"]  # type: ignore[attr-defined]
        table = pd.read_csv(folder / "forecast" / "forecast.csv")
        result.set({"folder": folder, "table": table, "name": job.meta["name"]})  # type: ignore[attr-defined]

    tick = watch(job_value, finished)

    @reactive.effect
    @reactive.event(input.forecast_upload)
    def _upload() -> None:
        files = input.forecast_upload() or []
        if not files:
            return
        f = files[0]
        name = Path(f["name"]).name
        try:
            if Path(f["datapath"]).stat().st_size > MAX_UPLOAD_BYTES * 50:
                raise SnapshotError(f"{name}: too big for a snapshot")
            folder = job_folder(s.results, "snapshot")
            found = unpack(Path(f["datapath"]), name, folder / "snapshot")
        except SnapshotError as e:
            snap_error.set(str(e))
            snapshot.set(None)
            return
        snap_error.set("")
        snapshot.set((found, name))

    @reactive.effect
    @reactive.event(input.forecast_example)
    def _example() -> None:
        snap_error.set("")
        snapshot.set((EXAMPLE_SNAPSHOT, "examples/my_office/snapshot"))

    @render.ui
    def forecast_snapshot() -> Any:
        if snap_error():
            return error_line(snap_error(), id="forecast_upload_error")
        chosen = snapshot()
        if chosen is None:
            return ui.p("No snapshot yet.", class_="small text-muted")
        office = state.office()
        if office.error:
            return ui.p(f"Snapshot: {chosen[1]}", class_="small")
        try:
            day = check(chosen[0], chosen[1], office.config)
        except SnapshotError as e:
            return error_line(str(e), id="forecast_upload_error")
        return ui.p(f"Snapshot: {chosen[1]}, the office on {day}.", class_="small")

    @reactive.effect
    @reactive.event(input.forecast_start)
    def _start() -> None:
        current = job_value()
        if current is not None and current.state == RUNNING:
            form_error.set("a forecast is going; cancel it first")
            return
        office, chosen = state.office(), snapshot()
        weeks, reps = input.forecast_weeks(), input.forecast_replications()
        problem = ""
        if office.error:
            problem = office.error
        elif chosen is None:
            problem = "upload a snapshot first (or use the example)"
        elif not isinstance(weeks, int) or not 1 <= weeks <= 104:
            problem = f"weeks ahead: {weeks} is not a whole number from 1 to 104"
        elif not isinstance(reps, int) or not 2 <= reps <= 500:
            problem = f"replications: {reps} is not a whole number from 2 to 500"
        else:
            try:
                check(chosen[0], chosen[1], office.config)
            except SnapshotError as e:
                problem = str(e)
        form_error.set(problem)
        if problem:
            return
        assert chosen is not None
        folder = job_folder(s.results, f"forecast-{office.config.name}")
        (folder / OFFICE_FILE).write_text(dump_config(office.config), encoding="utf-8")
        job = Job(
            run_forecast,
            dict(
                config=str(folder / OFFICE_FILE),
                snapshot=str(chosen[0]),
                weeks=weeks,
                replications=reps,
                compare={},
                out=str(folder / "forecast"),
                workers=s.workers,
            ),
            "forecast",
        )
        job.meta = {"folder": folder, "name": office.config.name}  # type: ignore[attr-defined]
        result.set(None)
        job_value.set(state.start(job))

    @reactive.effect
    @reactive.event(input.forecast_cancel)
    def _cancel() -> None:
        job = job_value()
        if job is not None:
            job.cancel()

    @render.ui
    def forecast_form_error() -> Any:
        return error_line(form_error()) if form_error() else None

    @render.ui
    def forecast_status() -> Any:
        tick()
        return progress_line(job_value(), "replications")

    @render.ui
    def forecast_headline() -> Any:
        r = result()
        if r is None:
            return None
        table = r["table"]
        last = table[table["week"] == table["week"].max()]
        rows = []
        for metric, label in HEADLINE:
            row = last[last["metric"] == metric]
            if row.empty or row["p50"].isna().all():
                continue
            x = row.iloc[0]
            pct = metric.endswith("_rate")

            def f(v: float, pct: bool = pct) -> str:
                return f"{100 * v:.0f}%" if pct else f"{v:,.0f}"

            rows.append(
                ui.tags.tr(
                    ui.tags.th(label, scope="row"),
                    ui.tags.td(
                        f(x["p50"]),
                        class_="metric",
                        **{"data-metric": metric, "data-value": repr(float(x["p50"]))},
                    ),
                    ui.tags.td(f"{f(x['p5'])} to {f(x['p95'])}"),
                )
            )
        return ui.card(
            ui.card_header(f"The week from {last['week_start'].iloc[0]}: {r['name']}"),
            ui.tags.table(
                ui.tags.thead(
                    ui.tags.tr(ui.tags.th("metric"), ui.tags.th("median"), ui.tags.th("90% band"))
                ),
                ui.tags.tbody(*rows),
                class_="table table-sm forecast",
            ),
        )

    @render.image(delete_file=False)
    def forecast_fan() -> Any:
        r = result()
        if r is None:
            return None
        path = r["folder"] / "forecast.png"
        if not path.is_file():
            import matplotlib.pyplot as plt

            from officeq.figures.fan import fan_chart
            from officeq.figures.output import write_figure

            fig = fan_chart(r["table"], None)
            try:
                write_figure(fig, path)
            finally:
                plt.close(fig)
        return image(path, "Weekly forecast: median and bands")
