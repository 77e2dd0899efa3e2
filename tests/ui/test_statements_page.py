"""/rekening-koran: statements and open exceptions; a supervisor resolves one with a reason, a
coordinator may not (the desk refuses on the server, not only the greyed button)."""

import datetime as dt

import pytest
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from core.statements.tables import Statement, StatementException
from demo.simulate.mt940 import Movement, build_mt940
from desk.permissions import PermissionDenied
from desk.statements import resolve_exception
from models import AuditLog, Claim
from tests.factories import make_batch
from tests.ui.conftest import confirm, login

DAY = dt.date(2026, 11, 3)
BATCH, PAID_DAY = "B000042", dt.date(2026, 3, 11)  # ids as bank_push makes them: <= 16 characters (:61:)


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


def _statement(account: str = "0011223344") -> bytes:
    """A real MT940 (the demo bank's writer) for 11 March 2026: the debit of the batch's paid line,
    and a debit that is none of ours."""
    return build_mt940(account=account, reference="STMT-0311", number="70/1", opening=100_000_000,
                       opening_date=PAID_DAY, movements=[
                           Movement(PAID_DAY, "D", 10_000_000, f"INS{BATCH}01", "NTT-REF-1", "SANTUNAN"),
                           Movement(PAID_DAY, "D", 250_000, "NOT-OURS", "NTT-X", "BIAYA")]).encode()


async def _upload(user: User, name: str, data: bytes) -> None:
    upload = user.find(marker="statement-file").elements.pop()
    await upload.handle_uploads([SmallFileUpload(name, "text/plain", data)])


async def test_a_statement_uploaded_on_the_page_matches_and_its_exception_is_resolved_there(accounts,
                                                                                           user: User):
    make_batch(BATCH, lines=(("SUCCESS", 10_000_000),))
    await login(user, "supervisor")
    await user.open("/rekening-koran")
    await _upload(user, "MT940_20260311.txt", _statement())
    await user.should_see(marker="statement-imported", content="STMT-0311", retries=50)
    assert Claim.get(Claim.instruction_id == f"INS{BATCH}01").debited_on == PAID_DAY
    [exc] = StatementException.select()
    assert (exc.kind, exc.customer_reference, exc.amount) == ("UNKNOWN_DEBIT", "NOT-OURS", 250_000)
    # the page reloads itself with the new statement and its open exception
    await user.should_see(marker=f"exception-{exc.id}", retries=100)
    await user.should_see(marker="statements-table")
    await confirm(user, f"resolve-{exc.id}")
    reason = "Biaya administrasi bank; dicatat di buku kas"
    user.find(marker="confirm-reason").type(reason)
    user.find(marker="confirm-ok").click()
    await user.should_see(marker="exceptions-count", content="Tidak ada pengecualian", retries=50)
    done = StatementException.get_by_id(exc.id)
    assert (done.resolved_by, done.resolution_note) == ("supervisor", reason)
    await _upload(user, "MT940_20260311.txt", _statement())  # the same file again: said so, not applied
    await user.should_see(marker="statement-imported", content="sudah pernah diimpor", retries=50)
    assert Statement.select().count() == 1 and StatementException.select().count() == 1


async def test_a_statement_of_another_account_is_refused_on_the_page_with_its_reason(accounts, user: User):
    await login(user, "coordinator")
    await user.open("/rekening-koran")
    await _upload(user, "MT940_LAIN.txt", _statement(account="9999999999"))
    await user.should_see(marker="statement-error", content="bukan rekening program 0011223344", retries=50)
    assert Statement.select().count() == 0
