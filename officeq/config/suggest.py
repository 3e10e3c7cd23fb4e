"""'Did you mean ...?' for misspelt names: config and spec fields, metrics, plot kinds.

:func:`did_you_mean` finds the closest name (:func:`difflib.get_close_matches`);
:func:`field_names` lists the fields a config or spec section may hold, found by
walking the pydantic models along an error's location, so a new field anywhere
in the schema is suggested without a list to keep up to date.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel


def did_you_mean(word: object, choices: Iterable[object]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices``, or ``""`` if none is close."""
    names = [str(c) for c in choices]
    match = difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation may hold (through Optional, unions, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        out += models_in(arg)
    return out


def _containers(annotation: Any) -> list[Any]:
    """The value types of the mappings and sequences an annotation may be."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (dict, typing.Mapping) or (
        isinstance(origin, type) and issubclass(origin, dict | typing.Mapping)  # type: ignore[arg-type]
    ):
        return [args[-1]] if args else []
    if origin in (list, tuple, typing.Sequence) or (
        isinstance(origin, type) and issubclass(origin, list | tuple)
    ):
        return [a for a in args if a is not Ellipsis]
    out: list[Any] = []
    for arg in args:
        out += _containers(arg)
    return out


def field_names(model: type[BaseModel], loc: Sequence[object]) -> list[str]:
    """The fields (and aliases) allowed at ``loc`` (the section's path) in ``model``;
    empty where the path leads to no model."""
    current: list[Any] = [model]
    for step in loc:
        nxt: list[Any] = []
        for ann in current:
            for m in models_in(ann):
                if isinstance(step, str) and step in m.model_fields:
                    nxt.append(m.model_fields[step].annotation)
                for f in m.model_fields.values():  # a field by its alias
                    if f.alias == step:
                        nxt.append(f.annotation)
            nxt += _containers(ann)  # a key or index into a mapping or list
        current = nxt
    names: list[str] = []
    for ann in current:
        for m in models_in(ann):
            names += [f.alias or n for n, f in m.model_fields.items()]
    return list(dict.fromkeys(names))
