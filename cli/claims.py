"""`claims export [--status S] [--format csv|json]`: claims to standard output."""

from __future__ import annotations

import argparse
import sys

from core.claims.payment_duty import PaymentDuty
from core.context import AppContext
from core.text.fmt import local_today
from desk.export import export_rows, with_days_late, write_csv, write_json
from models import Claim, ClaimStatus


def register(sub: argparse._SubParsersAction) -> None:
    claims = sub.add_parser("claims", help="data klaim / claims data")
    claims_sub = claims.add_subparsers(dest="claims_command", metavar="SUBCOMMAND", required=True)
    export = claims_sub.add_parser("export", help="ekspor klaim ke stdout / export claims to stdout")
    export.add_argument("--status", type=_status, action="append",
                        help="hanya status ini (boleh diulang) / only this status (repeatable): "
                             + ", ".join(ClaimStatus.ALL))
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.set_defaults(handler=export_claims)


def export_claims(args: argparse.Namespace, ctx: AppContext) -> int:
    ctx.open_database()
    query = Claim.select()
    if args.status:
        query = query.where(Claim.status.in_(args.status))
    if args.format == "json":  # the contract's JSON also gives each claim's payment duty
        duty = PaymentDuty.of(ctx.settings, ctx.reference)
        rows = with_days_late(export_rows(query, extra=("payment_due_date",)), duty,
                              local_today(ctx.settings.timezone))
    else:
        rows = export_rows(query)
    writer = write_json if args.format == "json" else write_csv
    try:
        count = writer(rows, sys.stdout)
    except BrokenPipeError:  # `| head` closed the pipe: not an error
        return 0
    print(f"{count} klaim diekspor / claims exported", file=sys.stderr)
    return 0


def _status(value: str) -> str:
    status = value.strip().upper()
    if status not in ClaimStatus.ALL:
        raise argparse.ArgumentTypeError(
            f"status tidak dikenal / unknown status {value!r}; pilih / choose: {', '.join(ClaimStatus.ALL)}")
    return status
