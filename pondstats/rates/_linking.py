"""Linking C-cards to A-cards, and the input checks of the funnel functions.

Re-exported by :mod:`pondstats.rates._close`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from pondstats._checks import check_frame
from pondstats.clean import customer_codes
from pondstats.errors import DataQualityWarning, InputError

#: Warn when more than this share of the (not cancelled) deposits has no A-card.
UNLINKED_WARN_SHARE = 0.2
#: ... and at least this many.
UNLINKED_WARN_MIN = 10
#: Keys besides ``customer_key`` that link a deposit to a visit, when both
#: tables carry them (the visit id only links when it is on the order).
LINK_KEYS = ("phone", "customer_id", "visit_id")

__all__ = ["link_deposits"]

# ---------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------


def _as_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def _require(df: pd.DataFrame, cols: Sequence[str], what: str) -> None:
    check_frame(
        df,
        what,
        cols,
        fix=f"Read and clean the export first: ps.clean_{what}(ps.read_{what}(path)).data.",
    )


def _check_status(deposits: pd.DataFrame) -> pd.Series:
    """``deposits["status"]`` as text; InputError for a word cleaning would map."""
    status = deposits["status"].astype("str")
    unknown = ~status.isin(["active", "cancelled", "delivered"]) & status.notna()
    if unknown.any():
        raise InputError(
            f"deposits['status'] must be active, cancelled or delivered; found "
            f"{sorted(status[unknown].unique())[:5]}. Clean the table with "
            "ps.clean_deposits, which maps 退订/已交车/... to these words."
        )
    return status


def _check_by(visits: pd.DataFrame, by: list[str]) -> None:
    missing = [c for c in by if c not in visits.columns]
    if missing:
        raise InputError(
            f"cannot group by {missing}: visits has no such column; "
            f"available: {list(visits.columns)}. Use e.g. by='region' or "
            "by=['region', 'consultant']."
        )


def _dates(s: pd.Series, name: str) -> pd.Series:
    if not pd.api.types.is_datetime64_any_dtype(s):
        raise InputError(
            f"{name} must be datetime64, found dtype {s.dtype}. Clean the table "
            "first (ps.clean_visits / ps.clean_deposits) or pd.to_datetime it."
        )
    return s


# ---------------------------------------------------------------------------
# linking
# ---------------------------------------------------------------------------


def _shared_codes(v: pd.Series, d: pd.Series) -> tuple[np.ndarray, np.ndarray, int]:
    """Dense int codes of two key columns (visits first, by first appearance).

    Arrow-backed keys become int64 numbers first (digit keys parsed, other
    keys factorised: :func:`pondstats.clean.customer_codes`), so ten
    million phone numbers are hashed as integers, not strings.
    """
    nums = np.concatenate(customer_codes(v, d))
    codes = np.full(len(nums), -1, dtype="int64")
    ok = nums != -1
    dense, uniques = pd.factorize(nums[ok])
    codes[ok] = dense
    return codes[: len(v)], codes[len(v) :], len(uniques)


def _key_codes(
    visits: pd.DataFrame, deposits: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Customer codes of visits and deposits, and each customer's first visit.

    One hash pass over both key columns (no string index look-ups). Returns
    ``(visit_codes, deposit_codes, first_pos)``: codes are -1 for a missing
    key; ``first_pos[code]`` is the row position in ``visits`` of that
    customer's first visit (the ``visit_no == 1`` row, the earliest if there
    are several; else the earliest visit, as the export may start after the
    first visit), -1 for customers with no visit.
    """
    codes, dcodes, n_keys = _shared_codes(
        visits["customer_key"], deposits["customer_key"]
    )
    vno = visits["visit_no"].to_numpy(dtype="float64", na_value=np.nan)
    date = visits["visit_date"].to_numpy(dtype="datetime64[ns]").view("int64")
    known = codes >= 0
    f_idx = np.flatnonzero((vno == 1) & known)
    f_codes = codes[f_idx]
    count = np.bincount(f_codes, minlength=n_keys)
    pos = np.full(n_keys, -1, dtype="int64")
    pos[f_codes] = f_idx  # O(n); exact when a customer has one first visit
    # rare cases, sorted on their own rows only: several visit_no == 1 rows
    # (earliest wins), or none in the export (the earliest visit is the first)
    several = f_idx[count[f_codes] > 1]
    none = np.flatnonzero(known & (count[np.maximum(codes, 0)] == 0))
    for rows in (several, none):
        if len(rows):
            order = rows[np.lexsort((date[rows], codes[rows]))]
            c = codes[order]
            head = np.r_[True, c[1:] != c[:-1]]
            pos[c[head]] = order[head]
    return codes, dcodes, pos


def _link_by(
    v: pd.Series, d: pd.Series, target: np.ndarray, pos: np.ndarray
) -> np.ndarray:
    """``pos`` with unlinked deposits (-1) filled through one more shared key.

    ``target[i]`` is the first-visit position of visit row ``i``'s customer.
    """
    vnum, dnum = customer_codes(v.astype("str"), d.astype("str"))
    valid = (vnum != -1) & (target >= 0)
    if not valid.any():
        return pos
    keys, vals = vnum[valid], target[valid]
    uniq, first = np.unique(keys, return_index=True)
    at = np.minimum(np.searchsorted(uniq, dnum), len(uniq) - 1)
    found = (dnum != -1) & (uniq[at] == dnum)
    cand = np.where(found, vals[first[at]], -1)
    return np.where((pos < 0) & (cand >= 0), cand, pos)


