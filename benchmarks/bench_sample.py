"""Time make_sample at growing scale (seconds and peak memory, one process each).

    python benchmarks/bench_sample.py            # scales 1, 10, 40
    python benchmarks/bench_sample.py 1 100      # any scales

Each scale runs in a fresh subprocess so that ``ru_maxrss`` is that run's peak.
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time, tempfile
import pondstats as ps
scale = float(sys.argv[1])
t = time.perf_counter()
s = ps.make_sample(0, scale=scale)
t_make = time.perf_counter() - t
t_write = None
if scale <= 1:
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        ps.write_sample_exports(s, d)
        t_write = time.perf_counter() - t
print(json.dumps({
    "scale": scale, "visits": len(s.visits), "deposits": len(s.deposits),
    "make_s": round(t_make, 2), "write_s": None if t_write is None else round(t_write, 2),
    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
}))
"""


def main(argv: list[str]) -> None:
    scales = argv or ["1", "10", "40"]
    print(
        f"{'scale':>6} {'visits':>10} {'deposits':>9} {'make s':>7} {'write s':>8} {'peak MB':>8}"
    )
    for sc in scales:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, sc],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        w = "" if r["write_s"] is None else r["write_s"]
        print(
            f"{r['scale']:>6} {r['visits']:>10,} {r['deposits']:>9,} {r['make_s']:>7} {w!s:>8} {r['peak_mb']:>8}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
