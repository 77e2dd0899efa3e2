"""Opening one authenticated SFTP session to a partner, with every safeguard on.

Host keys come only from the configured known_hosts file (no system files, no "accept
new"); keys only from the configured file (no agent, no search in ~/.ssh); every wait has
a timeout, so a stalled partner fails a job instead of hanging it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import paramiko
from paramiko.sftp import CMD_EXTENDED, CMD_EXTENDED_REPLY, CMD_INIT, CMD_VERSION

from core.settings import PartnerSettings
from jobs.sftp.errors import ErrorContext, SftpError, UnknownHostKey, translate
from jobs.sftp.keys import load_private_key

log = logging.getLogger(__name__)

# Larger than paramiko's defaults (2 MiB window, 32 KiB packets): a fast link is then not
# throttled by window updates, and a 255 KiB SFTP block travels as one SSH packet.
WINDOW_SIZE = 2**27
MAX_PACKET_SIZE = 2**18
KEEPALIVE_SECONDS = 15
# SFTP read/write block size: 32 KiB works with every server; a server announcing
# limits@openssh.com gets what it allows, up to 255 KiB (as OpenSSH's own sftp client does).
# Bigger blocks mean far fewer Python-level round trips: 3-4x faster downloads here.
DEFAULT_BLOCK = 2**15
MAX_BLOCK = 2**18 - 1024


class _RejectUnknownHost(paramiko.MissingHostKeyPolicy):
    """Refuse a host missing from known_hosts, keeping the offered key for the message."""

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey) -> None:
        raise UnknownHostKey(hostname, key)


@dataclass
class Session:
    ssh: paramiko.SSHClient
    sftp: paramiko.SFTPClient
    read_block: int = DEFAULT_BLOCK
    write_block: int = DEFAULT_BLOCK

    def alive(self) -> bool:
        transport = self.ssh.get_transport()
        return transport is not None and transport.is_active()

    def close(self) -> None:
        for closeable in (self.sftp, self.ssh):
            try:
                closeable.close()
            except Exception:  # closing a broken connection may fail; nothing is left to do
                log.debug("closing an SFTP session failed", exc_info=True)


def error_context(partner: PartnerSettings) -> ErrorContext:
    s = partner.sftp
    return ErrorContext(
        partner=partner.name, host=s.host, port=s.port, username=s.username,
        known_hosts=str(s.known_hosts), private_key=str(s.private_key) if s.private_key else None,
        timeout=s.timeout_seconds,
    )


def open_session(partner: PartnerSettings) -> Session:
    """Connect, check the host key, log in and start SFTP. Raises SftpError ("connect")."""
    context = error_context(partner)
    s = partner.sftp
    pkey = _load_client_key(partner, context)
    ssh = paramiko.SSHClient()
    _load_known_hosts(ssh, partner)
    ssh.set_missing_host_key_policy(_RejectUnknownHost())
    try:
        _connect(ssh, partner, pkey)
        transport = ssh.get_transport()
        assert transport is not None  # connect() either set it or raised
        transport.set_keepalive(KEEPALIVE_SECONDS)
        sftp = _start_sftp(transport, s.timeout_seconds)
        read_block, write_block = _block_sizes(sftp)
    except Exception as exc:
        ssh.close()
        raise translate(exc, context, "connect") from exc
    log.debug("SFTP session open: %s@%s:%s (blocks %d/%d)", s.username, s.host, s.port, read_block,
              write_block)
    return Session(ssh, sftp, read_block, write_block)


def _connect(ssh: paramiko.SSHClient, partner: PartnerSettings, pkey: paramiko.PKey | None) -> None:
    s = partner.sftp
    try:
        ssh.connect(
            s.host, port=s.port, username=s.username, pkey=pkey, password=s.password,
            allow_agent=False, look_for_keys=False,
            timeout=s.timeout_seconds, banner_timeout=s.timeout_seconds,
            auth_timeout=s.timeout_seconds, channel_timeout=s.timeout_seconds,
        )
    except paramiko.SSHException as exc:
        # When the key exchange outlasts `timeout`, paramiko gives up waiting without an
        # error of its own and the next step finds no session: that is a timeout.
        if str(exc) == "No existing session":
            raise TimeoutError("SSH negotiation did not finish in time") from exc
        raise


def _start_sftp(transport: paramiko.Transport, timeout: float) -> _SFTPClient:
    channel = transport.open_session(window_size=WINDOW_SIZE, max_packet_size=MAX_PACKET_SIZE)
    # The channel timeout must be set before the first SFTP packet, and the subsystem
    # request itself has no timeout in paramiko: a watchdog closes a stalled transport.
    channel.settimeout(timeout)
    fired = threading.Event()

    def give_up() -> None:
        fired.set()
        transport.close()

    watchdog = threading.Timer(timeout, give_up)
    watchdog.daemon = True
    watchdog.start()
    try:
        channel.invoke_subsystem("sftp")
    except paramiko.SSHException:
        if fired.is_set():
            raise TimeoutError("no answer to the sftp subsystem request") from None
        raise
    finally:
        watchdog.cancel()
    return _SFTPClient(channel)


class _SFTPClient(paramiko.SFTPClient):
    """paramiko's client, keeping the extensions the server announces (paramiko drops them)."""

    extensions: dict[str, bytes]

    def _send_version(self) -> int:
        init = paramiko.Message()
        init.add_int(3)
        self._send_packet(CMD_INIT, init)
        kind, data = self._read_packet()
        if kind != CMD_VERSION:
            raise paramiko.SFTPError("Incompatible sftp protocol")
        reply = paramiko.Message(data)
        version = reply.get_int()
        self.extensions = {}
        while reply.get_remainder():
            name = reply.get_text()
            self.extensions[name] = reply.get_binary()
        return version


