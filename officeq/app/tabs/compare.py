"""The Compare tab: the runs kept on the Run tab side by side, their differences from a
reference run with 95% intervals, and the trade-off between them in one figure."""

from __future__ import annotations

from typing import Any

from shiny import reactive, render, ui

from officeq.app import comparing
from officeq.app.tabs.common import State

EMPTY = (
    "Nothing kept yet: set the office on the Office tab, press Run on the Run tab, and "
    'press "Keep for Compare" when it is done. Keep up to four runs.'
)


def panel(state: State) -> ui.NavPanel:
    return ui.nav_panel(
        "Compare",
        ui.layout_sidebar(
            ui.sidebar(
                ui.input_select(
                    "compare_versus", "Differences against (the reference run)", choices=[]
                ),
                ui.hr(),
                ui.input_select("compare_remove", "Kept run to remove", choices=[]),
                ui.input_action_button(
                    "compare_remove_button", "Remove it", class_="btn-outline-secondary"
                ),
                ui.input_action_button(
                    "compare_clear", "Remove every kept run", class_="btn-outline-danger"
                ),
                width=300,
            ),
            ui.card(
                ui.card_header("The kept runs: means with 95% confidence intervals"),
                ui.output_ui("compare_table"),
            ),
            ui.card(
                ui.card_header("Differences from the reference run"),
                ui.output_ui("compare_diffs"),
            ),
            ui.card(
                ui.card_header("The trade-off: 48-hour hit rate against users overdue"),
                ui.output_plot("compare_frontier", height="420px"),
            ),
        ),
        value="compare",
    )


def serve(input: Any, output: Any, session: Any, state: State) -> None:
    @reactive.calc
    def comparison() -> comparing.Comparison | None:
        kept = state.kept()
        return comparing.runs_table(kept) if kept else None

    @reactive.calc
    def means() -> Any:
        c = comparison()
        return None if c is None else comparing.means(c)

    @reactive.effect
    def _choices() -> None:
        c = comparison()
        names = c.names if c is not None else []
        with reactive.isolate():
            versus, remove = input.compare_versus(), input.compare_remove()
        ui.update_select(
            "compare_versus",
            choices=names,
            selected=versus if versus in names else (names[0] if names else None),
        )
        ui.update_select(
            "compare_remove",
            choices=names,
            selected=remove if remove in names else (names[-1] if names else None),
        )

    @reactive.effect
    @reactive.event(input.compare_remove_button)
    def _remove() -> None:
        c = comparison()
        name = input.compare_remove()
        if c is None or name not in c.names:
            return
        gone = c.names.index(name)
        state.kept.set(tuple(k for i, k in enumerate(state.kept()) if i != gone))

    @reactive.effect
    @reactive.event(input.compare_clear)
    def _clear() -> None:
        state.kept.set(())

    @render.ui
    def compare_table() -> Any:
        c, table = comparison(), means()
        if c is None:
            return ui.p(EMPTY, class_="lead oq-empty")
        more = None
        if len(c.names) < 2:
            more = ui.p(
                "Keep a second run on the Run tab to see the differences.",
                class_="small text-muted",
            )
        return ui.div(ui.HTML(comparing.means_html(c, table)), more)

    @render.ui
    def compare_diffs() -> Any:
        c = comparison()
        versus = input.compare_versus()
        if c is None or len(c.names) < 2:
            return ui.p("Keep two runs or more to see their differences.", class_="text-muted")
        if versus not in c.names:
            return None
        diffs = comparing.differences(c, versus)
        return ui.div(
            ui.p(c.why, class_=f"oq-method oq-{c.method}", id="compare_method"),
            ui.HTML(comparing.differences_html(c, versus, diffs)),
            ui.p(
                "Each cell: the other run minus the reference, in the metric's unit "
                "(percentage points for shares), with its 95% confidence interval; an "
                "interval that holds 0 means no clear difference.",
                class_="small text-muted",
            ),
        )

    @render.plot(alt="48-hour hit rate against users overdue for follow-up, one point per run")
    def compare_frontier() -> Any:
        c, table = comparison(), means()
        if c is None:
            return None
        return comparing.frontier(c, table)
