"""Writing a batch file from records, all-or-nothing.

Every value is formatted and then checked with the same code the reader uses, so the
writer never produces a file its own reader (or the partner's) would refuse; a bad value
raises BadValue naming the record (1-based) and the field. The trailer's count and
control total are computed here, never passed in.

The file is written to a hidden temporary file in the same folder, flushed and fsynced,
then linked into place (or renamed over the old file when `overwrite=True`): a reader or
an upload never sees half a file, and a crash leaves at most a `.NAME.*.tmp` behind.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from core.files.layout.errors import BadValue
from core.files.layout.model import Layout
from core.files.layout.records import RecordSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    count: int  # detail records written
    control_total: int
    sha256: str
    size: int  # bytes


def write_file(layout: Layout, path: Path, header: Mapping[str, Any], records: Iterable[Mapping[str, Any]], *,
               today: date | None = None, overwrite: bool = False) -> WrittenFile:
    """Write `records` under `header`; returns what was written.

    `header` holds the header fields except the marker; `file_type` and
    `layout_version` default to the layout's. Values may be typed (int, date, aware
    datetime) or already text; None or a missing key leaves an optional field empty.
    `today`, when given, also applies the `not_future` checks. Raises BadValue for a
    value that does not fit, FileExistsError when `path` exists and not `overwrite`.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} sudah ada; file batch tidak pernah ditimpa")
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as out:
            written = _write_lines(layout, out, header, records, today)
            out.flush()
            os.fsync(out.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if someone created `path` meanwhile
            tmp.unlink()
        _fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    count, total, digest, size = written
    log.info("wrote %s: %d records, control total %d", path.name, count, total)
    return WrittenFile(path, count, total, digest, size)


def _write_lines(layout: Layout, out: IO[bytes], header: Mapping[str, Any],
                 records: Iterable[Mapping[str, Any]], today: date | None) -> tuple[int, int, str, int]:
    hasher = hashlib.sha256()
    size = 0

    def emit(line: str, index: int | None) -> None:
        nonlocal size
        try:
            data = (line + layout.line_ending).encode(layout.encoding)
        except UnicodeEncodeError as exc:
            raise BadValue(f"karakter {exc.object[exc.start]!r} tidak bisa ditulis dalam {layout.encoding}",
                           field=None, record_index=index, code="encoding") from None
        hasher.update(data)
        out.write(data)
        size += len(data)

    emit(_header_line(layout, header), None)
    count = total = 0
    amount = layout.control_total.amount
    for index, record in enumerate(records, 1):
        line, values = layout.detail.render(record, today, index)
        emit(line, index)
        count += 1
        total += amount(values)
    trailer, _ = layout.trailer.render({"detail_count": count, "control_total": total}, None, None)
    emit(trailer, None)
    return count, total, hasher.hexdigest(), size


def _header_line(layout: Layout, header: Mapping[str, Any]) -> str:
    values = dict(header)
    for name, own in (("file_type", layout.file_type), ("layout_version", layout.version)):
        values.setdefault(name, own)
        if values[name] != own:
            raise BadValue(f"harus {own!r} untuk layout ini, bukan {values[name]!r}", field=name,
                           record_index=None, code="header")
    spec: RecordSpec = layout.header
    line, _ = spec.render(values, None, None)
    return line


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); not all platforms allow opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
