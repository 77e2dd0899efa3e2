"""Alerts: kept in the database for the UI, and e-mailed when the configuration says so.

An alert is for something a person must act on: a job that finally failed (after its
retries), a file BPJS must send again, a bank batch with results overdue. It is stored
first, so a broken mail server never loses it; the e-mail is best effort and its failure
is logged, never raised into the job that noticed the problem.

An alert is read by people of either language (issue 17), so its subject and message are kept
as a message key and its parameters (`said(...)`), stored in the alert's text columns as
`@i18n:` followed by JSON (the table has no room for more columns), and put into words when
someone reads it (`words`): in the reader's language, dates and times in the programme's zone.
A plain text (an alert from before) is shown as it is. The e-mail says it in Indonesian, then
English.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from core.settings import AlertSettings
from core.text import fmt
from core.text.i18n import DEFAULT_LANG, LANGUAGES, MESSAGES, t
from models import Alert, BatchFile, JobRun, PayoutBatch, utcnow

log = logging.getLogger(__name__)

KINDS = ("job_failed", "file_rejected", "overdue_results", "payment_duty", "insufficient_balance")
SMTP_TIMEOUT_SECONDS = 15
MARK = "@i18n:"  # a stored text that is a message key and its parameters, not words
SUBJECT_LENGTH = 200  # Alert.subject's width


@dataclass(frozen=True)
class Said:
    """A text kept as its message key and parameters. A parameter may be a number or a text, a
    date or a UTC datetime (shown in the reader's language and zone), another `Said`, a list of
    them (joined with "; "), or a {"id": ..., "en": ...} pair (a job's two labels)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


def said(key: str, **params: Any) -> Said:
    return Said(key, params)


def raise_alert(kind: str, subject: str | Said, message: str | Said, *, alerts: AlertSettings,
                job_run: JobRun | None = None, batch: PayoutBatch | None = None,
                batch_file: BatchFile | None = None) -> Alert:
    """Store an alert and e-mail it when `alerts.email_to` and `alerts.smtp.host` are set."""
    alert = Alert.create(kind=kind, subject=stored_subject(subject), message=stored(message),
                         job_run=job_run, batch=batch, batch_file=batch_file)
    log.warning("PERINGATAN [%s] %s", kind, words(alert.subject))
    if send_email(alert, alerts):
        alert.emailed_at = utcnow()
        Alert.update(emailed_at=alert.emailed_at).where(Alert.id == alert.id).execute()
    return alert


def send_email(alert: Alert, alerts: AlertSettings) -> bool:
    """Send one alert by SMTP; True when the server accepted it. Never raises."""
    smtp = alerts.smtp
    if not alerts.email_to or not smtp.host:
        return False
    mail = EmailMessage()
    mail["Subject"] = f"[Santunan NTT] {_both(alert.subject, ' / ')}"
    mail["From"] = smtp.sender
    mail["To"] = ", ".join(alerts.email_to)
    mail.set_content(f"{_both(alert.message, chr(10) * 2 + '-- English --' + chr(10) * 2)}\n\n-- \n"
                     f"{t('alert.email_footer', 'id', alert=str(alert.id))}\n"
                     f"{t('alert.email_footer', 'en', alert=str(alert.id))}\n")
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT_SECONDS) as server:
            if smtp.starttls:
                server.starttls()
            if smtp.username:
                server.login(smtp.username, smtp.password or "")
            server.send_message(mail)
    except (TimeoutError, OSError, smtplib.SMTPException) as exc:
        log.warning("E-mail peringatan #%s ke %s gagal dikirim lewat %s:%s: %s", alert.id,
                  ", ".join(alerts.email_to), smtp.host, smtp.port, exc)
        return False
    log.info("E-mail peringatan #%s dikirim ke %s", alert.id, ", ".join(alerts.email_to))
    return True


def stored(text: str | Said) -> str:
    """What goes into an alert's text column: a plain text as it is, a `Said` as `@i18n:{json}`."""
    if isinstance(text, str):
        return text
    return MARK + json.dumps({"key": text.key, "params": _encoded(text.params)}, ensure_ascii=False,
                             sort_keys=True, separators=(",", ":"))


def stored_subject(text: str | Said) -> str:
    """`stored` within the subject's width; a subject too long for its key is kept in Indonesian words."""
    value = stored(text)
    return value if len(value) <= SUBJECT_LENGTH else words(value)[:SUBJECT_LENGTH]


def words(text: str | None, lang: str = DEFAULT_LANG, zone: str = fmt.DEFAULT_ZONE) -> str:
    """An alert's stored subject or message in `lang`; a plain text as it is; never raises."""
    if not text or not text.startswith(MARK):
        return text or ""
    try:
        data = json.loads(text[len(MARK):])
        return _said(data["key"], data.get("params") or {}, lang, zone)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        # A key renamed since the alert was stored: say so rather than show its JSON.
        log.warning("Teks peringatan tidak dapat dibaca: %.120s", text)
        return t("alert.unreadable", lang)


def _both(text: str, between: str) -> str:
    """Indonesian, then English (once when both are the same: a plain text from before)."""
    first, second = words(text, "id"), words(text, "en")
    return first if first == second else f"{first}{between}{second}"


def _encoded(params: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _encode(value) for name, value in params.items()}


def _encode(value: Any) -> Any:
    if isinstance(value, Said):
        return {"said": value.key, "params": _encoded(value.params)}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, list | tuple):
        return {"list": [_encode(inner) for inner in value]}
    return value


def _said(key: str, params: Mapping[str, Any], lang: str, zone: str) -> str:
    return t(key, lang, **{name: _decode(value, lang, zone) for name, value in params.items()})


def _decode(value: Any, lang: str, zone: str) -> Any:
    if not isinstance(value, Mapping):
        return value
    if "said" in value:
        return _said(value["said"], value.get("params") or {}, lang, zone)
    if "datetime" in value:
        return fmt.datetime(dt.datetime.fromisoformat(value["datetime"]), lang, zone)
    if "date" in value:
        return fmt.date(dt.date.fromisoformat(value["date"]), lang)
    if "list" in value:
        return "; ".join(str(_decode(inner, lang, zone)) for inner in value["list"])
    if set(value) == set(LANGUAGES):
        return value["en" if lang == "en" else "id"]
    raise ValueError(f"unknown parameter {value!r}")


def cause_said(cause: str | None) -> tuple[Said, Said]:
    """A job failure's cause and what to do next, as labels (never the raw cause code)."""
    code = cause or "internal"
    # `cause.next.other` speaks of "the log below": right on the run's page, not in an alert.
    advice = said(f"cause.next.{code}") if f"cause.next.{code}" in MESSAGES else said("alert.next_default")
    return (said(f"cause.{code}") if f"cause.{code}" in MESSAGES else said("cause.other", cause=code)), advice


def open_alerts():
    """The alerts nobody acknowledged yet, newest first (index acknowledged_at, created_at)."""
    return Alert.select().where(Alert.acknowledged_at.is_null()).order_by(Alert.created_at.desc())
