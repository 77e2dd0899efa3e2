"""Embedded SFTP server that plays the registry's partners (BPJS Ketenagakerjaan, Bank NTT) on this machine.

Started by `serve` (demo/embedded.py) when `embedded_sftp.enabled` is true, so that the
default configuration works with no partner at hand. One user per partner id (`bpjs`,
`bank`) logs in with the generated client key (or a key listed in
`work_dir/keys/authorized_keys`) and is jailed in `<root>/<user>/`. It listens on the
loopback interface only: it is a demo and test partner, not a service for the network.
"""

from __future__ import annotations

import base64
import hmac
import ipaddress
import logging
import socket
import threading
from collections.abc import Mapping
from pathlib import Path

import paramiko

from core.settings import Settings
from demo.sftp.jail import JailedSftp
from jobs.registry import PARTNERS
from jobs.sftp.keys import KeyPaths, ensure_keys, load_private_key

log = logging.getLogger(__name__)

USERS = tuple(PARTNERS)  # every partner of the registry has its user and folder here
PARTNER_FOLDERS = ("outbox", "outbox/archive", "inbox")
TRANSPORT_LOG = f"{__name__}.transport"


class _RoutineDisconnects(logging.Filter):
    """paramiko logs a client that hangs up without a goodbye (most do) as an ERROR; for
    this server that is routine, and ERROR records would raise alerts and fail UI tests."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.ERROR and record.getMessage().startswith(
                ("Socket exception", "EOF in transport thread")):
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


logging.getLogger(TRANSPORT_LOG).addFilter(_RoutineDisconnects())


class EmbeddedSftpServer:
    """`start()` binds and serves in a background thread; `stop()` closes everything.

    `sftp_interface` and `passwords` exist for tests (a stalling handler, password logins).
    """

    def __init__(self, settings: Settings, *, sftp_interface: type[JailedSftp] = JailedSftp,
                 passwords: Mapping[str, str] | None = None):
        self.settings = settings
        self.host = settings.embedded_sftp.host
        self.root = settings.embedded_sftp.root
        self.sftp_interface = sftp_interface
        self.passwords = dict(passwords or {})
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._transports: list[paramiko.Transport] = []
        self._lock = threading.Lock()

    @property
    def port(self) -> int:
        if self._listener is None:
            raise RuntimeError("embedded SFTP server is not started")
        return self._listener.getsockname()[1]

    def start(self) -> None:
        _require_loopback(self.host)
        for user in USERS:
            for folder in PARTNER_FOLDERS:
                (self.root / user / folder).mkdir(parents=True, exist_ok=True)
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((self.host, self.settings.embedded_sftp.port))
        except OSError:
            listener.close()
            raise
        listener.listen(16)
        listener.settimeout(0.2)  # lets the accept loop notice stop()
        self._listener = listener
        self._keys = ensure_keys(self.settings, port=self.port)
        self._host_key = load_private_key(self._keys.host_key)
        self._thread = threading.Thread(target=self._accept_loop, name="embedded-sftp", daemon=True)
        self._thread.start()
        log.info("Server SFTP bawaan berjalan di %s:%d (folder %s)", self.host, self.port, self.root)

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._listener is not None:
            self._listener.close()
        with self._lock:
            transports, self._transports = self._transports, []
        for transport in transports:
            transport.close()
        log.info("Server SFTP bawaan berhenti")

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                if not self._stopping.is_set():
                    log.exception("embedded SFTP server: accept failed")
                return
            threading.Thread(target=self._serve, args=(conn,), name="embedded-sftp-conn", daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        transport = paramiko.Transport(conn)
        transport.set_log_channel(TRANSPORT_LOG)
        transport.add_server_key(self._host_key)
        transport.set_subsystem_handler("sftp", paramiko.SFTPServer, sftp_si=self.sftp_interface)
        with self._lock:
            self._transports = [t for t in self._transports if t.is_active()] + [transport]
        try:
            transport.start_server(server=_PartnerLogin(transport, self.root, _authorized_keys(self._keys),
                                                        self.passwords))
        except (paramiko.SSHException, EOFError, OSError) as exc:
            log.info("embedded SFTP server: connection ended during negotiation: %s", exc)
            transport.close()


class _PartnerLogin(paramiko.ServerInterface):
    """Who may log in (the partners' users; by key, or password in tests) and what they may open."""

    def __init__(self, transport: paramiko.Transport, root: Path, keys: set[bytes],
                 passwords: Mapping[str, str]):
        self.transport = transport
        self.root = root
        self.keys = keys
        self.passwords = passwords

    def home(self) -> Path:
        """The authenticated user's folder; the SFTP handler is jailed in it."""
        username = self.transport.get_username()
        if username not in USERS:
            raise PermissionError(f"no SFTP folder for {username!r}")
        return self.root / username

    def get_allowed_auths(self, username: str) -> str:
        return "publickey,password" if self.passwords else "publickey"

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        if username in USERS and key.asbytes() in self.keys:
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_auth_password(self, username: str, password: str) -> int:
        expected = self.passwords.get(username)
        if username in USERS and expected is not None and hmac.compare_digest(expected, password):
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


def _authorized_keys(paths: KeyPaths) -> set[bytes]:
    """The generated client key plus any in authorized_keys, read per connection so that
    an operator can add a key without restarting."""
    keys: set[bytes] = set()
    for path in (paths.client_public_key, paths.authorized_keys):
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split()
            if len(fields) >= 2 and not fields[0].startswith("#"):
                try:
                    keys.add(paramiko.PKey.from_type_string(fields[0], base64.b64decode(fields[1])).asbytes())
                except Exception:
                    log.warning("authorized key not understood in %s: %.40s", path, line)
    return keys


def _require_loopback(host: str) -> None:
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"embedded_sftp.host must be a loopback address (127.0.0.1), got {host!r}")
