"""Acknowledging an alert: who saw it, when, and what they did about it (a note is required).

Raising alerts is `core.alerts` (jobs and the overdue watch); this is the people's side. The
alerts listed here are as their reader reads them (`as_read`): the stored message keys put into
the reader's language (issue 17), and every NIK and account number masked for a viewer (section 8,
issue 18): an alert or its note may quote the numbers a check or a person wrote.
"""

from __future__ import annotations

from peewee import JOIN

from core.alerts import open_alerts as core_open_alerts
from core.alerts import words
from core.audit import audit
from core.db import write_tx
from core.text.fmt import DEFAULT_ZONE
from core.text.i18n import DEFAULT_LANG
from desk.acting import acting_user, clean_text
from desk.masking import mask_text
from desk.permissions import Action
from desk.refusal import Refused
from models import Alert, PayoutBatch, User, utcnow


def acknowledge(alert_id: int, username: str, note: str | None) -> Alert:
    """Close an open alert with a note (coordinator and up); raises Refused if already closed."""
    actor = acting_user(username, Action.ACK_ALERT)
    text = clean_text(note, required=True)
    with write_tx():
        alert = Alert.get_or_none(Alert.id == alert_id)
        if alert is None:
            raise Refused("alerts.error.not_found", alert=str(alert_id))
        done = (Alert.update(acknowledged_at=utcnow(), acknowledged_by=actor.id, acknowledge_note=text)
                .where(Alert.id == alert_id, Alert.acknowledged_at.is_null()).execute())
        if done != 1:
            raise Refused("alerts.error.already", alert=str(alert_id))
        audit("ALERT_ACK", username=actor.username, target=words(alert.subject)[:200],
              details={"alert_id": alert.id, "kind": alert.kind, "note": text})
    return Alert.get_by_id(alert_id)


def open_alerts(role: str | None, lang: str = DEFAULT_LANG, zone: str = DEFAULT_ZONE,
                limit: int = 200) -> tuple[list[Alert], int]:
    """The newest open alerts (up to `limit`) as `role` reads them in `lang`, and how many are open.

    Each alert carries `batch_code`, its payout batch's id (None without one), for links.
    """
    query = (Alert.select(Alert, PayoutBatch.batch_id.alias("batch_code"))
             .join(PayoutBatch, JOIN.LEFT_OUTER, on=(Alert.batch == PayoutBatch.id))
             .where(Alert.acknowledged_at.is_null()).order_by(Alert.created_at.desc(), Alert.id.desc()))
    alerts = [as_read(alert, role, lang, zone) for alert in query.limit(limit).objects()]
    return alerts, core_open_alerts().count()


def recently_acknowledged(role: str | None, lang: str = DEFAULT_LANG, zone: str = DEFAULT_ZONE,
                          limit: int = 20) -> list[tuple[Alert, str | None]]:
    """The last acknowledged alerts (as `role` reads them in `lang`) with who acknowledged them."""
    rows = (Alert.select(Alert, User.username.alias("by"))
            .join(User, JOIN.LEFT_OUTER, on=(Alert.acknowledged_by == User.id))
            .where(Alert.acknowledged_at.is_null(False))
            .order_by(Alert.acknowledged_at.desc()).limit(limit).objects())
    return [(as_read(row, role, lang, zone), row.by) for row in rows]


def as_read(alert: Alert, role: str | None, lang: str = DEFAULT_LANG, zone: str = DEFAULT_ZONE) -> Alert:
    """`alert` with its subject, message and note as `role` reads them in `lang` (for showing: the
    instance is changed in place and must not be saved)."""
    alert.subject = mask_text(role, words(alert.subject, lang, zone)) or ""
    alert.message = mask_text(role, words(alert.message, lang, zone)) or ""
    alert.acknowledge_note = mask_text(role, alert.acknowledge_note)
    return alert
