"""`check`: verify the money invariants (core/claims/invariants.py) and the audit chain
(core/audit_chain.py); exit 1 naming each broken invariant and the first broken audit link."""

from __future__ import annotations

import argparse
import sys

from core.audit_chain import verify_chain
from core.claims.invariants import INVARIANTS, check_all
from core.context import AppContext
from core.text.i18n import t


def register(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser("check",
                           help="periksa invarian uang dan rantai log audit / verify the money invariants "
                                "and the audit chain")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace, ctx: AppContext) -> int:
    ctx.open_database()
    broken = check_all()
    for violation in broken:
        print(f"RUSAK / BROKEN {violation}", file=sys.stderr)
    if broken:
        print(f"{len(broken)} dari {len(INVARIANTS)} invarian rusak / invariants broken", file=sys.stderr)
    else:
        print(f"Semua {len(INVARIANTS)} invarian terpenuhi / all invariants hold")
    chain = verify_chain()
    if chain.broken:
        print(f"RUSAK / BROKEN audit_chain: {chain.broken}", file=sys.stderr)
    else:
        print(f"{t('audit_chain.intact', 'id', count=chain.checked)} / "
              f"{t('audit_chain.intact', 'en', count=chain.checked)}")
    return 1 if broken or chain.broken else 0
