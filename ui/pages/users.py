"""/pengguna (Pengguna, admin): create accounts, change roles and kabupaten desks, deactivate, reset
passwords. The accounts are paged on the server by keyset (`desk.users.accounts_page`).

The rules (only admins; the last active admin stays; nobody deactivates themselves) are
in `desk.users`, which every handler calls; this page only asks and shows. A new or
reset one-time password is shown once, in a dialog, and never again.
"""

from __future__ import annotations

from nicegui import ui

from core.context import AppContext
from core.text import fmt, i18n
from desk.permissions import Action
from desk.scope import codes_of, desk_label
from desk.users import accounts_page, change_role, create_account, reset_password, set_active, set_kabupaten
from models import Role, User, utcnow
from ui import session as sess
from ui.components.asking import Question, asks
from ui.components.desk import attempt, when
from ui.frame import Page, desk_page
from ui.session import Session

PATH = "/pengguna"


def register(ctx: AppContext) -> None:
    @desk_page(ctx, PATH, "nav.users", need=Action.MANAGE_USERS)
    async def users_page(page: Page) -> None:
        users = UsersPage(ctx, page.session)
        users.build()
        await users.show_page()


PER_PAGE = 50  # accounts a page; paged on the server by keyset (desk.users.accounts_page)


class UsersPage:
    def __init__(self, ctx: AppContext, session: Session):
        self.ctx, self.session = ctx, session

    def build(self) -> None:
        t = self.session.t
        self.dialog_host = ui.element("div")
        self._create_form()
        # keyset paging: where each page shown so far starts (None: the first), the current one last
        self.starts: list[tuple[bool, str] | None] = [None]
        self.page_end: tuple[bool, str] | None = None
        with ui.row().classes("w-full items-center justify-end gap-1"):
            self.range = ui.label("").classes("text-body2 text-grey-8").mark("users-range")
            self.previous = ui.button(icon="chevron_left", on_click=self._previous) \
                .props(f'flat dense round aria-label="{t("paging.previous")}"').mark("users-previous")
            self.next = ui.button(icon="chevron_right", on_click=self._next) \
                .props(f'flat dense round aria-label="{t("paging.next")}"').mark("users-next")
        self.list = ui.column().classes("w-full gap-1").mark("users-list")

    async def show_page(self) -> None:
        """(Re)read the current page from the server; the role is checked there again."""
        ok, result = await attempt(self.session, accounts_page, self.session.username, after=self.starts[-1],
                                   per_page=PER_PAGE)
        if not ok:
            ui.notify(result, type="negative")
            return
        if result is None or self.list.is_deleted:  # shutting down, or the page was left
            return
        accounts, total = result
        if not accounts and len(self.starts) > 1:  # the page emptied (accounts moved): step back
            self.starts.pop()
            await self.show_page()
            return
        self.page_end = (accounts[-1].active, accounts[-1].username) if accounts else None
        first, lang = (len(self.starts) - 1) * PER_PAGE, self.session.lang
        low, high = fmt.number(first + min(1, len(accounts)), lang), fmt.number(first + len(accounts), lang)
        self.range.text = self.session.t("paging.range", first=low, last=high, total=fmt.number(total, lang))
        self.previous.set_enabled(len(self.starts) > 1)
        self.next.set_enabled(len(accounts) == PER_PAGE and first + len(accounts) < total)
        self._show(accounts)

    async def _next(self) -> None:
        if self.page_end is not None:
            self.starts.append(self.page_end)
            await self.show_page()

    async def _previous(self) -> None:
        if len(self.starts) > 1:
            self.starts.pop()
            await self.show_page()

    def _show(self, accounts: list[User]) -> None:
        self.list.clear()
        with self.list:
            for account in accounts:
                self._row(account)

    async def _reload(self) -> None:
        await self.show_page()

    def _row(self, account: User) -> None:
        s, t = self.session, self.session.t
        with ui.card().tight().classes("w-full q-pa-sm").mark(f"user-{account.username}"), \
                ui.row().classes("w-full items-center gap-3"):
            ui.label(account.username).classes("text-weight-medium w-36")
            ui.label(account.full_name or "").classes("w-48 text-grey-8")
            ui.badge(i18n.role_label(account.role, s.lang)).classes("q-px-sm") \
                .mark(f"role-{account.username}")
            state = t("users.active") if account.active else t("users.inactive")
            ui.label(state).classes("text-positive" if account.active else "text-grey-7") \
                .mark(f"state-{account.username}")
            ui.label(desk_label(codes_of(account), self.ctx.reference, s.lang)).classes("text-body2") \
                .mark(f"desk-{account.username}")
            if account.locked_until and account.locked_until > utcnow():
                ui.label(t("users.locked")).classes("text-negative")
            if account.must_change_password:
                ui.label(t("users.must_change")).classes("text-caption text-warning")
            ui.label(when(s, account.last_login_at)).classes("text-caption text-grey-7")
            ui.space()
            ui.button(t("users.change_role"), icon="badge", on_click=lambda a=account: self.ask_role(a)) \
                .props("no-caps outline dense").mark(f"change-role-{account.username}")
            if account.active:
                ui.button(t("users.deactivate"), icon="person_off",
                          on_click=lambda a=account: self.ask_active(a, False)) \
                    .props("no-caps outline dense").mark(f"deactivate-{account.username}")
            else:
                ui.button(t("users.reactivate"), icon="person",
                          on_click=lambda a=account: self.ask_active(a, True)) \
                    .props("no-caps outline dense").mark(f"reactivate-{account.username}")
            ui.button(t("users.set_kabupaten"), icon="map", on_click=lambda a=account: self.ask_desk(a)) \
                .props("no-caps outline dense").mark(f"set-desk-{account.username}")
            ui.button(t("users.reset"), icon="key", on_click=lambda a=account: self.ask_reset(a)) \
                .props("no-caps outline dense").mark(f"reset-{account.username}")

    def _create_form(self) -> None:
        t = self.session.t
        with ui.card().classes("w-full gap-2").mark("create-user"):
            ui.label(t("users.create")).classes("text-h6")
            ui.label(t("users.create_help")).classes("text-caption text-grey-8")
            with ui.row().classes("items-end gap-2"):
                self.new_name = ui.input(t("users.col.username")).props("outlined dense maxlength=64") \
                    .mark("new-username")
                self.new_full = ui.input(t("users.col.full_name")).props("outlined dense maxlength=120") \
                    .classes("min-w-64").mark("new-full-name")
                self.new_role = ui.select(_roles(self.session), value=Role.VIEWER,
                                          label=t("users.col.role")) \
                    .props("outlined dense").classes("min-w-40").mark("new-role")
                self.new_desk = self._desk_select([]).mark("new-kabupaten")
                ui.button(t("users.create"), icon="person_add", on_click=self.create) \
                    .mark("create-user-submit")
            self.create_error = ui.label("").classes("text-negative").mark("create-error")

    # -- actions ----------------------------------------------------------------------
    async def create(self) -> None:
        session = await sess.guard(self.ctx, Action.MANAGE_USERS)
        if session is None:
            return
        ok, result = await attempt(session, create_account, (self.new_name.value or "").strip(),
                                   self.new_role.value, session.username, full_name=self.new_full.value or "",
                                   kabupaten=list(self.new_desk.value or ()), known=self._known())
        if not ok:
            self.create_error.text = result
            return
        user, password = result
        self.create_error.text = ""
        self.new_name.value = self.new_full.value = ""
        self.new_desk.value = []
        ui.notify(session.t("users.created", user=user.username), type="positive")
        self._show_password(user.username, password)
        await self._reload()

    async def ask_role(self, account: User) -> None:
        session = await sess.guard(self.ctx, Action.MANAGE_USERS)
        if session is None:
            return
        t = session.t
        with self.dialog_host, ui.dialog() as dialog, ui.card().classes("w-96 gap-2").mark("role-dialog"):
            ui.label(t("users.change_role")).classes("text-h6")
            ui.label(account.username).classes("text-body1")
            choice = ui.select(_roles(session), value=account.role, label=t("users.col.role")) \
                .props("outlined dense").classes("w-full").mark("role-choice")
            error = ui.label("").classes("text-negative").mark("role-error")

            async def save() -> None:
                ok, result = await attempt(session, change_role, account.id, choice.value, session.username)
                if not ok:
                    error.text = result
                    return
                dialog.close()
                dialog.delete()
                ui.notify(t("users.role_changed", user=account.username, role=choice.value), type="positive")
                await self._reload()

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(t("common.cancel"), on_click=lambda: (dialog.close(), dialog.delete())) \
                    .props("flat")
                ui.button(t("common.save"), on_click=save).mark("role-save")
        dialog.open()

    async def ask_desk(self, account: User) -> None:
        """The kabupaten desk of `account` (section 8): some kabupaten/kota, or none for the province."""
        session = await sess.guard(self.ctx, Action.MANAGE_USERS)
        if session is None:
            return
        t = session.t
        with self.dialog_host, ui.dialog() as dialog, ui.card().classes("w-96 gap-2").mark("desk-dialog"):
            ui.label(t("users.set_kabupaten")).classes("text-h6")
            ui.label(account.username).classes("text-body1")
            choice = self._desk_select(list(codes_of(account) or ())).classes("w-full").mark("desk-choice")
            error = ui.label("").classes("text-negative").mark("desk-error")

            async def save() -> None:
                ok, result = await attempt(session, set_kabupaten, account.id, list(choice.value or ()),
                                           session.username, known=self._known())
                if not ok:
                    error.text = result
                    return
                dialog.close()
                dialog.delete()
                desk = desk_label(codes_of(result), self.ctx.reference, session.lang)
                ui.notify(t("users.kabupaten_set", user=account.username, desk=desk), type="positive")
                await self._reload()

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(t("common.cancel"), on_click=lambda: (dialog.close(), dialog.delete())) \
                    .props("flat")
                ui.button(t("common.save"), on_click=save).mark("desk-save")
        dialog.open()

    def _desk_select(self, value: list[str]) -> ui.select:
        s = self.session
        return ui.select(self.ctx.reference.options("kabupaten", s.lang), value=value, multiple=True,
                         label=s.t("users.kabupaten")) \
            .props(f'outlined dense use-chips clearable options-dense hint="{s.t("users.kabupaten_hint")}"') \
            .classes("min-w-64")

    def _known(self) -> frozenset[str]:
        return self.ctx.reference.codes("kabupaten")

    @asks(Action.MANAGE_USERS)
    def ask_active(self, s: Session, account: User, active: bool) -> Question:
        async def changed(_account: User) -> None:
            ui.notify(s.t("users.reactivated" if active else "users.deactivated", user=account.username),
                      type="positive")
            await self._reload()

        key = "users.confirm_reactivate" if active else "users.confirm_deactivate"
        return Question(s.t("users.reactivate" if active else "users.deactivate"),
                        s.t(key, user=account.username),
                        work=lambda _reason: set_active(account.id, active, s.username), done=changed)

    @asks(Action.MANAGE_USERS)
    def ask_reset(self, s: Session, account: User) -> Question:
        async def reset(password: str) -> None:
            self._show_password(account.username, password)
            await self._reload()

        return Question(s.t("users.reset"), s.t("users.confirm_reset", user=account.username),
                        work=lambda _reason: reset_password(account.id, s.username), done=reset)

    def _show_password(self, username: str, password: str) -> None:
        t = self.session.t
        with self.dialog_host, ui.dialog().props("persistent") as dialog, \
                ui.card().classes("w-96 gap-2").mark("password-dialog"):
            ui.label(t("users.password_once", user=username)).classes("text-h6")
            ui.label(password).classes("text-h5 font-mono q-pa-sm bg-grey-2 rounded-borders") \
                .mark("one-time-password")
            ui.label(t("users.password_hint", user=username)).classes("text-body2")
            ui.button(t("common.close"), on_click=lambda: (dialog.close(), dialog.delete())) \
                .mark("password-close")
        dialog.open()


def _roles(session: Session) -> dict[str, str]:
    return {role: i18n.role_label(role, session.lang) for role in Role.ALL}
