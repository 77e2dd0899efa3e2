"""File name patterns: `BPJSTK_KLAIM_{date}_{seq}.txt` with typed parts.

A part is a `date` (YYYYMMDD in the name, a datetime.date in Python), a `number`
(zero-padded to `width` digits, an int) or `text` (characters from `chars`, a str).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core.files.layout.errors import LayoutError

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
PART_TYPES = ("date", "number", "text")


@dataclass(frozen=True)
class NamePart:
    name: str
    type: str
    width: int = 2  # number
    chars: str = "A-Z0-9-"  # text
    max_length: int = 30  # text

    @property
    def fragment(self) -> str:
        if self.type == "date":
            return "[0-9]{8}"
        if self.type == "number":
            return f"[0-9]{{{self.width}}}"
        return f"[{self.chars}]{{1,{self.max_length}}}"

    def value(self, raw: str) -> Any:
        """The typed value of a matched part; None when it is not valid (e.g. 20250230)."""
        if self.type == "date":
            try:
                return datetime.strptime(raw, "%Y%m%d").date()
            except ValueError:
                return None
        return int(raw) if self.type == "number" else raw

    def text(self, value: Any) -> str:
        if self.type == "date":
            if not isinstance(value, date):
                raise LayoutError(f"bagian nama file {self.name}: harus tanggal (date), bukan {value!r}")
            return value.strftime("%Y%m%d")
        if self.type == "number":
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 10**self.width:
                raise LayoutError(f"bagian nama file {self.name}: harus bilangan 0..{10**self.width - 1}, "
                                  f"bukan {value!r}")
            return str(value).zfill(self.width)
        if not isinstance(value, str) or not re.fullmatch(self.fragment, value):
            raise LayoutError(f"bagian nama file {self.name}: {value!r} harus 1-{self.max_length} karakter "
                              f"dari {self.chars}")
        return value


@dataclass(frozen=True)
class NamePattern:
    pattern: str
    parts: tuple[NamePart, ...]
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pieces, last = [], 0
        by_name = {p.name: p for p in self.parts}
        for m in PLACEHOLDER.finditer(self.pattern):
            pieces.append(re.escape(self.pattern[last:m.start()]))
            pieces.append(f"(?P<{m.group(1)}>{by_name[m.group(1)].fragment})")
            last = m.end()
        pieces.append(re.escape(self.pattern[last:]))
        object.__setattr__(self, "_regex", re.compile("".join(pieces)))

    @property
    def placeholders(self) -> list[str]:
        return PLACEHOLDER.findall(self.pattern)

    @property
    def glob(self) -> str:
        """A shell pattern for listing candidate files, e.g. `BPJSTK_KLAIM_*.txt`."""
        return re.sub(r"(\*)+", "*", PLACEHOLDER.sub("*", self.pattern))

    def match(self, filename: str) -> dict[str, Any] | None:
        m = self._regex.fullmatch(filename)
        if m is None:
            return None
        out = {}
        for part in self.parts:
            value = part.value(m.group(part.name))
            if value is None:
                return None
            out[part.name] = value
        return out

    def make(self, **values: Any) -> str:
        names = {p.name for p in self.parts}
        missing, extra = names - set(values), set(values) - names
        if missing:
            raise LayoutError(f"nama file {self.pattern}: bagian {', '.join(sorted(missing))} belum diisi")
        if extra:
            raise LayoutError(f"nama file {self.pattern}: bagian tidak dikenal {', '.join(sorted(extra))}")
        by_name = {p.name: p for p in self.parts}
        return PLACEHOLDER.sub(lambda m: by_name[m.group(1)].text(values[m.group(1)]), self.pattern)
