"""Text and digit-string fields: names, codes written freely, account numbers, NIK."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from core.files.layout.errors import FieldInvalid
from core.files.layout.fields.base import CONTROL_CLASS, Field, OptionError, check_length, check_separators

NIK_FRAGMENT = (
    r"(?:1[1-9]|[2-8][0-9]|9[0-4])[0-9]{4}"  # province 11-94, kabupaten, kecamatan
    r"(?:0[1-9]|[12][0-9]|3[01]|4[1-9]|[56][0-9]|7[01])"  # day 01-31, women 41-71
    r"(?:0[1-9]|1[0-2])[0-9]{2}(?!0000)[0-9]{4}"  # month, year, serial not 0000
)


class LengthBounds:
    """For a field with `min_length`/`max_length` options: its raw value is that many characters."""

    def check_length_bounds(self) -> None:
        if not 1 <= self.min_length <= self.max_length:
            raise OptionError("max_length", "expected 1 <= min_length <= max_length")

    @property
    def max_chars(self) -> int:
        return self.max_length

    @property
    def min_chars(self) -> int:
        return self.min_length


@dataclass(frozen=True, kw_only=True)
class TextField(LengthBounds, Field):
    """Free text of bounded length; `chars` narrows the characters (a regex class body)."""

    max_length: int
    min_length: int = 1
    chars: str | None = None

    type_name: ClassVar[str] = "text"
    OPTIONS: ClassVar[dict[str, type]] = {"max_length": int, "min_length": int, "chars": str}

    def __post_init__(self) -> None:
        self.check_length_bounds()
        if self.chars is not None:
            if re.search(r"(?<!\\)(?:\\\\)*[\[\]]", self.chars):
                raise OptionError("chars", "write a '[' or ']' inside chars as '\\[' or '\\]'")
            try:
                char_rx = re.compile(f"[{self.chars}]")
            except re.error as exc:
                raise OptionError("chars", f"not a valid character class ({exc})") from None
            for bad in (self.delimiter, "\r", "\n", "\x00"):
                if bad and char_rx.fullmatch(bad):
                    raise OptionError("chars", f"must not allow {bad!r} (a separator or control character)")
        super().__post_init__()

    @property
    def char_class(self) -> str:
        if self.chars is not None:
            return f"[{self.chars}]"
        return f"[^{re.escape(self.delimiter)}{CONTROL_CLASS}]"

    @property
    def fragment(self) -> str:
        return f"{self.char_class}{{{self.min_length},{self.max_length}}}"

    def diagnose(self, raw: str) -> None:
        check_separators(raw, self.delimiter)
        one = re.compile(self.char_class)
        bad = next((c for c in raw if not one.fullmatch(c)), None)
        if bad is not None:
            allowed = f" (boleh: {self.chars})" if self.chars is not None else ""
            raise FieldInvalid("chars", f"karakter {bad!r} tidak diizinkan{allowed}")
        check_length(raw, self.min_length, self.max_length)


@dataclass(frozen=True, kw_only=True)
class DigitsField(LengthBounds, Field):
    """A number kept as text (leading zeros matter): account numbers, kpj, bank codes."""

    length: int | None = None
    min_length: int | None = None
    max_length: int | None = None

    type_name: ClassVar[str] = "digits"
    OPTIONS: ClassVar[dict[str, type]] = {"length": int, "min_length": int, "max_length": int}

    def __post_init__(self) -> None:
        if self.length is not None:
            if self.min_length is not None or self.max_length is not None:
                raise OptionError("length", "give either length or min_length/max_length, not both")
            object.__setattr__(self, "min_length", self.length)
            object.__setattr__(self, "max_length", self.length)
        if self.max_length is None:
            raise OptionError("length", "missing (give length, or min_length and max_length)")
        if self.min_length is None:
            object.__setattr__(self, "min_length", 1)
        self.check_length_bounds()
        super().__post_init__()

    @property
    def fragment(self) -> str:
        return f"[0-9]{{{self.min_length},{self.max_length}}}"

    def diagnose(self, raw: str) -> None:
        check_separators(raw, self.delimiter)
        if not (raw.isascii() and raw.isdigit()):
            raise FieldInvalid("digits", "harus berisi angka 0-9 saja")
        if self.min_length == self.max_length:
            if len(raw) != self.max_length:
                code = "too_long" if len(raw) > self.max_length else "too_short"
                raise FieldInvalid(code, f"harus tepat {self.max_length} angka, ada {len(raw)}")
        else:
            check_length(raw, self.min_length, self.max_length, "angka")

    def format(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        raise FieldInvalid("type",
                           f"harus teks (str) agar angka nol di depan tetap, bukan {type(value).__name__}")


@dataclass(frozen=True, kw_only=True)
class NikField(Field):
    """The 16-digit national ID: province 11-94, birth day 01-31 (41-71 for women), month, serial not 0000."""

    type_name: ClassVar[str] = "nik"
    FRAGMENT: ClassVar[str] = NIK_FRAGMENT
    MIN_CHARS: ClassVar[int] = 16
    MAX_CHARS: ClassVar[int] = 16

    def diagnose(self, raw: str) -> None:
        check_separators(raw, self.delimiter)
        if not (raw.isascii() and raw.isdigit()):
            raise FieldInvalid("nik", "NIK harus berisi angka 0-9 saja")
        if len(raw) != 16:
            raise FieldInvalid("nik", f"NIK harus tepat 16 angka, ada {len(raw)}")
        province, day, month, serial = raw[0:2], int(raw[6:8]), int(raw[8:10]), raw[12:16]
        if not 11 <= int(province) <= 94:
            raise FieldInvalid("nik", f"kode provinsi NIK {province} tidak valid (11-94)")
        if not (1 <= day <= 31 or 41 <= day <= 71):
            raise FieldInvalid("nik", f"tanggal lahir NIK {raw[6:8]} tidak valid "
                                      "(01-31, atau 41-71 untuk perempuan)")
        if not 1 <= month <= 12:
            raise FieldInvalid("nik", f"bulan lahir NIK {raw[8:10]} tidak valid (01-12)")
        if serial == "0000":
            raise FieldInvalid("nik", "nomor urut NIK tidak boleh 0000")
