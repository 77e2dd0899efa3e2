"""/sosialisasi: every kabupaten/kota, the unreached first and marked, and the session form,
checked on the server (contract section 8)."""

from __future__ import annotations

import datetime as dt

from nicegui.testing import User

from core.db import write_tx
from core.roster.tables import OutreachSession
from tests.ui.conftest import open_as


def held(code: str, day: dt.date, attendees: int = 30) -> None:
    with write_tx():
        OutreachSession.create(kabupaten_code=code, date=day, place="Aula", attendees=attendees,
                               created_by="t")


def table_rows(user: User) -> list[dict]:
    return user.find(marker="outreach-table").elements.pop().rows


async def test_all_22_are_listed_with_the_unreached_first_and_marked(accounts, user: User):
    held("5301", dt.date(2026, 10, 1))
    held("5301", dt.date(2026, 11, 2), attendees=20)
    await open_as(user, "viewer", "/sosialisasi")
    await user.should_see(marker="outreach-summary", content="1 dari 22 kabupaten/kota sudah disosialisasi")
    rows = table_rows(user)
    assert len(rows) == 22
    assert [r["reached"] for r in rows] == [False] * 21 + [True]
    assert rows[0]["status"] == "Belum dijangkau" and rows[0]["kabupaten_code"] == "5302"
    last = rows[-1]
    assert (last["kabupaten"], last["sessions"], last["last_session"], last["attendees"]) == (
        "Kabupaten Kupang", "2", "2 Nov 2026", "50")
    await user.should_not_see(marker="outreach-form")  # a viewer may not record


async def test_a_coordinator_records_a_session_and_the_table_shows_it(accounts, user: User):
    await open_as(user, "coordinator", "/sosialisasi")
    user.find(marker="outreach-kabupaten").elements.pop().value = "5320"
    user.find(marker="outreach-date").elements.pop().value = "2026-11-03"
    user.find(marker="outreach-place").type("Balai Desa Seba")
    user.find(marker="outreach-attendees").elements.pop().value = "41"
    user.find(marker="outreach-save").click()
    await user.should_see("Sosialisasi di Kabupaten Sabu Raijua pada 3 November 2026 dicatat", retries=50)
    session = OutreachSession.get()
    assert (session.kabupaten_code, session.attendees, session.created_by) == ("5320", 41, "coordinator")
    sabu = next(r for r in table_rows(user) if r["kabupaten_code"] == "5320")
    assert (sabu["reached"], sabu["sessions"]) == (True, "1")


async def test_a_session_without_a_place_is_refused_and_nothing_written(accounts, user: User):
    await open_as(user, "coordinator", "/sosialisasi")
    user.find(marker="outreach-kabupaten").elements.pop().value = "5320"
    user.find(marker="outreach-save").click()
    await user.should_see(marker="outreach-error", content="Tempat sosialisasi wajib diisi", retries=50)
    assert OutreachSession.select().count() == 0
