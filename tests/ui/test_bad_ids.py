"""An id in an address that is unknown, not a number or over 64 bits: "not found", never a 500."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from tests.ui.conftest import login

HUGE = "99999999999999999999999"
BAD_IDS = [HUGE, str(2**63), "-1", "0", "abc", "12abc", "1e3"]


@pytest.mark.parametrize("raw", [*BAD_IDS, "424242"])
async def test_a_file_page_with_a_bad_id_says_not_found(accounts, user: User, raw):
    await login(user, "viewer")
    await user.open(f"/berkas/{raw}")
    await user.should_see(f"Berkas #{raw} tidak ditemukan")


@pytest.mark.parametrize("raw", [*BAD_IDS, "424242"])
async def test_a_run_page_with_a_bad_id_says_not_found(accounts, user: User, raw):
    await login(user, "viewer")
    await user.open(f"/tugas/riwayat/{raw}")
    await user.should_see(f"Proses #{raw} tidak ditemukan")


@pytest.mark.parametrize("raw", [*BAD_IDS, "424242"])
async def test_a_file_download_with_a_bad_id_is_404(accounts, user: User, raw):
    await login(user, "supervisor")
    response = await user.http_client.get(f"/berkas/{raw}/unduh")
    assert response.status_code == 404
    assert f"Berkas #{raw} tidak ditemukan" in response.text


@pytest.mark.parametrize("raw", [HUGE, "B" * 200])
async def test_a_batch_page_with_a_bad_id_says_not_found(accounts, user: User, raw):
    await login(user, "viewer")
    await user.open(f"/batch/{raw}")
    await user.should_see("tidak ditemukan")
