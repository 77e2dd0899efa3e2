"""`statement import PATH` and `statement exceptions [--format csv|json]` (contract section 10).

The import is the one path of jobs/bank/statement.py, through desk/statements.py;
a rejected statement exits 1 with its reason, one already imported exits 0 and says so.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.context import AppContext
from core.files.sheets import write_csv
from core.statements.parse import StatementRejected
from core.statements.queries import EXCEPTION_FIELDS, exception_rows
from core.text.i18n import t
from desk.statements import describe_import, import_from_command_line


def register(sub: argparse._SubParsersAction) -> None:
    statement = sub.add_parser("statement", help="rekening koran Bank NTT (MT940) / Bank NTT statements")
    statement_sub = statement.add_subparsers(dest="statement_command", metavar="SUBCOMMAND", required=True)
    imp = statement_sub.add_parser("import", help="impor rekening koran MT940 / import an MT940 statement")
    imp.add_argument("path", metavar="PATH", type=Path)
    imp.set_defaults(handler=import_statement)
    exc = statement_sub.add_parser("exceptions", help="pengecualian yang belum diselesaikan / unresolved "
                                                      "statement exceptions")
    exc.add_argument("--format", choices=("csv", "json"), default="csv")
    exc.set_defaults(handler=list_exceptions)


def import_statement(args: argparse.Namespace, ctx: AppContext) -> int:
    path: Path = args.path
    ctx.open_database()
    try:
        outcome = import_from_command_line(ctx, path)
    except OSError as exc:
        error = exc.strerror or type(exc).__name__
        print(f"{t('statement.unreadable_file', 'id', file=path, error=error)} / "
              f"{t('statement.unreadable_file', 'en', file=path, error=error)}", file=sys.stderr)
        return 2
    except StatementRejected as rejected:
        reason_id = t(rejected.key, "id", **rejected.params)
        reason_en = t(rejected.key, "en", **rejected.params)
        print(f"{t('statement.rejected', 'id', file=path.name, reason=reason_id)} / "
              f"{t('statement.rejected', 'en', file=path.name, reason=reason_en)}", file=sys.stderr)
        return 1
    for id_line, en_line in zip(describe_import(outcome, path.name, "id"),
                                describe_import(outcome, path.name, "en"), strict=True):
        print(id_line if id_line == en_line else f"{id_line} / {en_line}")
    return 0


def list_exceptions(args: argparse.Namespace, ctx: AppContext) -> int:
    ctx.open_database()
    rows = list(exception_rows())
    try:
        if args.format == "json":
            json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        else:
            write_csv(sys.stdout, EXCEPTION_FIELDS, rows)
    except BrokenPipeError:
        return 0
    print(f"{t('statement.open_exceptions', 'id', count=len(rows))} / "
          f"{t('statement.open_exceptions', 'en', count=len(rows))}", file=sys.stderr)
    return 0
