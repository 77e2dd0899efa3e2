"""The payment-duty alert: unpaid claims past BPJS's N-working-day duty, raised for people to act on.

One alert at a time: while one is open nothing new is raised (its message gives the
count when it was raised; the dashboard and `/klaim?duty=1` give the live list). Once
acknowledged, the next one comes at the earliest the next local day, so a coordinator
who has dealt with today's list is not called again within the hour. The check and the
insert share one write transaction, so two processes watching do not raise it twice.

`watch_payment_duty(ctx)` is meant for the scheduler's periodic watch, beside
`jobs.watch.watch_overdue`.
"""

from __future__ import annotations

import datetime as dt
import logging

from core.alerts import send_email
from core.claims.queries import Duty, past_duty_summary
from core.context import AppContext
from core.db import write_tx
from core.text import fmt
from models import Alert, utcnow

log = logging.getLogger(__name__)
KIND = "payment_duty"


def watch_payment_duty(ctx: AppContext, today: dt.date | None = None) -> Alert | None:
    """Raise the payment-duty alert when claims are past the duty and none was raised today; returns it."""
    settings = ctx.settings
    zone = settings.timezone
    today = today or fmt.local_today(zone)
    duty = Duty(settings.payment_duty_working_days, zone)
    summary = past_duty_summary(duty, today, limit=3)
    if not summary.count:
        return None
    since = fmt.local_midnight_utc(today, zone)
    with write_tx():
        recent = Alert.select().where(Alert.kind == KIND) \
            .where(Alert.acknowledged_at.is_null() | (Alert.created_at >= since))
        if recent.exists():
            return None
        oldest = "; ".join(f"{c['claim_no']} ({fmt.rupiah(c['approved_amount'])}, diterima "
                           f"{fmt.date(fmt.to_local(c['received_at'], zone))})" for c in summary.oldest)
        message = (f"{summary.count} klaim belum dibayar padahal sudah lewat batas {duty.days} hari kerja "
                   f"sejak diterima (total {fmt.rupiah(summary.total)}). Yang paling lama: {oldest}. Buka "
                   f"antrean klaim dengan filter 'Hanya yang lewat batas bayar' untuk daftar lengkapnya dan "
                   f"selesaikan yang tertahan (perlu ditinjau, menunggu persetujuan, ditunda, gagal "
                   f"dibayar).")
        subject = f"{summary.count} klaim lewat batas bayar {duty.days} hari kerja"
        alert = Alert.create(kind=KIND, subject=subject, message=message)
    log.warning("PERINGATAN [%s] %s", KIND, alert.subject)
    if send_email(alert, settings.alerts):
        Alert.update(emailed_at=utcnow()).where(Alert.id == alert.id).execute()
    return alert
