"""``pondstats forget``: remove one person from the history store (PIPL erasure)."""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    p = sub.add_parser(
        "forget",
        help="remove one person (by phone) from every table of the store",
        description=(
            "Delete every visit, deposit, rejected row, deposit event and conflict of "
            "the customer with this phone number, in every snapshot, and record that "
            "an erasure happened (date and counts, not the number), as China's "
            "Personal Information Protection Law asks of a data holder."
        ),
    )
    p.add_argument("--phone", required=True, metavar="NUMBER", help="the phone number")
    p.add_argument("--store", required=True, metavar="PATH", help="the store file")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pondstats.errors import InputError, PondstatsError
    from pondstats.store import Store

    with Store(args.store) as store:
        try:
            counts = store.forget(phone=args.phone)
        except InputError:
            raise PondstatsError(
                f"--phone {args.phone!r} is not a phone number (e.g. 13800138000)"
            ) from None
    rows = ", ".join(f"{n} {t}" for t, n in counts.items())
    print(
        f"removed from {args.store}: {rows}; the erasure is recorded (without the number)"
    )
    return 0
