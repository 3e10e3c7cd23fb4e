"""Reading a planner's CSV and Parquet tables, with one-line errors.

Every reader here checks what it reads and refuses bad data with a
:class:`DataError`: one line naming the file, the column and the first bad
line (a header counts as line 1, as in a spreadsheet). Timestamps are ISO 8601
local time (``2025-03-03T08:15:00``; a space instead of ``T`` and dates without a
time are read too); a time zone offset is refused, as are mixed ones.

:func:`read_table` is the one way in for every file: nothing can exhaust memory,
as a file over :data:`MAX_FILE_BYTES`, with more than :data:`MAX_ROWS` rows or
with a line over 1 MiB is refused before it is read in full (a CSV is read in
chunks; a Parquet file's row count and unpacked size come from its footer).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

MAX_FILE_BYTES = 2 * 1024**3
"""Largest input file read (2 GiB): about 20 million event rows."""
MAX_ROWS = 5_000_000
"""Most rows read from one file."""
MAX_LINE_BYTES = 1024**2
"""Longest CSV line (1 MiB): a file without line breaks is refused, not buffered."""
MAX_UNPACKED = 8 * 1024**3
"""Most bytes the columns read from a Parquet file may take unpacked."""
CHUNK_ROWS = 200_000
BLOCK = 16 * 1024**2


class DataError(ValueError):
    """Bad input data, said in one line naming the file, the column and the line."""


def where(path: str | Path, column: str | None = None, index: int | None = None) -> str:
    """``file``, ``file: column 'x'`` or ``file: column 'x', line N``."""
    text = str(path)
    if column is not None:
        text += f": column {column!r}"
    if index is not None:
        text += f", line {index + 2}"
    return text


def read_table(path: str | Path, columns: tuple[str, ...], optional: tuple[str, ...] = ()):
    """Read ``columns`` (all required) and ``optional`` ones of a CSV or Parquet file,
    as strings/objects, refusing files too big to read safely."""
    p = Path(path)
    name = str(path)
    if not p.is_file():
        raise DataError(f"{name}: file not found")
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DataError(
            f"{name}: {size / 1024**3:.1f} GiB is more than the "
            f"{MAX_FILE_BYTES / 1024**3:g} GiB officeq reads"
        )
    if p.suffix.lower() in (".parquet", ".pq"):
        return _read_parquet(p, name, columns, optional)
    if p.suffix.lower() != ".csv":
        raise DataError(f"{name}: expected a .csv or .parquet file")
    _check_lines(p, name)
    try:
        header = pd.read_csv(p, nrows=0, encoding="utf-8").columns
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as e:
        raise DataError(f"{name}: not a readable CSV file ({str(e).splitlines()[0]})") from None
    _check_columns(name, list(header), columns)
    keep = [c for c in (*columns, *optional) if c in header]
    chunks, rows = [], 0
    try:
        reader = pd.read_csv(
            p,
            usecols=keep,
            dtype=str,
            keep_default_na=False,
            chunksize=CHUNK_ROWS,
            encoding="utf-8",
        )
        for chunk in reader:
            rows += len(chunk)
            if rows > MAX_ROWS:
                raise DataError(f"{name}: more than {MAX_ROWS:,} rows; split the period")
            chunks.append(chunk)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as e:
        if isinstance(e, DataError):
            raise
        raise DataError(f"{name}: not a readable CSV file ({str(e).splitlines()[0]})") from None
    table = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=keep)
    return table.replace("", None)


def _check_lines(p: Path, name: str) -> None:
    """Refuse a CSV with a line longer than :data:`MAX_LINE_BYTES` (read in blocks,
    up to the row cap), so the parser never buffers a runaway line."""
    line, run, seen = 1, 0, 0
    with p.open("rb") as f:
        while block := f.read(BLOCK):
            breaks = np.flatnonzero(np.frombuffer(block, np.uint8) == 10)
            edges = np.concatenate([[-1], breaks, [len(block)]])
            gaps = np.diff(edges) - 1
            gaps[0] += run
            long = np.flatnonzero(gaps[:-1] > MAX_LINE_BYTES) if breaks.size else []
            if len(long) or gaps[-1] > MAX_LINE_BYTES:
                at = line + (int(long[0]) if len(long) else breaks.size)
                raise DataError(f"{name}: line {at} is longer than 1 MiB; is it a CSV file?")
            run = int(gaps[-1]) if breaks.size else run + len(block)
            line += breaks.size
            seen += breaks.size
            if seen > MAX_ROWS + 1:
                return


def _read_parquet(p: Path, name: str, columns: tuple[str, ...], optional: tuple[str, ...]):
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(p)
    except Exception as e:  # pyarrow raises several kinds for a damaged file
        raise DataError(f"{name}: not a readable Parquet file ({e})") from None
    header = list(meta.schema_arrow.names)
    _check_columns(name, header, columns)
    if meta.metadata.num_rows > MAX_ROWS:
        raise DataError(f"{name}: more than {MAX_ROWS:,} rows; split the period")
    keep = [c for c in (*columns, *optional) if c in header]
    md = meta.metadata
    unpacked = sum(
        md.row_group(i).column(j).total_uncompressed_size
        for i in range(md.num_row_groups)
        for j in range(md.num_columns)
        if md.schema.column(j).path.split(".")[0] in keep
    )
    if unpacked > MAX_UNPACKED:
        raise DataError(f"{name}: {unpacked / 1024**3:.1f} GiB unpacked is more than officeq reads")
    table = meta.read(columns=keep).to_pandas()
    for c in table.columns:
        col = table[c]
        if isinstance(col.dtype, pd.DatetimeTZDtype):  # one zone: its local time
            table[c] = col.dt.tz_localize(None)
    return table


def _check_columns(name: str, header: list[str], columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(f"{name}: column '{missing[0]}' is missing (columns: {', '.join(columns)})")


def timestamps(frame: pd.DataFrame, column: str, path: str | Path) -> pd.Series:
    """A column as naive local timestamps (NaT where empty), or a :class:`DataError`."""
    raw = frame[column]
    if pd.api.types.is_datetime64_any_dtype(raw):
        if getattr(raw.dt, "tz", None) is not None:
            raise DataError(f"{where(path, column)}: has a time zone; give local times")
        return raw.astype("datetime64[s]")
    text = raw.astype("string").str.strip()
    zoned = text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True, na=False)
    if zoned.any():
        i = int(zoned.to_numpy().argmax())
        raise DataError(
            f"{where(path, column, i)}: {text.iloc[i]!r} has a time zone "
            "(mixed or zoned times are refused; give local times)"
        )
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
    bad = parsed.isna() & text.notna() & (text != "")
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(f"{where(path, column, i)}: {text.iloc[i]!r} is not a timestamp")
    return parsed.astype("datetime64[s]")


def numbers(frame: pd.DataFrame, column: str, path: str | Path, integer: bool = False) -> pd.Series:
    """A numeric column (NaN where empty), or a :class:`DataError`."""
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna() & raw.notna() & (raw.astype("string").str.strip() != "")
    bad |= ~np.isfinite(values.fillna(0))
    if integer:
        bad |= values.notna() & (values.fillna(0) % 1 != 0)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        kind = "a whole number" if integer else "a number"
        raise DataError(f"{where(path, column, i)}: {raw.iloc[i]!r} is not {kind}")
    return values.astype(float)


def flags(frame: pd.DataFrame, column: str, path: str | Path) -> pd.Series:
    """A true/false column (``true``, ``false``, ``1``, ``0``, ``yes``, ``no``)."""
    raw = frame[column]
    if pd.api.types.is_bool_dtype(raw):
        return raw.fillna(False).astype(bool)
    text = raw.astype("string").str.strip().str.lower().fillna("false")
    known = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
    bad = ~text.isin(list(known))
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(f"{where(path, column, i)}: {raw.iloc[i]!r} is not true or false")
    return text.map(known).astype(bool)


def choice(frame: pd.DataFrame, column: str, path: str | Path, allowed: Iterable[str]) -> pd.Series:
    """A text column whose values must be among ``allowed``."""
    allowed = tuple(allowed)
    text = frame[column].astype("string").str.strip()
    bad = ~text.isin(allowed)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(
            f"{where(path, column, i)}: {frame[column].iloc[i]!r} is not one of "
            f"{', '.join(allowed)}"
        )
    return text
