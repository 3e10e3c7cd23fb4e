"""Reading a planner's CSV and Parquet tables, with one-line errors.

Every reader here checks what it reads and refuses bad data with a
:class:`DataError`: one line naming the file, the column and the first bad
line (a header counts as line 1, as in a spreadsheet). Timestamps are ISO 8601
local time (``2025-03-03T08:15:00``; a space instead of ``T`` and dates without a
time are read too); a zone designator is accepted only when every value of the
column carries the same one (its local time is used), mixed zones are refused.
The ``parse_*`` functions are the one set of column parsers every reader uses.

:func:`read_table` is the one way in for every file: nothing can exhaust memory,
as a file over :data:`MAX_FILE_BYTES`, with more than :data:`MAX_ROWS` rows or
with a line over 1 MiB is refused before it is read in full (a CSV is read in
chunks; a Parquet file's row count and unpacked size come from its footer).
"""

from __future__ import annotations

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


def first_line(mask: np.ndarray | pd.Series) -> int:
    """The file line of the first True in ``mask`` (the header is line 1)."""
    return int(np.flatnonzero(np.asarray(mask))[0]) + 2


def parse_times(col: pd.Series, name: str, column: str, dates: bool = False) -> pd.Series:
    """ISO 8601 local timestamps (null allowed) as naive ``datetime64``; a zone
    designator is accepted only when every value carries the same one."""
    if pd.api.types.is_datetime64_any_dtype(col):
        return col.astype("datetime64[ns]")
    text = col.astype("string").str.strip()
    present = text.notna().to_numpy()
    zone = text.str.extract(r"(Z|[+-]\d\d:?\d\d)$", expand=False)
    zoned = zone.notna().to_numpy() & present
    if zoned.any():
        first_zone = zone[zoned].iloc[0]
        differs = present & (zone.fillna("").to_numpy() != first_zone)
        if differs.any():
            row = first_line(differs)
            raise DataError(
                f"{name}: column '{column}' mixes time zones: line {row} "
                f"({text.iloc[row - 2]!r}) differs from {first_zone!r}; use one local time"
            )
        text = text.str.slice(0, -len(first_zone))
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
    bad = present & parsed.isna().to_numpy()
    if bad.any():
        row = first_line(bad)
        raise DataError(
            f"{name}: column '{column}', line {row}: {text.iloc[row - 2]!r} is not an "
            f"ISO 8601 {'date' if dates else 'timestamp'} (like 2025-01-06T08:13:24)"
        )
    return parsed.astype("datetime64[ns]")


def parse_ints(col: pd.Series, name: str, column: str, required: bool) -> pd.Series:
    """Whole numbers (nullable unless ``required``)."""
    num = pd.to_numeric(col, errors="coerce")
    present = col.notna().to_numpy()
    bad = (present & (num.isna().to_numpy() | (num.fillna(0) % 1 != 0).to_numpy())) | (
        required & ~present
    )
    if bad.any():
        row = first_line(bad)
        raise DataError(
            f"{name}: column '{column}', line {row}: {col.iloc[row - 2]!r} is not a whole number"
        )
    return num.astype("Int64")


def parse_choice(
    col: pd.Series, name: str, column: str, allowed: tuple[str, ...], required: bool = False
) -> pd.Series:
    """Text among ``allowed`` (null allowed unless ``required``)."""
    text = col.astype("string").str.strip()
    bad = ((text.notna() | required) & ~text.isin(allowed).fillna(False)).to_numpy()
    if bad.any():
        row = first_line(bad)
        raise DataError(
            f"{name}: column '{column}', line {row}: {text.iloc[row - 2]!r} is not one of "
            f"{', '.join(allowed)}"
        )
    return text


def parse_bools(col: pd.Series, name: str, column: str) -> pd.Series:
    """True/false (``true``, ``false``, ``1``, ``0``, ``yes``, ``no``; null allowed)."""
    if pd.api.types.is_bool_dtype(col):
        return col.astype("boolean")
    text = col.astype("string").str.strip().str.lower()
    mapping = {"true": True, "false": False, "1": True, "0": False, "1.0": True, "0.0": False}
    mapping |= {"yes": True, "no": False}
    bad = (text.notna() & ~text.isin(list(mapping))).to_numpy()
    if bad.any():
        row = first_line(bad)
        raise DataError(
            f"{name}: column '{column}', line {row}: {col.iloc[row - 2]!r} is not true/false"
        )
    return text.map(mapping).astype("boolean")


def parse_numbers(col: pd.Series, name: str, column: str) -> pd.Series:
    """Finite numbers (NaN where empty)."""
    values = pd.to_numeric(col, errors="coerce")
    present = col.notna().to_numpy()
    bad = present & ~np.isfinite(values.to_numpy(dtype=float, na_value=np.nan))
    if bad.any():
        row = first_line(bad)
        raise DataError(
            f"{name}: column '{column}', line {row}: {col.iloc[row - 2]!r} is not a number"
        )
    return values.astype(float)
