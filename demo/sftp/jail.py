"""SFTP request handling for the embedded server: every path stays inside one folder.

Each partner user sees its own folder as `/`. A path that climbs above it (`..`), or that
reaches outside through a symbolic link, is refused with "permission denied"; clients
cannot create links, nor change a file's mode, owner, times or size (SETSTAT/FSETSTAT): a
partner that could `chmod 777` a batch file would open it to every local user. paramiko's
server calls these methods and expects SFTP status codes, never exceptions, so every method
goes through `_status`.
"""

from __future__ import annotations

import functools
import logging
import os
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import paramiko
from paramiko.sftp import SFTP_FAILURE, SFTP_OK, SFTP_OP_UNSUPPORTED, SFTP_PERMISSION_DENIED

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
NEW_FILE_MODE = 0o644  # readable by the app that serves the folder; the client cannot choose another


class Escape(Exception):
    """A path that would leave the jail."""


class Jail:
    """Maps a client's path to a local path under `root`, refusing escapes."""

    def __init__(self, root: Path):
        self.root = Path(os.path.realpath(root))

    def virtual(self, path: str) -> str:
        """The normalised path as the client sees it (`/outbox/x`); raises Escape above `/`."""
        parts: list[str] = []
        for part in path.replace("\0", "").split("/"):
            if part in ("", "."):
                continue
            if part == "..":
                if not parts:
                    raise Escape(path)
                parts.pop()
            else:
                parts.append(part)
        return "/" + "/".join(parts)

    def local(self, path: str, follow: bool = True) -> str:
        """Local path for `path`. With `follow`, symbolic links are resolved and must stay inside;
        without it the last component is left as is (to remove or rename a link itself)."""
        virtual = self.virtual(path)
        if virtual == "/":
            return str(self.root)
        head, name = posixpath.split(virtual)
        parent = self._inside(os.path.realpath(self.root / head.lstrip("/")))
        joined = os.path.join(parent, name)
        return self._inside(os.path.realpath(joined)) if follow else joined

    def _inside(self, resolved: str) -> str:
        if resolved != str(self.root) and not resolved.startswith(str(self.root) + os.sep):
            raise Escape(resolved)
        return resolved


def _status(method: F) -> F:
    """Turn escapes and OS errors into SFTP status codes, as paramiko requires."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except Escape as exc:
            log.warning("embedded SFTP: path outside the partner folder refused: %s", exc)
            return SFTP_PERMISSION_DENIED
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno)

    return wrapper  # type: ignore[return-value]


class _Handle(paramiko.SFTPHandle):
    def __init__(self, path: str, flags: int, file: Any):
        super().__init__(flags)
        self.path = path
        self.readfile = file
        self.writefile = file

    @_status
    def stat(self) -> paramiko.SFTPAttributes:
        return paramiko.SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))

    def chattr(self, attr: paramiko.SFTPAttributes) -> int:
        return _refuse_attributes(self.path)


class JailedSftp(paramiko.SFTPServerInterface):
    """SFTP operations for the user authenticated on this connection, under root/<user>/."""

    def __init__(self, server: Any, *args: Any, **kwargs: Any):
        super().__init__(server, *args, **kwargs)
        self.jail = Jail(server.home())

    def canonicalize(self, path: str) -> str:
        try:
            return self.jail.virtual(path)
        except Escape:
            return "/"

    @_status
    def list_folder(self, path: str) -> list[paramiko.SFTPAttributes]:
        folder = self.jail.local(path)
        return [paramiko.SFTPAttributes.from_stat(os.lstat(os.path.join(folder, name)), name)
                for name in os.listdir(folder)]

    @_status
    def stat(self, path: str) -> paramiko.SFTPAttributes:
        return paramiko.SFTPAttributes.from_stat(os.stat(self.jail.local(path)))

    @_status
    def lstat(self, path: str) -> paramiko.SFTPAttributes:
        return paramiko.SFTPAttributes.from_stat(os.lstat(self.jail.local(path, follow=False)))

    @_status
    def open(self, path: str, flags: int, attr: paramiko.SFTPAttributes) -> paramiko.SFTPHandle:
        local = self.jail.local(path)
        # The server, not the client, chooses a new file's mode: attributes sent with OPEN
        # would otherwise be a way round the refused chmod below.
        fd = os.open(local, flags | os.O_NOFOLLOW, NEW_FILE_MODE)
        if flags & os.O_WRONLY:
            fmode = "ab" if flags & os.O_APPEND else "wb"
        elif flags & os.O_RDWR:
            fmode = "a+b" if flags & os.O_APPEND else "r+b"
        else:
            fmode = "rb"
        return _Handle(local, flags, os.fdopen(fd, fmode))

    @_status
    def remove(self, path: str) -> int:
        os.remove(self._movable(path))
        return SFTP_OK

    @_status
    def rename(self, oldpath: str, newpath: str) -> int:
        source, target = self._movable(oldpath), self._movable(newpath)
        if os.path.lexists(target):  # SFTP v3 rename never overwrites
            return SFTP_FAILURE
        os.rename(source, target)
        return SFTP_OK

    @_status
    def posix_rename(self, oldpath: str, newpath: str) -> int:
        os.replace(self._movable(oldpath), self._movable(newpath))
        return SFTP_OK

    @_status
    def mkdir(self, path: str, attr: paramiko.SFTPAttributes) -> int:
        os.mkdir(self.jail.local(path, follow=False))
        return SFTP_OK

    @_status
    def rmdir(self, path: str) -> int:
        os.rmdir(self._movable(path))
        return SFTP_OK

    @_status
    def chattr(self, path: str, attr: paramiko.SFTPAttributes) -> int:
        return _refuse_attributes(self.jail.local(path))  # the jail check first: escapes are logged as such

    def symlink(self, target_path: str, path: str) -> int:
        return SFTP_OP_UNSUPPORTED  # a link is the classic way out of a jail

    def readlink(self, path: str) -> int:
        return SFTP_OP_UNSUPPORTED

    def _movable(self, path: str) -> str:
        local = self.jail.local(path, follow=False)
        if local == str(self.jail.root):
            raise Escape(path)  # the partner folder itself is not the client's to move
        return local


def _refuse_attributes(local: str) -> int:
    """chmod, chown, utime and truncate are refused: a partner only puts, gets, renames and
    removes files, and a mode it set (`chmod 777`) would expose claim data to the machine."""
    log.warning("embedded SFTP: attribute change refused on %s", local)
    return SFTP_PERMISSION_DENIED
