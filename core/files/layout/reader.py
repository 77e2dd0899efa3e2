"""Reading a batch file: `check_file` (the whole-file verdict) and `read_records`.

A job must not apply any record of a file that is later rejected, and must not hold a
whole file in memory. So reading is two streaming passes:

    check = check_file(layout, path, expected_sender="BPJSTK",
                       expected_receiver="PEMPROV_NTT", today=today_wita)   # may raise FileRejected
    for item in read_records(layout, path, expected_sender=..., expected_receiver=..., today=...):
        if isinstance(item, Record): apply(item.values)
        else: report(item)                                                 # a RecordError

`read_records` checks everything again and raises FileRejected at the end if the file
changed in between, so applying inside one transaction keeps the guarantee.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from core.files.layout.errors import RecordError
from core.files.layout.model import Layout
from core.files.layout.scanner import Record, Scan

MAX_STORED_ERRORS = 1000


@dataclass(frozen=True)
class FileCheck:
    """The verdict on a file that was not rejected, with what the job needs to record."""

    file: str  # the file name
    path: Path
    file_type: str
    header: dict[str, Any]  # typed header values (file_id, created_at, sender, ...)
    trailer: dict[str, Any]  # detail_count, control_total (and any extra trailer field)
    detail_count: int  # detail lines, good and bad (equals the trailer's count)
    control_total: int  # equals the trailer's control total
    good_records: int
    bad_records: int  # detail lines with at least one problem
    errors: tuple[RecordError, ...]  # the first `max_errors` problems, in file order
    error_count: int  # every problem, including those not stored
    sha256: str  # of the file's bytes, for duplicate detection
    size: int  # bytes

    @property
    def with_errors(self) -> bool:
        """True when the file is "processed with errors" (some records are skipped)."""
        return self.bad_records > 0


def check_file(layout: Layout, path: Path, *, expected_sender: str | None, expected_receiver: str | None,
               today: date, max_errors: int = MAX_STORED_ERRORS) -> FileCheck:
    """One full pass; returns the verdict or raises FileRejected (OSError if unreadable).

    `expected_sender`/`expected_receiver` are the partner ids the header must carry (None:
    not checked); `today` is the WITA date "not in the future" is measured against.
    """
    path = Path(path)
    scan = Scan(layout, path, expected_sender=expected_sender, expected_receiver=expected_receiver,
                today=today, emit_records=False)
    errors: list[RecordError] = []
    error_count = 0
    for item in scan:  # only RecordErrors, since emit_records is off
        error_count += 1
        if len(errors) < max_errors:
            errors.append(item)  # type: ignore[arg-type]
    with open(path, "rb") as f:  # after the verdict: a rejected file costs no extra pass
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    return FileCheck(file=path.name, path=path, file_type=layout.file_type, header=scan.header,
                     trailer=scan.trailer, detail_count=scan.count, control_total=scan.total,
                     good_records=scan.good, bad_records=scan.bad, errors=tuple(errors),
                     error_count=error_count, sha256=digest, size=path.stat().st_size)


def read_records(layout: Layout, path: Path, *, expected_sender: str | None, expected_receiver: str | None,
                 today: date) -> Iterator[Record | RecordError]:
    """Each detail line as a Record, or one RecordError per problem of a bad line.

    Raises FileRejected before the first item (bad header) or after the last one (bad
    trailer, count or total): call `check_file` first, or apply inside a transaction.
    """
    return iter(Scan(layout, Path(path), expected_sender=expected_sender, expected_receiver=expected_receiver,
                     today=today))
