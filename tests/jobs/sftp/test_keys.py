"""First-start key generation: the default configuration works with no setup."""

from __future__ import annotations

import dataclasses
import stat

import paramiko

from core.settings import Settings, load_settings
from jobs.sftp.keys import ensure_keys, key_paths, known_hosts_name


def with_port(settings: Settings, port: int) -> Settings:
    return dataclasses.replace(settings, embedded_sftp=dataclasses.replace(settings.embedded_sftp, port=port))


def test_the_default_configuration_points_partners_at_the_generated_files():
    settings = load_settings(None, environ={})
    paths = key_paths(settings)
    for partner in settings.partners.values():
        assert partner.sftp.private_key == paths.client_key
        assert partner.sftp.known_hosts == paths.known_hosts
        assert (partner.sftp.host, partner.sftp.port) == (settings.embedded_sftp.host,
                                                         settings.embedded_sftp.port)


def test_first_start_creates_private_keys_readable_by_the_owner_only(settings: Settings):
    paths = ensure_keys(settings)
    for key in (paths.host_key, paths.client_key):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert paramiko.PKey.from_path(key).get_name() == "ssh-ed25519"
    assert paths.client_public_key.read_text().startswith("ssh-ed25519 ")
    assert not paths.authorized_keys.exists()


def test_known_hosts_pins_the_host_key_for_host_and_port(settings: Settings):
    paths = ensure_keys(settings)
    host_key = paramiko.PKey.from_path(paths.host_key)
    name = known_hosts_name("127.0.0.1", 2222)
    assert name == "[127.0.0.1]:2222"
    assert paramiko.HostKeys(str(paths.known_hosts)).check(name, host_key)


def test_a_second_start_keeps_the_keys(settings: Settings):
    first = ensure_keys(settings)
    before = {p: p.read_bytes() for p in (first.host_key, first.client_key, first.known_hosts)}
    ensure_keys(settings)
    assert {p: p.read_bytes() for p in before} == before


def test_a_new_port_adds_a_known_hosts_entry_and_keeps_the_old_one(settings: Settings):
    paths = ensure_keys(settings)
    ensure_keys(with_port(settings, 2300))
    known = paramiko.HostKeys(str(paths.known_hosts))
    assert known.lookup("[127.0.0.1]:2222") is not None
    assert known.lookup("[127.0.0.1]:2300") is not None


def test_a_regenerated_host_key_is_not_re_pinned_at_start(settings: Settings):
    """Finding 11: a new host key at restart waits for an admin (desk/hostkeys.py), never pinned silently."""
    paths = ensure_keys(settings)
    old_key = paramiko.PKey.from_path(paths.host_key)
    other = "example.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0rIXdLqN8CPzrFIn0w6e7u8l8VzGmPrx9NBsj3d6cQ\n"
    paths.known_hosts.write_text(paths.known_hosts.read_text() + other)
    before = paths.known_hosts.read_bytes()
    paths.host_key.unlink()
    ensure_keys(settings)
    new_key = paramiko.PKey.from_path(paths.host_key)
    assert new_key.fingerprint != old_key.fingerprint
    known = paramiko.HostKeys(str(paths.known_hosts))
    assert known.check("[127.0.0.1]:2222", old_key) and not known.check("[127.0.0.1]:2222", new_key)
    assert paths.known_hosts.read_bytes() == before
