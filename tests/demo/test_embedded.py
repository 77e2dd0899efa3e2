"""The embedded partners of `serve` (demo/embedded.py): the SFTP server, the demo cadence."""

from __future__ import annotations

import dataclasses

from cli.serve import start_background, stop_background
from demo.embedded import DEMO_CADENCE
from demo.simulate.schedule import BANK_EVERY_SECONDS, BPJS_EVERY_MINUTES
from jobs.registry import JOBS


async def test_serve_starts_the_embedded_server_and_the_scheduler(job_ctx):
    settings = job_ctx.settings
    job_ctx.settings = dataclasses.replace(settings, embedded_sftp=dataclasses.replace(
        settings.embedded_sftp, enabled=True, port=0, simulate=True))
    await start_background(job_ctx)
    try:
        scheduler = job_ctx.extras["scheduler"]
        ids = {job.id for job in scheduler.get_jobs()}
        assert set(JOBS) | {"watch_overdue", "watch_payment_duty", "demo_bpjs", "demo_bank"} <= ids
        assert {f"demo_{job_id}" for job_id in JOBS} <= ids  # every job of the registry, on the demo cadence
        assert job_ctx.extras["sftp_server"].port > 0
        assert (settings.work_dir / "keys" / "known_hosts").exists()
        # What the jobs page reads to say when the demo partners act (issue 17).
        cadence = job_ctx.extras[DEMO_CADENCE]
        assert (cadence["bpjs_drop"], cadence["bank_answer"]) == (BPJS_EVERY_MINUTES * 60, BANK_EVERY_SECONDS)
        assert set(cadence["jobs"]) == set(JOBS) and cadence["jobs"]["bpjs_pull"] == 180
    finally:
        await stop_background(job_ctx)
    assert "scheduler" not in job_ctx.extras and "sftp_server" not in job_ctx.extras


async def test_without_simulate_no_demo_partner_acts(job_ctx):
    settings = job_ctx.settings
    job_ctx.settings = dataclasses.replace(settings, embedded_sftp=dataclasses.replace(
        settings.embedded_sftp, enabled=True, port=0, simulate=False))
    await start_background(job_ctx)
    try:
        ids = {job.id for job in job_ctx.extras["scheduler"].get_jobs()}
        assert set(JOBS) <= ids and not any(i.startswith("demo_") for i in ids)
        assert DEMO_CADENCE not in job_ctx.extras  # the jobs page says nothing of a demo cadence
        assert job_ctx.extras["sftp_server"].port > 0
    finally:
        await stop_background(job_ctx)
