"""The optimised pipeline (pyarrow CSV, dictionary-encoded normalisers, int-coded
keys) gives the same results as plain, obviously-correct pandas on the same data.

``benchmarks/run.py`` times the pipeline at 100k-10M visits; these tests check,
on a ~20k-visit messy export in the sample's format, that speed changed
nothing: reading equals ``pandas.read_csv``, ``visit_no`` equals a sort +
cumcount, and the region x month close-rate table equals a reference written
here with groupby and merge.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

import pondstats as ps
from pondstats.datasets import export_date
from pondstats.io import _read as pio
from pondstats.io._headers import alias_lookup


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    d = tmp_path_factory.mktemp("scale")
    sample = ps.make_sample(3, months=16)  # ~20k visit rows
    ps.write_sample_exports(sample, d, random_state=3)
    today = export_date(sample)
    visits = ps.clean_visits(ps.read_visits(d / "visits.csv"), today=today)
    deposits = ps.clean_deposits(ps.read_deposits(d / "deposits.xlsx"), today=today)
    return d, visits.data, deposits.data


def test_fast_csv_reader_equals_plain_read_csv(export):
    d, _, _ = export
    raw = ps.read_visits(d / "visits.csv")
    assert raw.attrs["pondstats"]["encoding"] == "gb18030"
    # the fast path was taken (the general one would give the same frame)
    data = (d / "visits.csv").read_bytes()
    lookup = alias_lookup(ps.schema.VISIT_ALIASES)
    assert pio._read_csv_fast(data, None, lookup) is not None
    ref = pd.read_csv(
        d / "visits.csv",
        encoding="gb18030",
        skiprows=1,
        dtype=str,
        keep_default_na=False,
        na_values=[""],
    )
    assert len(raw) == len(ref) > 15_000
    assert raw.index.tolist() == list(range(3, len(ref) + 3))  # file line numbers
    for header, col in raw.attrs["pondstats"]["columns"].items():
        pd.testing.assert_series_equal(
            raw[col].reset_index(drop=True),
            ref[header].astype("str"),
            check_names=False,
        )


def test_visit_numbers_equal_sort_and_cumcount(export):
    _, visits, _ = export
    ref = (
        visits.assign(_pos=np.arange(len(visits)))
        .sort_values(["customer_key", "visit_date", "_pos"], kind="stable")
        .groupby("customer_key", sort=False)
        .cumcount()
        .add(1)
        .sort_index()
    )
    assert (visits["visit_no"].to_numpy() == ref.to_numpy()).all()
    assert visits["visit_no"].max() > 1  # returners exist: the check has teeth


def _reference_close_rates(
    visits: pd.DataFrame, deposits: pd.DataFrame
) -> pd.DataFrame:
    """DESIGN.md's definitions, spelled out with groupby and merge."""
    v = visits.copy()
    v["month"] = v["visit_date"].dt.to_period("M")
    a = (
        v[v["visit_no"] == 1]
        .groupby(["region", "month"], dropna=False)
        .size()
        .rename("a_cards")
    )
    # each customer's first visit: visit_no 1, else the earliest
    firsts = (
        v.assign(_rank=(v["visit_no"] != 1).astype(int))
        .sort_values(["customer_key", "_rank", "visit_date"], kind="stable")
        .drop_duplicates("customer_key")[["customer_key", "region"]]
        .rename(columns={"region": "first_region"})
    )
    dep = deposits.merge(firsts, on="customer_key", how="left", validate="m:1")
    dep["linked"] = dep["customer_key"].isin(set(v["customer_key"]))
    dep["region"] = dep["region"].fillna(dep["first_region"])
    dep["month"] = dep["deposit_date"].dt.to_period("M")
    live = dep[dep["status"] != "cancelled"]
    c = live.groupby(["region", "month"], dropna=False).size().rename("c_cards")
    x = (
        dep[dep["status"] == "cancelled"]
        .groupby(["region", "month"], dropna=False)
        .size()
    )
    u = live[~live["linked"]].groupby(["region", "month"], dropna=False).size()
    out = pd.concat([a, c, x.rename("cancelled"), u.rename("unlinked")], axis=1).fillna(
        0
    )
    out = out.astype("int64").reset_index().rename(columns={"month": "period"})
    out["close_rate"] = np.where(
        out["a_cards"] > 0,
        np.minimum(out["c_cards"] / out["a_cards"].where(out["a_cards"] > 0), 1.0),
        np.nan,
    )
    return out.sort_values(["period", "region"], ignore_index=True, na_position="last")


def test_close_rates_equal_reference(export):
    _, visits, deposits = export
    # exercise attribution and unlinked deposits: blank some regions, and
    # give some deposits a customer without any visit
    deposits = deposits.copy()
    rows = np.arange(len(deposits))
    deposits["region"] = deposits["region"].where(rows % 5 != 0)
    deposits["customer_key"] = deposits["customer_key"].where(
        rows % 37 != 0, "id:nobody" + pd.Series(rows, dtype="str")
    )
    if "phone" in deposits.columns:  # every shared key links: drop the phone too
        deposits["phone"] = deposits["phone"].where(rows % 37 != 0)
    got = ps.close_rates(visits, deposits, by="region", period="M")
    ref = _reference_close_rates(visits, deposits)
    got = got.sort_values(["period", "region"], ignore_index=True, na_position="last")
    assert len(got) == len(ref) > 100
    for col in ["region", "period", "a_cards", "c_cards", "cancelled", "unlinked"]:
        assert got[col].tolist() == ref[col].tolist(), col
    rate = got["close_rate"].to_numpy()
    np.testing.assert_allclose(
        np.minimum(rate, 1.0), ref["close_rate"].to_numpy(), rtol=1e-12
    )
    n = ref["a_cards"].to_numpy()
    k = np.minimum(ref["c_cards"].to_numpy(), n)
    seen = n > 0
    assert (~seen).any() and got.loc[~seen, "close_rate"].isna().all()
    low, high = proportion_confint(k[seen], n[seen], alpha=0.05, method="wilson")
    np.testing.assert_allclose(got.loc[seen, "ci_low"], low, atol=1e-9)
    np.testing.assert_allclose(got.loc[seen, "ci_high"], high, atol=1e-9)
    assert ref["c_cards"].sum() == (deposits["status"] != "cancelled").sum()
