"""Local side of a transfer: a staging file that only gets its real name once complete.

A download is written to `<name>.part`, hashed on the way, flushed to disk and renamed to
`<name>` only after its size was checked; a crash or a dropped connection therefore
never leaves a file under the final name that a later step could take for a whole one.
Local failures are raised as `LocalStorageError` so they are not mistaken for server ones.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from jobs.sftp.errors import LocalStorageError

PART_SUFFIX = ".part"
CHUNK = 2**20


class StagingFile:
    """Write-only file at `final.part` that computes SHA-256 and size as it goes."""

    def __init__(self, final: Path):
        self.final = final
        self.part = final.with_name(final.name + PART_SUFFIX)
        self.size = 0
        self._hash = hashlib.sha256()
        with _local():
            final.parent.mkdir(parents=True, exist_ok=True)
            self._file: BinaryIO = self.part.open("wb")

    def write(self, data: bytes) -> None:
        with _local():
            self._file.write(data)
        self._hash.update(data)
        self.size += len(data)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def commit(self) -> None:
        """Flush to disk, then give the file its final name (atomic on one file system)."""
        with _local():
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            os.replace(self.part, self.final)
            fsync_dir(self.final.parent)

    def discard(self) -> None:
        self._file.close()
        self.part.unlink(missing_ok=True)


def sha256_of(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a local file."""
    digest, size = hashlib.sha256(), 0
    with _local(), path.open("rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class HashingReader:
    """Wraps a local file being uploaded so its SHA-256 is computed in the same pass."""

    def __init__(self, file: BinaryIO):
        self._file = file
        self._hash = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        with _local():
            data = self._file.read(size)
        self._hash.update(data)
        self.size += len(data)
        return data

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


@contextmanager
def open_local(path: Path) -> Iterator[HashingReader]:
    """Open a local file to upload; a missing or unreadable file is a LocalStorageError."""
    with _local():
        file = path.open("rb")
    with file:
        yield HashingReader(file)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable: the directory entry itself must reach the disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _local() -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise LocalStorageError(exc) from exc
