"""The data-quality appendix: what cleaning read, kept, rejected and merged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from pondstats.report._layout import Column, Page
from pondstats.vocab import GROUPS, REJECT_REASONS, Labels, fmt_int

__all__ = ["unwrap", "quality_pages"]


def unwrap(obj: Any, kind: str) -> tuple[pd.DataFrame, Any | None]:
    """``(frame, summary)`` from a cleaned DataFrame or a ``Cleaned`` result.

    A ``Cleaned`` (anything with ``.data`` and ``.summary``) gives its summary
    for the appendix; a plain DataFrame gives ``None``.
    """
    from pondstats.errors import InputError

    if isinstance(obj, pd.DataFrame):
        return obj, None
    if (
        hasattr(obj, "data")
        and hasattr(obj, "summary")
        and isinstance(obj.data, pd.DataFrame)
    ):
        return obj.data, obj.summary
    raise InputError(
        f"expected {kind} as a cleaned DataFrame or the Cleaned result of "
        f"ps.clean_{kind}(...), got {type(obj).__name__}: read and clean the export "
        f"first, e.g. ps.clean_{kind}(ps.read_{kind}(path))"
    )


def _get(summary: Any, name: str) -> Any:
    return getattr(summary, name, None)


def _audit_section(page: Page, frames: tuple[pd.DataFrame, pd.DataFrame], L: Labels):
    """The logging audit (:func:`pondstats.rates.logging_audit`) in a few lines."""
    from pondstats.rates import logging_audit

    visits, deposits = frames
    page.add_section(L("audit"))
    lines = []
    for by in ("store", "consultant"):
        if by not in visits.columns or by not in deposits.columns:
            continue
        a = logging_audit(
            visits, deposits, by=by, lang="zh" if L.lang == "zh" else "en"
        )
        sus = a[a["suspect"].to_numpy(dtype=bool)]
        few = int((a["verdict"] == "too_few").sum())
        group = L.word(GROUPS[by])
        lines.append(L("audit_count", group=group, n=len(sus), total=len(a), few=few))
        lines += [f"  {row[by]}: {row['reason']}" for _, row in sus.iterrows()]
    page.add_paragraph(L("audit_note", sep="\n"), color="#444444")
    page.add_paragraph("\n".join(lines) if lines else "–")


def quality_pages(
    summaries: dict[str, Any | None],
    L: Labels,
    new_page: Callable[[str | None], Page],
    *,
    frames: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> list[Page]:
    """The appendix pages; empty when no table came with a cleaning summary.

    ``summaries`` maps ``"visits"``/``"deposits"`` to a ``CleanSummary`` (or
    None when the table was passed as an already-cleaned DataFrame).
    ``frames`` (the cleaned visits and deposits) adds the logging audit
    (:func:`pondstats.logging_audit` by store and consultant) to the appendix.
    """
    known = {k: s for k, s in summaries.items() if s is not None}
    if not known:
        return []
    page = new_page(L("quality"))
    if frames is not None:
        _audit_section(page, frames, L)
    page.add_paragraph(
        L("quality_note", sep="\n"),
        color="#444444",
    )
    cols = [
        Column(L("table"), 2.2),
        Column(L("rows_read"), 1.1, "right"),
        Column(L("rows_kept"), 1.1, "right"),
        Column(L("rows_rejected"), 1.1, "right"),
        Column(L("duplicates"), 1.2, "right"),
        Column(L("encoding"), 1.1),
    ]
    rows = []
    for kind, s in known.items():
        rows.append(
            [
                L(kind),
                fmt_int(_get(s, "rows_read")),
                fmt_int(_get(s, "rows_kept")),
                fmt_int(_get(s, "rows_rejected")),
                fmt_int(_get(s, "duplicates_merged")),
                str(_get(s, "encoding") or "–"),
            ]
        )
    page.add_table(cols, rows)

    reason_rows = []
    for kind, s in known.items():
        by_reason = dict(_get(s, "rejected_by_reason") or {})
        for reason, n in sorted(
            by_reason.items(), key=lambda kv: (-int(kv[1]), str(kv[0]))
        ):
            shown = L.word(REJECT_REASONS.get(str(reason), (str(reason),) * 2))
            reason_rows.append([L(kind), shown, fmt_int(n)])
    if reason_rows:
        page.add_section(L("reason"))
        cols = [
            Column(L("table"), 2.0),
            Column(L("reason"), 5.0),
            Column(L("rows"), 1.0, "right"),
        ]
        pages = [page]
        while reason_rows:
            n = pages[-1].add_table(cols, reason_rows)
            reason_rows = reason_rows[n:]
            if reason_rows:
                pages.append(new_page(L("quality") + " " + L("continued")))
        return pages
    return [page]
