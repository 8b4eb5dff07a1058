"""The monthly management report: an A4 PDF composed from the library.

:func:`write_monthly_report` is the entry point (``pondstats report`` on the
command line). The package is split into the page machinery (``_layout``,
``_writer``), the month handling (``_month``), the words (:mod:`pondstats.vocab`) and
the content (``_sections``, ``_quality``), assembled in ``_report``.
"""

from pondstats.report._month import latest_complete_month, parse_month
from pondstats.report._report import report_filename, write_monthly_report

__all__ = [
    "write_monthly_report",
    "report_filename",
    "parse_month",
    "latest_complete_month",
]
