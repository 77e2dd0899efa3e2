"""/kunci-host (Kunci Host SFTP, admin): each partner's pinned host key against the one its server shows.

A changed key stops every job of that partner (they fail with "host key changed"). The
admin calls the partner, compares the fingerprint read out with the one shown here, and
only then accepts it; the rule and the audit are in desk/hostkeys.py.
"""

from __future__ import annotations

from nicegui import ui

from core.context import AppContext
from desk.hostkeys import HostKeyState, accept_host_key, host_key_states
from desk.permissions import Action
from ui import session as sess
from ui.components.desk import attempt, confirm, partner_label
from ui.frame import Page, desk_page
from ui.session import Session

PATH = "/kunci-host"


def register(ctx: AppContext) -> None:
    @desk_page(ctx, PATH, "nav.host_keys", need=Action.ACCEPT_HOST_KEY)
    async def host_keys_page(page: Page) -> None:
        HostKeysPage(ctx, page.session).build()


class HostKeysPage:
    def __init__(self, ctx: AppContext, session: Session):
        self.ctx, self.session = ctx, session

    def build(self) -> None:
        t = self.session.t
        ui.label(t("hostkeys.help")).classes("text-body2 text-grey-8")
        self.list = ui.column().classes("w-full gap-2").mark("host-keys")
        with self.list:
            ui.spinner()
        ui.timer(0.1, self.reload, once=True)  # asking the servers takes a moment: draw the page first

    async def reload(self) -> None:
        ok, states = await attempt(self.session, host_key_states, self.ctx.settings, self.session.username)
        if self.list.is_deleted:
            return
        self.list.clear()
        with self.list:
            if not ok:
                ui.label(states).classes("text-negative")
                return
            for state in states:
                self._card(state)

    def _card(self, state: HostKeyState) -> None:
        s, t = self.session, self.session.t
        with ui.card().classes("w-full gap-1").mark(f"host-key-{state.partner}"):
            with ui.row().classes("items-center gap-2"):
                ui.label(partner_label(s, state.partner)).classes("text-subtitle1 text-weight-medium")
                ui.label(state.name).classes("text-caption text-grey-8")
                if state.unreachable:
                    ui.badge(t("hostkeys.unreachable"), color="grey-7").mark(f"state-{state.partner}")
                elif state.changed:
                    ui.badge(t("hostkeys.changed"), color="red-7").mark(f"state-{state.partner}")
                else:
                    ui.badge(t("hostkeys.matches"), color="green-7").mark(f"state-{state.partner}")
            ui.label(t("hostkeys.pinned", fingerprint=state.pinned or "-", file=state.known_hosts)) \
                .classes("text-body2 font-mono")
            if state.unreachable:
                ui.label(t("hostkeys.unreachable_why", reason=state.unreachable)).classes("text-body2")
                return
            shown = t("hostkeys.presented", fingerprint=state.presented or "-", type=state.key_type or "-")
            ui.label(shown).classes("text-body2 font-mono")
            if state.changed:
                ui.label(t("hostkeys.changed_help")).classes("text-body2 text-negative")
                ui.button(t("hostkeys.accept"), icon="key",
                          on_click=lambda st=state: self.ask_accept(st)).mark(f"accept-{state.partner}")

    def ask_accept(self, state: HostKeyState) -> None:
        t = self.session.t

        async def go(_reason: str | None) -> str | None:
            session = await sess.guard(self.ctx, Action.ACCEPT_HOST_KEY)
            if session is None:
                return t("hostkeys.error.not_allowed")
            ok, result = await attempt(session, accept_host_key, self.ctx.settings, state.partner,
                                       state.presented or "", session.username)
            if not ok:
                return result
            ui.notify(t("hostkeys.accepted", partner=partner_label(session, state.partner)), type="positive")
            await self.reload()
            return None

        title = t("hostkeys.accept_title", partner=partner_label(self.session, state.partner))
        confirm(self.session, title, t("hostkeys.accept_help", fingerprint=state.presented or "-"), go,
                button=t("hostkeys.accept"))
