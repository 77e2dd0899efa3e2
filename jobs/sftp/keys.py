"""Key material for the embedded SFTP server, generated on first start.

The default configuration points both partners at `data/keys/client_ed25519` and
`data/keys/known_hosts`, so that a fresh checkout works without any setup: on first start
`ensure_keys` creates the server's host key, the client key and a known_hosts line pinning
the host key for `[host]:port`. The files live under `work_dir/keys`, which git ignores.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import paramiko
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeyPaths:
    host_key: Path
    client_key: Path
    client_public_key: Path
    known_hosts: Path
    authorized_keys: Path  # optional extra keys an operator may add; never created here


def key_paths(settings: Settings) -> KeyPaths:
    folder = settings.work_dir / "keys"
    return KeyPaths(
        host_key=folder / "host_ed25519",
        client_key=folder / "client_ed25519",
        client_public_key=folder / "client_ed25519.pub",
        known_hosts=folder / "known_hosts",
        authorized_keys=folder / "authorized_keys",
    )


def ensure_keys(settings: Settings, port: int | None = None) -> KeyPaths:
    """Create whatever key file is missing and pin the host key for the embedded server.

    `port` is the port actually bound (tests bind port 0); it defaults to the configured
    one. Existing keys are never replaced. The host key is pinned for `[host]:port` only when
    known_hosts has no entry for that name yet: a host key that changed (regenerated, or a
    different server on the port) is NOT re-pinned silently; the jobs then fail with
    "host key changed" until an admin compares the fingerprint and accepts the new key in
    the web app (desk/hostkeys.py), the rule of a pinned key.
    """
    paths = key_paths(settings)
    if not paths.host_key.exists():
        generate_ed25519(paths.host_key, comment="santunan-embedded-sftp")
        log.info("Kunci host server SFTP bawaan dibuat: %s", paths.host_key)
    if not paths.client_key.exists():
        generate_ed25519(paths.client_key, comment="santunan-client")
        log.info("Kunci klien SFTP dibuat: %s", paths.client_key)
    if not paths.client_public_key.exists():
        write_public_key(load_private_key(paths.client_key), paths.client_public_key, "santunan-client")
    embedded = settings.embedded_sftp
    pin_host_key(paths.known_hosts, embedded.host, port or embedded.port, load_private_key(paths.host_key),
                 replace=False)
    return paths


def generate_ed25519(path: Path, comment: str) -> paramiko.PKey:
    """Write a new unencrypted Ed25519 private key (mode 0600) and its `.pub` beside it."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    )
    _write_atomic(path, pem, mode=0o600)
    key = load_private_key(path)
    write_public_key(key, path.with_name(path.name + ".pub"), comment)
    return key


def write_public_key(key: paramiko.PKey, path: Path, comment: str) -> None:
    _write_atomic(path, f"{key.get_name()} {key.get_base64()} {comment}\n".encode(), mode=0o644)


def load_private_key(path: Path) -> paramiko.PKey:
    """Load an Ed25519, ECDSA or RSA private key; raises paramiko.SSHException or OSError."""
    return paramiko.PKey.from_path(path)


def known_hosts_name(host: str, port: int) -> str:
    """The name OpenSSH and paramiko look up: plain for port 22, `[host]:port` otherwise."""
    return host if port == 22 else f"[{host}]:{port}"


def pin_host_key(known_hosts: Path, host: str, port: int, key: paramiko.PKey, *,
                 replace: bool = True) -> bool:
    """Make `known_hosts` hold exactly `key` for `[host]:port`, keeping every other line.

    With `replace=False` an existing, different entry for the name is left alone (and a
    warning logged). Returns whether the file now pins `key`.
    """
    name = known_hosts_name(host, port)
    entry = f"{name} {key.get_name()} {key.get_base64()}"
    lines = known_hosts.read_text(encoding="utf-8").splitlines() if known_hosts.exists() else []
    mine = [line for line in lines if _names(line) and name in _names(line)]
    if mine == [entry]:
        return True
    if mine and not replace:
        log.warning("Kunci host server SFTP %s berbeda dari yang disematkan di %s; tidak disematkan "
                    "ulang. Admin mencocokkan sidik jarinya lalu menerimanya di halaman Kunci Host SFTP.",
                    name, known_hosts)
        return False
    if mine:
        log.warning("known_hosts %s: entri untuk %s diganti dengan kunci host yang diterima admin",
                    known_hosts, name)
    kept = [line for line in lines if line not in mine]
    _write_atomic(known_hosts, ("\n".join([*kept, entry]) + "\n").encode(), mode=0o644)
    return True


def _names(line: str) -> list[str]:
    fields = line.split()
    if not fields or fields[0].startswith("#"):
        return []
    return fields[0].split(",")


def _write_atomic(path: Path, data: bytes, mode: int) -> None:
    """Write through a temporary file and rename, so a crash never leaves half a key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, mode)
    os.replace(tmp, path)
