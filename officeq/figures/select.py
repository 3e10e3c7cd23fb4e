"""Choosing scenarios for a figure: ``--only`` and ``--highlight``.

A choice is ``COLUMN=VALUE[,VALUE...]`` on a swept column (``staff_caseworkers=20,24``;
the dotted spec path ``staff.caseworkers`` works too, and so does ``scenario=NAME``).
Several choices keep the scenarios that match every one. A column or value that is not
in the results is a ``ValueError`` of one line with the nearest names (difflib).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import pandas as pd

from officeq.figures.common import scenario_order, swept_columns


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    near = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.5)
    if near:
        return f"; did you mean {' or '.join(repr(n) for n in near)}?"
    shown = ", ".join(list(choices)[:12]) + (", ..." if len(choices) > 12 else "")
    return f"; choose from {shown}"


def _value_text(v: object) -> str:
    """A value as typed on the command line (``20`` for 20.0)."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def choose(table: pd.DataFrame, choices: Sequence[str], option: str) -> list[str]:
    """The scenarios (in ``scenario_id`` order) of ``table`` matching every choice.

    Args:
        table: a sweep's daily, runs or summary table (with a ``scenario`` column).
        choices: ``COLUMN=VALUE[,VALUE...]`` strings.
        option: the option's name for messages (``--only``).

    Raises:
        ValueError: a choice is malformed, names an unknown column or value, or no
            scenario matches them all.
    """
    columns = ["scenario", *swept_columns(table)]
    keep = pd.Series(True, index=table.index)
    for text in choices:
        col, sep, values = text.partition("=")
        col = col.strip().replace(".", "_")
        if not sep or not col or not values.strip():
            raise ValueError(f"{option}: {text!r} is not COLUMN=VALUE[,VALUE...]")
        if col not in columns:
            raise ValueError(
                f"{option}: {col!r} is not a swept column{_did_you_mean(col, columns)}"
            )
        have = table[col].map(_value_text)
        known = list(dict.fromkeys(have))
        wanted = [v.strip() for v in values.split(",") if v.strip()]
        for v in wanted:
            if v not in known:
                raise ValueError(f"{option}: {col} has no value {v!r}{_did_you_mean(v, known)}")
        keep &= have.isin(wanted)
    names = set(table.loc[keep, "scenario"].astype(str))
    if not names:
        raise ValueError(f"{option}: no scenario matches {' '.join(choices)}")
    return [n for n in scenario_order(table) if n in names]


def keep_scenarios(table: pd.DataFrame | None, names: Sequence[str]) -> pd.DataFrame | None:
    """``table`` without the rows of other scenarios (None and empty tables as they are)."""
    if table is None or table.empty or "scenario" not in table.columns:
        return table
    return table[table["scenario"].astype(str).isin(set(names))].reset_index(drop=True)
