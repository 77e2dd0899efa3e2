"""The one date input of every page: shows `10 Mar 2026`, picks from a calendar in the page's
language, and keeps the ISO date (`2026-03-10`) as its value for the page to read.

Not `<input type=date>`: Chromium draws that in the browser's locale (`mm/dd/yyyy` on an
English system), whatever the page's language (issue 17). Typed text is read as `10 Mar 2026`
(Indonesian or English month), `10/03/2026` (day first, as Indonesia writes it) or ISO.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from core.text import fmt

_MONTHS = {name.lower(): n for names in (fmt.SHORT_MONTHS_ID, fmt.SHORT_MONTHS_EN)
           for n, name in enumerate(names, start=1)}
_WORDS = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\s+(\d{4})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse(text: str | None) -> dt.date | None:
    """The date `text` names in one of the accepted forms, or None."""
    text = (text or "").strip()
    try:
        if m := _WORDS.match(text):
            month = _MONTHS.get(m.group(2).lower())
            return dt.date(int(m.group(3)), month, int(m.group(1))) if month else None
        if m := _DAY_FIRST.match(text):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


class DateField(ui.input):
    """An input whose `value` is an ISO date string ("" for none), shown as `10 Mar 2026`."""

    def __init__(self, label: str, value: dt.date | str | None = None, lang: str = "id",
                 on_change: Callable[[], Awaitable[None] | None] | None = None) -> None:
        self.lang = lang
        iso = value.isoformat() if isinstance(value, dt.date) else (value or "")
        super().__init__(label, value=iso)
        self.props("outlined dense stack-label clearable").classes("w-40")
        with self.add_slot("append"):
            icon = ui.icon("event").classes("cursor-pointer")
            with icon, ui.menu().props("no-parent-event") as menu:
                picker = ui.date(value=iso or None, on_change=lambda e: self._picked(e.value, menu))
                picker.props('mask="YYYY-MM-DD" minimal')
            icon.on("click", menu.open)
        self._picker, self._on_change = picker, on_change
        if on_change is not None:
            self.on("change", on_change)
            self.on("clear", on_change)

    async def _picked(self, iso: str | None, menu: ui.menu) -> None:
        menu.close()
        if (iso or "") == self.value:
            return
        self.set_value(iso or "")
        if self._on_change is not None:
            result = self._on_change()
            if result is not None:
                await result

    def _event_args_to_value(self, e: Any) -> str:
        day = parse(e.args if isinstance(e.args, str) else None)
        return day.isoformat() if day else ""

    def _value_to_model_value(self, value: Any) -> Any:
        day = parse(value) if isinstance(value, str) else None
        return fmt.short_date(day, self.lang) if day else (value or "")
