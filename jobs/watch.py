"""The overdue watch: a batch delivered to Bank NTT whose results are late raises one alert.

"Late" is `overdue_results_hours` (default 48) after delivery with at least one
instruction still unanswered. Each batch alerts once (`PayoutBatch.overdue_alerted_at`).
"""

from __future__ import annotations

import datetime as dt
import logging

from peewee import fn

from core.alerts import raise_alert, said
from core.context import AppContext
from core.db import write_tx
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
    # Read to the end first: a write while this SELECT's cursor is still open upgrades its read
    # snapshot, which SQLite refuses at once ("database is locked", no busy wait) when another
    # connection wrote since, e.g. the payment-duty watch started beside it at `serve`.
    for batch in list(overdue):
        with write_tx():
            taken = (PayoutBatch.update(overdue_alerted_at=now)
                     .where(PayoutBatch.id == batch.id, PayoutBatch.overdue_alerted_at.is_null()).execute())
        if taken != 1:
            continue  # another process alerted first
        hours = (now - batch.delivered_at).total_seconds() / 3600
        # Message keys with their figures, read in each reader's language (core.alerts.said).
        alerts.append(raise_alert(
            "overdue_results", said("alert.overdue.subject", batch=batch.batch_id),
            said("alert.overdue", batch=batch.batch_id, delivered=batch.delivered_at, hours=round(hours),
                 open=batch.open_count, count=batch.instruction_count, amount=int(batch.open_amount or 0)),
            alerts=ctx.settings.alerts, batch=batch))
    return alerts
