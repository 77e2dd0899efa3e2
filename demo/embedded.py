"""The embedded partners of `serve`: an SFTP server playing them, and their own cadence in demo mode.

With `embedded_sftp.enabled` (the default configuration), `serve` starts the embedded
server (demo/sftp/server.py) before the scheduler, so that the default configuration
works with no partner at hand; its keys are made on first start. With
`embedded_sftp.simulate` as well, the demo partners act on their own: their tasks
(demo/simulate/schedule.py) go on the started scheduler through its public
`add_interval_task`. The scheduler and the jobs know nothing of this module.
"""

from __future__ import annotations

import asyncio
import logging

from core.context import AppContext
from demo.simulate.schedule import demo_bank_answer, demo_bpjs_drop, demo_run, demo_tasks
from jobs.scheduler import add_interval_task

log = logging.getLogger(__name__)
# ctx.extras key, read by ui/pages/jobs.py: seconds between the demo BPJS's drops, the demo bank's
# answers, and each job's extra turns ({"bpjs_drop": s, "bank_answer": s, "jobs": {job_id: s}}).
DEMO_CADENCE = "demo_cadence"


async def start_embedded_sftp(ctx: AppContext) -> None:
    """Start the embedded SFTP server when `embedded_sftp.enabled`; kept in ctx.extras["sftp_server"]."""
    if ctx.settings.embedded_sftp.enabled:
        await asyncio.to_thread(_start_sftp, ctx)


def schedule_demo_partners(ctx: AppContext) -> None:
    """With `embedded_sftp.enabled` and `simulate`, the demo partners' tasks on the started scheduler."""
    embedded = ctx.settings.embedded_sftp
    if not (embedded.enabled and embedded.simulate):
        return
    tasks = demo_tasks(ctx)
    for task in tasks:
        add_interval_task(ctx, task.id, task.func, task.args, every_seconds=task.every_seconds,
                          first_after_seconds=task.first_after_seconds)
    # The jobs page says when the demo partners act (issue 17) without importing demo: it reads this.
    every = {task.func: task.every_seconds for task in tasks}
    ctx.extras[DEMO_CADENCE] = {"bpjs_drop": every[demo_bpjs_drop], "bank_answer": every[demo_bank_answer],
                                "jobs": {t.args[1]: t.every_seconds for t in tasks if t.func is demo_run}}


async def stop_embedded_sftp(ctx: AppContext) -> None:
    """Stop the server start_embedded_sftp started, if any (after the scheduler: no job starts on a dead
    server)."""
    server = ctx.extras.pop("sftp_server", None)
    if server is not None:
        await asyncio.to_thread(server.stop)


def _start_sftp(ctx: AppContext) -> None:
    from demo.sftp.server import EmbeddedSftpServer  # paramiko's server side, only when it is wanted

    server = EmbeddedSftpServer(ctx.settings)
    try:
        server.start()
    except OSError as exc:  # e.g. the port is taken by another instance: jobs will say they cannot connect
        log.warning("Server SFTP bawaan tidak dapat dijalankan di %s:%d: %s", ctx.settings.embedded_sftp.host,
                    ctx.settings.embedded_sftp.port, exc)
        return
    ctx.extras["sftp_server"] = server
