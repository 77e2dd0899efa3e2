"""Whole numbers: integers (revision, counts) and Rupiah amounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from core.files.layout.errors import FieldInvalid
from core.files.layout.fields.base import Field, OptionError, check_separators

MAX_AMOUNT = 10**12
MAX_INTEGER = 10**18 - 1


@dataclass(frozen=True, kw_only=True)
class IntegerField(Field):
    """A whole number >= 0 written in digits; becomes an int."""

    min: int = 0
    max: int = MAX_INTEGER

    type_name: ClassVar[str] = "integer"
    kind: ClassVar[str] = "int"
    OPTIONS: ClassVar[dict[str, type]] = {"min": int, "max": int}
    limit: ClassVar[int] = MAX_INTEGER
    noun: ClassVar[str] = "nilai"

    def __post_init__(self) -> None:
        if not 0 <= self.min <= self.max:
            raise OptionError("min", "expected 0 <= min <= max")
        if self.max > self.limit:
            raise OptionError("max", f"at most {self.limit}")
        super().__post_init__()

    @property
    def fragment(self) -> str:
        return f"[0-9]{{1,{len(str(self.limit))}}}"

    @property
    def max_chars(self) -> int:
        return len(str(self.limit))

    def convert(self, raw: str, today: date | None) -> int:
        value = int(raw)
        if value > self.max:
            raise FieldInvalid("too_big", f"{self.noun} {value} melebihi batas {self.max}")
        if value < self.min:
            raise FieldInvalid("too_small", f"{self.noun} {value} kurang dari minimal {self.min}")
        return value

    def diagnose(self, raw: str) -> None:
        check_separators(raw, self.delimiter)
        if raw.startswith("-") and raw[1:].isascii() and raw[1:].isdigit():
            raise FieldInvalid("negative", f"{self.noun} tidak boleh negatif")
        if raw.isascii() and raw.isdigit():
            raise FieldInvalid("too_big", f"{self.noun} melebihi batas {self.max}")
        raise FieldInvalid("not_number", f"{self.noun} harus bilangan bulat, angka 0-9 saja")

    def format(self, value: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str):
            return value
        raise FieldInvalid("type", f"harus bilangan bulat (int), bukan {type(value).__name__}")


@dataclass(frozen=True, kw_only=True)
class AmountField(IntegerField):
    """Whole Rupiah: digits only (no separators, no decimals), 0 <= amount <= 10^12."""

    max: int = MAX_AMOUNT

    type_name: ClassVar[str] = "amount"
    limit: ClassVar[int] = MAX_AMOUNT
    noun: ClassVar[str] = "jumlah"

    def diagnose(self, raw: str) -> None:
        check_separators(raw, self.delimiter)
        if raw.startswith("-"):
            raise FieldInvalid("negative", "jumlah tidak boleh negatif")
        if any(c in raw for c in ".,"):
            raise FieldInvalid("not_number", "jumlah harus Rupiah bulat tanpa titik, koma atau desimal")
        super().diagnose(raw)
