"""Only an admin accepts a partner's changed SFTP host key, and the audit log keeps old and new."""

from __future__ import annotations

import dataclasses
import json

import pytest

from core.users import create_user
from desk.hostkeys import accept_host_key, host_key_states
from desk.permissions import PermissionDenied
from desk.refusal import Refused
from jobs.sftp.keys import generate_ed25519, pin_host_key
from models import AuditLog, Role
from tests.jobs.sftp.support import server_host_key, with_sftp

PASSWORD = "kupang-rahasia-2026"


@pytest.fixture
def changed(database, embedded_sftp, tmp_path):
    """Settings whose bank partner pins an impostor key, and the key the server really shows."""
    bank = embedded_sftp.partner("bank")
    known_hosts = tmp_path / "known_hosts"
    impostor = generate_ed25519(tmp_path / "impostor", comment="x")
    pin_host_key(known_hosts, bank.sftp.host, bank.sftp.port, impostor)
    settings = embedded_sftp.settings
    partners = {**settings.partners, "bank": with_sftp(bank, known_hosts=known_hosts)}
    for role in Role.ALL:
        create_user(role, PASSWORD, role)
    return dataclasses.replace(settings, partners=partners), server_host_key(embedded_sftp).fingerprint


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COORDINATOR, Role.SUPERVISOR])
def test_only_an_admin_sees_or_accepts_host_keys(changed, role):
    settings, real = changed
    with pytest.raises(PermissionDenied):
        host_key_states(settings, role)
    with pytest.raises(PermissionDenied):
        accept_host_key(settings, "bank", real, role)
    assert not AuditLog.select().where(AuditLog.action == "HOST_KEY_ACCEPTED").exists()


def test_an_admin_accepts_the_compared_key_and_the_audit_names_old_and_new(changed):
    settings, real = changed
    bank = next(s for s in host_key_states(settings, Role.ADMIN) if s.partner == "bank")
    assert bank.changed and bank.presented == real
    after = accept_host_key(settings, "bank", real, Role.ADMIN)
    assert not after.changed
    entry = AuditLog.get(AuditLog.action == "HOST_KEY_ACCEPTED")
    details = json.loads(entry.details)
    assert (entry.username, entry.target) == (Role.ADMIN, "partner:bank")
    assert details["new"] == real and details["old"] == bank.pinned != real


def test_a_key_that_changed_again_is_refused_in_words(changed):
    settings, _ = changed
    with pytest.raises(Refused) as refused:
        accept_host_key(settings, "bank", "SHA256:" + "B" * 43, Role.ADMIN)
    assert "berubah lagi" in refused.value.message("id")
    assert not AuditLog.select().where(AuditLog.action == "HOST_KEY_ACCEPTED").exists()
