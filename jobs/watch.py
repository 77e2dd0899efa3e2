"""The overdue watch: a batch delivered to Bank NTT whose results are late raises one alert.

"Late" is `overdue_results_hours` (default 48) after delivery with at least one
instruction still unanswered. Each batch alerts once (`PayoutBatch.overdue_alerted_at`).
"""

from __future__ import annotations

import datetime as dt
import logging

from peewee import fn

from core.alerts import raise_alert
from core.context import AppContext
from core.db import write_tx
from core.text import fmt
from models import Alert, BatchStatus, InstructionStatus, PayoutBatch, PayoutInstruction, utcnow

log = logging.getLogger(__name__)


def watch_overdue(ctx: AppContext, now: dt.datetime | None = None) -> list[Alert]:
    """Raise one alert per newly overdue batch; returns the alerts raised."""
    now = now or utcnow()
    limit = now - dt.timedelta(hours=ctx.settings.overdue_results_hours)
    open_count = fn.COUNT(PayoutInstruction.id)
    overdue = (PayoutBatch
               .select(PayoutBatch, open_count.alias("open_count"), fn.SUM(PayoutInstruction.amount)
                       .alias("open_amount"))
               .join(PayoutInstruction)
               .where(PayoutBatch.status == BatchStatus.DELIVERED, PayoutBatch.delivered_at <= limit,
                      PayoutBatch.overdue_alerted_at.is_null(),
                      PayoutInstruction.result_status == InstructionStatus.SENT)
               .group_by(PayoutBatch.id)
               .order_by(PayoutBatch.id))
    alerts = []
    for batch in overdue:
        with write_tx():
            taken = (PayoutBatch.update(overdue_alerted_at=now)
                     .where(PayoutBatch.id == batch.id, PayoutBatch.overdue_alerted_at.is_null()).execute())
        if taken != 1:
            continue  # another process alerted first
        hours = (now - batch.delivered_at).total_seconds() / 3600
        alerts.append(raise_alert(
            "overdue_results", f"Hasil bank terlambat: batch {batch.batch_id}",
            f"Batch {batch.batch_id} dikirim ke Bank NTT pada "
            f"{fmt.datetime(batch.delivered_at, zone=ctx.settings.timezone)} ({hours:.0f} jam lalu), tetapi "
            f"{batch.open_count} dari {batch.instruction_count} instruksi "
            f"({fmt.rupiah(int(batch.open_amount or 0))}) belum ada hasilnya. Hubungi Bank NTT untuk "
            f"menanyakan berkas hasil (PAYOUT_RESULT) batch ini; jangan kirim ulang klaimnya sebelum ada "
            f"jawaban, agar tidak dibayar dua kali.",
            alerts=ctx.settings.alerts, batch=batch))
    return alerts
