"""``manifest.json``: written last, it says an output folder is whole.

Every folder officeq writes (a run's, a sweep's, the staffing advisor's)
ends with a manifest: the officeq version, the kind of folder, a unique id
of this write, the number of runs, and the name, size and SHA-256 of every
file written with it. It is the last file written; a writer that rewrites a
folder in place removes the old manifest before it touches anything else.
So a folder without a valid manifest is an interrupted write, and a file
that does not match the manifest comes from another write: readers refuse
both (:func:`read_manifest`, :func:`check_files`), naming the file.
"""

from __future__ import annotations

import hashlib
import json
import sys
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from officeq.measure.files import atomic_write, fsync_dir, fsync_file

MANIFEST = "manifest.json"
FORMAT = 1
KINDS = ("run", "sweep", "staffing", "forecast", "export")
COMMANDS = {
    "run": "officeq run --out",
    "sweep": "officeq sweep",
    "staffing": "officeq staff --out",
    "forecast": "officeq forecast",
    "export": "officeq export --csv",
}


class ManifestError(ValueError):
    """A folder whose manifest is missing, invalid, or does not match its files."""


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(folder: Path, kind: str, names: Iterable[str], runs: int, **info: Any) -> Path:
    """Write ``folder/manifest.json`` listing ``names`` (already written), atomically."""
    # the package's version; the package is loaded whenever this module is (no import
    # statement: officeq/__init__ names the API, which would close an import circle)
    version = sys.modules["officeq"].__version__
    files = {}
    for n in names:
        fsync_file(folder / n)  # the data is on disk before the manifest says so
        files[n] = {"bytes": (folder / n).stat().st_size, "sha256": sha256(folder / n)}
    doc = {
        "officeq": version,
        "format": FORMAT,
        "kind": kind,
        "id": uuid.uuid4().hex,
        "runs": runs,
        **info,
        "files": files,
    }
    text = json.dumps(doc, indent=2, allow_nan=False) + "\n"
    path = atomic_write(folder / MANIFEST, lambda p: p.write_text(text, encoding="utf-8"))
    fsync_dir(folder)
    return path


def remove_manifest(folder: Path) -> None:
    """Remove the manifest before rewriting a folder in place: until the new one is
    written, readers refuse the folder instead of reading a mix."""
    path = folder / MANIFEST
    if path.exists():
        path.unlink()
        fsync_dir(folder)


def read_manifest(folder: Path) -> dict[str, Any]:
    """The folder's manifest, checked for shape; :class:`ManifestError` otherwise."""
    path = folder / MANIFEST
    if (path.exists() or path.is_symlink()) and not path.is_file():
        raise ManifestError(f"{path}: not a file")  # a folder, or a pipe that would hang
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path}: missing") from None
    except (OSError, ValueError) as e:
        raise ManifestError(f"{path}: not valid JSON ({one_line(e)})") from None
    problem = _shape_problem(doc)
    if problem:
        raise ManifestError(f"{path}: not a valid officeq manifest ({problem})")
    return doc


def _shape_problem(doc: Any) -> str | None:
    if not isinstance(doc, dict):
        return "not a JSON object"
    if doc.get("format") != FORMAT:
        return f"format {doc.get('format')!r}, this officeq reads format {FORMAT}"
    if doc.get("kind") not in KINDS:
        return f"kind {doc.get('kind')!r} is not one of {', '.join(KINDS)}"
    if not isinstance(doc.get("id"), str):
        return "no id"
    runs = doc.get("runs")
    if not isinstance(runs, int) or isinstance(runs, bool) or runs < 0:
        return f"runs {runs!r} is not a count"
    files = doc.get("files")
    if not isinstance(files, dict):
        return "no files"
    for name, entry in files.items():
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("bytes"), int)
            or not isinstance(entry.get("sha256"), str)
            or Path(name).name != name
        ):
            return f"entry {name!r} has no plain name, bytes and sha256"
    return None


def check_files(folder: Path, manifest: dict[str, Any], names: Iterable[str]) -> None:
    """Each of ``names`` is listed in the manifest and matches it in size and SHA-256."""
    files = manifest["files"]
    for name in names:
        path = folder / name
        if name not in files:
            raise ManifestError(f"{path}: not listed in {MANIFEST} (the folder is not whole)")
        if not path.is_file():
            raise ManifestError(f"{path}: missing, though {MANIFEST} lists it")
        want = files[name]
        size = path.stat().st_size
        if size != want["bytes"]:
            raise ManifestError(
                f"{path}: {size} bytes where {MANIFEST} says {want['bytes']}: the file was "
                "truncated or changed, or comes from another write"
            )
        if sha256(path) != want["sha256"]:
            raise ManifestError(
                f"{path}: its SHA-256 is not the one in {MANIFEST}: the file was changed, "
                "or comes from another write"
            )


def one_line(e: BaseException, limit: int = 160, drop: str = "") -> str:
    """An exception's message on one line, without ``drop``, shortened."""
    text = " ".join(str(e).replace(drop, "").split()) if drop else " ".join(str(e).split())
    text = text or type(e).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
