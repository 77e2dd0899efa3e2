"""Calendar dates and timestamps with an offset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from core.files.layout.errors import FieldInvalid
from core.files.layout.fields.base import Field, check_separators

DATE_FRAGMENT = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
TIMESTAMP_FRAGMENT = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:Z|[+-][0-9]{2}:[0-9]{2})"
)
TIMESTAMP_EXAMPLE = "2025-09-03T01:00:00+08:00"


@dataclass(frozen=True, kw_only=True)
class DateField(Field):
    """YYYY-MM-DD, a real calendar date; `not_future` compares with the caller's today."""

    not_future: bool = False

    type_name: ClassVar[str] = "date"
    kind: ClassVar[str] = "date"
    OPTIONS: ClassVar[dict[str, type]] = {"not_future": bool}
    FRAGMENT: ClassVar[str] = DATE_FRAGMENT
    MIN_CHARS: ClassVar[int] = 10
    MAX_CHARS: ClassVar[int] = 10

    def convert(self, raw: str, today: date | None) -> date:
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            raise FieldInvalid("date", f"tanggal {raw} tidak ada di kalender") from None
        if self.not_future and today is not None and value > today:
            raise FieldInvalid("future", f"tanggal {raw} di masa depan (hari ini {today.isoformat()})")
        return value

    def diagnose(self, raw: str) -> None:
        check_separators(raw, self.delimiter)
        raise FieldInvalid("date", "tanggal harus berformat YYYY-MM-DD, mis. 2025-09-03")

    def format(self, value: Any) -> str:
        if isinstance(value, datetime):
            raise FieldInvalid("type", "harus tanggal (date), bukan datetime")
        if isinstance(value, date):
            return value.isoformat()
        return super().format(value)


@dataclass(frozen=True, kw_only=True)
class TimestampField(Field):
    """ISO 8601 date and time WITH an offset; becomes an aware datetime."""

    type_name: ClassVar[str] = "timestamp"
    kind: ClassVar[str] = "timestamp"
    FRAGMENT: ClassVar[str] = TIMESTAMP_FRAGMENT
    MIN_CHARS: ClassVar[int] = 20  # 2025-09-03T01:00:00Z
    MAX_CHARS: ClassVar[int] = 32  # 2025-09-03T01:00:00.123456+08:00

    def convert(self, raw: str, today: date | None) -> datetime:
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            raise FieldInvalid("timestamp",
                               f"waktu {raw} tidak valid (jam, tanggal atau zona waktu)") from None

    def diagnose(self, raw: str) -> None:
        check_separators(raw, self.delimiter)
        try:
            naive = datetime.fromisoformat(raw).tzinfo is None
        except ValueError:
            naive = False
        if naive:
            raise FieldInvalid("timestamp", f"waktu tanpa zona waktu; tulis mis. {TIMESTAMP_EXAMPLE}")
        raise FieldInvalid("timestamp", f"waktu harus ISO 8601 dengan zona waktu, mis. {TIMESTAMP_EXAMPLE}")

    def format(self, value: Any) -> str:
        if isinstance(value, datetime):
            if value.tzinfo is None or value.utcoffset() is None:
                raise FieldInvalid("timestamp", "waktu tanpa zona waktu (datetime naif) tidak boleh ditulis")
            return value.isoformat()
        return super().format(value)
