"""/kunci-host: admins only; each partner's key state in words, the server's absence included."""

from __future__ import annotations

from nicegui.testing import User

from tests.ui.conftest import open_as


async def test_a_coordinator_is_refused_the_host_keys_page(accounts, user: User):
    await open_as(user, "coordinator", "/kunci-host")
    await user.should_not_see(marker="host-keys")


async def test_an_admin_sees_each_partner_and_why_a_server_cannot_be_asked(accounts, user: User):
    await open_as(user, "admin", "/kunci-host")
    await user.should_see(marker="host-keys")
    for partner in ("bpjs", "bank"):  # the embedded server is off in these tests: nothing answers
        await user.should_see(marker=f"state-{partner}", retries=100)
    await user.should_see("Server tidak terjangkau")
    for partner in ("bpjs", "bank"):
        await user.should_not_see(marker=f"accept-{partner}")
