"""Background services of `serve`: the embedded SFTP server and the job scheduler.

`start_background(ctx)` is called from the web app's startup hook (it needs the running
event loop for APScheduler); `stop_background(ctx)` from its shutdown hook. With
`embedded_sftp.enabled`, the server's keys are made on first start and the server plays
BPJS and Bank NTT; with `embedded_sftp.simulate` as well, the demo partners act on their
own (see demo/simulate/schedule.py).
"""

from __future__ import annotations

import asyncio
import logging

from core.context import AppContext

log = logging.getLogger(__name__)


async def start_background(ctx: AppContext) -> None:
    """Start the embedded SFTP server (when enabled) and the scheduler."""
    if ctx.settings.embedded_sftp.enabled:
        await asyncio.to_thread(_start_sftp, ctx)
    from jobs.scheduler import start_scheduler

    start_scheduler(ctx)


async def stop_background(ctx: AppContext) -> None:
    """Stop what start_background started (the scheduler first: no job starts on a dead server)."""
    from jobs.scheduler import stop_scheduler

    stop_scheduler(ctx)
    server = ctx.extras.pop("sftp_server", None)
    if server is not None:
        await asyncio.to_thread(server.stop)


def _start_sftp(ctx: AppContext) -> None:
    from jobs.sftp.server import EmbeddedSftpServer

    server = EmbeddedSftpServer(ctx.settings)
    try:
        server.start()
    except OSError as exc:  # e.g. the port is taken by another instance: jobs will say they cannot connect
        log.warning("Server SFTP bawaan tidak dapat dijalankan di %s:%d: %s", ctx.settings.embedded_sftp.host,
                    ctx.settings.embedded_sftp.port, exc)
        return
    ctx.extras["sftp_server"] = server
