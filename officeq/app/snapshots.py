"""An uploaded snapshot: a zipped ``snapshot/`` folder, unpacked safely and checked.

A snapshot is a folder (``officeq run --snapshot-at`` writes it); a browser
uploads files, so the page takes it as a .zip. Unpacking refuses what could
harm the machine (paths outside the folder, links, more than
:data:`MAX_FILES` files or :data:`MAX_BYTES` bytes unpacked) and finds the
folder that holds ``snapshot.yaml`` (the zip's root or its one folder). Each
refusal is one line naming the zip.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from officeq.config.schema import Config

MAX_FILES = 200
MAX_BYTES = 500_000_000
"""Largest unpacked snapshot (a large office's caseload is a few MB)."""


class SnapshotError(ValueError):
    """An upload that is not a snapshot zip (one line, naming it)."""


def unpack(upload: Path, name: str, into: Path) -> Path:
    """Unpack ``upload`` (shown as ``name``) into the new folder ``into``; the folder
    that holds ``snapshot.yaml``.

    Raises:
        SnapshotError: not a zip, unsafe, too big, or no snapshot in it.
    """
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError):
        raise SnapshotError(f"{name}: not a zip file (zip the snapshot folder)") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_FILES:
            raise SnapshotError(f"{name}: {len(entries):,} files; a snapshot has a few")
        total = sum(e.file_size for e in entries)
        if total > MAX_BYTES:
            raise SnapshotError(f"{name}: {total:,} bytes unpacked is more than a snapshot")
        for e in entries:
            parts = PurePosixPath(e.filename.replace("\\", "/")).parts
            if not parts or e.filename.startswith("/") or ".." in parts or ":" in parts[0]:
                raise SnapshotError(f"{name}: {e.filename!r} points outside the snapshot")
            if stat.S_ISLNK(e.external_attr >> 16):
                raise SnapshotError(f"{name}: {e.filename!r} is a link; zip the files")
        into.mkdir(parents=True)
        try:
            archive.extractall(into)
        except (OSError, zipfile.BadZipFile, EOFError) as e:
            shutil.rmtree(into, ignore_errors=True)
            raise SnapshotError(f"{name}: cannot be unpacked ({e})") from None
    found = sorted(into.rglob("snapshot.yaml"), key=lambda p: len(p.parts))
    if not found:
        raise SnapshotError(
            f"{name}: no snapshot.yaml inside (zip the folder officeq run --snapshot-at wrote)"
        )
    return found[0].parent


def check(folder: Path, name: str, cfg: Config) -> str:
    """Read the snapshot for this office as the forecast will; its date (ISO), or
    :class:`SnapshotError` with the reader's line (file, column, line)."""
    from officeq.data.snapshot import read_snapshot
    from officeq.data.tables import DataError

    try:
        return read_snapshot(folder, cfg)[1].isoformat()
    except DataError as e:
        raise SnapshotError(f"{name}: {str(e).replace(str(folder) + '/', '')}") from None
