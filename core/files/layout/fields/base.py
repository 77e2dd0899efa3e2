"""The base of every field type of a layout: how one raw value is checked, converted and written.

Each type knows:
- `fragment`: a regular expression matching exactly the valid non-empty raw values, as
  far as syntax goes. The fast path joins the fragments of a record into one regex, so a
  whole line is checked in one C call.
- `kind`: what the raw text becomes ("str", "int", "date", "timestamp"); the fast path
  converts with `int`, `date.fromisoformat` or `datetime.fromisoformat` and checks `min`,
  `max` and `not_future` itself.
- `parse(raw, today)`: the authoritative check. It tries `fragment` first, converts and
  checks ranges; only when something fails does it work out which plain reason to give.
  Because it starts from the same fragment and conversion, the fast path can never
  accept a value `parse` refuses.
- `format(value)`: the raw text for a Python value (the writer validates it with `parse`).

`raw` is never empty here: empty means "absent" and is handled by the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from core.files.layout.errors import FieldInvalid

# Unicode bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069):
# they make a name display in another order than it is stored (a "Trojan source" trick), so
# partner text must not carry them (contract: free-text fields are printable text).
BIDI_CLASS = r"\u202a-\u202e\u2066-\u2069"
# Characters never allowed inside any value: C0/C1 controls, Unicode line separators and
# the bidirectional controls above.
CONTROL_CLASS = r"\x00-\x1f\x7f-\x9f\u2028\u2029" + BIDI_CLASS


class OptionError(ValueError):
    """A bad option in a layout file; the loader turns it into a ConfigError with the key."""

    def __init__(self, option: str | None, message: str):
        self.option = option
        super().__init__(message)


@dataclass(frozen=True, kw_only=True)
class Field:
    """Options shared by every type; subclasses add their own and the checks."""

    name: str
    required: bool = True
    delimiter: str = ""  # set by the loader: the layout's separator ("" when fixed-width)
    width: int | None = None  # fixed-width layouts only
    align: str = "left"  # fixed-width: where the value sits; padding fills the rest
    pad: str = " "
    _rx: re.Pattern[str] = field(init=False, repr=False, compare=False)

    type_name: ClassVar[str] = ""
    kind: ClassVar[str] = "str"
    OPTIONS: ClassVar[dict[str, type]] = {}
    # A type whose valid values all have one shape (a date, a NIK) states it here with its
    # shortest and longest length; a type whose shape depends on its options computes them.
    FRAGMENT: ClassVar[str] = ""
    MIN_CHARS: ClassVar[int] = 1
    MAX_CHARS: ClassVar[int] = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "_rx", re.compile(self.fragment))

    @property
    def fragment(self) -> str:
        if not self.FRAGMENT:
            raise NotImplementedError(f"{type(self).__name__}: no fragment")
        return self.FRAGMENT

    @property
    def max_chars(self) -> int:
        """The longest valid raw value, in characters."""
        if not self.MAX_CHARS:
            raise NotImplementedError(f"{type(self).__name__}: no max_chars")
        return self.MAX_CHARS

    @property
    def min_chars(self) -> int:
        """The shortest valid raw value, in characters."""
        return self.MIN_CHARS

    def parse(self, raw: str, today: date | None) -> Any:
        if self._rx.fullmatch(raw):
            return self.convert(raw, today)
        self.diagnose(raw)
        raise FieldInvalid("format", "format tidak valid")

    def convert(self, raw: str, today: date | None) -> Any:
        """Turn a raw value that matched `fragment` into its typed value, or raise."""
        return raw

    def diagnose(self, raw: str) -> None:
        """Raise the most helpful FieldInvalid for a raw value that missed `fragment`."""
        check_separators(raw, self.delimiter)

    def format(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        raise FieldInvalid("type", f"harus teks (str), bukan {type(value).__name__}")


def check_separators(raw: str, delimiter: str) -> None:
    if delimiter and delimiter in raw:
        raise FieldInvalid("separator", f"berisi pemisah {delimiter!r} yang tidak boleh ada di dalam kolom")
    if "\r" in raw or "\n" in raw:
        raise FieldInvalid("newline", "berisi baris baru (CR/LF) yang tidak boleh ada di dalam kolom")


def check_length(raw: str, lo: int, hi: int, unit: str = "karakter") -> None:
    n = len(raw)
    if n > hi:
        raise FieldInvalid("too_long", f"terlalu panjang: {n} {unit}, maksimal {hi}")
    if n < lo:
        raise FieldInvalid("too_short", f"terlalu pendek: {n} {unit}, minimal {lo}")
