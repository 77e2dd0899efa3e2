"""`check`: verify the money invariants; exit 1 naming each broken one (see core/claims/invariants.py)."""

from __future__ import annotations

import argparse
import sys

from core.claims.invariants import INVARIANTS, check_all
from core.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser("check",
                           help="periksa invarian uang (tidak ada bayar ganda, total cocok) / verify "
                                         "the money invariants")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace, ctx: AppContext) -> int:
    ctx.open_database()
    broken = check_all()
    for violation in broken:
        print(f"RUSAK / BROKEN {violation}", file=sys.stderr)
    if broken:
        print(f"{len(broken)} dari {len(INVARIANTS)} invarian rusak / invariants broken", file=sys.stderr)
        return 1
    print(f"Semua {len(INVARIANTS)} invarian terpenuhi / all invariants hold")
    return 0
