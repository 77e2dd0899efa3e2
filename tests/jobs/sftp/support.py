"""Small helpers shared by the SFTP tests."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import paramiko
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from core.settings import PartnerSettings
from jobs.sftp.client import SftpClient
from jobs.sftp.keys import known_hosts_name
from tests.fixtures.sftp import OPENSSH_USERS, SftpTestServer


def with_sftp(partner: PartnerSettings, **changes: object) -> PartnerSettings:
    """`partner` with some of its `sftp` settings changed."""
    return dataclasses.replace(partner, sftp=dataclasses.replace(partner.sftp, **changes))


def client(partner: PartnerSettings, retries: int = 0, sleeps: list[float] | None = None) -> SftpClient:
    """A client that records its back-off delays instead of sleeping."""
    record = sleeps.append if sleeps is not None else (lambda seconds: None)
    return SftpClient(partner, retries=retries, backoff=0.5, sleep=record)


def server_host_key(server: SftpTestServer) -> paramiko.PKey:
    partner = server.partner("bpjs")
    name = known_hosts_name(partner.sftp.host, partner.sftp.port)
    entry = paramiko.HostKeys(str(partner.sftp.known_hosts)).lookup(name)
    assert entry is not None
    return next(iter(entry.values()))


def write_key(path: Path, kind: str) -> str:
    """Write a new unencrypted private key of `kind` (rsa, ecdsa); returns its public line."""
    if kind == "rsa":
        private = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    else:
        private = ec.generate_private_key(ec.SECP256R1())
    path.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                           serialization.NoEncryption()))
    path.chmod(0o600)
    public = private.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                               serialization.PublicFormat.OpenSSH)
    return public.decode() + " test"


def authorize(server: SftpTestServer, partner: str, public_line: str) -> None:
    """Let one more key log in as `partner` on either kind of test server."""
    if server.server.__class__.__name__ == "OpensshServer":
        server.server.authorize(OPENSSH_USERS[partner], public_line)
    else:
        extra = server.settings.work_dir / "keys" / "authorized_keys"
        with extra.open("a") as f:
            f.write(public_line + "\n")
