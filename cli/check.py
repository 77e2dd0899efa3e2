"""`check`: verify the money invariants (core/claims/invariants.py) and the hash chains of the audit
log and the money events (core/audit_chain.py), and the bank statement exceptions (section 10);
exit 1 naming each broken invariant, the first broken link of each chain and each unresolved
statement exception."""

from __future__ import annotations

import argparse
import sys

from core.audit_chain import verify_chains
from core.claims.invariants import INVARIANTS, check_all
from core.context import AppContext
from core.statements.queries import unresolved_for_check
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
    chains = verify_chains()
    for chain in chains:
        if chain.broken:
            print(f"RUSAK / BROKEN {chain.chain}_chain: {chain.broken}", file=sys.stderr)
        else:
            print(chain)
    # Section 10: every statement exception stays a failure of `check` until a supervisor resolves it.
    unresolved = unresolved_for_check()
    for line in unresolved:
        print(f"TERBUKA / UNRESOLVED statement_exception: {line}", file=sys.stderr)
    if unresolved:
        print(f"{t('statement.open_exceptions', 'id', count=len(unresolved))} / "
              f"{t('statement.open_exceptions', 'en', count=len(unresolved))}", file=sys.stderr)
    else:
        print(f"{t('statement.no_open_exceptions', 'id')} / {t('statement.no_open_exceptions', 'en')}")
    return 1 if broken or unresolved or any(chain.broken for chain in chains) else 0
