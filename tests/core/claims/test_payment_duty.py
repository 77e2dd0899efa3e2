"""The payment duty (core/claims/payment_duty.py): Nth working day after verification, per benefit."""

import datetime as dt

from core.claims.payment_duty import LOCAL_DAY_OFF, PaymentDuty, WorkCalendar
from core.settings import load_settings
from models import ClaimStatus

S = ClaimStatus
DUTY = PaymentDuty({"JKM": 3, "JKK_MENINGGAL": 7})
VERIFIED = dt.datetime(2026, 3, 17, 2, 0)  # Tuesday 17 March 2026, 10:00 WITA (stored as naive UTC)


def test_weekends_national_holidays_and_cuti_bersama_are_not_working_days():
    calendar = WorkCalendar()
    assert not calendar.is_working_day(dt.date(2026, 11, 21))  # Saturday
    assert not calendar.is_working_day(dt.date(2026, 8, 17))  # Hari Kemerdekaan (Monday)
    assert not calendar.is_working_day(dt.date(2026, 3, 18))  # cuti bersama Nyepi
    assert not calendar.is_working_day(dt.date(2026, 12, 24))  # cuti bersama Natal
    assert calendar.is_working_day(dt.date(2026, 11, 23))


def test_jkm_is_due_three_working_days_after_verification_with_cuti_bersama():
    # 18 (cuti bersama), 19 (Nyepi), 20 (cuti bersama), 23 and 24 (cuti bersama): 25, 26, 27
    assert DUTY.due_date("JKM", VERIFIED) == dt.date(2026, 3, 27)


def test_jkk_death_benefit_is_due_seven_working_days_after_verification():
    assert DUTY.due_date("JKK_MENINGGAL", VERIFIED) == dt.date(2026, 4, 2)  # Good Friday is 3 April


def test_the_reference_data_gives_jkm_three_days_and_the_rest_seven(reference):
    duty = PaymentDuty.of(load_settings(), reference)
    assert duty.due_date("JKM", VERIFIED) == dt.date(2026, 3, 27)
    assert {code: duty.days(code) for code in reference.codes("benefit_type") if code != "JKM"} == \
        dict.fromkeys(set(reference.codes("benefit_type")) - {"JKM"}, 7)


def test_the_clock_starts_on_the_wita_date_of_verification():
    # 15:59 UTC on 16 March is 23:59 WITA the same day; 16:00 UTC is already 17 March in Kupang
    assert DUTY.due_date("JKM", dt.datetime(2026, 3, 16, 15, 59)) == dt.date(2026, 3, 26)
    assert DUTY.due_date("JKM", dt.datetime(2026, 3, 16, 16, 0)) == dt.date(2026, 3, 27)
    aware = dt.datetime(2026, 3, 17, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert DUTY.due_date("JKM", aware) == dt.date(2026, 3, 27)


def test_configured_non_working_days_push_the_due_date():
    local = PaymentDuty({"JKM": 3}, WorkCalendar(frozenset({dt.date(2026, 3, 26)})))
    assert local.due_date("JKM", VERIFIED) == dt.date(2026, 3, 30)
    assert (dt.date(2026, 3, 26), LOCAL_DAY_OFF) in local.holidays_in(VERIFIED, dt.date(2026, 3, 30))


def test_days_late_count_working_days_after_the_due_date_until_paid_or_today():
    due = dt.date(2026, 3, 27)  # Friday
    assert DUTY.days_late(due, None, dt.date(2026, 3, 27)) == 0
    assert DUTY.days_late(due, None, dt.date(2026, 3, 29)) == 0  # the weekend is not late
    assert DUTY.days_late(due, None, dt.date(2026, 4, 6)) == 5  # 30, 31 Mar, 1, 2 Apr, (3 Good Friday), 6
    assert DUTY.days_late(due, dt.date(2026, 3, 31), dt.date(2026, 6, 1)) == 2  # paid: counted until paid


def test_rejected_or_cancelled_claims_are_never_late():
    due, today = dt.date(2026, 3, 27), dt.date(2026, 4, 6)
    assert DUTY.claim_days_late(S.READY, due, None, today) == 5
    assert DUTY.claim_days_late(S.PAID, due, dt.date(2026, 3, 27), today) == 0
    assert DUTY.claim_days_late(S.CANCELLED, due, None, today) == 0


def test_holidays_inside_the_period_are_named():
    names = dict(DUTY.holidays_in(VERIFIED, dt.date(2026, 4, 2)))
    assert set(names) == {dt.date(2026, 3, d) for d in (18, 19, 20, 23, 24)}
    assert "Nyepi" in names[dt.date(2026, 3, 19)] and "Cuti Bersama" in names[dt.date(2026, 3, 18)]


def test_a_file_of_100000_claims_costs_a_few_calendar_walks():
    duty = PaymentDuty({"JKM": 3})
    rows = [{"benefit_type": "JKM" if i % 3 else "JKK_STMB",
             "verified_at": dt.datetime(2026, 3, 1) + dt.timedelta(seconds=7 * i)} for i in range(100_000)]
    duty.with_due_dates(rows)
    assert len(duty._memo) < 2_000  # one per benefit and quarter hour over 8 days, not one per claim
    assert rows[0]["payment_due_date"] == duty.due_date("JKK_STMB", rows[0]["verified_at"])
