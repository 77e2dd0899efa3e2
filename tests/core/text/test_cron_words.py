import pytest

from core.text.cron_words import CronUnreadable, describe, parse_field

DEFAULT_JOBS = [
    ("0 1 * * *", "setiap hari pukul 01.00 WITA", "every day at 01:00 WITA"),
    ("0 2 * * *", "setiap hari pukul 02.00 WITA", "every day at 02:00 WITA"),
    ("0 6-18/2 * * *", "setiap hari tiap 2 jam dari pukul 06.00 sampai 18.00 WITA",
     "every day every 2 hours from 06:00 to 18:00 WITA"),
    ("0 19 * * *", "setiap hari pukul 19.00 WITA", "every day at 19:00 WITA"),
]


@pytest.mark.parametrize(("expr", "indonesian", "english"), DEFAULT_JOBS)
def test_the_default_job_schedules_read_as_sentences(expr, indonesian, english):
    assert describe(expr, "id") == indonesian
    assert describe(expr, "en") == english


@pytest.mark.parametrize(("expr", "indonesian", "english"), [
    ("30 2 * * 1-5", "setiap Senin sampai Jumat pukul 02.30 WITA", "every Monday to Friday at 02:30 WITA"),
    ("0 7 * * mon-fri", "setiap Senin sampai Jumat pukul 07.00 WITA", "every Monday to Friday at 07:00 WITA"),
    ("0 1 * * 1,3,5", "setiap Senin, Rabu dan Jumat pukul 01.00 WITA",
     "every Monday, Wednesday and Friday at 01:00 WITA"),
    ("0 9 * * 0,6", "setiap Sabtu dan Minggu pukul 09.00 WITA", "every Saturday and Sunday at 09:00 WITA"),
    ("0 9 * * 7", "setiap Minggu pukul 09.00 WITA", "every Sunday at 09:00 WITA"),
    ("0 8,14 * * *", "setiap hari pukul 08.00 dan 14.00 WITA", "every day at 08:00 and 14:00 WITA"),
    ("15 1 1,15 * *", "setiap tanggal 1 dan 15 pukul 01.15 WITA",
     "on day 1 and 15 of the month at 01:15 WITA"),
    ("0 1 1 1,7 *", "setiap tanggal 1 bulan Januari dan Juli pukul 01.00 WITA",
     "on day 1 of the month in January and July at 01:00 WITA"),
    ("0 1 * jan *", "setiap hari bulan Januari pukul 01.00 WITA", "every day in January at 01:00 WITA"),
    ("0 9-17 * * *", "setiap hari tiap jam dari pukul 09.00 sampai 17.00 WITA",
     "every day every hour from 09:00 to 17:00 WITA"),
    ("*/15 * * * *", "setiap 15 menit", "every 15 minutes"),
    ("0 * * * *", "tiap jam tepat", "every hour on the hour"),
    ("30 * * * 1-5", "setiap Senin sampai Jumat, tiap jam pada menit ke-30",
     "every Monday to Friday, every hour at minute 30"),
    ("* * * * *", "setiap menit", "every minute"),
])
def test_common_shapes_are_put_in_words(expr, indonesian, english):
    assert describe(expr, "id") == indonesian
    assert describe(expr, "en") == english


def test_the_zone_is_named_after_the_programme_timezone():
    assert describe("0 1 * * *", "id", zone="Asia/Jakarta") == "setiap hari pukul 01.00 WIB"


@pytest.mark.parametrize("expr", ["0 1 * *", "61 1 * * *", "0 25 * * *", "*/7 * * * *", "0 1 * * 5-1",
                                  "0,10,20,30,40,50 1,2 * * *", "bad line here at all"])
def test_a_line_that_has_no_clear_sentence_shows_the_cron_itself(expr):
    assert describe(expr, "id") == f"jadwal cron \u201c{expr}\u201d (WITA)"
    assert describe(expr, "en").startswith("cron schedule \u201c")


def test_fields_expand_ranges_steps_and_names():
    assert parse_field("6-18/2", 0, 23).values == (6, 8, 10, 12, 14, 16, 18)
    assert parse_field("*/20", 0, 59).step == 20
    assert parse_field("mon,wed", 0, 7, {"mon": 1, "wed": 3}).values == (1, 3)
    with pytest.raises(CronUnreadable):
        parse_field("x", 0, 59)
