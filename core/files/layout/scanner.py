"""One streaming pass over a batch file: header, detail lines, trailer, count and total.

The file is read line by line in binary (`readline` with a byte limit), so memory stays
constant whatever the file size and a 10 MB line without a newline is refused after
`max_line_bytes`. Each line is decoded on its own, so a bad byte is reported with its
line number. Detail lines go through the fast path (one regex and one generated function,
see fastpath.py) and, when it declines, through `RecordSpec.parse`, which names every
problem.

Counting policy (documented in docs/layouts.md):
- every non-blank line between the header and the trailer is a detail line for the
  trailer's count, including a line with a wrong field count or an unknown marker;
- the control total sums the amount field of every detail line whose amount (and the
  fields of the total's `when` condition) could be read, good record or not; a line
  whose amount cannot be read adds nothing, so when the sender counted it the totals
  disagree and the file is rejected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from core.files.layout.errors import FileRejected, RecordError
from core.files.layout.model import Layout
from core.files.layout.records import Parsed, RecordSpec

BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class Record:
    """A good detail record: its line number and its typed values, in layout order."""

    line_no: int
    values: dict[str, Any]


class Scan:
    """Iterate to run the pass; afterwards `header`, `trailer`, `count`, `total` are set.

    Raises FileRejected while iterating: before the first item for a bad header, and at
    the end (after the last item) for a bad trailer, count or total.
    """

    def __init__(self, layout: Layout, path: Path, *, expected_sender: str | None,
                 expected_receiver: str | None, today: date, emit_records: bool = True):
        self.layout = layout
        self.path = Path(path)
        self.file = self.path.name
        self.expected_sender = expected_sender
        self.expected_receiver = expected_receiver
        self.today = today
        self.emit_records = emit_records
        self.header: dict[str, Any] = {}
        self.trailer: dict[str, Any] = {}
        self.count = 0  # detail lines, good or bad
        self.total = 0
        self.good = 0
        self.bad = 0

    def reject(self, reason: str, code: str, line_no: int | None = None) -> FileRejected:
        return FileRejected(self.file, reason, code=code, line_no=line_no)

    def __iter__(self) -> Iterator[Record | RecordError]:
        layout, today, emit = self.layout, self.today, self.emit_records
        limit = layout.max_line_bytes
        encoding = layout.encoding
        detail, marker_of = layout.detail, layout.marker_of
        fast_match = detail.fast.match if detail.fast else None
        build = detail.fast.build if detail.fast else None
        amount = layout.control_total.amount
        count = total = 0
        with open(self.path, "rb") as f:
            readline = f.readline
            raw = readline(limit + 1)
            if not raw:
                raise self.reject("file kosong", "empty")
            if raw.startswith(BOM) and encoding == "utf-8":
                raw = raw[len(BOM):]
            self.read_header(self.decode(raw, 1, limit))
            line_no = 1
            while True:
                raw = readline(limit + 1)
                if not raw:
                    break
                line_no += 1
                if len(raw) > limit:
                    raise self.too_long(line_no, limit)
                try:
                    text = raw.decode(encoding).rstrip("\r\n")
                except UnicodeDecodeError as exc:
                    raise self.not_text(raw, exc, line_no) from None
                if fast_match is not None:
                    m = fast_match(text)
                    if m is not None:
                        values = build(m.groups(), today)
                        if values is not None:
                            count += 1
                            total += amount(values)
                            if emit:
                                yield Record(line_no, values)
                            continue
                if not text.strip():
                    continue  # blank lines carry nothing; trailing ones are common
                marker = marker_of(text)
                if marker == layout.trailer.marker:
                    self.read_trailer(text, line_no)
                    self.expect_only_blank(readline, line_no, limit)
                    break
                if marker == layout.header.marker:
                    raise self.reject(f"header kedua di baris {line_no}", "second_header", line_no)
                count += 1
                parsed = self.slow(detail, marker, text)
                total += amount(parsed.partial)
                if parsed.values is not None:
                    if emit:
                        yield Record(line_no, parsed.values)
                    continue
                self.bad += 1
                for name, value, code, message in parsed.problems:
                    yield RecordError(self.file, line_no, name, _clip(value), message, code,
                                      _clip(parsed.key))
        self.count, self.total, self.good = count, total, count - self.bad
        self.check_totals()

    def slow(self, detail: RecordSpec, marker: str, text: str) -> Parsed:
        if marker != detail.marker:
            message = f"jenis record {marker!r} tidak dikenal (seharusnya {detail.marker})"
            return Parsed(None, {}, [(None, marker, "record_type", message)])
        return detail.parse(text, self.today)

    # -- header and trailer ------------------------------------------------------------------

    def read_header(self, text: str) -> None:
        layout, spec = self.layout, self.layout.header
        if not text.strip():
            raise self.reject("baris pertama kosong; header harus di baris pertama", "no_header", 1)
        marker = layout.marker_of(text)
        if marker != spec.marker:
            raise self.reject(f"baris pertama bukan header: jenis record {marker!r}, "
                              f"seharusnya {spec.marker}", "no_header", 1)
        file_type = self.raw_file_type(text)
        if file_type is not None and file_type != layout.file_type:
            reason = f"jenis file {file_type!r}, seharusnya {layout.file_type}"
            raise self.reject(reason, "wrong_file_type", 1)
        parsed = spec.parse(text, None)
        if parsed.values is None:
            name, _, _, message = parsed.problems[0]
            raise self.reject(f"header{f' kolom {name}' if name else ''}: {message}", "bad_header", 1)
        values = parsed.values
        checks = [("layout_version", layout.version, "versi layout", "wrong_version"),
                  ("sender", self.expected_sender, "pengirim", "wrong_sender"),
                  ("receiver", self.expected_receiver, "penerima", "wrong_receiver")]
        for name, expected, label, code in checks:
            if expected is not None and values[name] != expected:
                raise self.reject(f"{label} {values[name]!r}, seharusnya {expected!r}", code, 1)
        self.check_name(values)
        self.header = values

    def check_name(self, header: dict[str, Any]) -> None:
        """A part of the file name that is also a header field must agree with it (PAYOUT_RESULT's
        batch_id): a result filed under one batch's name must not answer another batch."""
        parts = self.layout.match_name(self.file)
        if parts is None:
            return  # not a partner's file name (a file read by hand); jobs only pick matching names
        for name, value in parts.items():
            if name in header and header[name] != value:
                raise self.reject(f"nama file menyebut {name} {value!r}, tetapi header menyebut "
                                  f"{header[name]!r}", "name_mismatch", 1)

    def raw_file_type(self, text: str) -> str | None:
        """The header's file_type as written, read before the rest (a wrong type explains all)."""
        spec = self.layout.header
        index = spec.names.index("file_type")
        if self.layout.delimiter:
            parts = text.split(self.layout.delimiter)
            return parts[index + 1] if len(parts) > index + 1 else None
        start, end = spec.slices[index]
        return text[start:end].strip() if len(text) >= end else None

    def read_trailer(self, text: str, line_no: int) -> None:
        parsed = self.layout.trailer.parse(text, None)
        if parsed.values is None:
            name, _, _, message = parsed.problems[0]
            raise self.reject(f"trailer{f' kolom {name}' if name else ''}: {message}", "bad_trailer", line_no)
        self.trailer = parsed.values

    def expect_only_blank(self, readline: Callable[[int], bytes], line_no: int, limit: int) -> None:
        while raw := readline(limit + 1):
            line_no += 1
            if raw.strip():
                raise self.reject(f"ada data setelah trailer di baris {line_no}", "after_trailer", line_no)

    def check_totals(self) -> None:
        if not self.trailer:
            raise self.reject("trailer (record T) tidak ditemukan; file terpotong?", "no_trailer")
        declared = self.trailer["detail_count"]
        if declared != self.count:
            raise self.reject(f"jumlah record di trailer {declared}, ditemukan {self.count}",
                              "count_mismatch")
        declared = self.trailer["control_total"]
        if declared != self.total:
            what = self.layout.control_total.describe()
            raise self.reject(f"total kontrol di trailer {declared}, {what} dari record {self.total}",
                              "total_mismatch")

    # -- bytes ----------------------------------------------------------------------------------

    def decode(self, raw: bytes, line_no: int, limit: int) -> str:
        if len(raw) > limit:
            raise self.too_long(line_no, limit)
        try:
            return raw.decode(self.layout.encoding).rstrip("\r\n")
        except UnicodeDecodeError as exc:
            raise self.not_text(raw, exc, line_no) from None

    def too_long(self, line_no: int, limit: int) -> FileRejected:
        return self.reject(f"baris {line_no} lebih dari {limit} byte: bukan file {self.layout.file_type}",
                           "line_too_long", line_no)

    def not_text(self, raw: bytes, exc: UnicodeDecodeError, line_no: int) -> FileRejected:
        byte = raw[exc.start]
        return self.reject(f"baris {line_no} bukan teks {self.layout.encoding.upper()} yang sah "
                           f"(byte 0x{byte:02x} di posisi {exc.start + 1})", "bad_encoding", line_no)


def _clip(value: str | None, limit: int = 100) -> str | None:
    if value is None or len(value) <= limit:
        return value
    return value[:limit] + "…"
