"""One Excel workbook of a results folder: the tables of :func:`export_tables`, one sheet each.

Cells hold numbers, booleans and dates, never numbers as text, and carry Excel's
own number formats, which Excel shows in the reader's locale (Norwegian Excel:
decimal comma, space between thousands): shares as percentages (``0.0%``),
whole numbers as ``#,##0``, other numbers with two decimals (``#,##0.00``), days
as dates (``yyyy-mm-dd``) and months as the month's first day (``yyyy-mm``). In
the long scenario table a row's mean and interval are percentages when its metric
is a share. Each sheet's header row is frozen, its headers are the column names
in words (:func:`plain_header`) and its columns are as wide as their contents
(within limits).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from officeq.experiments.export import export_tables, is_share
from officeq.experiments.folders import Results
from officeq.measure.files import atomic_write

PERCENT = "0.0%"
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
DATE = "yyyy-mm-dd"
MONTH = "yyyy-mm"
MIN_WIDTH, MAX_WIDTH = 8, 45
VALUE_COLUMNS = ("mean", "ci_low", "ci_high", "value")
"""Columns of a long table (one row per metric) whose format follows the row's metric."""
WORDS = {
    "sla": "SLA",
    "ci": "95% CI",
    "p90": "p90",
    "id": "ID",
    "n": "replications",
}


def plain_header(name: str) -> str:
    """A column name in words: ``inquiry_sla_hit_rate`` → ``Inquiry SLA hit rate``."""
    words = [WORDS.get(w, w) for w in str(name).split("_") if w]
    text = " ".join(words) or str(name)
    return text[0].upper() + text[1:]


def _cell(value: Any) -> Any:
    """A value Excel stores as it is: NaN, infinities and missing values as empty cells."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _kind(column: str, series: pd.Series) -> str | None:
    """The number format of a column (None: text or booleans, Excel's own)."""
    if column == "date":
        return DATE
    if column == "month":
        return MONTH
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return None
    if is_share(column):
        return PERCENT
    return INTEGER if pd.api.types.is_integer_dtype(series) else DECIMAL


def _column_values(column: str, series: pd.Series) -> list[Any]:
    """A column's values as Python objects Excel takes (dates as dates)."""
    if column == "date":
        return [None if pd.isna(d) else d.date() for d in pd.to_datetime(series)]
    if column == "month":
        months = pd.to_datetime(series.astype(str) + "-01", format="%Y-%m-%d", errors="coerce")
        return [None if pd.isna(d) else d.date() for d in months]
    return [_cell(v) for v in series.astype(object).where(series.notna(), None).tolist()]


def _row_format(value: Any, fmt: str | None, share: bool) -> str:
    """A long table's value cell: a percentage for a share, else as its column, with
    whole numbers (a count in a run's summary) shown whole."""
    if share:
        return PERCENT
    if fmt is None or (fmt == DECIMAL and isinstance(value, int) and not isinstance(value, bool)):
        return INTEGER if isinstance(value, int) and not isinstance(value, bool) else DECIMAL
    return fmt


def _width(header: str, values: list[Any], fmt: str | None) -> float:
    sample = values[:200]
    if fmt in (DATE, MONTH):
        longest = len(fmt)
    elif fmt in (DECIMAL, INTEGER, PERCENT):
        longest = max((len(f"{v:,.2f}") for v in sample if isinstance(v, int | float)), default=4)
    else:
        longest = max((len(str(v)) for v in sample if v is not None), default=4)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, len(header) + 2, longest + 2)))


def _add_sheet(book: Any, name: str, table: pd.DataFrame) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(title=name)
    headers = [plain_header(c) for c in table.columns]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=False)
    columns = [_column_values(c, table[c]) for c in table.columns]
    formats = [_kind(c, table[c]) for c in table.columns]
    row_share = (
        [is_share(str(m)) for m in table["metric"]]
        if "metric" in table.columns
        else [False] * len(table)
    )
    for i in range(len(table)):
        ws.append([col[i] for col in columns])
    for j, (column, fmt) in enumerate(zip(table.columns, formats, strict=True), start=1):
        per_row = column in VALUE_COLUMNS and "metric" in table.columns
        if fmt is not None or per_row:
            for i, (cell,) in enumerate(
                ws.iter_rows(min_row=2, max_row=len(table) + 1, min_col=j, max_col=j)
            ):
                cell.number_format = _row_format(cell.value, fmt, per_row and row_share[i])
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = _width(headers[j - 1], columns[j - 1], fmt)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def build_workbook(res: Results) -> Any:
    """The workbook of a loaded results folder (an ``openpyxl.Workbook``)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, table in export_tables(res).items():
        _add_sheet(book, name, table)
    book.properties.creator = "officeq"
    return book


def write_workbook(res: Results, path: str | Path) -> Path:
    """Write the workbook of ``res`` to ``path`` (.xlsx) whole or not at all."""
    book = build_workbook(res)
    return atomic_write(path, lambda p: book.save(p))
