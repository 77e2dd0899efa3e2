"""Alerts: kept in the database for the UI, and e-mailed when the configuration says so.

An alert is for something a person must act on: a job that finally failed (after its
retries), a file BPJS must send again, a bank batch with results overdue. It is stored
first, so a broken mail server never loses it; the e-mail is best effort and its failure
is logged, never raised into the job that noticed the problem.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from core.settings import AlertSettings
from models import Alert, BatchFile, JobRun, PayoutBatch, utcnow

log = logging.getLogger(__name__)

KINDS = ("job_failed", "file_rejected", "overdue_results", "payment_duty")
SMTP_TIMEOUT_SECONDS = 15


def raise_alert(kind: str, subject: str, message: str, *, alerts: AlertSettings,
                job_run: JobRun | None = None, batch: PayoutBatch | None = None,
                batch_file: BatchFile | None = None) -> Alert:
    """Store an alert and e-mail it when `alerts.email_to` and `alerts.smtp.host` are set."""
    alert = Alert.create(kind=kind, subject=subject[:200], message=message, job_run=job_run,
                         batch=batch, batch_file=batch_file)
    log.warning("PERINGATAN [%s] %s", kind, subject)
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
    mail["Subject"] = f"[Santunan NTT] {alert.subject}"
    mail["From"] = smtp.sender
    mail["To"] = ", ".join(alerts.email_to)
    mail.set_content(f"{alert.message}\n\n-- \nSantunan NTT, peringatan #{alert.id} ({alert.kind}).\n"
                     "Buka menu Peringatan di aplikasi untuk menandai sudah ditangani.\n")
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


def open_alerts():
    """The alerts nobody acknowledged yet, newest first (index acknowledged_at, created_at)."""
    return Alert.select().where(Alert.acknowledged_at.is_null()).order_by(Alert.created_at.desc())
