import datetime as dt

import pytest
from nicegui.testing import User

from core.audit import audit
from core.claims.states import transition
from models import AuditLog, ClaimEvent, ClaimStatus
from tests.factories import make_claim
from tests.ui.conftest import login
from tests.ui.desk_helpers import eventually, finished_run


def _entries() -> None:
    audit("CLAIM_HOLD", username="coordinator", target="KLM-1", details={"reason": "cek ahli waris"})
    audit("FILE_DOWNLOAD", username="supervisor", target="BPJSTK_KLAIM_20261103_01.txt")
    old = audit("APPROVE", username="supervisor", target="KLM-2")
    AuditLog.update(at=dt.datetime(2026, 1, 10, 3, 0)).where(AuditLog.id == old.id).execute()
    finished_run("bpjs_pull", "FAILED", error_cause="unreachable")  # a scheduled run: nobody started it


def _rows(user: User) -> list[dict]:
    return user.find(marker="audit-table").elements.pop().rows


async def test_every_user_action_and_job_run_is_listed_newest_first(accounts, user: User):
    _entries()
    await login(user, "supervisor")
    await user.open("/audit")
    await user.should_see(marker="audit-count")
    rows = _rows(user)
    actions = [r["action"] for r in rows]
    assert {"LOGIN", "CLAIM_HOLD", "FILE_DOWNLOAD", "APPROVE", "JOB_RUN"} <= set(actions)
    assert actions[-1] == "APPROVE"  # January: the oldest
    run = next(r for r in rows if r["action"] == "JOB_RUN")
    # Labels, not codes (issue 17): the job's name, the action, the trigger and outcome of the run.
    assert (run["user"], run["target"]) == ("sistem (jadwal)", "Ambil klaim BPJS")
    assert run["link"] == "/tugas/riwayat/1"
    assert run["action_label"] == "Tugas dijalankan"
    assert "Terjadwal" in run["details"] and "Gagal" in run["details"] and "FAILED" not in run["details"]
    assert next(r for r in rows if r["action"] == "CLAIM_HOLD")["action_label"] == "Klaim: Ditunda"
    hold = next(r for r in rows if r["action"] == "CLAIM_HOLD")
    assert hold["details"] == "Alasan: cek ahli waris"  # the field named in the reader's language


async def test_filter_by_user_action_and_date(accounts, user: User):
    _entries()
    await login(user, "supervisor")
    await user.open("/audit")
    await user.should_see(marker="audit-count")
    user.find(marker="filter-user").elements.pop().set_value("supervisor")
    await user.should_see(marker="audit-count", content="3 catatan", retries=30)  # login, download, approve
    assert {r["user"] for r in _rows(user)} == {"supervisor"}
    user.find(marker="filter-action").elements.pop().set_value("APPROVE")
    await user.should_see(marker="audit-count", content="1 catatan", retries=30)
    user.find(marker="filter-action").elements.pop().set_value("")
    date_from = user.find(marker="filter-from").elements.pop()
    date_from.set_value("2026-01-10")
    user.find(marker="filter-to").elements.pop().set_value("2026-01-10")
    user.find(marker="filter-to").trigger("change")
    await eventually(lambda: [r["action"] for r in _rows(user)] == ["APPROVE"])
    user.find(marker="filter-to").elements.pop().set_value("")
    date_from.set_value("")
    user.find(marker="filter-user").elements.pop().set_value("__system__")  # runs nobody started
    await eventually(lambda: [r["action"] for r in _rows(user)] == ["JOB_RUN"])


@pytest.mark.parametrize("role", ["viewer", "coordinator"])
async def test_below_supervisor_the_audit_log_is_refused(accounts, user: User, role):
    _entries()
    await login(user, role)
    await user.open("/audit")
    await user.should_see("Halaman ini untuk peran Supervisor atau lebih tinggi")
    await user.should_not_see(marker="audit-table")


async def test_verify_shows_an_intact_chain_then_names_a_row_edited_with_plain_sql(accounts, user: User):
    audit("CLAIM_HOLD", username="coordinator", target="KLM-1", details={"reason": "cek ahli waris"})
    await login(user, "supervisor")
    await user.open("/audit")
    await user.should_see(marker="audit-count")
    user.find(marker="verify-chain").click()
    await user.should_see("Rantai log audit utuh", retries=30)
    edited = AuditLog.get(AuditLog.action == "CLAIM_HOLD").id
    AuditLog._meta.database.execute_sql(f"UPDATE audit_log SET target = 'KLM-2' WHERE id = {edited}")
    user.find(marker="verify-chain").click()
    await user.should_see(f"Rantai log audit putus di baris audit_log id {edited}: isinya diubah", retries=30)


async def test_verify_names_a_money_event_edited_with_plain_sql(accounts, user: User):
    claim = make_claim()
    transition(claim, ClaimStatus.ON_HOLD, actor="coordinator", action="HOLD", reason="cek ahli waris")
    await login(user, "supervisor")
    await user.open("/audit")
    await user.should_see(marker="audit-count")
    user.find(marker="verify-chain").click()
    await user.should_see("Rantai peristiwa uang utuh: 2 baris diperiksa", retries=30)
    edited = ClaimEvent.get(ClaimEvent.action == "HOLD").id
    ClaimEvent._meta.database.execute_sql(f"UPDATE claim_event SET reason = 'lain' WHERE id = {edited}")
    user.find(marker="verify-chain").click()
    await user.should_see(f"Rantai peristiwa uang putus di baris claim_event id {edited}: isinya diubah",
                          retries=30)
