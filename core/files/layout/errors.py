"""The engine's error types and the record-level problem report.

Three ways a file or a value can fail its layout, each with its own shape:
- `FileRejected`: the file as a whole is not acceptable (header, trailer, count, control
  total, encoding). Nothing in it may be applied.
- `RecordError`: one problem in one detail line of an otherwise valid file. It is a value,
  not an exception: the reader yields it and carries on, so the job can report it and
  apply the other records.
- `BadValue`: the writer was given a value that would break the layout; it names the
  record and the field so the caller can find the bad data.

Messages are Bahasa Indonesia, lower case, and name the field separately, so a screen
or a log line reads "BPJSTK_KLAIM_20250903_01.txt baris 7, kolom nik: NIK harus tepat 16
angka, ada 17".
"""

from __future__ import annotations

from dataclasses import dataclass


class LayoutError(Exception):
    """Base of every error the layout engine raises while reading or writing a file."""


class FileRejected(LayoutError):
    """The file is rejected whole; `code` is a stable machine-readable reason."""

    def __init__(self, file: str, reason: str, *, code: str, line_no: int | None = None):
        self.file = file
        self.reason = reason
        self.code = code
        self.line_no = line_no
        where = f"{file} baris {line_no}" if line_no else file
        super().__init__(f"{where}: file ditolak seluruhnya: {reason}")


class BadValue(LayoutError):
    """The writer refused a value; `record_index` is 1-based, None for the header."""

    def __init__(self, reason: str, *, field: str | None, record_index: int | None,
                 code: str = "invalid", value: object = None):
        self.reason = reason
        self.field = field
        self.record_index = record_index
        self.code = code
        self.value = value
        where = "header" if record_index is None else f"record ke-{record_index}"
        column = f", kolom {field}" if field else ""
        super().__init__(f"{where}{column}: {reason}")


class FieldInvalid(ValueError):
    """Raised by a field type's `parse`/`format`; the caller adds file, line and field."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class RecordError:
    """One problem in one detail line. `field` is None for a whole-line problem."""

    file: str
    line_no: int
    field: str | None
    value: str | None
    message: str
    code: str
    key: str | None = None  # the record's key (e.g. claim_no) when it could be read

    def __str__(self) -> str:
        column = f", kolom {self.field}" if self.field else ""
        key = f" ({self.key})" if self.key else ""
        return f"{self.file} baris {self.line_no}{key}{column}: {self.message}"
