"""Reading a planner's CSV and Parquet tables, with one-line errors.

Every reader here checks what it reads and refuses bad data with a
:class:`DataError`: one line naming the file, the column and the first bad
line (a header counts as line 1, as in a spreadsheet). Timestamps are ISO 8601
local time (``2025-03-03T08:15:00``; a space instead of ``T`` and dates without a
time are read too); a time zone offset is refused, as are mixed ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

MAX_FILE_BYTES = 2 * 1024**3
"""Largest input file read (2 GiB): about 20 million event rows."""


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


def read_table(path: str | Path, required: Iterable[str], what: str) -> pd.DataFrame:
    """Read a CSV (all columns as text) or Parquet file and check its columns."""
    import pandas as pd

    p = Path(path)
    if not p.is_file():
        raise DataError(f"{p}: {what} not found")
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DataError(f"{p}: {size / 1024**3:.1f} GiB is more than the 2 GiB officeq reads")
    try:
        if p.suffix.lower() == ".parquet":
            frame = pd.read_parquet(p)
        else:
            frame = pd.read_csv(p, dtype=str, keep_default_na=False, na_values=[""])
    except (ValueError, OSError, UnicodeDecodeError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise DataError(f"{p}: cannot read it as a {what} ({first})") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(
            f"{p}: column {missing[0]!r} is missing (a {what} needs {', '.join(required)})"
        )
    return frame


def timestamps(frame: pd.DataFrame, column: str, path: str | Path) -> pd.Series:
    """A column as naive local timestamps (NaT where empty), or a :class:`DataError`."""
    import pandas as pd

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
    import numpy as np
    import pandas as pd

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
    import pandas as pd

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
