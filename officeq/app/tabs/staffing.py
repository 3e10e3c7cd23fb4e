"""The Staffing tab."""

from __future__ import annotations

from typing import Any

from shiny import ui

from officeq.app.tabs.common import State


def panel(state: State) -> ui.NavPanel:
    return ui.nav_panel("Staffing", ui.p("not built yet"), value="staffing")


def serve(input: Any, output: Any, session: Any, state: State) -> None:
    return None
