import pytest
from nicegui.testing import User

from core.alerts import raise_alert, said
from models import Alert, AuditLog, PayoutBatch, utcnow
from tests.ui.conftest import confirm, login
from tests.ui.desk_helpers import app_ctx, finished_run


def _alerts() -> tuple[Alert, Alert]:
    run = finished_run("bank_push", "FAILED", error_cause="host_key_changed", error="Kunci host berubah")
    failed = Alert.create(kind="job_failed", subject="Tugas gagal: Kirim instruksi pembayaran ke Bank NTT",
                          message="Kunci host server Bank NTT berubah.\n\nPenyebab: host_key_changed.",
                          job_run=run)
    batch = PayoutBatch.create(batch_id="20261030000001", status="DELIVERED")
    late = Alert.create(kind="overdue_results", subject="Hasil bank terlambat: batch 20261030000001",
                        message="Batch dikirim 60 jam lalu", batch=batch)
    Alert.create(kind="job_failed", subject="Sudah lama ditangani", message="-", acknowledged_at=utcnow(),
                 acknowledge_note="beres")
    return failed, late


async def test_open_alerts_are_listed_with_kind_and_links_and_counted_in_the_frame(accounts, user: User):
    _alerts()
    await login(user, "viewer")
    await user.open("/peringatan")
    await user.should_see(marker="alerts-open-count", content="Peringatan terbuka (2)")
    await user.should_see("Tugas gagal: Kirim instruksi pembayaran ke Bank NTT")
    await user.should_see("Hasil bank terlambat")  # the kind's label and the subject
    await user.should_see("Buka proses")
    await user.should_see("Buka batch")
    await user.should_see(marker="alert-count")  # the frame's bell, linking here
    bell = user.find(marker="alert-count").elements.pop()
    assert bell.props["href"] == "/peringatan"
    await user.should_see(marker="done-3", content="beres")


async def test_acknowledge_asks_for_a_note_then_closes_the_alert(accounts, user: User):
    failed, _ = _alerts()
    await login(user, "coordinator")
    await user.open("/peringatan")
    await confirm(user, f"ack-{failed.id}")
    await user.should_see(marker="confirm-error", content="Alasan wajib diisi", retries=30)
    assert Alert.get_by_id(failed.id).acknowledged_at is None
    user.find(marker="confirm-reason").type("Kunci baru dicocokkan dengan Bank NTT; known_hosts diperbarui")
    user.find(marker="confirm-ok").click()
    await user.should_see(marker="alerts-open-count", content="Peringatan terbuka (1)", retries=30)
    closed = Alert.get_by_id(failed.id)
    assert (closed.acknowledged_by.username, closed.acknowledge_note) == (
        "coordinator", "Kunci baru dicocokkan dengan Bank NTT; known_hosts diperbarui")
    assert AuditLog.get(AuditLog.action == "ALERT_ACK").username == "coordinator"
    await user.should_see(marker=f"done-{failed.id}", content="Ditangani coordinator")


async def test_no_open_alert_says_so(accounts, user: User):
    await login(user, "viewer")
    await user.open("/peringatan")
    await user.should_see(marker="no-alerts")
    await user.should_not_see(marker="alert-count")


@pytest.mark.parametrize("role", ["viewer"])
async def test_a_viewer_cannot_acknowledge_and_nothing_is_written(accounts, user: User, role):
    failed, _ = _alerts()
    await login(user, role)
    await user.open("/peringatan")
    button = user.find(marker=f"ack-{failed.id}")
    assert not next(iter(button.elements)).enabled
    button.trigger("click")
    await user.should_see("tidak boleh melakukan ini", retries=30)
    assert Alert.get_by_id(failed.id).acknowledged_at is None
    assert not AuditLog.select().where(AuditLog.action == "ALERT_ACK").exists()


async def test_a_payment_duty_alert_links_to_the_late_claims(accounts, user: User):
    Alert.create(kind="payment_duty", subject="3 klaim lewat batas bayar 7 hari kerja", message="...")
    await login(user, "viewer")
    await user.open("/peringatan")
    await user.should_see("Melewati batas bayar")
    link = user.find("Buka klaim yang melewati batas").elements.pop()
    assert link.props["href"] == "/klaim?duty=1"


async def test_a_viewer_sees_alert_numbers_masked_and_keyed_texts_in_words(accounts, user: User):
    raise_alert("job_failed", "Rekening 0012345678 ditolak", "NIK 5371011505850001 tidak cocok.",
                alerts=app_ctx().settings.alerts)
    raise_alert("insufficient_balance", said("alert.duty.none.subject"), said("alert.duty.none"),
                alerts=app_ctx().settings.alerts)
    await login(user, "viewer")
    await user.open("/peringatan")
    await user.should_see("Rekening ••••••5678 ditolak")
    await user.should_see("NIK 537101••••••0001 tidak cocok.")
    await user.should_not_see("0012345678")
    await user.should_not_see("5371011505850001")
    await user.should_see("Saldo rekening program kurang")  # the new kind's label
    await user.should_see("Tidak ada lagi klaim yang melewati batas bayar")