def _warn_unlinked(deposits: pd.DataFrame, linked: np.ndarray, keys: list[str]) -> None:
    live = (deposits["status"].astype("str") != "cancelled").to_numpy()
    n, k = int(live.sum()), int((live & ~linked).sum())
    _warn_unlinked_counts(n, k, keys, stacklevel=4)


def _warn_unlinked_counts(n: int, k: int, keys: list[str], *, stacklevel: int) -> None:
    """The warning of :func:`_warn_unlinked`: ``k`` of ``n`` live deposits unlinked."""
    if k >= UNLINKED_WARN_MIN and k > UNLINKED_WARN_SHARE * n:
        warnings.warn(
            f"{k} of {n} deposits ({k / n:.0%}) have no A-card: no visit shares "
            f"their customer ({', '.join(keys)}). They count as C-cards but are "
            "'unlinked'; if the visits carry the customer under another column (a "
            "customer id, the visit id on the order), give both tables that column.",
            DataQualityWarning,
            stacklevel=stacklevel,
        )


def link_deposits(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    *,
    by: str | Sequence[str] = "region",
) -> pd.DataFrame:
    """Attach each deposit (C-card) to its customer's first visit (A-card).

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned canonical tables (``customer_key``, ``visit_date``,
        ``visit_no`` / ``customer_key``, ``deposit_date``, ``status``).
    by : str or list of str, default "region"
        Group columns to attribute: the deposit's own value where it has one,
        else the value on the customer's first visit.

    Notes
    -----
    A deposit links through every key the two tables share: ``customer_key``
    first, then ``phone``, ``customer_id`` and ``visit_id`` (the visit id on
    the order) where both tables have that column. A
    :class:`~pondstats.DataQualityWarning` gives the share of deposits left
    without an A-card when it is above 20% (and at least 10).

    Returns
    -------
    DataFrame
        A copy of ``deposits`` with the ``by`` columns filled as described,
        plus ``linked`` (the customer has an A-card), ``first_visit_id`` and
        ``first_visit_date`` (missing when not linked). The input is not
        changed.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats import link_deposits
    >>> v = pd.DataFrame({"visit_id": ["v1", "v2"], "customer_key": ["a", "b"],
    ...     "visit_date": pd.to_datetime(["2026-01-03", "2026-01-05"]),
    ...     "visit_no": [1, 1], "region": ["东湖区", "西湖区"]})
    >>> d = pd.DataFrame({"deposit_id": ["d1", "d2"], "customer_key": ["a", "z"],
    ...     "deposit_date": pd.to_datetime(["2026-01-20", "2026-01-21"]),
    ...     "status": ["active", "active"], "region": [None, None]})
    >>> link_deposits(v, d)[["deposit_id", "region", "linked", "first_visit_id"]]
      deposit_id region  linked first_visit_id
    0         d1    东湖区    True             v1
    1         d2    NaN   False            NaN
    """
    by_cols = _as_list(by)
    _require(visits, ["customer_key", "visit_date", "visit_no"], "visits")
    _require(deposits, ["customer_key", "deposit_date", "status"], "deposits")
    _check_by(visits, by_cols)
    _dates(visits["visit_date"], "visits['visit_date']")
    _dates(deposits["deposit_date"], "deposits['deposit_date']")
    codes, dcodes, first_pos = _key_codes(visits, deposits)
    pos = np.where(dcodes >= 0, first_pos[np.maximum(dcodes, 0)], -1)
    keys = ["customer_key"]
    if (pos < 0).any() and len(visits):
        # every other key both tables share: a phone, a customer id, the visit id
        target = np.where(codes >= 0, first_pos[np.maximum(codes, 0)], -1)
        target = np.where(target >= 0, target, np.arange(len(visits)))
        for col in LINK_KEYS:
            if col in visits.columns and col in deposits.columns:
                keys.append(col)
                pos = _link_by(visits[col], deposits[col], target, pos)
    linked = pos >= 0
    _warn_unlinked(deposits, linked, keys)
    take = np.maximum(pos, 0)
    out = deposits.copy()
    out["linked"] = linked
    extra = {"first_visit_date": "visit_date"}
    if "visit_id" in visits.columns:
        extra["first_visit_id"] = "visit_id"
    for col in by_cols:
        src = visits[col].take(take).where(linked, None) if len(visits) else None
        borrowed = pd.Series(
            src.to_numpy() if src is not None else np.full(len(out), np.nan),
            index=out.index,
            dtype=visits[col].dtype,
        )
        if col in out.columns:
            out[col] = out[col].astype(visits[col].dtype).fillna(borrowed)
        else:
            out[col] = borrowed
    for new, col in extra.items():
        vals = (
            visits[col].take(take).to_numpy()
            if len(visits)
            else np.full(len(out), np.nan)
        )
        out[new] = pd.Series(vals, index=out.index, dtype=visits[col].dtype).where(
            linked
        )
    return out


def _period_of(dates: pd.Series, period: str | None) -> pd.Series | None:
    if period is None:
        return None
    try:
        return dates.dt.to_period(period)
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"period must be a pandas period frequency such as 'M' (month), "
            f"'Q' or 'Y', or None for the whole range; got {period!r}."
        ) from exc
