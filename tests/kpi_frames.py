"""Tiny hand-made visits and deposits for the KPI board tests."""

from __future__ import annotations

import pandas as pd


def tiny():
    """R1, 2026-01: a (test drive, comes back, pays), b (pays, cancels), c (test
    drive, nothing), d (no flag, pays 134 days later), e (pays after 23 days);
    R2: f (test drive). One deposit (z) has no A-card."""
    visits = pd.DataFrame(
        {
            "visit_id": [f"v{i}" for i in range(7)],
            "customer_key": ["a", "a", "b", "c", "d", "e", "f"],
            "visit_date": pd.to_datetime(
                ["2026-01-03", "2026-01-10", "2026-01-04", "2026-01-05",
                 "2026-01-06", "2026-01-07", "2026-01-08"]
            ),
            "visit_no": [1, 2, 1, 1, 1, 1, 1],
            "region": ["R1"] * 6 + ["R2"],
            "source": ["网络", "网络", "转介绍", "网络", "转介绍", "网络", "车展"],
            "test_drive": pd.array([True, False, False, True, None, False, True],
                                   dtype="boolean"),
        }
    )  # fmt: skip
    deposits = pd.DataFrame(
        {
            "deposit_id": ["d1", "d2", "d3", "d4", "d5"],
            "customer_key": ["a", "b", "d", "e", "z"],
            "deposit_date": pd.to_datetime(
                ["2026-01-12", "2026-01-04", "2026-05-20", "2026-01-30", "2026-01-15"]
            ),
            "status": ["active", "cancelled", "active", "delivered", "active"],
            "region": [None, None, None, None, "R1"],
        }
    )
    return visits, deposits
