"""Honest denominators: which consultants or stores register mostly the buyers?

Analysts complain that consultants register only the visitors who buy
("selective compliance"): the A-cards then hold few lost prospects and the
close rate looks high. A store that converts well has buyers whose first
visit came days before the deposit; a store that logs badly registers the
customer on the day of the deposit. :func:`logging_audit` looks, per
consultant or store, at three signals against the pooled *peers* (every
other group):

1. the share of C-cards whose customer had no A-card before the deposit day
   (first registered on the deposit day, or never);
2. first visits (A-cards) per working day (a day with any registration);
3. the close rate (C-cards / A-cards).

Signals 1 and 3 are exact one-sided binomial tests of the group's counts
against ``ratio`` times the peers' rate (a credibly *far* higher rate, not
just a higher one), with Benjamini-Hochberg control across the groups. A
group is ``suspect`` only when signal 1 is credible and signal 3 is credible
or its visits per working day are below half the peers' median; a group with
fewer than ``min_deposits`` C-cards or ``min_a_cards`` A-cards gets no
verdict at all (``too_few``): never a verdict on a person from too little
data.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from pondstats.errors import InputError
from pondstats.rates._invites import _first_dates, _lookup_dates
from pondstats.rates._linking import _as_list, _check_by, _dates, _require
from pondstats.rates.stats import adjust_pvalues
from pondstats.vocab import word

__all__ = ["AUDIT_VERDICTS", "logging_audit"]

#: ``verdict`` values of :func:`logging_audit`.
AUDIT_VERDICTS: tuple[str, ...] = ("suspect", "no_sign", "too_few")


def _pvalue_above(k: np.ndarray, n: np.ndarray, p0: np.ndarray) -> np.ndarray:
    """Exact one-sided binomial p-value of H0 "rate <= p0" (NaN where n == 0)."""
    k = np.minimum(k, n)
    with np.errstate(invalid="ignore"):
        p = stats.binom.sf(k - 1, n, np.clip(p0, 0.0, 0.999))
    return np.where(n > 0, p, np.nan)


def _leave_one_out(k: np.ndarray, n: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return (k.sum() - k) / (n.sum() - n)


def logging_audit(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    *,
    by: str | Sequence[str] = "consultant",
    ratio: float = 1.5,
    alpha: float = 0.05,
    min_deposits: int = 20,
    min_a_cards: int = 40,
    lang: str = "zh",
) -> pd.DataFrame:
    """Check per consultant (or store) whether the A-cards are logged honestly.

    See the module notes for the three signals and the tests. The C-cards are
    the deposits that are not cancelled, attributed as in
    :func:`pondstats.close_rates` (the deposit's own consultant or store, else
    the first visit's).

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned tables with ``customer_key``, ``visit_date``, ``visit_no`` /
        ``customer_key``, ``deposit_date``, ``status`` and the ``by`` column.
    by : str or list of str, default "consultant"
        The groups audited (``"consultant"`` or ``"store"``).
    ratio : float, default 1.5
        "Far above peers": the tests' null hypothesis is a rate of at most
        ``ratio`` times the peers' rate.
    alpha : float, default 0.05
        False discovery rate of each signal across the groups.
    min_deposits, min_a_cards : int, default 20, 40
        Groups with fewer C-cards or A-cards are ``too_few`` (no verdict).
    lang : {"zh", "en"}
        Language of ``reason``.

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, ``a_cards``, ``c_cards``,
        ``same_day``, ``same_day_share``, ``peer_same_day_share``,
        ``same_day_p``, ``working_days``, ``visits_per_day``,
        ``peer_visits_per_day``, ``close_rate``, ``peer_close_rate``,
        ``close_p`` (BH-adjusted p-values), ``suspect`` (bool), ``verdict``
        (one of :data:`AUDIT_VERDICTS`) and ``reason`` (in words, empty when
        there is no sign). Suspects first, then by group.

    Examples
    --------
    >>> import pondstats as ps
    >>> visits, deposits = ps.load_sample()
    >>> audit = ps.logging_audit(visits, deposits, by="store", lang="en")
    >>> audit[["store", "c_cards", "suspect", "verdict"]]
       store  c_cards  suspect  verdict
    0  东湖旗舰店     1853    False  no_sign
    1    北岭店      961    False  no_sign
    2    西江店      351    False  no_sign
    """
    by_cols = _as_list(by)
    if not by_cols:
        raise InputError(
            "logging_audit compares groups with their peers: give by='consultant' "
            "or by='store'."
        )
    if not ratio >= 1.0:
        raise InputError(
            f"ratio must be 1 or more (1.5 = 50% above peers), got {ratio!r}."
        )
    if lang not in ("zh", "en"):
        raise InputError(f"lang must be 'zh' or 'en', got {lang!r}.")
    _require(visits, ["customer_key", "visit_date", "visit_no"], "visits")
    _require(deposits, ["customer_key", "deposit_date", "status"], "deposits")
    _check_by(visits, by_cols)
    _dates(visits["visit_date"], "visits['visit_date']")
    _dates(deposits["deposit_date"], "deposits['deposit_date']")
    from pondstats.rates._linking import link_deposits

    first = visits["visit_no"].to_numpy(dtype="float64", na_value=np.nan) == 1
    a = visits.loc[first, by_cols].assign(
        day=visits.loc[first, "visit_date"].dt.normalize()
    )
    dep = link_deposits(visits, deposits, by=by_cols)
    dep = dep[dep["status"].ne("cancelled").to_numpy()]
    dday = dep["deposit_date"].dt.normalize()
    fv = _lookup_dates(dep["customer_key"], _first_dates(visits))
    same = ~(fv < dday).fillna(False).to_numpy(dtype=bool)  # no A-card before that day
    c = dep[by_cols].assign(day=dday, same=same)
    ga = a.groupby(by_cols, dropna=True, observed=True)
    gc = c.groupby(by_cols, dropna=True, observed=True)
    days = pd.concat([a[[*by_cols, "day"]], c[[*by_cols, "day"]]]).drop_duplicates()
    out = pd.concat(
        [
            ga.size().rename("a_cards"),
            gc.size().rename("c_cards"),
            gc["same"].sum().rename("same_day"),
            days.groupby(by_cols, observed=True).size().rename("working_days"),
        ],
        axis=1,
    )
    out = out.fillna(0).astype("int64").sort_index().reset_index()
    n_a = out["a_cards"].to_numpy(dtype="float64")
    n_c = out["c_cards"].to_numpy(dtype="float64")
    k_s = out["same_day"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["same_day_share"] = np.where(n_c > 0, k_s / n_c, np.nan)
        out["visits_per_day"] = n_a / out["working_days"].to_numpy()
        out["close_rate"] = np.where(n_a > 0, n_c / n_a, np.nan)
    enough = (n_c >= min_deposits) & (n_a >= min_a_cards)
    peer_same = _leave_one_out(k_s, n_c)
    peer_close = _leave_one_out(n_c, n_a)
    vpd = out["visits_per_day"].to_numpy()
    peer_vpd = np.array(
        [
            np.nanmedian(np.delete(vpd, i)) if len(vpd) > 1 else np.nan
            for i in range(len(vpd))
        ]
    )
    out["peer_same_day_share"] = peer_same
    out["peer_visits_per_day"] = peer_vpd
    out["peer_close_rate"] = peer_close
    p_same = np.where(enough, _pvalue_above(k_s, n_c, ratio * peer_same), np.nan)
    p_close = np.where(enough, _pvalue_above(n_c, n_a, ratio * peer_close), np.nan)
    out["same_day_p"] = adjust_pvalues(p_same)
    out["close_p"] = adjust_pvalues(p_close)
    sig_same = out["same_day_p"].to_numpy() < alpha
    sig_close = out["close_p"].to_numpy() < alpha
    few_visits = enough & (vpd < 0.5 * peer_vpd)
    suspect = enough & sig_same & (sig_close | few_visits)
    out["suspect"] = suspect
    out["verdict"] = np.where(
        suspect, "suspect", np.where(enough, "no_sign", "too_few")
    )
    sep = ";" if lang == "zh" else "; "
    reasons = []
    for j in range(len(out)):
        if not enough[j]:
            reasons.append(
                word(
                    "audit_too_few",
                    lang,
                    n_dep=int(n_c[j]),
                    n_a=int(n_a[j]),
                    min_dep=min_deposits,
                    min_a=min_a_cards,
                )  # fmt: skip
            )
            continue
        parts = []
        if suspect[j]:
            parts.append(
                word("audit_same_day", lang, share=k_s[j] / n_c[j], peer=peer_same[j])
            )
            if sig_close[j]:
                parts.append(
                    word("audit_close", lang, rate=n_c[j] / n_a[j], peer=peer_close[j])
                )
            if few_visits[j]:
                parts.append(
                    word("audit_few_visits", lang, rate=vpd[j], peer=peer_vpd[j])
                )
        reasons.append(sep.join(parts))
    out["reason"] = pd.array(reasons, dtype="str")
    out = out.sort_values("suspect", ascending=False, kind="stable").reset_index(
        drop=True
    )
    cols = [*by_cols, "a_cards", "c_cards", "same_day", "same_day_share",
            "peer_same_day_share", "same_day_p", "working_days", "visits_per_day",
            "peer_visits_per_day", "close_rate", "peer_close_rate", "close_p",
            "suspect", "verdict", "reason"]  # fmt: skip
    out = out[cols]
    out.attrs = {"ratio": ratio, "alpha": alpha, "min_deposits": min_deposits,
                 "min_a_cards": min_a_cards}  # fmt: skip
    return out
