import datetime as dt

from core.claims.duty_alerts import watch_payment_duty
from core.text import fmt
from models import Alert, Claim, ClaimStatus, utcnow
from tests.factories import make_claim

S = ClaimStatus
TODAY = fmt.local_today()  # alerts are stamped with the real clock


def _received(claim: Claim, days_ago: int) -> None:
    Claim.update(received_at=utcnow() - dt.timedelta(days=days_ago)).where(Claim.id == claim.id).execute()


def test_unpaid_claims_past_the_duty_raise_one_alert_naming_count_total_and_oldest(job_ctx):
    late = make_claim(S.READY, approved_amount=3_000_000)
    _received(late, 20)
    _received(make_claim(S.PAID), 20)  # paid: not owed
    _received(make_claim(S.READY), 1)  # in time
    alert = watch_payment_duty(job_ctx, TODAY)
    assert alert.kind == "payment_duty"
    assert alert.subject == "1 klaim lewat batas bayar 7 hari kerja"
    assert "Rp 3.000.000" in alert.message and late.claim_no in alert.message


def test_no_second_alert_while_one_is_open_nor_on_the_day_it_was_acknowledged(job_ctx):
    _received(make_claim(S.ON_HOLD), 30)
    first = watch_payment_duty(job_ctx, TODAY)
    assert watch_payment_duty(job_ctx, TODAY) is None
    Alert.update(acknowledged_at=utcnow()).where(Alert.id == first.id).execute()
    assert watch_payment_duty(job_ctx, TODAY) is None  # created today: once a day at most
    Alert.update(created_at=first.created_at - dt.timedelta(days=1)).where(Alert.id == first.id).execute()
    assert watch_payment_duty(job_ctx, TODAY) is not None
    assert Alert.select().count() == 2


def test_nothing_late_raises_nothing(job_ctx):
    _received(make_claim(S.READY), 2)
    assert watch_payment_duty(job_ctx, TODAY) is None
    assert not Alert.select().exists()
