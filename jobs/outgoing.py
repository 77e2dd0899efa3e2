"""Delivering a file we send: write it from the recorded rows, then upload it, never rebuild it.

A push job first records the file and its lines in one transaction (status RECORDED).
From there `deliver` takes it, one durable step at a time:

    RECORDED  -> write the file from the recorded rows (the same rows give the same bytes,
                 so a crash before the next step just writes it again), check its count and
                 total against the record, then record its SHA-256: WRITTEN
    WRITTEN   -> upload it (`name.part`, then rename); the same bytes if this is a retry,
                 and a file of that name already there with the same content counts as sent
              -> DELIVERED

A written file is never written again: if the local copy is lost, it is rebuilt only to
compare, and used only if its SHA-256 is the recorded one.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.context import AppContext
from core.db import write_tx
from core.files.layout import write_file
from jobs import crashpoints
from jobs.result import JobError
from jobs.sftp.client import SftpClient
from jobs.sftp.staging import sha256_of
from jobs.transfer import local_dir, open_sftp, partner_label
from models import BatchFile, FileStatus, utcnow

StatusHook = Callable[[BatchFile, str], None]


@dataclass(frozen=True)
class Outbound:
    job: str
    partner: str
    file_type: str
    header: Callable[[AppContext, BatchFile], dict[str, Any]]  # from recorded rows only
    records: Callable[[BatchFile], Iterable[dict[str, Any]]]  # recorded lines, in file order
    on_status: StatusHook | None = None  # mirror WRITTEN / DELIVERED elsewhere (the payout batch)


def pending(outbound: Outbound) -> list[BatchFile]:
    """Files recorded or written but not yet delivered, oldest first."""
    return list(BatchFile.select().where(BatchFile.direction == "OUT", BatchFile.partner == outbound.partner,
                                         BatchFile.file_type == outbound.file_type,
                                         BatchFile.status.in_(FileStatus.UNDELIVERED))
                .order_by(BatchFile.id))


@contextmanager
def connection(ctx: AppContext, partner: str) -> Iterator[SftpClient]:
    """The partner's SFTP client, connecting on its first verb: a run with nothing to send connects
    to no one."""
    sftp = open_sftp(ctx, partner)
    try:
        yield sftp
    finally:
        sftp.close()


def deliver(ctx: AppContext, log: logging.Logger, outbound: Outbound, batch_file: BatchFile,
            sftp: SftpClient) -> None:
    """Take one recorded file to DELIVERED (see module docstring). Raises JobError or SftpError."""
    path = local_dir(ctx, "outgoing", outbound.partner) / batch_file.name
    if batch_file.status == FileStatus.RECORDED:
        _write(ctx, log, outbound, batch_file, path)
    else:
        path = _intact(ctx, outbound, batch_file, path)
    uploaded = sftp.upload(path, batch_file.name)
    if uploaded.sha256 != batch_file.sha256:
        raise JobError(f"Berkas {batch_file.name} yang terkirim berbeda dari yang tercatat (SHA-256 "
                       f"{uploaded.sha256[:12]} bukan {batch_file.sha256[:12]}). Hubungi admin sistem.",
                       cause="internal")
    crashpoints.hit(f"{outbound.job}.after_upload")
    with write_tx():
        now = utcnow()
        (BatchFile.update(status=FileStatus.DELIVERED, delivered_at=now)
         .where(BatchFile.id == batch_file.id).execute())
        if outbound.on_status:
            outbound.on_status(batch_file, FileStatus.DELIVERED)
    batch_file.status = FileStatus.DELIVERED
    log.info("%s terkirim ke %s%s", batch_file.name, partner_label(outbound.partner),
             " (sudah ada di server: kiriman sebelumnya selesai)" if uploaded.already_present else "")
    crashpoints.hit(f"{outbound.job}.after_delivered")


def _write(ctx: AppContext, log: logging.Logger, outbound: Outbound, batch_file: BatchFile,
           path: Path) -> None:
    layout = ctx.layouts[outbound.file_type]
    written = write_file(layout, path, outbound.header(ctx, batch_file), outbound.records(batch_file),
                         overwrite=True)  # RECORDED: never uploaded, so writing it again is safe
    if (written.count, written.control_total) != (batch_file.record_count, batch_file.control_total):
        raise JobError(f"Berkas {batch_file.name} tidak cocok dengan catatannya: {written.count} baris/total "
                       f"{written.control_total}, tercatat {batch_file.record_count}/"
                       f"{batch_file.control_total}. Berkas tidak dikirim; hubungi admin sistem.",
                       cause="internal")
    crashpoints.hit(f"{outbound.job}.after_write")
    with write_tx():
        BatchFile.update(status=FileStatus.WRITTEN, sha256=written.sha256, local_path=str(path)).where(
            BatchFile.id == batch_file.id).execute()
        if outbound.on_status:
            outbound.on_status(batch_file, FileStatus.WRITTEN)
    batch_file.status = FileStatus.WRITTEN
    batch_file.sha256, batch_file.local_path = written.sha256, str(path)
    log.info("%s ditulis: %d baris, SHA-256 %s", batch_file.name, written.count, written.sha256[:12])
    crashpoints.hit(f"{outbound.job}.after_record_written")


def _intact(ctx: AppContext, outbound: Outbound, batch_file: BatchFile, path: Path) -> Path:
    """The written file, as recorded; rebuilt (to compare only) when the local copy is gone."""
    recorded = Path(batch_file.local_path) if batch_file.local_path else path
    if recorded.exists() and sha256_of(recorded)[0] == batch_file.sha256:
        return recorded
    with tempfile.TemporaryDirectory(dir=local_dir(ctx, "outgoing", outbound.partner)) as tmp:
        rebuilt = write_file(ctx.layouts[outbound.file_type], Path(tmp) / batch_file.name,
                             outbound.header(ctx, batch_file), outbound.records(batch_file))
        if rebuilt.sha256 == batch_file.sha256:
            rebuilt.path.replace(recorded)
            return recorded
    raise JobError(f"Berkas {batch_file.name} sudah ditulis tetapi salinan lokalnya hilang atau berubah "
                   f"({recorded}). Berkas batch tidak pernah dibuat ulang dengan isi lain: hubungi admin "
                   "sistem untuk memulihkan salinan aslinya.", cause="internal")
