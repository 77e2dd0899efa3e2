"""One record type of a layout (header, detail or trailer): split, check, render a line.

`parse_raws` is the authoritative check of a record, used by the slow path of the reader
(fixed-width records, and any delimited line the fast path did not accept) and by the
writer before it writes a line. It reports every problem of the line, in field order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.files.layout.errors import BadValue, FieldInvalid
from core.files.layout.fastpath import FastPath, compile_fast
from core.files.layout.fields import Field
from core.files.layout.rules import Rule

# (field or None for the whole line, raw value, code, message)
Problem = tuple[str | None, str | None, str, str]


@dataclass(frozen=True)
class Parsed:
    values: dict[str, Any] | None  # every field, typed; None when the record has a problem
    partial: dict[str, Any]  # the fields that did parse (for the control total of a bad record)
    problems: list[Problem]
    key: str | None = None


@dataclass(frozen=True)
class RecordSpec:
    role: str  # "header", "detail" or "trailer", for messages
    marker: str
    fields: tuple[Field, ...]
    delimiter: str  # "" for a fixed-width layout
    rules: tuple[Rule, ...] = ()
    key: str | None = None  # a field that identifies the record in error reports
    fast: FastPath | None = field(init=False, repr=False, compare=False)
    names: tuple[str, ...] = field(init=False, repr=False, compare=False)
    slices: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)
    line_width: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(f.name for f in self.fields))
        fast = None
        if self.delimiter:
            fast = compile_fast(self.marker, self.delimiter, self.fields, self.rules)
        object.__setattr__(self, "fast", fast)
        slices, start = [], len(self.marker)
        for f in self.fields:
            width = f.width or 0
            slices.append((start, start + width))
            start += width
        object.__setattr__(self, "slices", tuple(slices))
        object.__setattr__(self, "line_width", start)

    @property
    def max_chars(self) -> int:
        """The longest valid line of this record type, in characters."""
        if not self.delimiter:
            return self.line_width
        return len(self.marker) + sum(f.max_chars + len(self.delimiter) for f in self.fields)

    def get_field(self, name: str) -> Field:
        return self.fields[self.names.index(name)]

    # -- reading ---------------------------------------------------------------------------

    def parse(self, text: str, today: date | None) -> Parsed:
        """Check one line (without its line ending) whose marker is this record's."""
        raws = self.split(text)
        if isinstance(raws, str):
            return Parsed(None, {}, [(None, None, "field_count", raws)])
        return self.parse_raws(raws, today)

    def split(self, text: str) -> list[str] | str:
        """The raw values after the marker, or a message when the line has the wrong shape."""
        if self.delimiter:
            parts = text.split(self.delimiter)
            if len(parts) != len(self.fields) + 1:
                return f"jumlah kolom {len(parts)}, seharusnya {len(self.fields) + 1}"
            return parts[1:]
        if len(text) != self.line_width:
            return f"panjang baris {len(text)} karakter, seharusnya {self.line_width}"
        return [_unpad(text[a:b], f) for (a, b), f in zip(self.slices, self.fields, strict=True)]

    def parse_raws(self, raws: Sequence[str], today: date | None) -> Parsed:
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for f, raw in zip(self.fields, raws, strict=True):
            if not raw:
                if f.required:
                    problems.append((f.name, raw, "required", "wajib diisi"))
                else:
                    values[f.name] = None
                continue
            try:
                values[f.name] = f.parse(raw, today)
            except FieldInvalid as exc:
                problems.append((f.name, raw, exc.code, exc.message))
        if not problems:
            for rule in self.rules:
                for name, code, message in rule.violations(values):
                    problems.append((name, raws[self.names.index(name)], code, message))
        key = raws[self.names.index(self.key)] if self.key else None
        return Parsed(None if problems else values, values, problems, key or None)

    # -- writing ---------------------------------------------------------------------------

    def render(self, values: Mapping[str, Any], today: date | None,
               record_index: int | None) -> tuple[str, dict[str, Any]]:
        """The line for `values` (no line ending) and the typed values as a reader will see them.

        Raises BadValue naming the field.
        """
        for name in values:
            if name not in self.names:
                raise BadValue(f"kolom {name!r} tidak ada dalam layout ({self.role})", field=str(name),
                               record_index=record_index, code="unknown_field")
        raws = []
        for f in self.fields:
            value = values.get(f.name)
            try:
                raw = "" if value is None else f.format(value)
            except FieldInvalid as exc:
                raise BadValue(exc.message, field=f.name, record_index=record_index, code=exc.code,
                               value=value) from None
            raws.append(raw)
        if self.fast is not None:  # the line as a reader's fast path sees it: good, with these values
            line = self.delimiter.join([self.marker, *raws])
            m = self.fast.match(line)
            typed = self.fast.build(m.groups(), today) if m is not None else None
            if typed is not None:
                return line, typed
        parsed = self.parse_raws(raws, today)  # names the problem, or accepts what the fast path declined
        if parsed.problems:
            name, raw, code, message = parsed.problems[0]
            raise BadValue(message, field=name, record_index=record_index, code=code, value=raw)
        if self.delimiter:
            return self.delimiter.join([self.marker, *raws]), parsed.partial
        cells = (self._padded(f, raw, record_index) for f, raw in zip(self.fields, raws, strict=True))
        return self.marker + "".join(cells), parsed.partial

    def _padded(self, f: Field, raw: str, record_index: int | None) -> str:
        width = f.width or 0
        if len(raw) > width:
            raise BadValue(f"terlalu panjang untuk lebar kolom {width}: {len(raw)} karakter", field=f.name,
                           record_index=record_index, code="too_long", value=raw)
        if not raw:
            cell = " " * width
        else:
            cell = raw.ljust(width, f.pad) if f.align == "left" else raw.rjust(width, f.pad)
        if _unpad(cell, f) != raw:
            raise BadValue(f"nilai {raw!r} akan berubah saat dibaca (isian {f.pad!r} di tepi)", field=f.name,
                           record_index=record_index, code="padding", value=raw)
        return cell


def _unpad(cell: str, f: Field) -> str:
    """The value inside a fixed-width cell: all spaces is empty; otherwise strip the padding."""
    if not cell.strip(" "):
        return ""
    value = cell.rstrip(f.pad) if f.align == "left" else cell.lstrip(f.pad)
    return value or f.pad  # a zero-padded 0 is all padding
