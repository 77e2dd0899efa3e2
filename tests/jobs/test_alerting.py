"""Alerts from the jobs reach people: a job's final failure and overdue bank results are e-mailed."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy

from jobs.watch import watch_overdue
from models import Alert, PayoutBatch, utcnow
from tests.fixtures.jobs import with_alert_mail


def test_a_jobs_final_failure_is_emailed_with_what_to_do(cycle, smtp_server):
    cycle.ctx.settings = with_alert_mail(cycle.settings, smtp_server)
    cycle.server.stop()
    run = cycle.run("bpjs_pull")
    assert run.outcome == "FAILED"
    alert = Alert.get()
    assert (alert.kind, alert.job_run_id) == ("job_failed", run.id) and alert.emailed_at is not None
    mail = message_from_bytes(smtp_server.messages[0].content, policy=policy.default)
    assert mail["Subject"].startswith("[Santunan NTT] Tugas gagal: Ambil klaim terverifikasi dari BPJS / Job")
    text = mail.get_content()
    # The cause's label and what to do, in both languages; never its code.
    assert "Penyebab: Server tidak dapat dihubungi" in text and "Cause: Server unreachable" in text
    assert "127.0.0.1" not in text  # the alert names no server address or path (issue 17)


def test_overdue_bank_results_are_emailed_once(cycle, smtp_server):
    cycle.ctx.settings = with_alert_mail(cycle.settings, smtp_server)
    cycle.to_bank(claims=10)
    PayoutBatch.update(delivered_at=utcnow() - dt.timedelta(hours=50)).execute()
    assert len(watch_overdue(cycle.ctx)) == 1
    assert watch_overdue(cycle.ctx) == []
    assert len(smtp_server.messages) == 1
    assert "Hasil bank terlambat: batch B000001" in smtp_server.messages[0].content.decode()
