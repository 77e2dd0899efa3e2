import datetime as dt

from core.claims.payment_duty import (
    add_working_days,
    due_date,
    is_working_day,
    overdue_before,
    working_days_late,
)


def test_weekends_and_indonesian_public_holidays_are_not_working_days():
    assert not is_working_day(dt.date(2026, 11, 21))  # Saturday
    assert not is_working_day(dt.date(2026, 8, 17))  # Hari Kemerdekaan (Monday)
    assert not is_working_day(dt.date(2026, 12, 25))  # Natal (Friday)
    assert is_working_day(dt.date(2026, 11, 23))


def test_seven_working_days_skip_a_weekend():
    # received Monday 9 Nov 2026: Tue..Fri (4) + Mon..Wed (3) -> Wednesday 18 Nov
    assert add_working_days(dt.date(2026, 11, 9), 7) == dt.date(2026, 11, 18)


def test_seven_working_days_skip_christmas():
    # received Monday 21 Dec 2026: 22, 23, 24, (25 Natal), 28, 29, 30, 31
    assert add_working_days(dt.date(2026, 12, 21), 7) == dt.date(2026, 12, 31)


def test_receipt_day_is_counted_in_wita():
    # 20:00 UTC on Sunday 8 Nov is 04:00 WITA on Monday 9 Nov
    assert due_date(dt.datetime(2026, 11, 8, 20, 0), 7) == dt.date(2026, 11, 18)


def test_claim_is_overdue_only_after_its_due_date():
    today = dt.date(2026, 11, 19)  # Thursday
    cutoff = overdue_before(today, 7)
    on_time = dt.datetime(2026, 11, 9, 16, 0)  # 10 Nov WITA, due 19 Nov: still in time today
    late = dt.datetime(2026, 11, 9, 1, 0)  # 9 Nov WITA, due 18 Nov
    assert late < cutoff <= on_time
    assert working_days_late(late, today, 7) == 1
    assert working_days_late(on_time, today, 7) == 0
