"""The alerts people read (desk/alerts.py): in the reader's language, and masked for a viewer."""

from __future__ import annotations

import pytest

from core.alerts import raise_alert, said
from desk.alerts import acknowledge, open_alerts, recently_acknowledged
from models import Alert, AuditLog, Role, User

NIK = "5371011505850001"
ACCOUNT = "0012345678"
QUOTING = f"Klaim KLM-202601-00000001 ditahan: NIK {NIK}, rekening {ACCOUNT} tidak cocok."



@pytest.fixture
def accounts(database) -> None:
    for role in Role.ALL:
        User.create(username=role, role=role, password_hash="-")


def test_a_viewer_reads_no_full_nik_or_account_number_in_an_alert_or_its_note(settings, accounts):
    alert = raise_alert("job_failed", f"Rekening {ACCOUNT} ditolak", QUOTING, alerts=settings.alerts)
    (seen,), count = open_alerts(Role.VIEWER)
    shown = seen.subject + seen.message
    assert count == 1 and NIK not in shown and ACCOUNT not in shown
    assert "537101••••••0001" in seen.message and "••••••5678" in seen.subject
    acknowledge(alert.id, "coordinator", f"Rekening {ACCOUNT} sudah dikoreksi")
    ((done, by),) = recently_acknowledged(Role.VIEWER)
    assert by == "coordinator" and ACCOUNT not in done.acknowledge_note + done.message


def test_a_coordinator_reads_the_alert_in_full_and_the_stored_text_is_untouched(settings, accounts):
    alert = raise_alert("job_failed", "Rekening ditolak", QUOTING, alerts=settings.alerts)
    (seen,), _ = open_alerts(Role.COORDINATOR)
    assert seen.message == QUOTING
    assert Alert.get_by_id(alert.id).message == QUOTING  # reading masks a copy, never the row


def test_an_alert_kept_as_a_key_is_read_in_the_readers_language(settings, accounts):
    alert = raise_alert("overdue_results", said("alert.overdue.subject", batch="20261102000001"),
                        said("alert.duty.none"), alerts=settings.alerts)
    (english,), _ = open_alerts(Role.VIEWER, "en")
    assert english.subject == "Bank results overdue: batch 20261102000001"  # a batch id is not masked
    (indonesian,), _ = open_alerts(Role.VIEWER, "id")
    assert indonesian.subject == "Hasil bank terlambat: batch 20261102000001"
    acknowledge(alert.id, "coordinator", "Sudah ditanyakan ke Bank NTT")
    assert AuditLog.get(AuditLog.action == "ALERT_ACK").target == indonesian.subject  # words, not JSON
