"""Building blocks of the sample dealer: result classes and fast string helpers.

Split from :mod:`pondstats.datasets._sim` (the simulation) to keep modules small.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from pondstats.errors import InputError

__all__ = ["Sample", "SampleTruth"]

_SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
)
_GIVEN = list(
    "伟芳娜秀敏静丽强磊军洋勇艳杰涛明超霞平刚桂英华建国文辉志宏海燕玲红鹏飞斌浩宇晨欣怡子涵梓轩俊峰佳琪嘉诚"
)
_MOBILE_PREFIXES = np.array(
    [130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152,
     153, 155, 156, 158, 159, 177, 180, 186, 187, 188, 189, 199]
)  # fmt: skip


@dataclass(frozen=True)
class SampleTruth:
    """What was planted in a :class:`Sample`.

    Attributes
    ----------
    zones : DataFrame
        ``region``, ``code``, ``store``, ``true_close_rate`` (the expected
        period close rate: non-cancelled deposits / first-visit A-cards over
        the whole sample, unlinked deposits included, as ``close_rates``
        estimates it), ``deposit_prob`` (chance that a prospect ever pays a
        deposit), ``size`` (expected first visits per month at the usual spend
        in an average month), ``potential`` (households) and ``planted``
        (``weak`` below 10.5%, ``strong`` above 16.5%, else ``on_track``:
        halfway between the 13% target and the 8%/20% bands).
    sources, consultants : DataFrame
        ``source`` / ``consultant`` (with ``store``), ``share`` of prospects
        and ``odds`` (odds ratio of closing, 1 = reference).
    test_drive_odds, returner_odds : float
        Odds ratios of closing for a test drive at the first visit and for
        prospects who come back before deciding.
    seasonality : ndarray
        12 multipliers of traffic, January first.
    traffic_response : DataFrame
        ``region``, ``base``, ``gain``, ``scale``: expected first visits in a
        month with spend ``s`` = ``seasonality[m] * (base + gain * (1 -
        exp(-s / scale)))``.
    grade_lag : DataFrame
        Per grade at the first visit: share, share of same-day deposits and
        mean days from first visit to deposit.
    targets : DataFrame
        The planted monthly C-card targets per zone (``region``, ``month``,
        ``target``) with ``expected_c_cards`` (expected first visits x the
        zone's true close rate): targets are 0.9-1.25 times that, by zone.
    source_costs : DataFrame
        Per lead source: ``paid`` (walk-ins are not), planted ``spend``,
        ``expected_c_cards`` and ``cost_per_deposit`` (spend / expected
        C-cards; referrals cheapest, car shows dearest).
    unlinked_share, cancel_share : float
        Deposits from customers who never registered a visit (about 3% more
        deposits) and the share of deposits cancelled (退订, 5%).
    delivery_days, delivered_share : tuple of int, float
        Days from deposit to delivery (交车), uniform over ``delivery_days``
        (7-45, inclusive); a non-cancelled deposit whose delivery day has come
        by the end is delivered with probability ``delivered_share`` (0.95),
        the rest stay open (overdue).
    bad_grader : str or None
        The consultant whose grades carry no information: each graded visit
        re-drawn from the usual grade mix (see
        :mod:`pondstats.datasets._plants`).
    lost_reasons : DataFrame
        ``model`` (``"*"`` for all models but the ones listed), ``lost_reason``
        and ``share``: the planted reasons mix of recorded lost deals.
    lost_recorded_share, lost_after_days : float, int
        A prospect without a deposit who has been silent ``lost_after_days``
        by the end is recorded as lost with this probability.
    """

    zones: pd.DataFrame
    sources: pd.DataFrame
    consultants: pd.DataFrame
    test_drive_odds: float
    returner_odds: float
    seasonality: np.ndarray
    traffic_response: pd.DataFrame
    grade_lag: pd.DataFrame = field(default_factory=pd.DataFrame)
    unlinked_share: float = 0.03
    cancel_share: float = 0.05
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)
    source_costs: pd.DataFrame = field(default_factory=pd.DataFrame)
    delivery_days: tuple[int, int] = (7, 45)
    delivered_share: float = 0.95
    bad_grader: str | None = None
    lost_reasons: pd.DataFrame = field(default_factory=pd.DataFrame)
    lost_recorded_share: float = 0.6
    lost_after_days: int = 30

    def expected_a_cards(
        self, region: str, spend: float, month: int | str | pd.Period
    ) -> float:
        """Expected first-visit A-cards of ``region`` in ``month`` at ``spend``.

        Parameters
        ----------
        region : str
            A zone name of the sample, e.g. ``"东湖区"``.
        spend : float
            Marketing spend of that month, in yuan.
        month : int, str or Period
            Calendar month 1-12, or a month such as ``"2026-10"``.

        Examples
        --------
        >>> import pondstats as ps
        >>> t = ps.make_sample(months=1).truth
        >>> low = t.expected_a_cards("东湖区", 50_000, 10)
        >>> high = t.expected_a_cards("东湖区", 100_000, "2026-10")
        >>> bool(high > low), bool(high < 2 * low)    # diminishing returns
        (True, True)
        """
        tr = self.traffic_response.set_index("region")
        if region not in tr.index:
            raise InputError(
                f"expected a zone of the sample, got {region!r}; "
                f"the zones are {', '.join(tr.index)}"
            )
        if isinstance(month, (int, np.integer)):
            moy = int(month)
        else:
            moy = pd.Period(month, freq="M").month
        if not 1 <= moy <= 12:
            raise InputError(f"expected a calendar month 1-12, got {month!r}")
        b, g, s = tr.loc[region, ["base", "gain", "scale"]]
        return float(self.seasonality[moy - 1] * (b + g * (1.0 - np.exp(-spend / s))))


@dataclass(frozen=True)
class Sample:
    """A simulated dealer group: clean tables plus the planted truth.

    Attributes
    ----------
    visits, deposits, spend : DataFrame
        Canonical clean tables (``schema.VISIT_COLUMNS`` without ``lat``/``lon``,
        ``schema.DEPOSIT_COLUMNS``, ``schema.SPEND_COLUMNS``).
    zones : GeoDataFrame
        Zone polygons (EPSG:4326): ``region``, ``code``, ``potential``,
        ``geometry``.
    truth : SampleTruth
        The effects planted in the data.
    targets : DataFrame or None
        Monthly C-card targets per zone (``region``, ``month``, ``target``).
    spend_by_source : DataFrame or None
        ``spend`` split by paid lead source (``region``, ``month``,
        ``source``, ``spend``); it adds up to ``spend`` per zone and month.
    """

    visits: pd.DataFrame
    deposits: pd.DataFrame
    spend: pd.DataFrame
    zones: object
    truth: SampleTruth
    targets: pd.DataFrame | None = None
    spend_by_source: pd.DataFrame | None = None

    @cached_property
    def end(self) -> pd.Timestamp:
        """The last day covered (end of the last month)."""
        return self.spend["month"].max().end_time.normalize()


def _take(categories, codes: np.ndarray):
    """A ``str`` array of ``categories[codes]`` (code -1 -> missing); fast."""
    return pd.array(list(categories), dtype="str").take(
        np.asarray(codes), allow_fill=True
    )


def _names(rng: np.random.Generator, n: int):
    """``n`` Chinese personal names (2 or 3 characters) as a ``str`` array."""
    sur = _take(_SURNAMES, rng.integers(0, len(_SURNAMES), n))
    g1 = _take(_GIVEN, rng.integers(0, len(_GIVEN), n))
    g2 = rng.integers(0, len(_GIVEN), n)
    g2 = _take([*_GIVEN, ""], np.where(rng.random(n) < 0.3, len(_GIVEN), g2))
    return (pd.Series(sur) + pd.Series(g1) + pd.Series(g2)).array


def _mobiles(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct 11-digit Chinese mobile numbers as strings."""
    k = len(_MOBILE_PREFIXES)
    idx = rng.choice(k * 100_000_000, size=n, replace=False)
    num = _MOBILE_PREFIXES[idx // 100_000_000] * 100_000_000 + idx % 100_000_000
    return num


def _zone_geometry(rng: np.random.Generator, n: int):
    """Voronoi cells of jittered seed points around (113.3, 23.1), clipped."""
    import geopandas as gpd
    import shapely

    ncol = int(np.ceil(np.sqrt(n)))
    cell = np.arange(n)
    step = 0.12
    x = 113.3 + (cell % ncol - (ncol - 1) / 2) * step + rng.uniform(-0.035, 0.035, n)
    y = 23.1 + ((ncol - 1) / 2 - cell // ncol) * step + rng.uniform(-0.035, 0.035, n)
    pts = shapely.points(x, y)
    hull = shapely.convex_hull(shapely.multipoints(pts)).buffer(0.07, quad_segs=4)
    cells = shapely.voronoi_polygons(
        shapely.multipoints(pts), extend_to=hull, ordered=True
    )
    polys = shapely.intersection(shapely.get_parts(cells), hull)
    polys = shapely.set_precision(polys, 1e-5)
    return gpd.GeoSeries(polys, crs="EPSG:4326"), x, y


def _ids(prefix: str, n: int):
    width = max(6, len(str(n)))
    return (prefix + pd.Series(_int_str(np.arange(1, n + 1))).str.zfill(width)).array


def _order_ids(days: np.ndarray):
    """DMS order numbers: ``SO`` + deposit date + sequence within the day."""
    d = pd.Series(days.astype("datetime64[ns]"))
    seq = d.groupby(d).cumcount().to_numpy() + 1
    width = max(3, len(str(int(seq.max())))) if len(seq) else 3
    return (
        "SO" + d.dt.strftime("%Y%m%d") + pd.Series(_int_str(seq)).str.zfill(width)
    ).array


def _int_str(a: np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(a, dtype="int64")).astype("str").array


def _typed(df: pd.DataFrame, kind: str) -> pd.DataFrame:
    from pondstats import schema

    cols = schema.VISIT_COLUMNS if kind == "visits" else schema.DEPOSIT_COLUMNS
    out = {}
    for c in df.columns:
        dt = cols[c]
        s = df[c]
        out[c] = s.astype("str") if dt == "str" and s.notna().all() else s.astype(dt)
    return pd.DataFrame(out)
