"""The sample dealer: reproducible, typed, and the planted effects are really there.

Every planted effect is recomputed here independently from the generated
frames (plain pandas, no pondstats analysis code), and compared with the truth.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pondstats as ps
from pondstats import schema
from pondstats.datasets import SAMPLE_FILES, sample_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample(sample_dealer):
    return sample_dealer


@pytest.fixture(scope="module")
def first(sample):
    v = sample.visits
    return v[v["visit_no"] == 1]


# ---------------------------------------------------------------------------
# reproducibility, shapes, dtypes
# ---------------------------------------------------------------------------


def test_same_seed_same_data_and_different_seed_different_data():
    a = ps.make_sample(3, n_zones=5, months=4)
    b = ps.make_sample(3, n_zones=5, months=4)
    c = ps.make_sample(4, n_zones=5, months=4)
    for name in ("visits", "deposits", "spend"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert a.zones.geometry.equals(b.zones.geometry)
    pd.testing.assert_frame_equal(a.truth.zones, b.truth.zones)
    assert len(a.visits) != len(c.visits) or not a.visits.equals(c.visits)
    assert not a.spend["spend"].equals(c.spend["spend"])
    assert not a.zones.geometry.equals(c.zones.geometry)


def test_generator_seed_is_accepted():
    rng = np.random.default_rng(3)
    s = ps.make_sample(rng, n_zones=2, months=2)
    assert len(s.visits) > 0


def test_columns_and_dtypes_follow_the_schema(sample):
    want_v = {c: t for c, t in schema.VISIT_COLUMNS.items() if c not in ("lat", "lon")}
    want_v["lost_reason"] = "str"  # 战败原因: an optional column the sample plants
    assert list(sample.visits.columns) == list(want_v)
    assert {c: str(t) for c, t in sample.visits.dtypes.items()} == want_v
    assert list(sample.deposits.columns) == list(schema.DEPOSIT_COLUMNS)
    assert {c: str(t) for c, t in sample.deposits.dtypes.items()} == dict(
        schema.DEPOSIT_COLUMNS
    )
    assert {c: str(t) for c, t in sample.spend.dtypes.items()} == dict(
        schema.SPEND_COLUMNS
    )
    z = sample.zones
    assert list(z.columns) == ["region", "code", "potential", "geometry"]
    assert z.crs.to_epsg() == 4326
    assert str(z["potential"].dtype) == "int64"


def test_sizes_and_calendar(sample):
    v, d = sample.visits, sample.deposits
    assert 25_000 <= len(v) <= 35_000
    assert 3_000 <= len(d) <= 5_000
    assert v["region"].nunique() == 16
    months = sample.spend["month"]
    assert (months.min(), months.max()) == (pd.Period("2024-11"), pd.Period("2026-10"))
    assert len(sample.spend) == 16 * 24
    assert v["visit_date"].min() >= pd.Timestamp("2024-11-01")
    assert v["visit_date"].max() < pd.Timestamp("2026-11-01")
    assert d["deposit_date"].max() < pd.Timestamp("2026-11-01")
    assert v["visit_id"].is_unique and d["deposit_id"].is_unique
    assert v["customer_key"].str.fullmatch(r"1\d{10}").all()
    # one registration per customer and day; visit_no counts a customer's visits
    day = v.assign(day=v["visit_date"].dt.normalize())
    assert not day.duplicated(["customer_key", "day"]).any()
    expect_no = v.sort_values("visit_date").groupby("customer_key").cumcount() + 1
    assert (expect_no.reindex(v.index) == v["visit_no"]).all()


def test_names_codes_stores_and_consultants(sample):
    z = sample.truth.zones
    assert z["region"].str.fullmatch(r"\w+[区县]").all()
    assert z["code"].tolist() == [f"Z{i:02d}" for i in range(1, 17)]
    assert 2 <= z["store"].nunique() <= 3
    v = sample.visits
    # each consultant works in one store; each zone is served by one store
    assert (v.groupby("consultant")["store"].nunique() == 1).all()
    assert (v.groupby("region")["store"].nunique() == 1).all()
    assert set(v["consultant"]) <= set(sample.truth.consultants["consultant"])
    assert set(v["source"].dropna()) == set(sample.truth.sources["source"])
    assert {"自然到店", "网络", "电话", "转介绍", "车展", "外拓", "社区推广"} <= set(
        v["source"].dropna()
    )


def test_zone_polygons_tile_a_territory(sample):
    z = sample.zones
    assert z.geometry.is_valid.all() and (z.geometry.geom_type == "Polygon").all()
    union = z.geometry.union_all()
    areas = shapely.area(z.geometry.to_numpy())  # degrees: fine for a ratio
    assert union.area == pytest.approx(areas.sum(), rel=1e-6)  # no overlap
    c = union.centroid
    assert abs(c.x - 113.3) < 0.2 and abs(c.y - 23.1) < 0.2


def test_scale_multiplies_traffic():
    small = ps.make_sample(5, n_zones=3, months=3)
    big = ps.make_sample(5, n_zones=3, months=3, scale=4.0)
    assert 3.4 < len(big.visits) / len(small.visits) < 4.6
    assert big.truth.zones["size"].tolist() == [
        4 * s for s in small.truth.zones["size"]
    ]


def test_extra_zones_beyond_the_profile():
    s = ps.make_sample(0, n_zones=20, months=2)
    assert s.zones["region"].nunique() == 20
    assert s.zones.geometry.is_valid.all()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_zones": 0}, r"n_zones must be an integer from 1 to 24, got 0"),
        ({"n_zones": 25}, r"n_zones must be an integer from 1 to 24"),
        ({"months": 0}, r"months must be a positive integer, got 0"),
        ({"end": "soon"}, r"end must be a month such as '2026-10', got 'soon'"),
        ({"scale": 0}, r"scale multiplies traffic and must be > 0"),
    ],
)
def test_bad_arguments_say_what_to_do(kwargs, match):
    with pytest.raises(ps.InputError, match=match):
        ps.make_sample(0, **kwargs)


def test_expected_a_cards_errors(sample):
    with pytest.raises(
        ps.InputError, match=r"expected a zone of the sample, got '西山区'"
    ):
        sample.truth.expected_a_cards("西山区", 1000, 1)
    with pytest.raises(ps.InputError, match=r"expected a calendar month 1-12, got 13"):
        sample.truth.expected_a_cards("东湖区", 1000, 13)


# ---------------------------------------------------------------------------
# planted effects, recomputed from the frames
# ---------------------------------------------------------------------------


def _period_rates(sample):
    v, d = sample.visits, sample.deposits
    a = v[v["visit_no"] == 1].groupby("region").size()
    c = d[d["status"] != "cancelled"].groupby("region").size()
    t = sample.truth.zones.set_index("region")
    return pd.DataFrame({"a": a, "c": c}).reindex(t.index).join(t)


def test_truth_profile_has_the_planted_extremes(sample):
    z = sample.truth.zones
    large = z[z["size"] >= 100]
    small = z[z["size"] <= 20]
    assert (large["true_close_rate"] <= 0.09).sum() >= 2
    assert (large["true_close_rate"] >= 0.19).sum() >= 2
    assert z["true_close_rate"].min() < 0.07 and z["true_close_rate"].max() > 0.21
    assert small["planted"].isin(["weak", "strong"]).sum() >= 2
    assert set(z["planted"]) == {"weak", "on_track", "strong"}
    assert (z.loc[z["true_close_rate"] < 0.09, "planted"] == "weak").all()
    assert (z.loc[z["true_close_rate"] > 0.19, "planted"] == "strong").all()
    assert z["size"].min() <= 12 and z["size"].max() >= 200


def test_period_close_rates_match_the_truth(sample):
    r = _period_rates(sample)
    # pooled: observed C-cards vs truth * A-cards, within 4 Poisson SDs
    expected = (r["a"] * r["true_close_rate"]).sum()
    assert abs(r["c"].sum() - expected) < 4 * np.sqrt(expected)
    large = r[r["size"] >= 100]
    se = np.sqrt(large["true_close_rate"] * (1 - large["true_close_rate"]) / large["a"])
    z = (large["c"] / large["a"] - large["true_close_rate"]) / se
    assert (z.abs() < 4).all(), z
    emp = large["c"] / large["a"]
    assert (emp[large["planted"] == "weak"] < 0.10).all()
    assert (emp[large["planted"] == "strong"] > 0.18).all()


def test_small_zones_are_small(sample, first):
    per_month = first.groupby("region").size() / 24
    small = sample.truth.zones.query("size <= 20")["region"]
    assert per_month[small].between(5, 30).all()
    assert per_month.max() > 150


def test_returners_close_two_to_three_times_as_often(sample):
    v, d = sample.visits, sample.deposits
    n_visits = v.groupby("customer_key")["visit_no"].max()
    closed = n_visits.index.isin(d["customer_key"])
    returner = (n_visits > 1).to_numpy()
    assert 0.25 <= returner.mean() <= 0.35
    ratio = closed[returner].mean() / closed[~returner].mean()
    assert 2.0 <= ratio <= 3.0


def test_returners_come_back_before_they_decide(sample):
    v, d = sample.visits, sample.deposits
    m = v.merge(d[["customer_key", "deposit_date"]], on="customer_key")
    assert (m["visit_date"].dt.normalize() <= m["deposit_date"]).all()


def test_deposit_lag_and_grades(sample, first):
    d = sample.deposits
    m = d.merge(first[["customer_key", "visit_date", "grade"]], on="customer_key")
    lag = (m["deposit_date"] - m["visit_date"].dt.normalize()).dt.days
    assert lag.between(0, 90).all()
    assert 0.05 <= (lag == 0).mean() <= 0.30  # same day
    assert (lag <= 14).mean() >= 0.5  # many within two weeks
    med = lag.groupby(m["grade"]).median()
    assert med["H"] <= 7 and med["H"] < med["A"] < med["B"] < med["C"]
    assert med["C"] >= 45
    # hotter grades close more often
    rate = first["customer_key"].isin(d["customer_key"]).groupby(first["grade"]).mean()
    assert rate["H"] > rate["A"] > rate["B"] > rate["C"]


def test_test_drives_sources_and_consultants_matter(sample, first):
    t = sample.truth
    closed = first["customer_key"].isin(sample.deposits["customer_key"])
    by_td = closed.groupby(first["test_drive"]).mean()
    assert by_td[True] > 1.3 * by_td[False]
    by_src = closed.groupby(first["source"]).mean()
    assert by_src["转介绍"] > 1.5 * by_src["外拓"]
    rho = by_src.corr(t.sources.set_index("source")["odds"], method="spearman")
    assert rho > 0.6
    by_cons = closed.groupby(first["consultant"]).mean()
    odds = t.consultants.set_index("consultant")["odds"].reindex(by_cons.index)
    assert by_cons.corr(odds, method="spearman") > 0.3
    assert t.test_drive_odds > 1 and 2 <= t.returner_odds <= 4


def test_deposit_status_unlinked_amounts(sample):
    v, d = sample.visits, sample.deposits
    assert 0.03 <= (d["status"] == "cancelled").mean() <= 0.07
    unlinked = ~d["customer_key"].isin(v["customer_key"])
    assert 0.01 <= unlinked.mean() <= 0.05
    assert set(d["amount"]) <= {5000.0, 10000.0, 20000.0}
    deliv = d[d["status"] == "delivered"]
    days = (deliv["delivery_date"] - deliv["deposit_date"]).dt.days
    assert days.between(7, 45).all()
    assert d.loc[d["status"] != "delivered", "delivery_date"].isna().all()
    old = d[d["deposit_date"] < pd.Timestamp("2026-08-01")]
    assert (old["status"] == "delivered").mean() > 0.85
    recent = d[d["deposit_date"] >= pd.Timestamp("2026-10-15")]
    assert (recent["status"] == "active").mean() > 0.8


def test_seasonality_dip_and_peak(sample, first):
    by_moy = first.groupby(first["visit_date"].dt.month).size()
    avg = by_moy.mean()
    assert by_moy[2] < 0.8 * avg and by_moy[1] < avg
    assert by_moy[9] > 1.1 * avg and by_moy[10] > 1.1 * avg
    s = sample.truth.seasonality
    assert len(s) == 12 and s[1] == min(s) and s[9] == max(s)


def test_more_spend_more_visits_within_a_zone(sample, first):
    month = first["visit_date"].dt.to_period("M").rename("month")
    n = first.groupby(["region", month]).size()
    df = sample.spend.set_index(["region", "month"]).join(n.rename("n")).reset_index()
    df["n"] = df["n"].fillna(0)
    df["y"] = df["n"] / np.asarray(sample.truth.seasonality)[df["month"].dt.month - 1]
    big = df[df["region"].isin(sample.truth.zones.query("size >= 100")["region"])]
    corr = big.groupby("region")[["spend", "y"]].corr().xs("spend", level=1)["y"]
    assert (corr > 0).sum() >= len(corr) - 1
    assert corr.mean() > 0.3


def test_expected_a_cards_agrees_with_the_data(sample, first):
    t = sample.truth
    exp = sum(
        t.expected_a_cards(r.region, r.spend, r.month)
        for r in sample.spend.itertuples()
    )
    assert abs(len(first) - exp) < 4 * np.sqrt(exp)
    # diminishing returns
    e = [t.expected_a_cards("西江区", s, 4) for s in (0, 60_000, 120_000, 180_000)]
    assert np.all(np.diff(e) > 0) and e[3] - e[2] < e[1] - e[0]


def test_potential_separates_traffic_from_conversion_problems(sample, first):
    z = sample.truth.zones.set_index("region")
    per_1000 = first.groupby("region").size() / 24 / z["potential"] * 1000
    low_traffic = per_1000[per_1000 < 0.5 * per_1000.median()]
    assert len(low_traffic) >= 2
    assert (z.loc[low_traffic.index, "planted"] == "on_track").all()


# ---------------------------------------------------------------------------
# exports: messy on purpose, reproducible, and cleaning undoes the mess
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_exports(tmp_path_factory):
    s = ps.make_sample(2, n_zones=4, months=3)
    d = tmp_path_factory.mktemp("small")
    return s, d, ps.write_sample_exports(s, d, random_state=1)


def test_same_random_state_same_bytes(small_exports, tmp_path):
    s, d, _ = small_exports
    ps.write_sample_exports(s, tmp_path, random_state=1)
    for f in SAMPLE_FILES:
        assert (tmp_path / f).read_bytes() == (d / f).read_bytes(), f
    other = tmp_path / "other"
    ps.write_sample_exports(s, other, random_state=2)
    assert (other / "visits.csv").read_bytes() != (d / "visits.csv").read_bytes()


def test_write_does_not_mutate_the_sample():
    s = ps.make_sample(2, n_zones=2, months=2)
    before = s.visits.copy(), s.deposits.copy(), s.spend.copy()
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        ps.write_sample_exports(s, d)
    for a, b in zip(before, (s.visits, s.deposits, s.spend), strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_bundled_exports_are_the_generator_output(tmp_path):
    """data/sample/ is exactly `pondstats sample --out data/sample` (not stale)."""
    bundled = ROOT / "data" / "sample"
    ps.write_sample_exports(ps.make_sample(0), tmp_path, random_state=0)
    for f in SAMPLE_FILES:
        assert (tmp_path / f).read_bytes() == (bundled / f).read_bytes(), (
            f"{f} is stale: run `python -m pondstats sample --out data/sample`"
        )


def test_visits_csv_looks_like_a_dms_export():
    path = ROOT / "data" / "sample" / "visits.csv"
    raw = path.read_bytes()
    assert path.stat().st_size < 5_000_000
    assert not raw.startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    lines = raw.decode("gbk").split("\r\n")
    assert lines[0].startswith("东湖汽车集团 来店登记表 导出时间:2026-11-02")
    header = lines[1].split(",")
    known = {h for names in schema.VISIT_ALIASES.values() for h in names}
    assert set(header) <= known
    assert not set(header) & set(schema.VISIT_ALIASES["visit_no"])
    body = "\n".join(lines[2:])
    for mess in ("+86 1", ",请选择,", ",无,", ",-,", "年", "日,", "０"):
        assert mess in body, mess
    assert re.search(r",4\d{4}\.\d{6},", body)  # Excel serial date-times
    assert re.search(r",20\d\d/\d{1,2}/\d{1,2} \d\d:\d\d,", body)


def test_manifest_counts_match_the_files():
    d = sample_dir()
    man = json.loads((d / "manifest.json").read_text("utf-8"))
    raw = ps.read_visits(d / "visits.csv")
    mv = man["visits"]
    assert len(raw) == mv["rows_written"]
    assert mv["rows_written"] == (
        mv["rows_in_memory"]
        + mv["duplicates_exact"]
        + mv["duplicates_filled"]
        + sum(mv["invalid"].values())
    )
    phone = raw["phone"].astype("str")
    n_dup = mv["duplicates_exact"] + mv["duplicates_filled"]
    checks = {
        "+86 dashes": phone.str.match(r"\+86 \d{3}-").sum(),
        "spaces": phone.str.fullmatch(r"\d{3} \d{4} \d{4}").sum(),
        "full-width": phone.str.contains("[０-９]").sum(),
    }
    for kind, found in checks.items():
        planted = mv["phone_formats"][kind]
        assert planted <= found <= planted + n_dup, kind
    dates = raw["visit_date"].astype("str")
    planted = mv["date_formats"]["chinese_date_only"]
    assert planted <= dates.str.contains("年").sum() <= planted + n_dup
    assert 10 <= sum(mv["invalid"].values()) <= 30
    assert 0.01 <= n_dup / mv["rows_in_memory"] <= 0.06
    assert man["deposits"]["rows_written"] == len(ps.read_deposits(d / "deposits.xlsx"))


@pytest.fixture(scope="module")
def loaded():
    return ps.load_sample(as_cleaned=True)


def test_cleaning_accounts_for_every_planted_row(loaded):
    man = json.loads((sample_dir() / "manifest.json").read_text("utf-8"))
    v, d = loaded
    mv, md = man["visits"], man["deposits"]
    assert v.summary.rows_read == mv["rows_written"]
    assert v.summary.rows_kept == mv["rows_in_memory"]
    assert (
        v.summary.duplicates_merged == mv["duplicates_exact"] + mv["duplicates_filled"]
    )
    assert v.summary.rows_rejected == sum(mv["invalid"].values()) == len(v.rejected)
    by = v.summary.rejected_by_reason
    assert by["no visit date"] == mv["invalid"]["no visit date"]
    assert by["visit date in the future"] == mv["invalid"]["visit date in the future"]
    assert by["unparseable visit date"] == mv["invalid"]["unparseable visit date"]
    assert sum(n for r, n in by.items() if "identify" in r) == mv["invalid"]["no phone"]
    assert d.summary.rows_kept == md["rows_in_memory"]
    assert (
        d.summary.duplicates_merged == md["duplicates_exact"] + md["duplicates_stale"]
    )
    assert d.summary.rows_rejected == sum(md["invalid"].values())


def test_cleaned_exports_recover_the_in_memory_visits(loaded, sample):
    got = loaded[0].data
    want = sample.visits
    key = ["customer_key", "day"]
    g = got.assign(day=got["visit_date"].dt.normalize()).set_index(key).sort_index()
    w = want.assign(day=want["visit_date"].dt.normalize()).set_index(key).sort_index()
    assert g.index.equals(w.index)
    for col in ("name", "phone", "region", "store", "consultant", "visit_no"):
        assert (g[col] == w[col]).all(), col
    man = json.loads((sample_dir() / "manifest.json").read_text("utf-8"))["visits"]
    differ = 0
    for col in ("source", "model", "grade", "test_drive"):
        same = (g[col] == w[col]).fillna(False) | (g[col].isna() & w[col].isna())
        differ += int((~same).sum())
    assert differ <= man["duplicates_filled"]  # filled in by a later export
    off = g["visit_date"] != w["visit_date"]
    assert off.sum() <= man["date_formats"]["chinese_date_only"]
    assert (g.loc[off, "visit_date"] == g.loc[off].index.get_level_values("day")).all()


def test_loaded_visits_have_ids_and_the_schema_dtypes(loaded):
    v = loaded[0].data
    assert v["visit_id"].notna().all() and v["visit_id"].is_unique
    assert v["visit_id"].str.fullmatch(r"A\d{6}").all()
    assert v.sort_values("visit_date", kind="stable")[
        "visit_id"
    ].is_monotonic_increasing
    for col, dtype in schema.VISIT_COLUMNS.items():
        if col in v:
            assert str(v[col].dtype) == dtype, col


def test_cleaned_exports_recover_the_in_memory_deposits(loaded, sample):
    got = loaded[1].data.set_index("deposit_id").sort_index()
    want = sample.deposits.set_index("deposit_id").sort_index()
    assert got.index.equals(want.index)
    pd.testing.assert_frame_equal(got, want, check_like=True)


def test_load_sample_spend_and_zones(sample):
    spend = ps.load_sample_spend()
    key = ["region", "month"]
    pd.testing.assert_frame_equal(
        spend.sort_values(key).reset_index(drop=True),
        sample.spend.sort_values(key).reset_index(drop=True),
    )
    zones = ps.load_sample_zones()
    assert zones["region"].tolist() == sample.zones["region"].tolist()
    assert zones["potential"].tolist() == sample.zones["potential"].tolist()
    assert zones.geometry.geom_equals_exact(sample.zones.geometry, 1e-6).all()


def test_load_sample_returns_fresh_copies():
    v1, d1 = ps.load_sample()
    v1.loc[:, "region"] = "changed"
    d1.loc[:, "status"] = "changed"
    v2, d2 = ps.load_sample()
    assert (v2["region"] != "changed").all() and (d2["status"] != "changed").all()
    c1, _ = ps.load_sample(as_cleaned=True)
    c1.rejected.loc[:, "reason"] = "changed"
    c2, _ = ps.load_sample(as_cleaned=True)
    assert (c2.rejected["reason"] != "changed").all()


def test_sample_dir_regenerates_into_a_cache(monkeypatch, tmp_path, caplog):
    import pondstats.datasets._load as dsm

    monkeypatch.setattr(
        dsm, "__file__", str(tmp_path / "pkg" / "pondstats" / "datasets" / "x.py")
    )
    monkeypatch.setenv("PONDSTATS_CACHE", str(tmp_path / "cache"))
    made = []
    real = dsm.write_sample_exports

    def small(sample, directory, *, random_state=0):  # keep the test fast
        made.append(directory)
        return real(ps.make_sample(0, n_zones=2, months=1), directory)

    monkeypatch.setattr(dsm, "write_sample_exports", small)
    monkeypatch.setattr(dsm, "make_sample", lambda *a, **k: None)
    with caplog.at_level("WARNING", logger="pondstats.datasets"):
        d = dsm.sample_dir()
    assert d.parent == tmp_path / "cache" and made == [d]
    assert "regenerating" in caplog.text
    assert all((d / f).is_file() for f in SAMPLE_FILES)
    assert dsm.sample_dir() == d and len(made) == 1  # not regenerated twice


# ---------------------------------------------------------------------------
# invariants over seeds and shapes (Hypothesis)
# ---------------------------------------------------------------------------


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**31 - 1),
    n_zones=st.integers(1, 24),
    months=st.integers(1, 6),
    end=st.sampled_from(["2026-10", "2025-02", "2024-12"]),
)
def test_invariants_hold_for_any_seed_and_shape(seed, n_zones, months, end):
    s = ps.make_sample(seed, n_zones=n_zones, months=months, end=end, scale=0.3)
    v, d = s.visits, s.deposits
    last = pd.Period(end, freq="M").end_time
    first_day = (pd.Period(end, freq="M") - (months - 1)).start_time
    assert v["visit_date"].between(first_day, last).all()
    assert d["deposit_date"].between(first_day, last).all()
    assert set(d["status"]) <= set(schema.STATUSES)
    assert (d["delivery_date"].notna() == (d["status"] == "delivered")).all()
    assert v["visit_id"].is_unique and d["deposit_id"].is_unique
    assert set(v["region"]) <= set(s.truth.zones["region"])
    assert len(s.spend) == n_zones * months
    assert s.truth.zones["true_close_rate"].between(0.0, 1.0).all()
    # a customer's first registration is visit_no 1, numbers follow dates
    ordered = v.sort_values(["customer_key", "visit_date"])
    assert (ordered.groupby("customer_key").cumcount() + 1 == ordered["visit_no"]).all()
