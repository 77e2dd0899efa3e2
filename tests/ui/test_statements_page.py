"""/rekening-koran: statements and open exceptions; a supervisor resolves one with a reason, a
coordinator may not (the desk refuses on the server, not only the greyed button)."""

import datetime as dt

import pytest
from nicegui.testing import User

from core.statements.tables import Statement, StatementException
from desk.permissions import PermissionDenied
from desk.statements import resolve_exception
from models import AuditLog
from tests.ui.conftest import confirm, login

DAY = dt.date(2026, 11, 3)


def _exception() -> StatementException:
    statement = Statement.create(sha256="a" * 64, account="0011223344", reference="STMT-UI", number="1/1",
                                 opening_balance=10_000, opening_date=DAY, closing_balance=9_000,
                                 closing_date=DAY, line_count=1, file_name="MT940_UI.txt", imported_by="cli")
    return StatementException.create(key="UNKNOWN_DEBIT:x:1", kind="UNKNOWN_DEBIT", amount=1_000,
                                      value_date=DAY, statement=statement, statement_reference="STMT-UI",
                                      customer_reference="NOT-OURS", detail="bukan instruksi kita")


async def test_the_page_lists_statements_and_open_exceptions(accounts, user: User):
    exc = _exception()
    await login(user, "viewer")
    await user.open("/rekening-koran")
    await user.should_see(marker="exceptions-count",
                          content="1 pengecualian rekening koran belum diselesaikan")
    await user.should_see(marker=f"exception-{exc.id}")
    await user.should_see("Debet tak dikenal")
    await user.should_see("STMT-UI")


async def test_a_supervisor_resolves_an_exception_with_a_written_reason(accounts, user: User):
    exc = _exception()
    await login(user, "supervisor")
    await user.open("/rekening-koran")
    await confirm(user, f"resolve-{exc.id}")
    await user.should_see(marker="confirm-error", content="Alasan wajib diisi", retries=30)
    assert StatementException.get_by_id(exc.id).resolved_at is None
    user.find(marker="confirm-reason").type("Biaya administrasi bank bulan November; dicatat di buku kas")
    user.find(marker="confirm-ok").click()
    await user.should_see(marker="exceptions-count", content="Tidak ada pengecualian",
                          retries=30)
    done = StatementException.get_by_id(exc.id)
    assert done.resolved_by == "supervisor"
    assert done.resolution_note == "Biaya administrasi bank bulan November; dicatat di buku kas"
    assert AuditLog.get(AuditLog.action == "STATEMENT_EXCEPTION_RESOLVED").username == "supervisor"


def test_a_coordinator_may_not_resolve_even_by_calling_the_desk(accounts):
    exc = _exception()
    with pytest.raises(PermissionDenied):
        resolve_exception(exc.id, "coordinator", "saya kira beres")
    assert StatementException.get_by_id(exc.id).resolved_at is None
