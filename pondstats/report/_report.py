"""``write_monthly_report``: assemble the sections into A4 PDF pages."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pandas as pd

from pondstats.errors import InputError
from pondstats.fonts import font_context
from pondstats.report._layout import Page
from pondstats.report._month import check_month, latest_complete_month, parse_month
from pondstats.report._quality import quality_pages, unwrap
from pondstats.report._writer import pdf_metadata, write_pdf
from pondstats.schema import Benchmark
from pondstats.vocab import Labels

__all__ = ["write_monthly_report", "report_filename"]

_UNSAFE = re.compile(r"[^\w\u3400-\u9fff-]+")


def report_filename(
    month: pd.Period, region: str | None = None, code: str | None = None
) -> str:
    """The file name of a report: ``pondstats-report-2026-10[-Z01-东湖区].pdf``.

    Characters that are unsafe in file names are replaced by ``_``.

    Examples
    --------
    >>> import pandas as pd
    >>> report_filename(pd.Period("2026-10", "M"))
    'pondstats-report-2026-10.pdf'
    >>> report_filename(pd.Period("2026-10", "M"), "东湖区", "Z01")
    'pondstats-report-2026-10-Z01-东湖区.pdf'
    >>> report_filename(pd.Period("2026-10", "M"), "North/East zone")
    'pondstats-report-2026-10-North_East_zone.pdf'
    """
    parts = ["pondstats-report", str(month)]
    for p in (code, region):
        if p is not None and str(p).strip():
            parts.append(_UNSAFE.sub("_", str(p).strip()).strip("_") or "zone")
    return "-".join(parts) + ".pdf"


def _target(path: str | Path | None, name: str, *, directory: bool) -> Path:
    """Where to write: ``path`` itself when it names a .pdf file, else
    ``path/name`` (the current directory when ``path`` is None)."""
    if path is None:
        return Path.cwd() / name
    p = Path(path)
    if not directory and p.suffix.lower() == ".pdf":
        return p
    if p.exists() and not p.is_dir():
        raise InputError(
            f"expected a directory or a .pdf file name for the report, got the existing "
            f"file {str(p)!r}: give a directory (--out DIR) or a path ending in .pdf"
        )
    return p / name


def _check_frames(visits: pd.DataFrame, deposits: pd.DataFrame) -> None:
    need = {
        "visits": ("visit_date", "visit_no", "customer_key"),
        "deposits": ("deposit_date", "status", "customer_key"),
    }
    for kind, df in (("visits", visits), ("deposits", deposits)):
        missing = [c for c in need[kind] if c not in df.columns]
        if missing:
            raise InputError(
                f"expected cleaned {kind} with columns {', '.join(need[kind])}; "
                f"missing {', '.join(missing)}: pass the output of ps.clean_{kind}(...) "
                "(or its .data), not the raw export"
            )


def write_monthly_report(
    month: str | pd.Period | None,
    visits: Any,
    deposits: Any,
    zones: pd.DataFrame | None = None,
    spend: pd.DataFrame | None = None,
    path: str | Path | None = None,
    *,
    per_region: bool = False,
    all_zones: bool = False,
    lang: str = "both",
    mask: bool = True,
    progress: bool = False,
    leads: bool = True,
    budget_options: dict[str, Any] | None = None,
    benchmark: Benchmark | None = None,
    source_note: str = "",
    targets: pd.DataFrame | None = None,
    audit_extra: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> Path | list[Path]:
    """Write the monthly management report as an A4 PDF.

    The report composes what the library computes (close rates, zone
    diagnosis, maps, lead scores, budget plan, cleaning summaries); it
    computes nothing of its own. Every page reads one verdict table
    (:func:`~pondstats.assess_zones`), so the pages agree about each zone.
    Pages: the decision page (network KPIs, the zones that need action with
    their verdict, reason, action and deposits at stake, what improved);
    zone map and funnel plot; zone table; traffic vs conversion; the KPI board
    (test-drive and return-visit rates, the consultant league, source costs
    when ``spend`` has a ``source`` column, targets when given); the budget
    (when ``spend`` is given); the data-quality appendix (when the inputs
    come with cleaning summaries); one page per zone that needs action
    (every zone with ``all_zones``). Sections whose library feature is not
    installed are left out.

    Parameters
    ----------
    month : str, Period or None
        The report month, ``"YYYY-MM"``; None for the latest complete month
        of the data.
    visits, deposits : DataFrame or Cleaned
        Cleaned A-cards and C-cards, as DataFrames or as the ``Cleaned``
        results of ``ps.clean_visits``/``ps.clean_deposits`` (then their
        summaries feed the data-quality appendix).
    zones : GeoDataFrame, optional
        Zone polygons (``region``, ``code``, ``potential``, geometry) for the
        map and the traffic diagnosis.
    spend : DataFrame, optional
        Marketing spend per region and month, for the budget page.
    path : str or Path, optional
        A ``.pdf`` file name, or a directory (default: the current one) in
        which :func:`report_filename` names the file. With ``per_region``,
        always a directory.
    all_zones : bool
        A detail page for every zone; by default only for the zones whose
        verdict needs action (``assess_zones``), weakest first.
    per_region : bool
        Write one PDF per zone (network summary + that zone) instead of one
        report.
    lang : {"both", "zh", "en"}
        Labels in Chinese and English, Chinese only, or English only.
    mask : bool
        Mask phones and names of the leads to call (default). Only turn it
        off for a report that stays with people entitled to the raw data.
    progress : bool
        Show a progress bar on stderr (the CLI does, on a terminal).
    leads : bool
        List the top open leads to call on each zone page (trains a
        :class:`~pondstats.LeadScorer` on the months before; the slowest
        part of the report). False leaves the lists out.
    budget_options : dict, optional
        Passed to :func:`~pondstats.plan_budget` as ``fit_kwargs`` (e.g.
        ``{"n_draws": 40}`` or ``{"uncertainty": "laplace"}`` for a faster,
        rougher interval). By default 40 bootstrap refits (``{"n_draws":
        40}``; the page shows the draw count beside its probability), and
        networks of more than 30 zones get Laplace intervals, so the report
        stays fast.
    benchmark : Benchmark, optional
        The close-rate benchmark, 13% with 8%/20% bands by default.
    source_note : str
        Where the data came from, printed in the footer.
    targets : DataFrame, optional
        Monthly C-card targets (:func:`pondstats.read_targets`): the KPI page
        then shows each target against the month's C-cards.
    audit_extra : (visits, deposits), optional
        A store exported separately (e.g. one that joined the group): its
        cleaned visits and deposits are audited with the others in the
        appendix's logging audit, and used nowhere else in the report. The
        command line passes the bundled sample's joining store 龙湾店.

    Returns
    -------
    Path or list of Path
        The PDF written, or one per zone with ``per_region``.

    Raises
    ------
    InputError
        For a malformed month, a month outside the data's range or without
        A-cards, or tables that are not cleaned visits/deposits.

    Notes
    -----
    The file is written to a temporary file in the same directory and moved
    into place when complete, so a failure leaves no half-written PDF. The
    bytes are reproducible: the same inputs give the same file.

    While the report is written, OpenMP and BLAS run one thread
    (``threadpoolctl``): the lead models are small fits whose threads cost
    more than they save, and their results do not depend on the thread count.

    Examples
    --------
    >>> import tempfile, pondstats as ps
    >>> visits, deposits = ps.load_sample(as_cleaned=True)        # doctest: +SKIP
    >>> out = ps.write_monthly_report("2026-10", visits, deposits,
    ...                               zones=ps.load_sample_zones(),
    ...                               path=tempfile.mkdtemp())   # doctest: +SKIP
    >>> out.name                                                  # doctest: +SKIP
    'pondstats-report-2026-10.pdf'
    """
    from pondstats.report._sections import ReportData, build_pages, zone_list

    L = Labels(lang)
    v, v_summary = unwrap(visits, "visits")
    d, d_summary = unwrap(deposits, "deposits")
    _check_frames(v, d)
    audit_frames = (v, d)
    if audit_extra is not None:  # stores exported separately: the audit only
        ev, ed = (
            unwrap(x, k)[0]
            for x, k in zip(audit_extra, ("visits", "deposits"), strict=True)
        )
        audit_frames = (pd.concat([v, ev], ignore_index=True),
                        pd.concat([d, ed], ignore_index=True))  # fmt: skip
    m = latest_complete_month(v, d) if month is None else parse_month(month)
    check_month(m, v, d)
    bench = benchmark or Benchmark()
    summaries = {"visits": v_summary, "deposits": d_summary}

    header_left = "pondstats · " + L("report")
    header_right = L("period_of", m=m)

    def new_page(title: str | None) -> Page:
        return Page(header_left, header_right, title)

    # one OpenMP and BLAS thread for the model fits: on the report's data sizes
    # the threads' start-up and spin-waiting cost more than they save, many
    # times over on a busy machine; the numbers do not depend on it (the same
    # PDF bytes either way)
    with font_context(), _one_thread(), closing(_progress(progress)) as bar:
        data = ReportData.build(
            m,
            v,
            d,
            zones=zones,
            spend=spend,
            benchmark=bench,
            mask=mask,
            L=L,
            leads=leads,
            budget_options=budget_options,
        )
        data.targets = targets  # the KPI page's pacing
        regions = zone_list(data, all_zones=all_zones or per_region)
        if per_region:  # one file per zone, in code order
            regions = sorted(regions, key=lambda r: (data.code_of(r) or "~", r))
        # steps: the library work (1), each section built, each page written
        bar.update(1)
        bar.total += len(regions) + 5 if not per_region else 3 * len(regions)
        bar.refresh()
        try:
            if not per_region:
                pages = build_pages(
                    data,
                    new_page,
                    step=bar.update,
                    all_zones=all_zones,
                    appendix=lambda: quality_pages(
                        summaries, L, new_page, frames=audit_frames
                    ),
                )
                out = _target(path, report_filename(m), directory=False)
                return _save(
                    pages,
                    out,
                    m,
                    L,
                    source_note,
                    mask=mask,
                    title=f"pondstats {L('report')} {m}",
                    bar=bar,
                )
            written = []
            for region in regions:
                pages = build_pages(data, new_page, step=bar.update, only=region)
                pages += quality_pages(summaries, L, new_page, frames=audit_frames)
                code = data.code_of(region)
                out = _target(path, report_filename(m, region, code), directory=True)
                written.append(
                    _save(
                        pages,
                        out,
                        m,
                        L,
                        source_note,
                        mask=mask,
                        title=f"pondstats {L('report')} {m} {region}",
                        bar=bar,
                    )
                )
            return written
        finally:
            bar.close()


def _save(
    pages: list[Page],
    out: Path,
    month: pd.Period,
    L: Labels,
    source_note: str,
    *,
    mask: bool,
    title: str,
    bar: Any,
) -> Path:
    total = len(pages)
    bar.total += total
    bar.refresh()
    left = " · ".join(
        x
        for x in (f"pondstats {_version()}", source_note, L("masked") if mask else "")
        if x
    )
    for i, page in enumerate(pages, start=1):
        page.add_footer(left, L("page", n=i, total=total, sep="  "))
    return write_pdf(
        out,
        [p.fig for p in pages],
        pdf_metadata(month, title=title),
        on_page=bar.update,
    )


def _version() -> str:
    from pondstats._version import __version__

    return __version__


def _one_thread() -> Any:
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


class _NoBar:
    total = 0

    def update(self, n: int = 1) -> None:
        pass

    def refresh(self) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(show: bool) -> Any:
    """A tqdm bar on stderr (steps: library work, sections, pages), or a no-op."""
    if not show:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(
        total=1, desc="pondstats report", unit="step", file=sys.stderr, leave=False
    )


Step = Callable[[int], None]
