"""The one shape of a desk action on a page: check the role, ask, do it off the event loop, then follow up.

A page method decorated `@asks(Action.X)` gets the fresh session and returns the `Question`:

    @asks(Action.PAUSE_SCHEDULE)
    def ask_pause(self, s: Session, job_id: str) -> Question:
        return Question(title, help_text, work=lambda reason: pause(job_id, s.username, reason),
                        done=lambda _result: ..., reason=s.t("common.reason"))

The role is checked before asking only as a courtesy: the action called by `work` checks it
again on the server. A refusal is shown in the dialog, which stays open.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from nicegui import ui

from core.context import AppContext
from desk.permissions import Action
from ui import session as sess
from ui.components.desk import attempt, confirm
from ui.session import Session


@dataclass(frozen=True)
class Question:
    """What the confirmation dialog says, what confirming does, and what follows when it is done."""

    title: str
    help_text: str
    work: Callable[[str | None], Any]  # given the reason (None without a field); runs off the event loop
    done: Callable[[Any], Awaitable[None] | None]  # given what `work` returned, on the page
    button: str | None = None  # the confirm button's label (default: "Konfirmasi")
    reason: str | None = None  # the label of a reason or note field; None: no field
    reason_required: bool = False


class AskingPage(Protocol):
    ctx: AppContext
    dialog_host: ui.element  # dialogs live here, outside parts of the page that are redrawn


def asks(action: Action) -> Callable[[Callable[..., Question]], Callable[..., Awaitable[None]]]:
    """Make `method(self, session, *args) -> Question` a click handler `handler(self, *args)`."""

    def wrap(method: Callable[..., Question]) -> Callable[..., Awaitable[None]]:
        async def handler(page: AskingPage, *args: Any) -> None:
            session = await sess.guard(page.ctx, action)
            if session is None:
                return
            with page.dialog_host:
                ask(session, method(page, session, *args))

        # No functools.wraps: NiceGUI passes the click event to a handler whose signature (followed
        # through __wrapped__) asks for arguments, and this one takes only what the page gives it.
        handler.__name__, handler.__qualname__ = method.__name__, method.__qualname__
        handler.__doc__ = method.__doc__
        return handler

    return wrap


def ask(session: Session, question: Question) -> ui.dialog:
    """Open the confirmation dialog of `question` (in the current parent element)."""

    async def go(reason: str | None) -> str | None:
        ok, result = await attempt(session, question.work, reason)
        if not ok:
            return result
        follow_up = question.done(result)
        if inspect.isawaitable(follow_up):
            await follow_up
        return None

    return confirm(session, question.title, question.help_text, go, reason=question.reason,
                   reason_required=question.reason_required, button=question.button)
