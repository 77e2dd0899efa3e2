"""desk/statements.py: the upload is the one import, refused whole with its reason, and role-checked."""

import datetime as dt

import pytest

from core.statements.tables import Statement
from demo.simulate.mt940 import Movement, build_mt940
from desk.permissions import PermissionDenied
from desk.refusal import Refused
from desk.statements import upload_statement
from models import Role, User

DAY = dt.date(2026, 11, 3)


@pytest.fixture
def accounts(database) -> None:
    for role in Role.ALL:  # role and active flag are all the desk actions read
        User.create(username=role, role=role, password_hash="-")


def mt940(account: str = "0011223344") -> bytes:
    return build_mt940(account=account, reference="STMT-UP", number="3/1", opening=1_000_000,
                       opening_date=DAY, movements=[Movement(DAY, "C", 5_000, "TOPUP")]).encode()


def test_a_coordinator_uploads_a_statement_once(accounts, job_ctx):
    first = upload_statement(job_ctx, "coordinator", "MT940_UP.txt", mt940())
    assert first.imported and "STMT-UP" in first.lines[0]
    again = upload_statement(job_ctx, "coordinator", "MT940_UP.txt", mt940())
    assert not again.imported and "sudah pernah diimpor" in again.lines[0]
    assert Statement.select().count() == 1


def test_a_statement_of_another_account_is_refused_with_its_reason_and_nothing_written(accounts, job_ctx):
    with pytest.raises(Refused) as refused:
        upload_statement(job_ctx, "coordinator", "MT940_UP.txt", mt940(account="123456789"), lang="en")
    assert "is not the programme account 0011223344" in refused.value.message("en")
    assert Statement.select().count() == 0


def test_a_viewer_may_not_upload(accounts, job_ctx):
    with pytest.raises(PermissionDenied):
        upload_statement(job_ctx, "viewer", "MT940_UP.txt", mt940())
    assert Statement.select().count() == 0