def _block_sizes(sftp: _SFTPClient) -> tuple[int, int]:
    """Read and write block sizes from limits@openssh.com when the server announces it."""
    if "limits@openssh.com" not in sftp.extensions:
        return DEFAULT_BLOCK, DEFAULT_BLOCK
    kind, reply = sftp._request(CMD_EXTENDED, "limits@openssh.com")
    if kind != CMD_EXTENDED_REPLY:
        return DEFAULT_BLOCK, DEFAULT_BLOCK
    reply.get_int64()  # max packet length: covered by the read/write lengths below
    read, write = reply.get_int64(), reply.get_int64()
    return _clamp(read), _clamp(write)


def _clamp(limit: int) -> int:
    """0 means "no limit" in limits@openssh.com."""
    return MAX_BLOCK if limit == 0 else max(1024, min(limit, MAX_BLOCK))


def _load_known_hosts(ssh: paramiko.SSHClient, partner: PartnerSettings) -> None:
    path = partner.sftp.known_hosts
    try:
        ssh.get_host_keys().load(str(path))
    except FileNotFoundError:
        # Not fatal here: the connection then fails as an unknown host, with the offered
        # key in the message, which is what an operator needs to fix it.
        log.warning("known_hosts %s does not exist: every host is unknown", path)


def _load_client_key(partner: PartnerSettings, context: ErrorContext) -> paramiko.PKey | None:
    path = partner.sftp.private_key
    if path is None:
        return None
    try:
        return load_private_key(path)
    except FileNotFoundError:
        detail = "file tidak ada / file missing"
    except PermissionError:
        detail = "tidak boleh dibaca / not readable"
    except paramiko.PasswordRequiredException:
        detail = "terenkripsi dengan frasa sandi / encrypted with a passphrase"
    except (paramiko.SSHException, ValueError) as exc:
        detail = f"format tidak dikenali / unrecognised format ({exc})"
    raise SftpError("client_key", context, "connect", detail=detail)
