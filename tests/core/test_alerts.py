"""Alerts (core/alerts.py): stored for the UI, e-mailed through a real SMTP server when configured."""

from __future__ import annotations

import datetime as dt
import socket
from email import message_from_bytes, policy

from core.alerts import MARK, open_alerts, raise_alert, said, stored, words
from core.settings import AlertSettings, SmtpSettings
from core.text.i18n import t
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


def test_an_alert_kept_as_a_message_key_reads_in_either_language_with_dates_in_the_zone(settings, database):
    started = dt.datetime(2026, 3, 10, 6, 5)  # UTC: 14.05 WITA
    message = said("alert.job_failed", job={"id": "Ambil klaim BPJS", "en": "Fetch BPJS claims"},
                   started=started, tries=said("alert.after_attempts", n=4), cause=said("cause.timeout"),
                   advice=said("cause.next.timeout"), run="12")
    alert = raise_alert("job_failed", said("alert.job_failed.subject", job={"id": "Ambil", "en": "Fetch"}),
                        message, alerts=settings.alerts)
    row = Alert.get_by_id(alert.id)
    assert row.subject.startswith(MARK) and row.message.startswith(MARK)
    assert words(row.subject) == "Tugas gagal: Ambil" and words(row.subject, "en") == "Job failed: Fetch"
    indonesian, english = words(row.message), words(row.message, "en")
    assert "Ambil klaim BPJS yang mulai 10 Mar 2026 14.05 WITA gagal setelah 4 percobaan" in indonesian
    assert "Fetch BPJS claims, started 10 Mar 2026 14:05 WITA, failed after 4 attempts" in english
    assert "Server tidak menjawab" in indonesian and "proses #12" in indonesian
    assert "timeout" not in indonesian + english  # the cause's label, never its code


def test_a_plain_text_reads_as_it_is_and_a_broken_key_never_shows_its_json(database):
    assert words("Tugas gagal: bpjs_pull", "en") == "Tugas gagal: bpjs_pull"
    broken = stored(said("alert.no_such_key", n=1))
    assert words(broken, "en") == t("alert.unreadable", "en") and "{" not in words(broken)


def test_the_email_says_it_in_indonesian_then_english(settings, database, smtp_server):
    settings = with_alert_mail(settings, smtp_server, ("koordinator@ntt.test",))
    raise_alert("overdue_results", said("alert.overdue.subject", batch="20261102000001"),
                said("alert.overdue", batch="20261102000001", delivered=dt.datetime(2026, 11, 2, 1, 0),
                     hours=49, open=2, count=3, amount=3_000_000), alerts=settings.alerts)
    mail = message_from_bytes(smtp_server.messages[0].content, policy=policy.default)
    assert mail["Subject"] == ("[Santunan NTT] Hasil bank terlambat: batch 20261102000001 / "
                               "Bank results overdue: batch 20261102000001")
    text = mail.get_content()
    assert text.index("2 dari 3 instruksi (Rp 3.000.000)") < text.index("2 of 3 instructions (Rp 3.000.000)")
    assert "@i18n" not in text
