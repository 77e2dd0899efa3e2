"""/akun: who I am, and changing my password (forced at first login with a one-time password)."""

from __future__ import annotations

from nicegui import ui

from core.context import AppContext
from core.text import fmt, i18n
from core.users import UserError, change_password
from models import User
from ui import session as sess
from ui.frame import Page, desk_page
from ui.session import Session


def register(ctx: AppContext) -> None:
    @desk_page(ctx, sess.ACCOUNT_PATH, "account.title", allow_password_change=True)
    async def account_page(page: Page) -> None:
        session = page.session
        user = await sess.db_call(User.get_by_id, session.user_id)
        if session.must_change_password:
            ui.label(session.t("account.must_change")).classes("text-warning text-body1").mark("must-change")
        _profile(session, user)
        PasswordForm(ctx, session).build()


def _profile(session: Session, user: User) -> None:
    rows = (("account.user", f"{user.username} {user.full_name or ''}".strip()),
            ("account.role", i18n.role_label(user.role, session.lang)),
            ("account.last_login", fmt.datetime(user.last_login_at, session.lang, session.zone)))
    with ui.card().classes("w-full max-w-lg"), ui.grid(columns=2).classes("gap-x-6 gap-y-1"):
        for key, value in rows:
            ui.label(session.t(key)).classes("text-grey-8")
            ui.label(value or "-")


class PasswordForm:
    def __init__(self, ctx: AppContext, session: Session):
        self.ctx, self.session = ctx, session

    def build(self) -> None:
        t = self.session.t
        with ui.card().classes("w-full max-w-lg gap-2"):
            ui.label(t("account.change_password")).classes("text-h6")
            ui.label(t("account.password_rules")).classes("text-caption text-grey-8")
            self.old = ui.input(t("account.old_password"), password=True).props("outlined dense") \
                .classes("w-full").mark("old-password")
            self.new = ui.input(t("account.new_password"), password=True).props("outlined dense") \
                .classes("w-full").mark("new-password")
            self.repeat = ui.input(t("account.repeat_password"), password=True).props("outlined dense") \
                .classes("w-full").mark("repeat-password")
            self.error = ui.label("").classes("text-negative").mark("password-error")
            ui.button(t("common.save"), on_click=self.save).mark("save-password")

    async def save(self) -> None:
        session = await sess.current(self.ctx, allow_password_change=True)
        if session is None:
            return
        if self.new.value != self.repeat.value:
            self.error.text = session.t("account.passwords_differ")
            return

        def change() -> None:
            change_password(User.get_by_id(session.user_id), self.old.value or "", self.new.value or "")

        try:
            await sess.db_call(change)
        except UserError as exc:
            self.error.text = _in_language(str(exc), session.lang)
            return
        ui.notify(session.t("account.password_changed"), type="positive")
        ui.navigate.to("/")


def _in_language(message: str, lang: str) -> str:
    """core.users messages are written `Indonesian / English`: show the half in the user's language."""
    parts = message.split(" / ", 1)
    if len(parts) == 2:
        return parts[1] if lang == "en" else parts[0]
    return message
