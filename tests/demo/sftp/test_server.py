"""The embedded server: loopback only, partner folders, who may log in."""

from __future__ import annotations

import dataclasses
import socket

import pytest

from core.settings import Settings
from demo.sftp.server import EmbeddedSftpServer
from jobs.sftp.errors import SftpError
from jobs.sftp.keys import generate_ed25519
from tests.fixtures.sftp import SftpTestServer
from tests.jobs.sftp.support import authorize, client, with_sftp


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.org"])
def test_it_refuses_to_listen_beyond_the_loopback_interface(settings: Settings, host: str):
    settings = dataclasses.replace(settings, embedded_sftp=dataclasses.replace(
        settings.embedded_sftp, host=host, port=0))
    with pytest.raises(ValueError, match="loopback"):
        EmbeddedSftpServer(settings).start()


def test_it_creates_the_partner_folders(embedded_sftp: SftpTestServer):
    for partner in ("bpjs", "bank"):
        folder = embedded_sftp.partner_dir(partner)
        assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) == [
            "inbox", "outbox", "outbox/archive"]


def test_it_listens_on_127_0_0_1_only(embedded_sftp: SftpTestServer):
    listener = embedded_sftp.server._listener
    assert listener.getsockname()[0] == "127.0.0.1"


def test_only_the_partner_users_may_log_in(embedded_sftp: SftpTestServer):
    intruder = with_sftp(embedded_sftp.partner("bpjs"), username="root")
    with pytest.raises(SftpError) as caught, client(intruder):
        pass
    assert caught.value.cause == "auth_failed"


def test_an_operator_can_authorise_another_key_without_restarting(embedded_sftp: SftpTestServer, tmp_path):
    other = tmp_path / "partner_laptop"
    generate_ed25519(other, comment="laptop")
    authorize(embedded_sftp, "bank", (tmp_path / "partner_laptop.pub").read_text())
    with client(with_sftp(embedded_sftp.partner("bank"), private_key=other)) as sftp:
        assert sftp.list_files("*") == []


def test_each_partner_sees_only_its_own_folder(embedded_sftp: SftpTestServer):
    (embedded_sftp.partner_dir("bank") / "outbox" / "NTTPAY_1_RESULT_1.txt").write_text("r")
    with client(embedded_sftp.partner("bpjs")) as sftp:
        assert sftp.list_files("*") == []
    with client(embedded_sftp.partner("bank")) as sftp:
        assert [f.name for f in sftp.list_files("*")] == ["NTTPAY_1_RESULT_1.txt"]


def test_stop_closes_the_port(embedded_sftp: SftpTestServer):
    embedded_sftp.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", embedded_sftp.port), timeout=2).close()
