"""The Download tab: the last finished run's tables, figures, report and the files that
reproduce it from the command line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from shiny import render, ui

from officeq.app import downloads
from officeq.app.tabs.common import State

EMPTY = "Nothing to download yet: press Run on the Run tab; its files appear here when it is done."


NOTHING_FILE = "officeq-no-run-yet.txt"


class NothingYet(Exception):
    """A download asked for before any run finished."""


def _or_nothing(make: Any) -> Iterator[bytes]:
    """The file's bytes, or one line saying there is no run yet."""
    try:
        data = make()
    except NothingYet:
        data = (EMPTY + "\n").encode("utf-8")
    yield data


def _item(id: str, label: str, words: str) -> ui.Tag:
    return ui.div(
        ui.download_button(id, label, class_="btn-outline-primary"),
        ui.span(words, class_="ms-2 small text-muted"),
        class_="oq-download mb-2",
    )


def panel(state: State) -> ui.NavPanel:
    return ui.nav_panel(
        "Download",
        ui.output_ui("dl_which"),
        ui.layout_columns(
            ui.card(
                ui.card_header("Tables and figures"),
                _item(
                    "dl_csv",
                    "Tables (CSV, .zip)",
                    "per-run means with 95% intervals, monthly and daily tables, as "
                    "officeq export --csv writes them",
                ),
                _item(
                    "dl_xlsx",
                    "Tables (Excel, .xlsx)",
                    "the same tables as one workbook, a sheet each",
                ),
                _item(
                    "dl_figures",
                    "Figures (PNG, .zip)",
                    "backlog, backlog by need group, monthly scorecard and the caseworker figures",
                ),
                _item(
                    "dl_report",
                    "Report (HTML)",
                    "one self-contained page, as officeq report writes it; opens offline",
                ),
            ),
            ui.card(
                ui.card_header("Reproduce the run"),
                _item("dl_office", "The office (YAML)", "every field of the office simulated"),
                _item(
                    "dl_spec",
                    "The run's spec (.zip)",
                    "experiment.yaml and office.yaml: officeq sweep experiment.yaml "
                    "--out results runs it again, exactly",
                ),
            ),
            col_widths=(6, 6),
        ),
        value="download",
    )


def serve(input: Any, output: Any, session: Any, state: State) -> None:
    def outcome() -> Any:
        o = state.outcome()
        if o is None:  # the buttons show before any run: say so, in a file
            raise NothingYet
        return o

    def named(suffix: str) -> Any:
        def name() -> str:
            o = state.outcome()
            return NOTHING_FILE if o is None else f"{downloads.stem(o.name)}{suffix}"

        return name

    @render.ui
    def dl_which() -> Any:
        o = state.outcome()
        if o is None:
            return ui.p(EMPTY, class_="lead oq-empty")
        changes = "; ".join(o.overrides) if o.overrides else "as in the config"
        return ui.div(
            ui.h4(f"Downloads of the run “{o.name}”", class_="mb-1"),
            ui.p(
                f"{o.replications} replications, seed {o.seed}; office {o.source} "
                f"({changes}). Folder: {o.folder}",
                class_="small text-muted oq-which",
            ),
        )

    @render.download_button(filename=named("-tables.zip"))
    def dl_csv() -> Iterator[bytes]:
        return _or_nothing(lambda: downloads.csv_zip(outcome().folder))

    @render.download_button(filename=named(".xlsx"))
    def dl_xlsx() -> Iterator[bytes]:
        return _or_nothing(lambda: downloads.xlsx(outcome().folder))

    @render.download_button(filename=named("-figures.zip"))
    def dl_figures() -> Iterator[bytes]:
        return _or_nothing(lambda: downloads.figures_zip(outcome().results))

    @render.download_button(filename=named("-report.html"))
    def dl_report() -> Iterator[bytes]:
        return _or_nothing(lambda: downloads.report(outcome().results))

    @render.download_button(filename=named("-office.yaml"))
    def dl_office() -> Iterator[bytes]:
        return _or_nothing(lambda: downloads.office_yaml(outcome().folder))

    @render.download_button(filename=named("-spec.zip"))
    def dl_spec() -> Iterator[bytes]:
        return _or_nothing(lambda: downloads.spec_zip(outcome().folder))
