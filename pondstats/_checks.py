"""Input checks every stage shares, worded one way (pandera and skrub style).

A check names what was expected, what was found and what to do; ``fix`` is
written in the words of the caller's interface (a Python call here: the CLI
never hands user input to these functions unchecked).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from pondstats.errors import InputError

__all__ = ["check_frame", "shown"]


def shown(names: Iterable[Any], *, most: int = 15) -> str:
    """A readable list of names: the first ``most`` and how many more.

    Examples
    --------
    >>> shown(["a", "b"])
    "['a', 'b']"
    >>> shown(range(20), most=3)
    '[0, 1, 2, ... and 17 more]'
    """
    names = list(names)
    head = ", ".join(repr(n) for n in names[:most])
    more = f", ... and {len(names) - most} more" if len(names) > most else ""
    return f"[{head}{more}]"


def check_frame(
    obj: Any, name: str, required: Iterable[str] = (), *, fix: str
) -> pd.DataFrame:
    """``obj`` itself if it is a DataFrame with the ``required`` columns.

    Parameters
    ----------
    obj
        What the caller passed.
    name
        The parameter as the user knows it (``"visits"``, ``"rates"``).
    required
        Columns that must be present.
    fix
        What to do instead, e.g. ``"Clean the export first:
        ps.clean_visits(ps.read_visits(path)).data"``.

    Raises
    ------
    InputError
        When ``obj`` is not a DataFrame or lacks a required column.

    Examples
    --------
    >>> import pandas as pd
    >>> check_frame(pd.DataFrame({"a": [1]}), "t", ["b"], fix="Add b.")
    Traceback (most recent call last):
    ...
    pondstats.errors.InputError: t has no column(s) ['b']; found ['a']. Add b.
    """
    if not isinstance(obj, pd.DataFrame):
        raise InputError(
            f"{name} must be a pandas DataFrame, got {type(obj).__name__}. {fix}"
        )
    missing = [c for c in required if c not in obj.columns]
    if missing:
        raise InputError(
            f"{name} has no column(s) {missing}; found {shown(obj.columns)}. {fix}"
        )
    return obj
