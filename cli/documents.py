"""`documents batch BATCH_ID --out DIR` and `documents receipt CLAIM_NO --out DIR` (contract section 9):
a batch's daftar nominatif and berita acara, a paid claim's bukti bayar, as PDF files in DIR.

The operator at the command line sees the whole province (as `claims export` does); the web
downloads pass the signed-in user, whose desk limits what is printed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from core.context import AppContext
from core.text.i18n import t
from desk.documents.batch import write_batch_documents
from desk.documents.receipt import write_receipt
from desk.refusal import Refused


def register(sub: argparse._SubParsersAction) -> None:
    documents = sub.add_parser("documents", help="cetak dokumen PDF / print PDF documents")
    documents_sub = documents.add_subparsers(dest="documents_command", metavar="SUBCOMMAND", required=True)
    batch = documents_sub.add_parser("batch", help="daftar nominatif dan berita acara sebuah batch / "
                                                   "a batch's beneficiary list and handover minutes")
    batch.add_argument("batch_id")
    batch.add_argument("--out", required=True, type=Path, metavar="DIR")
    batch.set_defaults(handler=batch_documents)
    receipt = documents_sub.add_parser("receipt", help="bukti bayar klaim yang sudah dibayar / "
                                                       "a paid claim's receipt")
    receipt.add_argument("claim_no")
    receipt.add_argument("--out", required=True, type=Path, metavar="DIR")
    receipt.set_defaults(handler=receipt_document)


def batch_documents(args: argparse.Namespace, ctx: AppContext) -> int:
    return _write(ctx, args.out, lambda: write_batch_documents(args.batch_id.strip(), args.out, ctx.reference,
                                                               zone=ctx.settings.timezone))


def receipt_document(args: argparse.Namespace, ctx: AppContext) -> int:
    return _write(ctx, args.out, lambda: [write_receipt(args.claim_no.strip(), args.out, ctx.reference,
                                                        zone=ctx.settings.timezone)])


def _write(ctx: AppContext, out: Path, write: Callable[[], list[Path]]) -> int:
    ctx.open_database()
    try:
        paths = write()
    except Refused as exc:
        print(f"{exc.message('id')} / {exc.message('en')}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(out_dir_error(out, exc), file=sys.stderr)
        return 1
    for path in paths:
        print(f"{t('doc.written', 'id', path=path)} / {t('doc.written', 'en', path=path)}")
    return 0


def out_dir_error(path: Path, exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    return f"{t('doc.error.out_dir', 'id', path=path, reason=reason)} / " \
           f"{t('doc.error.out_dir', 'en', path=path, reason=reason)}"
