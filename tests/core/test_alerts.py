"""Alerts (core/alerts.py): stored for the UI, e-mailed through a real SMTP server when configured."""

from __future__ import annotations

import socket

from core.alerts import open_alerts, raise_alert
from core.settings import AlertSettings, SmtpSettings
from models import Alert
from tests.fixtures.jobs import with_alert_mail


def test_an_alert_is_stored_even_without_mail_configured(settings, database):
    alert = raise_alert("job_failed", "Tugas gagal: bpjs_pull", "Server BPJS menolak koneksi.",
                        alerts=settings.alerts)
    stored = Alert.get_by_id(alert.id)
    assert (stored.kind, stored.subject, stored.emailed_at) == ("job_failed", "Tugas gagal: bpjs_pull", None)
    assert list(open_alerts()) == [stored]


def test_an_alert_is_emailed_to_every_configured_address(settings, database, smtp_server):
    settings = with_alert_mail(settings, smtp_server, ("koordinator@ntt.test", "it@ntt.test"))
    alert = raise_alert("overdue_results", "Hasil bank terlambat: batch B000001", "Hubungi Bank NTT.",
                        alerts=settings.alerts)
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert sorted(envelope.rcpt_tos) == ["it@ntt.test", "koordinator@ntt.test"]
    text = envelope.content.decode()
    assert "Subject: [Santunan NTT] Hasil bank terlambat: batch B000001" in text
    assert "Hubungi Bank NTT." in text
    assert Alert.get_by_id(alert.id).emailed_at is not None


def test_a_mail_server_that_is_down_does_not_lose_the_alert(database):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once the socket is closed
    alerts = AlertSettings(email_to=("koordinator@ntt.test",), smtp=SmtpSettings(host="127.0.0.1", port=port))
    alert = raise_alert("job_failed", "Tugas gagal", "Pesan", alerts=alerts)
    assert Alert.get_by_id(alert.id).emailed_at is None
