"""The shared shape of the list pages (claims, runs, files, batches, audit): a filter read from and
written back to the address, a page of rows read off the event loop, and how many match.

The filter lives in the address (`/berkas?partner=bank`) so that a list can be bookmarked or
linked to from an alert; a value that is not one of the allowed ones (a hand-edited address)
is dropped, not trusted.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any
from urllib.parse import urlencode

from nicegui import ui

from ui import session as sess
from ui.session import Session

Row = dict[str, Any]


def pick(value: str | None, allowed: Collection[str]) -> str | None:
    """A query parameter's value when it is one of `allowed`, else None."""
    return value if value in allowed else None


def keep_in_address(path: str, params: Mapping[str, str | None]) -> None:
    """Show the filter's set values in the address bar (no reload); the user is active."""
    shown = {name: value for name, value in params.items() if value}
    ui.navigate.history.replace(f"{path}?{urlencode(shown)}" if shown else path)
    sess.touch()


class MatchCount:
    """The label that says how many rows match (message `key` with `count`)."""

    def __init__(self, session: Session, key: str, *, marker: str, classes: str = "text-body2 text-grey-8"):
        self.session, self.key = session, key
        self.label = ui.label("").classes(classes).mark(marker)

    def show(self, count: int) -> None:
        self.label.text = self.session.t(self.key, count=count)


async def read_rows(query: Callable[..., tuple[list[Row], int]], *args: Any,
                    row: Callable[[Row], Row] | None = None, count: MatchCount | None = None,
                    **kwargs: Any) -> tuple[list[Row], int] | None:
    """One page of a `PagedTable`: `query(*args, **kwargs)` off the event loop, each row shaped by
    `row`, the total shown by `count`. None while the app shuts down (the table keeps its rows)."""
    result = await sess.db_call(query, *args, **kwargs)
    if result is None:
        return None
    rows, total = result
    if count is not None:
        count.show(total)
    return ([row(r) for r in rows] if row else rows), total
