"""How money, dates, times and NIKs are shown to people (Bahasa Indonesia first).

Stored times are naive UTC (`models.utcnow`); people read them in the programme's zone
(WITA, Asia/Makassar, by default). Rupiah are whole numbers written `Rp 1.234.567` in both
languages, because that is how the currency is written on every document they handle.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

DEFAULT_ZONE = "Asia/Makassar"
ZONE_NAMES = {"Asia/Makassar": "WITA", "Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB",
              "Asia/Jayapura": "WIT"}
LOCALES = {"id": "id_ID", "en": "en_GB"}
# Fixed here rather than taken from the locale data: babel's en_GB writes "Sept", its id "Agu".
SHORT_MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
SHORT_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rupiah(amount: int | None) -> str:
    """`Rp 1.234.567` (negative `-Rp 1.234`); an empty string for no amount."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {format_decimal(abs(int(amount)), locale='id_ID')}"


def number(value: int | None, lang: str = "id") -> str:
    """A count with the thousands separator of the language (`12.345` / `12,345`)."""
    return "" if value is None else format_decimal(int(value), locale=LOCALES.get(lang, "id_ID"))


def date(value: dt.date | None, lang: str = "id") -> str:
    """`21 Juli 2025` (id) or `21 July 2025` (en); empty for no date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, "d MMMM y", locale=LOCALES.get(lang, "id_ID"))


def short_date(value: dt.date | None, lang: str = "id") -> str:
    """`10 Mar 2026` (id: `10 Agu 2026`, `10 Des 2026`), for tables: the one short date of every page.

    A month's abbreviation, not `10/03/2026`: a number-only date is read month-first by anyone
    used to `mm/dd/yyyy` and day-first by everyone else.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    months = SHORT_MONTHS_EN if lang == "en" else SHORT_MONTHS_ID
    return f"{value.day} {months[value.month - 1]} {value.year}"


def to_local(utc: dt.datetime, zone: str = DEFAULT_ZONE) -> dt.datetime:
    """A naive-UTC (or aware) datetime in the programme's zone."""
    if utc.tzinfo is None:
        utc = utc.replace(tzinfo=dt.UTC)
    return utc.astimezone(ZoneInfo(zone))


def local_today(zone: str = DEFAULT_ZONE, now: dt.datetime | None = None) -> dt.date:
    return to_local(now or dt.datetime.now(dt.UTC), zone).date()


def local_midnight_utc(day: dt.date, zone: str = DEFAULT_ZONE) -> dt.datetime:
    """The naive-UTC instant a local calendar day starts (for date filters on stored times)."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(zone))
    return start.astimezone(dt.UTC).replace(tzinfo=None)


def datetime(utc: dt.datetime | None, lang: str = "id", zone: str = DEFAULT_ZONE) -> str:
    """`10 Mar 2026 14.05 WITA` (id) or `10 Mar 2026 14:05 WITA` (en): every time people read."""
    if utc is None:
        return ""
    return f"{short_datetime(utc, zone, lang)} {zone_name(zone)}"


def short_datetime(utc: dt.datetime | None, zone: str = DEFAULT_ZONE, lang: str = "id") -> str:
    """`10 Mar 2026 14.05`, for dense tables (the zone is in the column header)."""
    if utc is None:
        return ""
    local = to_local(utc, zone)
    sep = ":" if lang == "en" else "."
    return f"{short_date(local.date(), lang)} {local:%H}{sep}{local:%M}"


def clock(utc: dt.datetime | None, zone: str = DEFAULT_ZONE, lang: str = "id") -> str:
    """`14.05` (en `14:05`): a time of day in the zone, when the day is said elsewhere."""
    if utc is None:
        return ""
    local = to_local(utc, zone)
    return f"{local:%H}{':' if lang == 'en' else '.'}{local:%M}"


def zone_name(zone: str = DEFAULT_ZONE) -> str:
    return ZONE_NAMES.get(zone, zone)


def duration(seconds: float | None, lang: str = "id") -> str:
    """`2 mnt 5 dtk` / `2 min 5 s`; empty when unknown."""
    if seconds is None:
        return ""
    seconds = round(seconds)
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    units = ("j", "mnt", "dtk") if lang == "id" else ("h", "min", "s")
    parts = [f"{v} {u}" for v, u in zip((hours, minutes, secs), units, strict=True) if v]
    return " ".join(parts) or f"0 {units[2]}"


def mask_nik(nik: str | None) -> str:
    """`537101••••••0001`: region kept (where the person lives), birth date and serial hidden."""
    if not nik:
        return ""
    if len(nik) <= 10:
        return "•" * len(nik)
    return f"{nik[:6]}{'•' * (len(nik) - 10)}{nik[-4:]}"


def mask_account(account_no: str | None) -> str:
    """`••••••5678`: enough to tell two accounts apart on the phone, not enough to misuse."""
    if not account_no:
        return ""
    return "•" * max(0, len(account_no) - 4) + account_no[-4:]
