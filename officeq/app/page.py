"""The page: its tabs put together into one Shiny app (one state per browser session)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shiny import App, ui

from officeq.app.settings import Settings
from officeq.app.tabs import compare, download, forecast, office, run, staffing
from officeq.app.tabs.common import State

TABS = (office, run, compare, staffing, forecast, download)
"""In the order of the page: each has ``panel(state)`` and ``serve(input, output, session,
state)``."""

STYLE = Path(__file__).with_name("style.css")


def make_app(settings: Settings) -> App:
    """The Shiny app for these settings."""
    layout = State(settings)  # the panels need the settings only
    page = ui.page_navbar(
        *(tab.panel(layout) for tab in TABS),
        title="officeq: what staffing and steering do to the office",
        id="tabs",
        # our own progress lines say what runs; Shiny's spinners and pulses would only
        # make the browser repaint while the simulation needs the cores
        header=ui.TagList(
            ui.include_css(STYLE), ui.busy_indicators.use(spinners=False, pulse=False)
        ),
        window_title="officeq",
        lang="en",
        fillable=False,
    )

    def server(input: Any, output: Any, session: Any) -> None:
        state = State(settings)
        session.on_ended(state.cancel_all)
        for tab in TABS:
            tab.serve(input, output, session, state)

    return App(page, server)
