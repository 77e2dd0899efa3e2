"""A job's cron line in words people read: "setiap hari pukul 01.00 WITA" / "every day at 01:00 WITA".

Standard 5-field crontab (minute hour day-of-month month day-of-week; Sunday is 0 or 7;
names like `mon-fri` and `jan` allowed). The common shapes of a batch schedule are put
in words; anything else falls back to showing the cron line itself, never a wrong sentence.
As in cron, a restricted day-of-month and a restricted day-of-week mean "either".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from core.text import i18n
from core.text.fmt import DEFAULT_ZONE, zone_name

MAX_LISTED_TIMES = 6
DAY_NAMES = {
    "id": ("Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"),
    "en": ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"),
}
MONTH_NAMES = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
_DAY_ALIASES = {name: i for i, name in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
_MONTH_ALIASES = {name: i + 1 for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}


class CronUnreadable(ValueError):
    """The line is not a 5-field crontab this module can read."""


@dataclass(frozen=True)
class Field:
    values: tuple[int, ...]  # every value the field matches, sorted
    any: bool  # written `*` (or `*/1`)
    step: int | None = None  # written `*/n` or `a-b/n`


def describe(expr: str, lang: str = "id", zone: str = DEFAULT_ZONE) -> str:
    """The schedule in words in `lang` ("id" or "en"); the cron line itself when it cannot be put in words."""
    lang = "en" if lang == "en" else "id"
    try:
        minute, hour, dom, month, dow = _parse(expr)
        when = _time_words(minute, hour, lang)
        days = _day_words(dom, month, dow, lang)
    except CronUnreadable:
        return _w("fallback", lang, expr=" ".join(expr.split()), zone=zone_name(zone))
    if when is None:
        return _w("fallback", lang, expr=" ".join(expr.split()), zone=zone_name(zone))
    text, shows_clock = when
    if shows_clock:
        return f"{days or _w('every_day', lang)} {text} {zone_name(zone)}"
    return f"{days}, {text}" if days else text


def _parse(expr: str) -> tuple[Field, Field, Field, Field, Field]:
    parts = expr.split()
    if len(parts) != 5:
        raise CronUnreadable(f"expected 5 fields, got {len(parts)}: {expr!r}")
    minute, hour, dom, month, dow = parts
    days = parse_field(dow, 0, 7, _DAY_ALIASES)
    if 7 in days.values:  # Sunday written 7
        days = Field(tuple(sorted(set(days.values) - {7} | {0})), days.any, days.step)
    return (parse_field(minute, 0, 59), parse_field(hour, 0, 23), parse_field(dom, 1, 31),
            parse_field(month, 1, 12, _MONTH_ALIASES), days)


def parse_field(text: str, low: int, high: int, aliases: dict[str, int] | None = None) -> Field:
    """One crontab field: `*`, `n`, `a-b`, `*/n`, `a-b/n` and comma lists of them."""
    if text in ("*", "?", "*/1"):
        return Field(tuple(range(low, high + 1)), any=True)
    values: set[int] = set()
    step_seen: int | None = None
    for token in text.lower().split(","):
        base, _, step_text = token.partition("/")
        step = _number(step_text, 1, high, None) if step_text else 1
        if base == "*":
            first, last = low, high
        elif "-" in base:
            a, _, b = base.partition("-")
            first, last = _number(a, low, high, aliases), _number(b, low, high, aliases)
        else:
            first = _number(base, low, high, aliases)
            last = high if step_text else first
        if first > last:
            raise CronUnreadable(f"range {base!r} runs backwards")
        values.update(range(first, last + 1, step))
        if step_text:
            step_seen = step
    return Field(tuple(sorted(values)), any=False, step=step_seen if "," not in text else None)


def _number(text: str, low: int, high: int, aliases: dict[str, int] | None) -> int:
    if aliases and text in aliases:
        return aliases[text]
    if not text.isdigit() or not low <= int(text) <= high:
        raise CronUnreadable(f"{text!r} is not a value from {low} to {high}")
    return int(text)


def _time_words(minute: Field, hour: Field, lang: str) -> tuple[str, bool] | None:
    """(words, whether they show clock times) or None when the shape has no sentence."""
    if minute.any and hour.any:
        return _w("every_minute", lang), False
    if (minute.step and hour.any and minute.values[0] == 0 and len(minute.values) > 1
            and 60 % minute.step == 0):
        return _w("every_n_minutes", lang, n=minute.step), False
    if minute.any or minute.step:
        return None
    if hour.any:
        if len(minute.values) != 1:
            return None
        m = minute.values[0]
        return (_w("hourly_on_the_hour", lang) if m == 0 else _w("hourly", lang, minute=f"{m:02d}")), False
    if len(minute.values) == 1 and len(hour.values) > 3:
        step = _even_step(hour.values)
        if step is not None:
            first, last = (_clock(h, minute.values[0], lang) for h in (hour.values[0], hour.values[-1]))
            key = "hourly_window" if step == 1 else "every_n_hours"
            return _w(key, lang, n=step, first=first, last=last), True
    times = [_clock(h, m, lang) for h in hour.values for m in minute.values]
    if len(times) > MAX_LISTED_TIMES:
        return None
    return _w("at", lang, times=_listing(times, lang)), True


def _day_words(dom: Field, month: Field, dow: Field, lang: str) -> str | None:
    """Which days, or None for every day of every month."""
    weekly = None if dow.any or len(dow.values) == 7 else \
        _w("weekdays", lang, days=_weekdays(dow.values, lang))
    monthly = None if dom.any else _w("month_days", lang, days=_listing([str(d) for d in dom.values], lang))
    days = _w("either", lang, a=monthly, b=weekly) if weekly and monthly else weekly or monthly
    if not month.any and len(month.values) < 12:
        names = [MONTH_NAMES[lang][m - 1] for m in month.values]
        days = f"{days or _w('every_day', lang)} {_w('in_months', lang, months=_listing(names, lang))}"
    return days


def _weekdays(days: tuple[int, ...], lang: str) -> str:
    names = DAY_NAMES[lang]
    if len(days) >= 3 and _even_step(days) == 1:
        return _w("range", lang, a=names[days[0]], b=names[days[-1]])
    return _listing([names[d] for d in _monday_first(days)], lang)


def _monday_first(days: tuple[int, ...]) -> list[int]:
    return sorted(days, key=lambda d: (d + 6) % 7)


def _even_step(values: tuple[int, ...]) -> int | None:
    steps = {b - a for a, b in itertools.pairwise(values)}
    return steps.pop() if len(steps) == 1 else None


def _clock(hour: int, minute: int, lang: str) -> str:
    return f"{hour:02d}{':' if lang == 'en' else '.'}{minute:02d}"


def _listing(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_w('and', lang)} {items[-1]}"


def _w(key: str, lang: str, **params: object) -> str:
    """The words `cron.<key>` of the message catalogue (core/text/messages/cron.yaml)."""
    return i18n.t(f"cron.{key}", lang, **params)
