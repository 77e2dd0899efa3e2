"""/rekonsiliasi: the tie-out per kabupaten/kota with each term a link to its claims and a red line
where an identity does not hold."""

from __future__ import annotations

from nicegui.testing import User

from models import ClaimStatus
from tests.factories import make_claim
from tests.ui.conftest import login


async def test_the_tie_out_shows_each_term_as_a_link_to_the_queue(accounts, user: User):
    make_claim(ClaimStatus.ON_HOLD, approved_amount=700_000, kabupaten_code="5371")
    make_claim(ClaimStatus.READY, approved_amount=2_000_000, kabupaten_code="5371")
    await login(user, "viewer")
    await user.open("/rekonsiliasi?dim=kabupaten&from=2020-01-01")
    await user.should_see("Semua baris cocok sampai ke rupiah")
    await user.should_see("Rp 2.700.000")
    link = user.find(marker="tieout-held").elements.pop()
    assert link.props["href"] == "/klaim?status=ON_HOLD&kab=5371&from=2020-01-01"
    xlsx = user.find(marker="tieout-xlsx").elements.pop()
    assert xlsx.props["href"].startswith("/rekonsiliasi.xlsx?dim=kabupaten")


async def test_a_row_that_does_not_tie_out_is_red(accounts, user: User):
    make_claim(ClaimStatus.READY, decision="REJECTED", approved_amount=500_000)  # not approved, yet payable
    await login(user, "viewer")
    await user.open("/rekonsiliasi?dim=kabupaten&from=2020-01-01")
    await user.should_see("1 baris tidak cocok")
    await user.should_see(marker="tieout-row-broken")


async def test_the_approved_link_opens_exactly_the_claims_bpjs_approved(accounts, user: User):
    """A READY claim BPJS rejected sits in a payable status: the approved link must leave it out."""
    make_claim(ClaimStatus.READY, approved_amount=2_000_000)
    make_claim(ClaimStatus.READY, decision="REJECTED", approved_amount=0)
    await login(user, "viewer")
    await user.open("/rekonsiliasi?dim=kabupaten&from=2020-01-01")
    href = user.find(marker="tieout-approved").elements.pop().props["href"]
    assert "decision=APPROVED" in href
    await user.open(href)
    await user.should_see("1 klaim cocok")
    await user.should_see("Filter dari tautan: keputusan BPJS disetujui")
