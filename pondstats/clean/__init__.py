"""Cleaning raw exports into the canonical visits, deposits and spend tables.

``clean_visits`` / ``clean_deposits`` / ``clean_spend`` (``_tables``) return a
:class:`Cleaned` (``_summary``) that accounts for every input row; the
vectorised normalisers live in ``_normalize`` (dates in ``_dates``), the duplicate rules in
``_dedupe`` and the steps the cleaners share in ``_steps``.
"""

from pondstats.clean._dates import impossible_time, normalize_date
from pondstats.clean._inquiries import clean_inquiries
from pondstats.clean._normalize import (
    customer_codes,
    normalize_amount,
    normalize_grade,
    normalize_phone,
    normalize_region,
    normalize_status,
    normalize_text,
    normalize_yes_no,
    phone_kind,
    strip_placeholders,
    to_halfwidth,
)
from pondstats.clean._summary import Cleaned, CleanSummary
from pondstats.clean._tables import clean_deposits, clean_spend, clean_visits

__all__ = [
    "Cleaned",
    "CleanSummary",
    "clean_visits",
    "clean_deposits",
    "clean_spend",
    "clean_inquiries",
    "customer_codes",
    "normalize_amount",
    "normalize_date",
    "impossible_time",
    "normalize_grade",
    "normalize_phone",
    "normalize_region",
    "normalize_status",
    "normalize_text",
    "normalize_yes_no",
    "phone_kind",
    "strip_placeholders",
    "to_halfwidth",
]
