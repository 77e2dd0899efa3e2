"""The payment-duty alert: unpaid claims past their payment due date, raised for people to act on.

"Past the duty" is the one rule of `core.claims.queries.Duty.past` (an unpaid claim whose
stored `payment_due_date` is before today), so the alert, the dashboard and `/klaim?duty=1`
always give the same count. One alert at a time: while one is open nothing new is raised,
but its subject and message are brought up to date with the current count at each watch
(so an open alert never shows a stale number beside the dashboard's). Once acknowledged,
the next one comes at the earliest the next local day, so a coordinator who has dealt with
today's list is not called again within the hour. The check and the write share one write
transaction, so two processes watching do not raise it twice.

`watch_payment_duty(ctx)` is meant for the scheduler's periodic watch, beside
`jobs.watch.watch_overdue`.
"""

from __future__ import annotations

import datetime as dt
import logging

from core.alerts import Said, said, send_email, stored, stored_subject, words
from core.claims.queries import Duty, DutySummary, past_duty_summary
from core.context import AppContext
from core.db import write_tx
from core.text import fmt
from models import Alert, utcnow

log = logging.getLogger(__name__)
KIND = "payment_duty"


def watch_payment_duty(ctx: AppContext, today: dt.date | None = None) -> Alert | None:
    """Raise the payment-duty alert when claims are past their due date and none was raised today;
    returns the new alert (None when none was raised; an open one is updated with today's figures)."""
    settings = ctx.settings
    zone = settings.timezone
    today = today or fmt.local_today(zone)
    summary = past_duty_summary(Duty(zone), today, limit=3)
    since = fmt.local_midnight_utc(today, zone)
    with write_tx():
        open_alert = Alert.select().where(Alert.kind == KIND, Alert.acknowledged_at.is_null()).first()
        if open_alert is not None:
            subject, message = describe(summary) if summary.count else (
                said("alert.duty.none.subject"), said("alert.duty.none"))
            Alert.update(subject=stored_subject(subject), message=stored(message)) \
                .where(Alert.id == open_alert.id).execute()
            return None
        if not summary.count or Alert.select().where(Alert.kind == KIND, Alert.created_at >= since).exists():
            return None
        subject, message = describe(summary)
        alert = Alert.create(kind=KIND, subject=stored_subject(subject), message=stored(message))
    log.warning("PERINGATAN [%s] %s", KIND, words(alert.subject))
    if send_email(alert, settings.alerts):
        Alert.update(emailed_at=utcnow()).where(Alert.id == alert.id).execute()
    return alert


def describe(summary: DutySummary) -> tuple[Said, Said]:
    """Subject and message of the alert for these figures, as message keys (core.alerts.said):
    each reader sees them in their language."""
    oldest = [said("alert.duty.claim", claim=c["claim_no"], amount=c["approved_amount"],
                   due=c["payment_due_date"]) for c in summary.oldest]
    return (said("alert.duty.subject", count=summary.count),
            said("alert.duty", count=summary.count, today=summary.today, total=summary.total, oldest=oldest))
