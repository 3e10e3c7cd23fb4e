"""Helpers for the tests: ``officeq`` commands in-process (stderr kept apart) and in
parallel subprocesses, and configs with fields replaced."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from officeq.cli import main
from officeq.config.schema import Config


def runner() -> CliRunner:
    """A CliRunner whose result has ``stderr`` apart from ``output``."""
    try:  # click < 8.2 mixes stderr into stdout unless told not to
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


def invoke(*args: object) -> Result:
    """``officeq ARGS...`` (each argument made a string)."""
    return runner().invoke(main, [str(a) for a in args])


def one_line_error(result: Result, *names: str) -> str:
    """Assert ``result`` is one line on stderr naming each of ``names``, exit 2, no
    traceback; return the line."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for name in names:
        assert name in lines[0], (name, lines[0])
    return lines[0]


def run_commands(cmds: list[list[str]], logs: Path, timeout: float = 300) -> None:
    """Run ``python -m officeq CMD`` for every command at once (logs in ``logs``) and
    assert each succeeded."""
    files = [(logs / f"log{i}.txt").open("w") for i in range(len(cmds))]
    procs = [
        subprocess.Popen([sys.executable, "-m", "officeq", *c], stdout=f, stderr=f)
        for c, f in zip(cmds, files, strict=True)
    ]
    for p, f in zip(procs, files, strict=True):
        code = p.wait(timeout=timeout)
        f.close()
        assert code == 0, Path(f.name).read_text()


def with_(cfg: Config, **paths: Any) -> Config:
    """``cfg`` with dotted fields replaced (``work__followup__assignment="own"``)."""
    data = cfg.model_dump()
    for path, value in paths.items():
        *parents, last = path.split("__")
        node = data
        for p in parents:
            node = node[p]
        node[last] = value
    return Config.model_validate(data)


def older_run(run: Path, dest: Path, missing: str) -> Path:
    """A copy of run folder ``run`` at ``dest`` as an older officeq wrote it: without
    the file ``missing``, in the folder and in its manifest."""
    shutil.copytree(run, dest)
    (dest / missing).unlink()
    manifest = json.loads((dest / "manifest.json").read_text())
    del manifest["files"][missing]
    (dest / "manifest.json").write_text(json.dumps(manifest))
    return dest
