"""`outreach add ...` records one sosialisasi session; `outreach list [--format csv|json]` prints one
row per kabupaten/kota, all 22 (contract section 8)."""

from __future__ import annotations

import argparse
import sys

from core.context import AppContext
from core.files.sheets import write_csv
from core.roster.outreach import FIELDS
from desk.export import plain_value, write_json
from desk.outreach import outreach_for, record_session
from desk.refusal import Refused


def register(sub: argparse._SubParsersAction) -> None:
    outreach = sub.add_parser("outreach", help="sosialisasi / outreach sessions")
    outreach_sub = outreach.add_subparsers(dest="outreach_command", metavar="SUBCOMMAND", required=True)
    add = outreach_sub.add_parser("add", help="catat satu sesi sosialisasi / record one session")
    add.add_argument("--kabupaten", required=True, metavar="CODE", help="kode Kemendagri, mis. 5314 / code")
    add.add_argument("--date", required=True, metavar="DATE", help="YYYY-MM-DD atau/or DD/MM/YYYY")
    add.add_argument("--place", required=True, metavar="TEXT")
    add.add_argument("--facilitator", metavar="TEXT")
    add.add_argument("--attendees", default="0", metavar="N")
    add.add_argument("--notes", metavar="TEXT")
    add.set_defaults(handler=add_session)
    listing = outreach_sub.add_parser("list", help="satu baris per kabupaten/kota / one row per "
                                      "kabupaten/kota")
    listing.add_argument("--format", choices=("csv", "json"), default="csv")
    listing.set_defaults(handler=list_outreach)


def add_session(args: argparse.Namespace, ctx: AppContext) -> int:
    ctx.open_database()
    try:
        session = record_session(ctx, None, kabupaten_code=args.kabupaten, date=args.date, place=args.place,
                                 facilitator=args.facilitator, attendees=args.attendees, notes=args.notes)
    except Refused as exc:
        print(f"{exc.message('id')} / {exc.message('en')}", file=sys.stderr)
        return 1
    name = ctx.reference.label("kabupaten", session.kabupaten_code)
    print(f"Sosialisasi dicatat / session recorded: {name}, {session.date.isoformat()}, {session.place}")
    return 0


def list_outreach(args: argparse.Namespace, ctx: AppContext) -> int:
    ctx.open_database()
    rows = [{k: plain_value(v) for k, v in row.items()} for row in outreach_for(ctx, None)]
    try:
        if args.format == "json":
            write_json(iter(rows), sys.stdout)
        else:
            write_csv(sys.stdout, FIELDS, rows)
    except BrokenPipeError:
        return 0
    return 0
