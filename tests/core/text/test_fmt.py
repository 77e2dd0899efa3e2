import datetime as dt

import pytest

from core.text import fmt


@pytest.mark.parametrize(("amount", "shown"), [
    (0, "Rp 0"), (1_000, "Rp 1.000"), (1_234_567, "Rp 1.234.567"), (70_000_000, "Rp 70.000.000"),
    (10**12, "Rp 1.000.000.000.000"), (-1_500, "-Rp 1.500"), (None, ""),
])
def test_rupiah_uses_dots_for_thousands_and_no_decimals(amount, shown):
    assert fmt.rupiah(amount) == shown


def test_dates_are_written_with_the_month_name_of_the_language():
    day = dt.date(2025, 7, 21)
    assert fmt.date(day) == "21 Juli 2025"
    assert fmt.date(day, "en") == "21 July 2025"
    assert fmt.short_date(day) == "21 Jul 2025"
    assert fmt.short_date(dt.date(2026, 8, 10)) == "10 Agu 2026"
    assert fmt.short_date(dt.date(2026, 9, 10), "en") == "10 Sep 2026"


def test_stored_utc_time_is_shown_in_wita():
    stored = dt.datetime(2025, 7, 20, 17, 5)  # naive UTC
    assert fmt.datetime(stored) == "21 Jul 2025 01.05 WITA"
    assert fmt.datetime(stored, "en") == "21 Jul 2025 01:05 WITA"
    assert fmt.short_datetime(stored) == "21 Jul 2025 01.05"


def test_local_day_starts_at_wita_midnight_in_utc():
    assert fmt.local_midnight_utc(dt.date(2025, 7, 21)) == dt.datetime(2025, 7, 20, 16, 0)
    assert fmt.local_today(now=dt.datetime(2025, 7, 20, 16, 30, tzinfo=dt.UTC)) == dt.date(2025, 7, 21)


def test_nik_mask_keeps_region_and_last_digits_only():
    masked = fmt.mask_nik("5371014107850001")
    assert masked.startswith("537101") and masked.endswith("0001")
    assert "41078500" not in masked and len(masked) == 16
    assert fmt.mask_nik(None) == ""


def test_counts_and_durations_follow_the_language():
    assert fmt.number(1234567) == "1.234.567"
    assert fmt.number(1234567, "en") == "1,234,567"
    assert fmt.duration(125) == "2 mnt 5 dtk"
    assert fmt.duration(3600, "en") == "1 h"
