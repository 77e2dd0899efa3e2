"""Background services of `serve`: the embedded SFTP server and the job scheduler.

`start_background(ctx)` is called from the web app's startup hook (it needs the running
event loop for APScheduler); `stop_background(ctx)` from its shutdown hook.
"""

from __future__ import annotations

from core.context import AppContext


async def start_background(ctx: AppContext) -> None:
    """Start the embedded SFTP server (when enabled) and the scheduler. Owned by the jobs issue."""


async def stop_background(ctx: AppContext) -> None:
    """Stop what start_background started."""
