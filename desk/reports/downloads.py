"""The web downloads of the documents and the monthly report: who may, what they get, the audit row.

Each function reads the acting user from the database (`desk.acting.acting_user`: the role and
the active flag now, not what the page remembered), writes the file into a new private
temporary folder (the caller streams it and deletes the folder), and records the download in
the audit trail. The user's kabupaten desk narrows what is printed (`desk.documents.data`). A
refusal raises `Refused` (or `PermissionDenied`) before anything is written or audited.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from core.audit import audit
from core.context import AppContext
from desk.acting import acting_user
from desk.documents.batch import berita_acara, daftar_nominatif
from desk.documents.data import batch_lines, file_part
from desk.documents.receipt import write_receipt
from desk.permissions import Action
from desk.reports.render import write_monthly

BATCH_KINDS = ("daftar-nominatif", "berita-acara")
REPORT_KINDS = ("xlsx", "pdf")


def batch_document(ctx: AppContext, batch_id: str, kind: str, username: str | None) -> Path:
    """`DAFTAR_NOMINATIF_<batch>.pdf` or `BERITA_ACARA_<batch>.pdf` (kind `daftar-nominatif` /
    `berita-acara`) for `username` (coordinator and up); audited."""
    user = acting_user(username, Action.PRINT_DOCUMENTS)
    data = batch_lines(batch_id, user)
    zone, name = ctx.settings.timezone, file_part(batch_id)
    if kind == "daftar-nominatif":
        path = _written(lambda folder: daftar_nominatif(data, ctx.reference, zone)
                        .save(folder / f"DAFTAR_NOMINATIF_{name}.pdf"))
    else:
        path = _written(lambda folder: berita_acara(data, zone).save(folder / f"BERITA_ACARA_{name}.pdf"))
    audit("DOCUMENT_DOWNLOAD", username=user.username, target=path.name,
          details={"batch_id": batch_id, "lines": len(data.lines)})
    return path


def receipt_document(ctx: AppContext, claim_no: str, username: str | None) -> Path:
    """`BUKTI_BAYAR_<claim_no>.pdf` of a PAID claim on the user's desk (coordinator and up); audited."""
    user = acting_user(username, Action.PRINT_DOCUMENTS)
    path = _written(lambda folder: write_receipt(claim_no, folder, ctx.reference, user,
                                                 zone=ctx.settings.timezone))
    audit("DOCUMENT_DOWNLOAD", username=user.username, target=path.name, details={"claim_no": claim_no})
    return path


def monthly_report_file(ctx: AppContext, month: str, kind: str, username: str | None) -> Path:
    """The monthly report of `month` (`YYYY-MM`) as `kind` (xlsx / pdf) for any signed-in user who may
    export, narrowed to their desk; audited."""
    user = acting_user(username, Action.EXPORT)
    path = _written(lambda folder: write_monthly(month, folder / f"LAPORAN_BULANAN_{file_part(month)}.{kind}",
                                                 ctx.settings, ctx.reference, user))
    audit("REPORT_DOWNLOAD", username=user.username, target=path.name,
          details={"month": month, "format": kind})
    return path


def discard(path: Path) -> None:
    """Delete the temporary folder a download was written into (after it was sent)."""
    shutil.rmtree(path.parent, ignore_errors=True)


def _written(write: Callable[[Path], Path]) -> Path:
    """`write(folder)` into a new private temporary folder (0700); the folder is removed if it fails."""
    folder = Path(tempfile.mkdtemp(prefix="santunan-dokumen-"))
    try:
        return write(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
