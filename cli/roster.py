"""`roster import PATH [--rejected OUT.csv]` and `roster export [--format csv|json]` (contract section 8)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.context import AppContext
from core.files.sheets import write_csv
from core.roster.importing import ImportResult
from core.roster.queries import EXPORT_FIELDS
from core.roster.reading import Unreadable
from core.text import i18n
from desk.export import write_json
from desk.roster import export_for, import_file

SHOWN_ROWS = 50  # bad rows printed to the terminal; the rejected file holds them all


def register(sub: argparse._SubParsersAction) -> None:
    roster = sub.add_parser("roster", help="roster peserta / participant roster")
    roster_sub = roster.add_subparsers(dest="roster_command", metavar="SUBCOMMAND", required=True)
    imp = roster_sub.add_parser("import", help="impor roster dari CSV atau XLSX / import the roster "
                                "from a CSV or XLSX")
    imp.add_argument("path", type=Path, metavar="PATH")
    imp.add_argument("--rejected", type=Path, metavar="OUT.csv",
                     help="tulis baris yang ditolak beserta kolom Kesalahan / write the rejected rows "
                          "with a Kesalahan column")
    imp.set_defaults(handler=import_roster)
    export = roster_sub.add_parser("export", help="ekspor roster ke stdout / export the roster to stdout")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.set_defaults(handler=export_roster)


def import_roster(args: argparse.Namespace, ctx: AppContext) -> int:
    ctx.open_database()
    try:
        rejected = args.rejected.open("w", encoding="utf-8", newline="") if args.rejected else None
    except OSError as exc:
        print(f"Berkas baris ditolak {args.rejected} tidak bisa ditulis ({exc.strerror}) / the rejected "
              f"rows file cannot be written; pilih folder lain / choose another folder", file=sys.stderr)
        return 1
    try:
        result = import_file(ctx, args.path, None, rejected=rejected)
    except Unreadable as exc:
        both = f"{i18n.t(exc.key, 'id', **exc.params)} / {i18n.t(exc.key, 'en', **exc.params)}"
        print(both, file=sys.stderr)
        if rejected is not None:
            rejected.close()
            args.rejected.unlink(missing_ok=True)  # nothing was imported: no half list of rejects
        return 1
    if rejected is not None:
        rejected.close()
    _report(result, args.rejected)
    return 0


def _report(result: ImportResult, rejected: Path | None) -> None:
    for report in result.reports[:SHOWN_ROWS]:
        print(report.text("id"), file=sys.stderr)
    if result.rejected > SHOWN_ROWS:
        print(i18n.t("roster.more_rows", "id", count=result.rejected - SHOWN_ROWS), file=sys.stderr)
    if rejected is not None and result.rejected:
        print(i18n.t("roster.rejected_written", "id", file=str(rejected)), file=sys.stderr)
    print(f"{result.summary('id')} / {result.summary('en')}")


def export_roster(args: argparse.Namespace, ctx: AppContext) -> int:
    ctx.open_database()
    rows = export_for(None)
    try:
        if args.format == "json":
            count = write_json(rows, sys.stdout)
        else:
            count = write_csv(sys.stdout, EXPORT_FIELDS, rows)
    except BrokenPipeError:  # `| head` closed the pipe: not an error
        return 0
    print(f"{count} peserta diekspor / participants exported", file=sys.stderr)
    return 0
