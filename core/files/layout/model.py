"""A loaded layout: what one file type looks like, ready for the reader and the writer."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.files.layout.names import NamePattern
from core.files.layout.records import RecordSpec
from core.files.layout.rules import ControlTotal

# The four files of the payout cycle (claims in, instructions out, results in, statuses out);
# `load_layouts` insists on all of them by default, so a missing layout stops the start.
FILE_TYPES = ("VERIFIED_CLAIMS", "PAYOUT_INSTRUCTION", "PAYOUT_RESULT", "PAYOUT_STATUS")


@dataclass(frozen=True)
class Layout:
    file_type: str
    version: str
    source: Path  # the YAML file it came from
    description: str
    encoding: str
    line_ending: str  # what the writer writes; the reader accepts LF and CRLF
    delimiter: str  # "" for a fixed-width layout
    file_name: NamePattern
    header: RecordSpec
    detail: RecordSpec
    trailer: RecordSpec
    control_total: ControlTotal

    @property
    def fixed_width(self) -> bool:
        return not self.delimiter

    @property
    def field_names(self) -> tuple[str, ...]:
        """The detail fields, in file order."""
        return self.detail.names

    @property
    def max_line_bytes(self) -> int:
        """A line longer than this cannot be of this layout (4 bytes per character, margin)."""
        longest = max(r.max_chars for r in (self.header, self.detail, self.trailer))
        return max(1024, 4 * longest + 16)

    def marker_of(self, text: str) -> str:
        """The record type marker of a line (for a fixed-width layout, its first characters)."""
        if self.delimiter:
            return text.split(self.delimiter, 1)[0]
        return text[: len(self.header.marker)]

    def match_name(self, filename: str) -> dict[str, Any] | None:
        """The parts of a file name of this type (e.g. {'date': date, 'seq': 1}), or None."""
        return self.file_name.match(filename)

    def make_name(self, **parts: Any) -> str:
        """The file name for these parts; raises LayoutError for a missing or bad part."""
        return self.file_name.make(**parts)


class Layouts(Mapping[str, Layout]):
    """The loaded layouts by file type."""

    def __init__(self, layouts: Mapping[str, Layout]):
        self._layouts = dict(layouts)

    def __getitem__(self, file_type: str) -> Layout:
        return self._layouts[file_type]

    def __iter__(self) -> Iterator[str]:
        return iter(self._layouts)

    def __len__(self) -> int:
        return len(self._layouts)

    def for_name(self, filename: str) -> tuple[Layout, dict[str, Any]] | None:
        """The layout whose name pattern `filename` matches, with the name's parts."""
        for layout in self._layouts.values():
            parts = layout.match_name(filename)
            if parts is not None:
                return layout, parts
        return None
