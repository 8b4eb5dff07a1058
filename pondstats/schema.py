"""Canonical tables: column names, dtypes, header aliases and vocabularies.

Every other module speaks the vocabulary defined here. Exports from dealer
management systems (DMS) and CRMs use many names for the same field; the
alias tables map them (Chinese and English) to one canonical name.

The canonical tables are

* **visits** (A-cards): one row per showroom-visit registration;
* **deposits** (C-cards): one row per deposit (order);
* **spend**: marketing spend per region and month;
* **zones**: a GeoDataFrame with a ``region`` key and polygons.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Benchmark",
    "VISIT_COLUMNS",
    "DEPOSIT_COLUMNS",
    "SPEND_COLUMNS",
    "VISIT_REQUIRED",
    "DEPOSIT_REQUIRED",
    "VISIT_ALIASES",
    "DEPOSIT_ALIASES",
    "SPEND_ALIASES",
    "TARGET_ALIASES",
    "INQUIRY_COLUMNS",
    "INQUIRY_REQUIRED",
    "INQUIRY_ALIASES",
    "PLACEHOLDERS",
    "STATUS_WORDS",
    "STATUSES",
    "RATE_STATUSES",
    "RATE_COLUMNS",
    "GRADES",
]

# --------------------------------------------------------------------------
# Canonical columns and dtypes (pandas >= 3: "str" is the default string dtype)
# --------------------------------------------------------------------------

#: Visits (A-cards). ``customer_key`` links people across tables: the
#: normalised phone where there is one, else ``"id:" + customer id`` from the
#: export. ``visit_no`` 1 = first visit.
VISIT_COLUMNS: dict[str, str] = {
    "visit_id": "str",
    "customer_key": "str",
    "name": "str",
    "phone": "str",
    "visit_date": "datetime64[ns]",
    "visit_no": "int64",
    "region": "str",
    "store": "str",
    "consultant": "str",
    "source": "str",
    "model": "str",
    "grade": "str",
    "test_drive": "boolean",
    "lat": "float64",
    "lon": "float64",
    "lost_reason": "str",
}
#: Visit columns that are there only when the export has them (coordinates,
#: the lost-deal reason 战败原因).
OPTIONAL_VISIT_COLUMNS: tuple[str, ...] = ("lat", "lon", "lost_reason")

#: Deposits (C-cards). ``status`` is one of :data:`STATUSES`.
DEPOSIT_COLUMNS: dict[str, str] = {
    "deposit_id": "str",
    "customer_key": "str",
    "name": "str",
    "phone": "str",
    "deposit_date": "datetime64[ns]",
    "amount": "float64",
    "region": "str",
    "store": "str",
    "consultant": "str",
    "model": "str",
    "status": "str",
    "delivery_date": "datetime64[ns]",
}

#: Marketing spend per region and calendar month (``month`` is a monthly Period).
SPEND_COLUMNS: dict[str, str] = {
    "region": "str",
    "month": "period[M]",
    "spend": "float64",
}

#: Columns an export must carry (after alias mapping). A customer must also be
#: identifiable: by ``phone`` or by ``customer_id`` (or, failing both, a name
#: plus the store; see ``clean.py``).
VISIT_REQUIRED: tuple[str, ...] = ("visit_date",)
DEPOSIT_REQUIRED: tuple[str, ...] = ("deposit_date",)

# --------------------------------------------------------------------------
# Header aliases. Keys are canonical names; values are the names seen in
# exports. Matching is done on a normalised header (see io.normalize_header):
# full-width to half-width, whitespace removed, lower case, units in brackets
# such as "（元）" dropped.
# --------------------------------------------------------------------------

_COMMON_ALIASES: dict[str, tuple[str, ...]] = {
    "customer_id": (
        "客户编号",
        "客户id",
        "客户代码",
        "潜客编号",
        "customer_id",
        "cust_id",
        "client_id",
    ),
    "name": (
        "客户姓名",
        "姓名",
        "客户名称",
        "客户名",
        "联系人",
        "name",
        "customer_name",
        "customer",
    ),
    "phone": (
        "手机",
        "手机号",
        "手机号码",
        "联系电话",
        "电话",
        "电话号码",
        "联系方式",
        "phone",
        "mobile",
        "tel",
        "telephone",
        "phone_number",
    ),
    "region": (
        "所属区域",
        "区域",
        "片区",
        "所属片区",
        "地区",
        "销售区域",
        "区县",
        "region",
        "zone",
        "area",
        "district",
    ),
    "store": (
        "门店",
        "所属门店",
        "店面",
        "展厅",
        "经销店",
        "网点",
        "store",
        "dealer",
        "showroom",
    ),
    "consultant": (
        "销售顾问",
        "顾问",
        "接待顾问",
        "销售员",
        "业务员",
        "跟进人",
        "consultant",
        "salesperson",
        "sales_rep",
        "advisor",
    ),
    "model": (
        "意向车型",
        "意向机型",
        "车型",
        "机型",
        "意向产品",
        "产品",
        "model",
        "product",
    ),
}

VISIT_ALIASES: dict[str, tuple[str, ...]] = {
    "visit_id": (
        "来店编号",
        "登记编号",
        "a卡编号",
        "接待编号",
        "流水号",
        "visit_id",
        "registration_id",
    ),
    **_COMMON_ALIASES,
    "visit_date": (
        "来店日期",
        "到店时间",
        "来店时间",
        "到店日期",
        "登记日期",
        "接待日期",
        "登记时间",
        "visit_date",
        "visit_time",
        "date",
    ),
    "visit_no": (
        "来店次数",
        "到店次数",
        "第几次来店",
        "来店序号",
        "visit_no",
        "visit_number",
    ),
    "source": (
        "信息来源",
        "线索来源",
        "客户来源",
        "来源渠道",
        "来源",
        "获客渠道",
        "source",
        "lead_source",
        "channel",
    ),
    "grade": ("意向级别", "客户级别", "意向等级", "级别", "grade", "level", "intent"),
    "test_drive": (
        "是否试驾",
        "试驾",
        "试乘试驾",
        "是否试乘试驾",
        "test_drive",
        "testdrive",
    ),
    "lat": ("纬度", "lat", "latitude"),
    "lon": ("经度", "lon", "lng", "long", "longitude"),
    "lost_reason": (
        "战败原因",
        "流失原因",
        "未成交原因",
        "战败理由",
        "输单原因",
        "lost_reason",
        "loss_reason",
        "reason_lost",
    ),
}

DEPOSIT_ALIASES: dict[str, tuple[str, ...]] = {
    "deposit_id": (
        "订单号",
        "订单编号",
        "合同号",
        "合同编号",
        "c卡编号",
        "deposit_id",
        "order_id",
        "order_no",
    ),
    **_COMMON_ALIASES,
    "deposit_date": (
        "下订日期",
        "订车日期",
        "订单日期",
        "交订日期",
        "下单日期",
        "下订时间",
        "订金日期",
        "deposit_date",
        "order_date",
    ),
    "amount": (
        "订金",
        "定金",
        "订金金额",
        "定金金额",
        "金额",
        "amount",
        "deposit",
        "deposit_amount",
    ),
    "status": ("订单状态", "状态", "status", "order_status"),
    "delivery_date": (
        "交车日期",
        "交付日期",
        "交车时间",
        "delivery_date",
        "delivered_at",
    ),
}

#: Inquiries (online and phone leads, 线索) before a showroom visit: one row
#: per lead. ``customer_key`` is built as for visits (phone, else customer id).
INQUIRY_COLUMNS: dict[str, str] = {
    "inquiry_id": "str",
    "customer_key": "str",
    "name": "str",
    "phone": "str",
    "inquiry_date": "datetime64[ns]",
    "source": "str",
    "region": "str",
    "store": "str",
    "consultant": "str",
    "model": "str",
}

INQUIRY_REQUIRED: tuple[str, ...] = ("inquiry_date",)

INQUIRY_ALIASES: dict[str, tuple[str, ...]] = {
    "inquiry_id": (
        "线索编号",
        "线索id",
        "线索号",
        "留资编号",
        "inquiry_id",
        "lead_id",
    ),
    **_COMMON_ALIASES,
    "inquiry_date": (
        "线索日期",
        "线索时间",
        "留资日期",
        "留资时间",
        "创建日期",
        "创建时间",
        "下发日期",
        "分配日期",
        "inquiry_date",
        "lead_date",
        "created_at",
        "first_contact_date",
    ),
    "source": (
        "线索来源",
        "信息来源",
        "客户来源",
        "来源渠道",
        "渠道",
        "来源",
        "媒体",
        "source",
        "lead_source",
        "channel",
        "origin",
    ),
}

SPEND_ALIASES: dict[str, tuple[str, ...]] = {
    "region": _COMMON_ALIASES["region"],
    "month": ("月份", "月", "年月", "month", "period"),
    "source": (
        "渠道",
        "投放渠道",
        "来源",
        "线索来源",
        "信息来源",
        "来源渠道",
        "媒体",
        "source",
        "lead_source",
        "channel",
    ),
    "spend": (
        "市场费用",
        "营销费用",
        "投放金额",
        "费用",
        "花费",
        "spend",
        "cost",
        "budget",
    ),
}

#: Monthly C-card targets (``read_targets``): a group column, month, target.
TARGET_ALIASES: dict[str, tuple[str, ...]] = {
    "region": _COMMON_ALIASES["region"],
    "store": _COMMON_ALIASES["store"],
    "consultant": _COMMON_ALIASES["consultant"],
    "month": SPEND_ALIASES["month"],
    "target": (
        "目标",
        "任务",
        "c卡目标",
        "订单目标",
        "销量目标",
        "目标台数",
        "任务量",
        "月度目标",
        "月目标",
        "目标c卡",
        "指标",
        "target",
        "quota",
        "goal",
    ),
}

# --------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------

#: Values that mean "not filled in" in DMS/CRM exports (compared after
#: stripping whitespace; case-insensitive for the Latin ones).
PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "",
        "请选择",
        "--请选择--",
        "无",
        "暂无",
        "未填",
        "未填写",
        "空",
        "-",
        "--",
        "—",
        "——",
        "/",
        "\\",
        "?",
        "？",
        "n/a",
        "na",
        "nan",
        "none",
        "null",
        "nil",
        "select",
        "-select-",
        "<na>",
        "#n/a",
    }
)

#: Deposit status values.
STATUSES: tuple[str, ...] = ("active", "cancelled", "delivered")

#: Words seen in exports for each deposit status (normalised: lower case,
#: whitespace removed).
STATUS_WORDS: dict[str, str] = {
    **{
        w: "active"
        for w in (
            "有效",
            "已下订",
            "已订车",
            "正常",
            "未交车",
            "待交车",
            "订单",
            "进行中",
            "active",
            "open",
            "valid",
            "ordered",
            "pending",
        )
    },
    **{
        w: "cancelled"
        for w in (
            "退订",
            "已退订",
            "取消",
            "已取消",
            "作废",
            "已作废",
            "退款",
            "已退款",
            "cancelled",
            "canceled",
            "refunded",
            "void",
        )
    },
    **{
        w: "delivered"
        for w in (
            "已交车",
            "交车",
            "已交付",
            "交付",
            "完成",
            "已完成",
            "delivered",
            "complete",
            "completed",
            "closed",
        )
    },
}

#: Prospect grades by purchase horizon (DOMAIN.md): H ~7 days, A ~15 days,
#: B ~30 days, C ~2-3 months; O ordered, F lost.
GRADES: tuple[str, ...] = ("H", "A", "B", "C", "O", "F")


@dataclass(frozen=True)
class Benchmark:
    """Close-rate benchmark: the FAW-Toyota network figures quoted in the seeds.

    Parameters
    ----------
    target : float
        The network average close rate a zone is judged against (13%).
    low : float
        The weakest regions' rate (8%), drawn as the lower band.
    high : float
        The best regions' rate (20%), drawn as the upper band.

    Examples
    --------
    >>> from pondstats import Benchmark
    >>> b = Benchmark()
    >>> b.target, b.low, b.high
    (0.13, 0.08, 0.2)
    >>> round(b.ac_ratio, 2)
    7.69
    """

    target: float = 0.13
    low: float = 0.08
    high: float = 0.20

    def __post_init__(self) -> None:
        if not 0.0 < self.low <= self.target <= self.high < 1.0:
            raise ValueError(
                "Benchmark needs 0 < low <= target <= high < 1, got "
                f"low={self.low}, target={self.target}, high={self.high}. "
                "Rates are fractions: write 0.13 for 13%."
            )

    @property
    def ac_ratio(self) -> float:
        """A-cards per C-card at the target rate (about 7.7 at 13%)."""
        return 1.0 / self.target


#: ``status`` values of a close-rate table.
RATE_STATUSES: tuple[str, ...] = ("weak", "on_track", "strong", "too_few")

#: Columns of the table returned by ``close_rates`` after the group columns
#: (and ``period`` when a period is asked for).
RATE_COLUMNS: tuple[str, ...] = (
    "a_cards",  # first visits (visit_no == 1) dated in the period
    "c_cards",  # deposits dated in the period, status not cancelled
    "cancelled",  # cancelled deposits dated in the period (not in c_cards)
    "unlinked",  # c_cards whose customer has no A-card at all
    "ac_ratio",  # a_cards / c_cards (NaN when c_cards == 0)
    "close_rate",  # c_cards / a_cards (NaN when a_cards == 0)
    "ci_low",  # interval for close_rate (Wilson or Jeffreys, 95%)
    "ci_high",
    "shrunk_rate",  # empirical-Bayes (beta-binomial) posterior mean
    "shrunk_low",  # its 95% credible interval
    "shrunk_high",
    "p_value",  # one-sided test against the benchmark target
    "p_adjusted",  # multiple-testing adjusted across the groups of a period
    "status",  # one of RATE_STATUSES
)
