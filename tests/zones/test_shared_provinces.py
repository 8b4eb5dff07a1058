"""Realism check: Natural Earth's 31 mainland provinces as a zones file.

Skipped when ``../shared/datasets`` is absent (set PONDSTATS_SHARED_DATASETS
to point elsewhere).
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from zone_helpers import make_rates

import pondstats as ps
from pondstats.errors import InputError
from pondstats.plotting._maps import NO_DATA_COLOR

pytestmark = pytest.mark.shared

GEO = "geo/ne_50m_admin_1_china_subset.geojson"


@pytest.fixture
def provinces(shared_datasets):
    return ps.read_zones(shared_datasets / GEO, key="name_zh")


def _province_rates(names):
    """Made-up province data, in the short names a DMS export uses (广西, 内蒙古)."""
    short = [
        n.replace("壮族自治区", "")
        .replace("回族自治区", "")
        .replace("维吾尔自治区", "")
        .replace("自治区", "")
        .replace("省", "")
        .replace("市", "")
        for n in names
    ]
    rng = np.random.default_rng(4)
    a = rng.integers(40, 900, len(short))
    a[0] = 6  # one province with too few visits
    rate = rng.uniform(0.05, 0.22, len(short))
    c = np.round(a * rate).astype(int)
    status = np.where(rate < 0.09, "weak", np.where(rate > 0.18, "strong", "on_track"))
    status[0] = "too_few"
    rows = list(zip(short, a, c, status, strict=True))
    return make_rates(rows[:-1])  # the last province has no data


def test_provinces_read_as_zones(provinces):
    assert len(provinces) == 31
    assert provinces.crs.to_epsg() == 4326
    assert {"广东省", "北京市", "广西壮族自治区", "内蒙古自治区"} <= set(
        provinces["region"]
    )
    assert (
        "region_file" in provinces.columns
    )  # the file's own 'region' (East China ...)
    assert provinces["potential"].isna().all()


def test_provinces_match_short_names_and_map(provinces):
    rates = _province_rates(provinces["region"].tolist())
    m = ps.match_zones(provinces, rates)
    assert len(m.pairs) == 30 and m.unmatched_regions == ()
    assert m.unmatched_zones == (provinces["region"].iloc[-1],)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = ps.plot_zone_map(
            provinces, rates, source="省级测试数据 made-up province data"
        )
        ax.figure.savefig(io.BytesIO(), format="png")
    last = m.zones["region"].iloc[-1]
    face = next(p for p in ax.patches if p.get_gid() == f"zone:{last}").get_facecolor()
    assert face == pytest.approx(to_rgba(NO_DATA_COLOR))
    first = m.zones["region"].iloc[0]
    assert [p.get_gid() for p in ax.patches if p.get_hatch()] == [f"too_few:{first}"]
    labels = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    assert labels["label:广东"].startswith("广东\n")
    # tiny provinces are not labelled over their neighbours, unless asked
    assert (
        "label:北京" not in labels
        and "label:天津" not in labels
        and "label:上海" not in labels
    )
    ax2 = ps.plot_zone_map(provinces, rates, labels="all")
    assert sum(1 for t in ax2.texts if (t.get_gid() or "").startswith("label:")) == 31
    d = ps.diagnose_zones(rates, provinces)
    assert len(d) == 31 and set(d["problem"]) <= {
        "traffic",
        "conversion",
        "both",
        "none",
    }


def test_provinces_with_the_wrong_key_say_so(shared_datasets):
    # key="region" is Natural Earth's macro-region column, with a gap
    with pytest.raises(
        InputError, match=r"1 of 31 features have no name in column 'region'"
    ):
        ps.read_zones(shared_datasets / GEO)
    # English names against Chinese data: both sides listed, not an empty map
    z = ps.read_zones(shared_datasets / GEO, key="name")
    with pytest.raises(
        InputError, match=r"do not match.*Zones \(31\): Gansu.*广东, 广西"
    ):
        ps.plot_zone_map(
            z, make_rates([("广东", 100, 13, "on_track"), ("广西", 90, 9, "on_track")])
        )
