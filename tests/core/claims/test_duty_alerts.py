import datetime as dt

from core.alerts import words
from core.claims.duty_alerts import watch_payment_duty
from core.claims.queries import Duty, past_duty_summary
from core.text import fmt
from models import Alert, Claim, ClaimStatus, utcnow
from tests.factories import make_claim

S = ClaimStatus
TODAY = fmt.local_today()  # alerts are stamped with the real clock


def _due(days_ago: int) -> dt.date:
    return TODAY - dt.timedelta(days=days_ago)


def test_unpaid_claims_past_their_due_date_raise_one_alert_naming_count_total_and_oldest(job_ctx):
    late = make_claim(S.READY, approved_amount=3_000_000, payment_due_date=_due(20))
    make_claim(S.PAID, payment_due_date=_due(20))  # paid: not owed
    make_claim(S.READY, payment_due_date=TODAY)  # due today: in time
    alert = watch_payment_duty(job_ctx, TODAY)
    assert alert.kind == "payment_duty"
    assert words(alert.subject) == "1 klaim melewati batas bayar"
    message = words(alert.message)
    assert "Rp 3.000.000" in message and late.claim_no in message
    assert fmt.date(_due(20)) in message


def test_the_duty_alert_reads_in_english_with_english_dates(job_ctx):
    make_claim(S.READY, approved_amount=3_000_000, payment_due_date=_due(20))
    alert = watch_payment_duty(job_ctx, TODAY)
    assert words(alert.subject, "en") == "Claims past the payment duty: 1"
    message = words(alert.message, "en")
    assert f"due {fmt.date(_due(20), 'en')}" in message and "Rp 3.000.000" in message
    assert "batas" not in message


def test_the_open_alert_follows_the_count_the_dashboard_shows(job_ctx):
    """An open alert is brought up to date at each watch: never a stale count beside the live one."""
    make_claim(S.READY, payment_due_date=_due(10))
    first = watch_payment_duty(job_ctx, TODAY)
    make_claim(S.ON_HOLD, payment_due_date=_due(3))
    assert watch_payment_duty(job_ctx, TODAY) is None  # no second alert...
    assert words(Alert.get_by_id(first.id).subject) == "2 klaim melewati batas bayar"  # ...but today's count
    assert past_duty_summary(Duty(), TODAY).count == 2
    Claim.update(status=S.CANCELLED).execute()
    watch_payment_duty(job_ctx, TODAY)
    assert words(Alert.get_by_id(first.id).subject) == "Tidak ada lagi klaim yang melewati batas bayar"


def test_no_second_alert_while_one_is_open_nor_on_the_day_it_was_acknowledged(job_ctx):
    make_claim(S.ON_HOLD, payment_due_date=_due(30))
    first = watch_payment_duty(job_ctx, TODAY)
    assert watch_payment_duty(job_ctx, TODAY) is None
    Alert.update(acknowledged_at=utcnow()).where(Alert.id == first.id).execute()
    assert watch_payment_duty(job_ctx, TODAY) is None  # created today: once a day at most
    Alert.update(created_at=first.created_at - dt.timedelta(days=1)).where(Alert.id == first.id).execute()
    assert watch_payment_duty(job_ctx, TODAY) is not None
    assert Alert.select().count() == 2


def test_nothing_late_raises_nothing(job_ctx):
    make_claim(S.READY, payment_due_date=TODAY + dt.timedelta(days=2))
    assert watch_payment_duty(job_ctx, TODAY) is None
    assert not Alert.select().exists()
