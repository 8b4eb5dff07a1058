"""The result types of cleaning: :class:`Cleaned` and :class:`CleanSummary`."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Cleaned", "CleanSummary"]


@dataclass(frozen=True)
class CleanSummary:
    """What cleaning did, row by row: ``rows_read == rows_kept + rows_rejected + duplicates_merged``.

    Attributes
    ----------
    kind : str
        ``visits``, ``deposits`` or ``spend``.
    rows_read, rows_kept, rows_rejected, duplicates_merged : int
        The accounting.
    rejected_by_reason : dict
        Reason -> number of rejected rows.
    encoding : str or None
        The encoding the file was read with (None when not read from a file).
    notes : dict
        Values changed but rows kept (e.g. a phone that is no phone number set
        to missing) -> count.
    conflicts : int
        Copies that disagree and were not merged (deposits: one order number
        on two customers, or two amounts for one order); listed in
        ``Cleaned.conflicts``.
    """

    kind: str
    rows_read: int
    rows_kept: int
    rows_rejected: int
    duplicates_merged: int
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    encoding: str | None = None
    notes: dict[str, int] = field(default_factory=dict)
    conflicts: int = 0

    def __post_init__(self) -> None:
        total = self.rows_kept + self.rows_rejected + self.duplicates_merged
        if total != self.rows_read:  # a bug, not bad input
            raise AssertionError(
                f"cleaning lost rows: {self.rows_read} read, {total} accounted"
            )

    def __str__(self) -> str:
        enc = f", encoding {self.encoding}" if self.encoding else ""
        lines = [
            f"{self.kind}: {self.rows_read} rows read{enc}",
            f"  kept:              {self.rows_kept}",
            f"  rejected:          {self.rows_rejected}",
        ]
        lines += [f"    {reason}: {n}" for reason, n in self.rejected_by_reason.items()]
        lines.append(f"  duplicates merged: {self.duplicates_merged}")
        if self.conflicts:
            lines.append(
                f"  conflicts:         {self.conflicts} (not merged; see .conflicts)"
            )
        if self.notes:
            lines.append("  kept with changes:")
            lines += [f"    {note}: {n}" for note, n in self.notes.items()]
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """The accounting as a two-column table (``item``, ``rows``).

        Examples
        --------
        >>> from pondstats.clean import CleanSummary
        >>> s = CleanSummary("visits", 5, 3, 1, 1, {"no visit date": 1})
        >>> s.to_frame()["rows"].tolist()
        [5, 3, 1, 1, 1]
        """
        items = [("rows read", self.rows_read), ("rows kept", self.rows_kept)]
        items.append(("rows rejected", self.rows_rejected))
        items += [(f"  rejected: {r}", n) for r, n in self.rejected_by_reason.items()]
        items.append(("duplicates merged", self.duplicates_merged))
        if self.conflicts:
            items.append(("conflicts (not merged)", self.conflicts))
        items += [(f"  changed: {k}", n) for k, n in self.notes.items()]
        return pd.DataFrame(items, columns=["item", "rows"]).astype({"rows": "int64"})


def _no_conflicts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            c: pd.Series(dtype="str")
            for c in ("deposit_id", "customer_key", "field", "value", "other")
            + ("rows", "resolution")
        }
    )


@dataclass(frozen=True)
class Cleaned:
    """The result of cleaning: ``data``, ``rejected`` (with ``row`` and ``reason``), ``summary``.

    ``conflicts`` lists the copies that disagree and were not merged (for
    deposits: ``deposit_id, customer_key, field, value, other, rows,
    resolution``); it is empty for visits and spend. Unpacking gives the
    first three: ``data, rejected, summary = res``.
    """

    data: pd.DataFrame
    rejected: pd.DataFrame
    summary: CleanSummary
    conflicts: pd.DataFrame = field(default_factory=_no_conflicts)

    def __iter__(self):
        return iter((self.data, self.rejected, self.summary))
