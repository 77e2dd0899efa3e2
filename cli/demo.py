"""`demo [--claims N] [--seed S]`: fill an empty database with realistic demo claims."""

from __future__ import annotations

import argparse
import sys
import time

from core.claims.payment_duty import PaymentDuty
from core.context import AppContext
from demo.data import DemoError, generate
from demo.roster import seed_roster


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo", help="isi database kosong dengan data demo / fill an empty "
                          "database with demo data")
    demo.add_argument("--claims", type=_positive, default=2000, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace, ctx: AppContext) -> int:
    ctx.open_database()
    started = time.monotonic()
    try:
        written = generate(args.claims, args.seed, reference=ctx.reference,
                           approval_threshold=ctx.settings.approval_threshold,
                           duty=PaymentDuty.of(ctx.settings, ctx.reference),
                           programme_start=ctx.settings.programme_start)
        seed_roster(ctx.reference, args.seed)  # the demo workers' roster and sosialisasi (section 8)
    except DemoError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"{written} klaim demo dibuat dalam {time.monotonic() - started:.1f} detik / "
          f"demo claims written")
    return 0


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"harus bilangan bulat / must be a whole number: {value!r}") from None
    if number <= 0:
        raise argparse.ArgumentTypeError("harus lebih dari 0 / must be greater than 0")
    return number
