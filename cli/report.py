"""`report monthly YYYY-MM --out FILE.xlsx|FILE.pdf` (contract section 9): the month for the Kepala
Dinas, per kabupaten/kota (all 22) and per benefit type; the format follows the file's extension."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.documents import out_dir_error
from core.context import AppContext
from core.text.i18n import t
from desk.refusal import Refused
from desk.reports.render import write_monthly


def register(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser("report", help="laporan / reports")
    report_sub = report.add_subparsers(dest="report_command", metavar="SUBCOMMAND", required=True)
    monthly = report_sub.add_parser("monthly", help="laporan bulanan, .xlsx atau .pdf / "
                                                    "monthly report, .xlsx or .pdf")
    monthly.add_argument("month", metavar="YYYY-MM")
    monthly.add_argument("--out", required=True, type=Path, metavar="FILE")
    monthly.set_defaults(handler=monthly_report)


def monthly_report(args: argparse.Namespace, ctx: AppContext) -> int:
    ctx.open_database()
    try:
        path = write_monthly(args.month, args.out, ctx.settings, ctx.reference)
    except Refused as exc:
        print(f"{exc.message('id')} / {exc.message('en')}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(out_dir_error(args.out, exc), file=sys.stderr)
        return 1
    print(f"{t('doc.written', 'id', path=path)} / {t('doc.written', 'en', path=path)}")
    return 0
