"""Writing files and folders so that nothing is ever half-written.

A file is written under a unique temporary name beside its target and moved
into place with one rename (:func:`atomic_write`); the temporary file never
outlives the call. A whole folder is built under a temporary sibling name
and swapped in (:func:`swap_in`): the old folder is renamed aside, the new
one renamed into place, the old one removed. Where a write cannot succeed
(a file in the way, a folder where a file should go, no permission), the
error is :class:`OutputError`, one line naming the path; the checks here can
run before any work starts.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path


class OutputError(ValueError):
    """An output path that cannot be written (said in one line, naming the path)."""


def _reason(e: OSError) -> str:
    return e.strerror or str(e) or type(e).__name__


def _token() -> str:
    return uuid.uuid4().hex[:12]


def _existing_ancestor(path: Path) -> Path:
    """``path`` itself if it exists, else its nearest existing ancestor."""
    p = path
    while not (p.exists() or p.is_symlink()):
        if p.parent == p:
            break
        p = p.parent
    return p


def _probe(folder: Path, target: Path) -> None:
    """Create and remove an empty folder in ``folder``: can we write there at all?"""
    probe = folder / f".officeq-probe-{_token()}"
    try:
        probe.mkdir()
        probe.rmdir()
    except OSError as e:
        raise OutputError(f"{target}: cannot write in {folder} ({_reason(e)})") from None


def check_folder(path: str | Path, *, inside: bool = True) -> None:
    """Raise :class:`OutputError` unless ``path`` can become (or is) a writable folder.

    ``inside``: files will be written inside an existing ``path`` (else only
    beside it, as when a folder is swapped in). Nothing is left behind.
    """
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise OutputError(f"{p}: is a file; --out must be a folder")
    if p.is_dir():
        _probe(p if inside else _existing_ancestor(p.parent), p)
        return
    anc = _existing_ancestor(p.parent)
    if not anc.is_dir():
        raise OutputError(f"{p}: cannot create it: {anc} is a file, not a folder")
    _probe(anc, p)


def check_file(path: str | Path) -> None:
    """Raise :class:`OutputError` unless a file can be written at ``path``."""
    p = Path(path)
    if p.is_dir():
        raise OutputError(f"{p}: is a folder; --out takes a file name")
    anc = _existing_ancestor(p.parent)
    if not anc.is_dir():
        raise OutputError(f"{p}: cannot create it: {anc} is a file, not a folder")
    _probe(anc, p)


def fsync_file(path: Path) -> None:
    """Flush a written file to disk (so a later rename never exposes a hollow file)."""
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (renames, removals) to disk; a no-op where unsupported."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def make_parent(path: Path) -> None:
    """Create ``path``'s parent folders, or raise :class:`OutputError` naming ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{path}: cannot create its folder ({_reason(e)})") from None


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write`` on a temporary file beside ``path``, then move it into place.

    The temporary name is unique, so two writers never share it, and it is
    removed whatever happens. A ``path`` that is a folder, or whose folder
    cannot be created, raises :class:`OutputError` before ``write`` runs.
    """
    out = Path(path)
    if out.is_dir():
        raise OutputError(f"{out}: is a folder; give a file name")
    make_parent(out)
    tmp = out.with_name(f".{out.name}.{_token()}.tmp")
    try:
        write(tmp)
        fsync_file(tmp)
        os.replace(tmp, out)
    except OSError as e:
        raise OutputError(f"{out}: cannot write it ({_reason(e)})") from None
    finally:
        tmp.unlink(missing_ok=True)
    return out


def write_text(path: str | Path, text: str) -> Path:
    """Write a text file atomically."""
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def new_sibling(out: Path) -> Path:
    """A fresh, empty, hidden folder beside ``out`` to build its next version in."""
    make_parent(out)
    tmp = out.parent / f".{out.name}.{_token()}.new"
    try:
        tmp.mkdir()
    except OSError as e:
        raise OutputError(f"{out}: cannot write beside it ({_reason(e)})") from None
    return tmp


def swap_in(new: Path, out: Path) -> None:
    """Replace the folder ``out`` (if any) by the folder ``new``: two renames.

    At every moment ``out`` is either the old folder whole, absent, or the
    new folder whole. The old folder is removed after the swap.
    """
    fsync_dir(new)
    if out.exists() or out.is_symlink():
        old = out.parent / f".{out.name}.{_token()}.old"
        os.replace(out, old)
        try:
            os.replace(new, out)
        except OSError:
            os.replace(old, out)
            raise
        fsync_dir(out.parent)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, out)
        fsync_dir(out.parent)
