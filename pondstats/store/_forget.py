"""Erasure: one person removed from every table of the store, and the record of it."""

from __future__ import annotations

import pandas as pd

from pondstats.errors import InputError
from pondstats.store._schema import run

__all__ = ["erase"]


def erase(con, phone: str) -> dict[str, int]:
    """Delete the rows of the customer with ``phone`` in one transaction.

    Visits, deposits, rejected rows, deposit events and conflicts, in every
    row version; a row of ``erasures`` records the date and the counts (never
    the number). :meth:`Store.forget` checks the store is writable first.
    """
    from pondstats.clean import normalize_phone

    key = normalize_phone(pd.Series([str(phone)], dtype="str")).iloc[0]
    if pd.isna(key):
        raise InputError(f"phone={phone!r} is not a phone number")
    counts = {}
    run(con, "BEGIN TRANSACTION")
    try:
        for t in ("visits", "deposits"):
            counts[t] = run(
                con,
                f"DELETE FROM {t} WHERE customer_key = ? OR phone = ?",
                [key, key],
            )[0][0]
        counts["rejected"] = run(
            con,
            "DELETE FROM rejected WHERE customer_key = ? OR contains(raw, ?)",
            [key, key],
        )[0][0]
        counts["events"] = run(
            con, "DELETE FROM deposit_events WHERE customer_key = ?", [key]
        )[0][0]
        counts["conflicts"] = run(
            con,
            "DELETE FROM conflicts WHERE customer_key = ? OR value = ? OR other = ?",
            [key, key, key],
        )[0][0]
        run(
            con,
            "INSERT INTO erasures VALUES (current_localtimestamp(), ?, ?, 0, ?, ?, ?)",
            [
                counts["visits"],
                counts["deposits"],
                counts["rejected"],
                counts["events"],
                counts["conflicts"],
            ],
        )
        run(con, "COMMIT")
    except BaseException:
        run(con, "ROLLBACK")
        raise
    return {k: int(v) for k, v in counts.items()}
