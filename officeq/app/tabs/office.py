"""The Office tab: pick or upload a config, move the main levers, see the resolved YAML."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from shiny import reactive, render, ui

from officeq.app.levers import BY_ID, LEVERS, Lever, initial_values, lever_of, office_config
from officeq.app.settings import MAX_UPLOAD_BYTES
from officeq.app.tabs.common import Office, State, error_line
from officeq.config.loading import ConfigError, dump_config, load_config

AS_CONFIG = ""
"""The regime choice that keeps the config's own steering."""


def _control(lever: Lever, value: Any) -> ui.Tag:
    cid = f"lever_{lever.id}"
    if lever.kind == "choice":
        control = ui.input_select(cid, lever.label, dict(lever.choices), selected=value)
    elif lever.kind == "switch":
        control = ui.input_switch(cid, lever.label, bool(value))
    else:
        control = ui.input_numeric(
            cid, lever.label, value, min=lever.lo, max=lever.hi, step=lever.step
        )
    parts = [control]
    if lever.help:
        parts.append(ui.div(lever.help, class_="form-text oq-help"))
    parts.append(ui.output_ui(f"err_{lever.id}"))
    box = ui.div(*parts, class_="oq-lever")
    if lever.show_if:
        dep, wanted = lever.show_if
        return ui.panel_conditional(f"input.lever_{dep} === '{wanted}'", box)
    return box


def panel(state: State) -> ui.NavPanel:
    s = state.settings
    start = initial_values(load_config(s.config))
    regimes = {AS_CONFIG: "as in the config", "none": "no targets", **s.regimes}
    staff = [_control(lever, start[lever.id]) for lever in LEVERS if lever.group == "staff"]
    policy = [_control(lever, start[lever.id]) for lever in LEVERS if lever.group == "policy"]
    return ui.nav_panel(
        "Office",
        ui.layout_columns(
            ui.card(
                ui.card_header("The office"),
                ui.p(
                    "Start from a config, change the levers, then press Run on the Run tab. "
                    "Everything that is not a lever stays as the config has it.",
                    class_="small",
                ),
                ui.input_select(
                    "office_config", "Office config", s.configs, selected=str(s.config.resolve())
                ),
                ui.input_file(
                    "office_upload",
                    "…or upload a config (YAML)",
                    accept=[".yaml", ".yml"],
                    button_label="Upload…",
                ),
                ui.output_ui("err_upload"),
                ui.input_select(
                    "office_regime", "Steering regime (målstyring)", regimes, selected=AS_CONFIG
                ),
                ui.output_ui("office_changes"),
                ui.download_button("office_download", "Download the office as YAML"),
            ),
            ui.card(ui.card_header("Staff and demand"), *staff),
            ui.card(ui.card_header("Policy and organisation"), *policy),
            col_widths=(4, 4, 4),
        ),
        ui.accordion(
            ui.accordion_panel("The resolved config (every field)", ui.output_code("office_yaml")),
            open=False,
        ),
        value="office",
    )


def serve(input: Any, output: Any, session: Any, state: State) -> None:
    s = state.settings
    source = reactive.value(str(s.config.resolve()))
    upload_error = reactive.value("")

    def reset_levers(path: str) -> None:
        try:
            values = initial_values(load_config(path))
        except ConfigError:
            return
        for lever in LEVERS:
            cid, v = f"lever_{lever.id}", values[lever.id]
            if lever.kind == "choice":
                ui.update_select(cid, selected=v)
            elif lever.kind == "switch":
                ui.update_switch(cid, value=bool(v))
            else:
                ui.update_numeric(cid, value=v)

    @reactive.effect
    @reactive.event(input.office_config, ignore_init=True)
    def _pick() -> None:
        upload_error.set("")
        source.set(input.office_config())
        reset_levers(input.office_config())

    @reactive.effect
    @reactive.event(input.office_upload)
    def _upload() -> None:
        files = input.office_upload() or []
        if not files:
            return
        f = files[0]
        name = Path(f["name"]).name
        folder = s.results / "uploads" / _safe(getattr(session, "id", "") or "session")
        path = folder / name
        try:
            size = Path(f["datapath"]).stat().st_size
            if size > MAX_UPLOAD_BYTES:
                raise ConfigError(name, None, f"{size:,} bytes is more than a config can be")
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(Path(f["datapath"]).read_bytes())
            load_config(path)
        except ConfigError as e:
            upload_error.set(str(e).replace(str(path), name))
            return
        except OSError as e:
            upload_error.set(f"{name}: {e.strerror or e}")
            return
        upload_error.set("")
        source.set(str(path))
        reset_levers(str(path))

    def shown(path: str) -> str:
        """A config as the page names it: its label, or an upload's file name."""
        return s.configs.get(path) or Path(path).name

    @reactive.calc
    def office() -> Office:
        src = source()
        values = {lever.id: input[f"lever_{lever.id}"]() for lever in LEVERS}
        regime = input.office_regime() or None
        try:
            cfg, sets = office_config(src, values, regime, name=shown(src))
        except ConfigError as e:
            return Office(src, error=str(e), lever=lever_of(e), shown=shown(src))
        return Office(src, cfg, sets, shown=shown(src))

    state.office = office

    @render.ui
    def err_upload() -> Any:
        return error_line(upload_error()) if upload_error() else None

    def lever_error(lever_id: str) -> None:
        @output(id=f"err_{lever_id}")
        @render.ui
        def _err() -> Any:
            o = office()
            return error_line(o.error) if o.error and o.lever == lever_id else None

    for lever_id in BY_ID:
        lever_error(lever_id)

    @render.ui
    def office_changes() -> Any:
        o = office()
        if o.error and o.lever is None:
            return error_line(o.error, id="office_error")
        if o.error:
            return ui.p("Fix the value marked in red.", class_="text-danger small")
        cmd = ["officeq", "run", shown(o.source)]
        for o_set in o.overrides:
            cmd += ["--set", o_set]
        regime = input.office_regime()
        note = " (with the steering regime chosen here)" if regime else ""
        changed = f"{len(o.overrides)} change(s) from the file" if o.overrides else "as the file"
        return ui.div(
            ui.p(f"{o.config.name}: {changed}{note}. From a terminal:", class_="small mb-1"),
            ui.tags.pre(shlex.join(cmd), class_="small oq-command"),
        )

    @render.code
    def office_yaml() -> str:
        o = office()
        return o.error or dump_config(o.config)

    @render.download_button(filename=lambda: f"{_name(office())}.yaml")
    def office_download() -> Any:
        o = office()
        yield o.error if o.error else dump_config(o.config)


def _name(o: Office) -> str:
    return o.config.name if o.config is not None else "office"


def _safe(text: str) -> str:
    """A session id as a folder name (each browser session uploads into its own)."""
    return "".join(c for c in str(text) if c.isalnum() or c in "-_")[:64] or "session"
