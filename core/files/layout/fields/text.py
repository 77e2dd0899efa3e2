"""Text and digit-string fields: names, codes written freely, account numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from core.files.layout.errors import FieldInvalid
from core.files.layout.fields.base import CONTROL_CLASS, Field, OptionError, check_length, check_separators

# Every character no text value may hold (contract: free-text fields are printable text).
NOT_PRINTABLE_RX = re.compile(f"[{CONTROL_CLASS}]")
NOT_PRINTABLE = tuple(chr(c) for c in range(0x2070) if NOT_PRINTABLE_RX.match(chr(c)))


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
            for bad in (self.delimiter, *NOT_PRINTABLE):
                if bad and char_rx.fullmatch(bad):
                    raise OptionError("chars", f"must not allow {bad!r} (a separator, control character "
                                               "or Unicode bidirectional control)")
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
        hidden = NOT_PRINTABLE_RX.search(raw)
        if hidden is not None:
            # A control or bidi character is invisible on screen: name it by its code point.
            code = f"U+{ord(hidden.group()):04X}"
            raise FieldInvalid("not_printable", f"berisi karakter tak tercetak {code} (karakter kendali atau "
                                                "pengubah arah teks Unicode) di posisi "
                                                f"{hidden.start() + 1}; teks harus dapat dicetak")
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
