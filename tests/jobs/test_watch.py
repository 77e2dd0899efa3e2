"""The overdue watch (jobs/watch.py): one alert per batch whose bank results are late."""

from __future__ import annotations

import datetime as dt

from core.alerts import words
from jobs.watch import watch_overdue
from models import Alert, BatchFile, ClaimStatus, PayoutBatch, PayoutInstruction, utcnow
from tests.factories import make_claim


def delivered_batch(batch_id: str, hours_ago: float, results: tuple[str, ...]) -> PayoutBatch:
    file = BatchFile.create(direction="OUT", partner="bank", file_type="PAYOUT_INSTRUCTION",
                            name=f"NTTPAY_20261121_{batch_id}.txt", file_id=batch_id, status="DELIVERED")
    batch = PayoutBatch.create(batch_id=batch_id, file=file, status="DELIVERED",
                               instruction_count=len(results),
                               delivered_at=utcnow() - dt.timedelta(hours=hours_ago))
    for n, result in enumerate(results, 1):
        claim = make_claim(ClaimStatus.INSTRUCTED, approved_amount=1_500_000)
        PayoutInstruction.create(instruction_id=f"{batch_id}-{n:06d}", batch=batch, claim=claim,
                                 beneficiary_name="Y",
                                 bank_code="130", account_no="0012345678", amount=1_500_000, remark="R",
                                 result_status=result)
    return batch


def test_a_batch_unanswered_past_the_limit_raises_one_alert(job_ctx):
    late = delivered_batch("B000001", 49, ("SENT", "SUCCESS", "SENT"))
    alerts = watch_overdue(job_ctx)
    assert [a.batch_id for a in alerts] == [late.id]
    assert alerts[0].kind == "overdue_results"
    assert "2 dari 3 instruksi (Rp 3.000.000)" in words(alerts[0].message)
    assert "2 of 3 instructions (Rp 3.000.000)" in words(alerts[0].message, "en")
    assert watch_overdue(job_ctx) == []  # once per batch
    assert Alert.select().count() == 1


def test_recent_or_fully_answered_batches_raise_nothing(job_ctx):
    delivered_batch("B000001", 47, ("SENT",))
    delivered_batch("B000002", 72, ("SUCCESS", "FAILED"))
    assert watch_overdue(job_ctx) == []


def test_a_write_elsewhere_between_two_alerts_does_not_break_the_watch(job_ctx, database):
    """At `serve` start the payment-duty watch writes beside this one; the overdue batches are read
    to the end before the first write, so no read snapshot has to be upgraded (which SQLite
    refuses at once: "database is locked")."""
    for n in range(1, 4):
        delivered_batch(f"B00000{n}", 50 + n, ("SENT",))
    import threading

    from jobs import watch

    raise_alert = watch.raise_alert

    def with_a_write_elsewhere(*args, **kwargs):
        def write() -> None:
            with database.connection_context():
                Alert.create(kind="other", subject="x", message="y")
        thread = threading.Thread(target=write)
        thread.start()
        thread.join()
        return raise_alert(*args, **kwargs)

    watch.raise_alert = with_a_write_elsewhere
    try:
        alerts = watch_overdue(job_ctx)
    finally:
        watch.raise_alert = raise_alert
    assert len(alerts) == 3
