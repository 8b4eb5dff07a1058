"""What the sample plants for the KPI board: C-card targets and spend by source.

Drawn from a random stream of its own (``default_rng([random_state, 15])``),
after everything else, so the visits, deposits and spend of
:func:`pondstats.make_sample` (and their export files) stay byte-identical.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["PAID_SOURCE_COSTS", "board_rng", "plant_board"]

#: Planted relative cost of a deposit per paid lead source (yuan at the
#: group's average spend level; walk-ins (自然到店) cost no marketing money).
#: Referrals are cheapest, car shows dearest.
PAID_SOURCE_COSTS: dict[str, float] = {
    "转介绍": 1500.0,
    "异业联盟": 2500.0,
    "电话": 3000.0,
    "网络": 4500.0,
    "社区推广": 5000.0,
    "外拓": 6000.0,
    "车展": 9000.0,
}


def board_rng(random_state, salt: int = 15) -> np.random.Generator:
    """The separate random stream of the KPI-board plants."""
    if isinstance(random_state, np.random.Generator):
        return random_state.spawn(1)[0]
    if random_state is None:
        return np.random.default_rng()
    return np.random.default_rng([int(random_state), salt])


def plant_board(
    rng: np.random.Generator,
    *,
    regions: np.ndarray,
    periods: pd.PeriodIndex,
    spend: np.ndarray,
    lam: np.ndarray,
    true_rate: np.ndarray,
    sources: np.ndarray,
    source_deposits: np.ndarray,
):
    """Targets per zone and month, and each zone-month's spend split by source.

    Parameters
    ----------
    rng : Generator
        The board's own stream (:func:`board_rng`).
    regions, periods : zone names and months of the sample.
    spend : ndarray (zone, month)
        The zone spend (split here, unchanged in total).
    lam : ndarray (zone, month)
        Expected first visits.
    true_rate : ndarray (zone,)
        Planted period close rate.
    sources : ndarray (source,)
        Source names, as in the visits.
    source_deposits : ndarray (zone, source)
        Expected deposits per prospect from each source (share x chance).

    Returns
    -------
    (targets, spend_by_source, truth_targets, truth_costs)
    """
    nz, nm = lam.shape
    expected_c = lam * true_rate[:, None]
    stretch = rng.uniform(0.9, 1.25, nz)  # some zones get stiff targets
    wobble = rng.uniform(0.95, 1.05, (nz, nm))
    target = np.maximum(1, np.round(expected_c * stretch[:, None] * wobble))
    month = pd.PeriodIndex(np.tile(periods, nz), freq="M")
    region = np.repeat(regions, nm)
    targets = pd.DataFrame(
        {"region": pd.array(region, dtype="str"), "month": month,
         "target": target.ravel().astype("float64")}
    )  # fmt: skip
    truth_targets = targets.assign(expected_c_cards=expected_c.ravel())
    paid = np.array([s in PAID_SOURCE_COSTS for s in sources])
    cost = np.array([PAID_SOURCE_COSTS.get(s, 0.0) for s in sources])
    # expected C-cards per zone, month and source; weights of the spend split
    exp_dep = lam[:, :, None] * source_deposits[:, None, :]
    noise = np.exp(rng.normal(0.0, 0.15, exp_dep.shape))
    w = np.where(paid, cost * exp_dep * noise, 0.0)
    share = w / w.sum(axis=2, keepdims=True)
    split = np.round(spend[:, :, None] * share, -2)
    # the rounding remainder goes to the largest part: the split adds up exactly
    big = share.argmax(axis=2)
    rest = spend - split.sum(axis=2)
    np.put_along_axis(
        split, big[:, :, None],
        np.take_along_axis(split, big[:, :, None], axis=2) + rest[:, :, None], axis=2,
    )  # fmt: skip
    ns = len(sources)
    keep = np.broadcast_to(paid, split.shape).ravel()
    spend_by_source = pd.DataFrame(
        {
            "region": pd.array(np.repeat(regions, nm * ns), dtype="str"),
            "month": pd.PeriodIndex(np.repeat(np.tile(periods, nz), ns), freq="M"),
            "source": pd.array(np.tile(sources, nz * nm), dtype="str"),
            "spend": split.ravel().astype("float64"),
        }
    )[keep].reset_index(drop=True)
    tot_spend = split.sum(axis=(0, 1))
    tot_dep = exp_dep.sum(axis=(0, 1))
    truth_costs = pd.DataFrame(
        {
            "source": pd.array(sources, dtype="str"),
            "paid": paid,
            "spend": tot_spend,
            "expected_c_cards": tot_dep,
            "cost_per_deposit": np.where(paid, tot_spend / tot_dep, np.nan),
        }
    )
    return targets, spend_by_source, truth_targets, truth_costs
