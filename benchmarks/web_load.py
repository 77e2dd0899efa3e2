"""Coordinators in the browser while BPJS's file comes in (issue 19): the web app under an ingest.

    .venv/bin/python benchmarks/web_load.py [--claims 1000000] [--sessions 20] [--ingest 100000]
                                            [--database URL] [--http]

1. Setup: --claims demo claims (demo.data, then ANALYZE: ui_queries.prepare), --sessions
   coordinator accounts, and two VERIFIED_CLAIMS files A and B of --ingest payable records each
   (cycle.records: the same kind of claims, different claim, case, KPJ and NIK numbers).
2. `run.py serve` starts in a child process. File A is ingested alone: `run.py jobs run
   bpjs_pull` in a second process, no one in the browser.
3. The coordinators log in (one Chromium, one context each, all at once; shown apart, no goal)
   and do one round of the actions below, not counted (a person's browser is warm). Then file B
   is ingested the same way while every coordinator loops, 0.5-1 s of thinking between actions:
   open the queue (/klaim, until its rows show), the next page (until the first row changes),
   search a surname (until the matching count changes), open a claim of the results (until its
   heading "Klaim ..." shows); until the ingest ends, one round at least. Timed by the page's own
   clock; for the two page loads the server's part (to the first byte) is shown beside.

--http: the browsers only log in (for each session's cookie) and close; each session then
requests the pages over plain HTTP (the queue, a name search by URL, a claim), timed to the last
byte: the server's side under the ingest, with no browser on the same cores.

Goals (issue 19): p95 <= 500 ms for every action; the ingest of B under load <= 1.5x the ingest
of A alone (the job's recorded run; the process's wall time is shown beside). A timeout (120 s)
or browser error counts as a 120 s sample and is counted apart. Prints `ok`/`MISSED` per goal
and exits 1 when one is missed, or when an ingest fails. All of it runs on one machine: the
browser's own work is part of the load the ingest sees, so give the figures with the core count.
SQLite in a temporary folder, unless --database names a PostgreSQL database: its tables are
then dropped and created again first (it need not be empty).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import re
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from concurrent_load import CHROMIUM, PASSWORD, _config, _finish, _job_process, _serving
from cycle import header, records, start
from ui_queries import p95, prepare, report

from core.context import build_context
from core.db import init_db
from core.files.layout import write_file
from core.schema import drop_all
from core.users import create_user
from demo.people import SURNAMES
from models import Claim, JobRun, Role, db
from tests.browser.support import ARGS

TIMEOUT_MS = 120_000  # a wait longer than this is a failure, counted apart (and as a 120 s sample)
ACTION_TARGET_MS = 500.0
INGEST_TARGET = 1.5  # ingest under load / ingest alone
ACTIONS = ("open the queue", "next page", "search a surname", "open a claim")
ROWS = "tbody a[href^='/klaim/']"  # the queue's claim-number links (ui/components/desk.link_cell)
MATCHING = re.compile(r"klaim cocok$")  # the queue's count line, "{count} klaim cocok"
# The clocks are the page's own (performance.now(), checked at every frame): from the click or the
# Enter (a capturing listener armed just before) or, for a new page, from the navigation's start, until
# the result shows. Playwright's waits would add to a figure: expect() retries after 100, 250, 500 ms.
ARM = ("() => { window.benchStart = null; for (const type of ['click', 'keydown']) document.addEventListener("
       "type, () => { window.benchStart ??= performance.now(); }, {capture: true, once: true}); }")
CHANGED = ("([t, old]) => { const e = typeof t === 'string' ? document.querySelector(t) : t; return "
           "window.benchStart && e && e.isConnected && e.textContent.trim() !== old "
           "&& performance.now() - window.benchStart; }")
SHOWN = ("([selector, text]) => [...document.querySelectorAll(selector)].some("
         "e => text === null || e.textContent.trim() === text) && performance.now()")
ANSWERED = "() => performance.getEntriesByType('navigation')[0].responseStart"
# One word each, so the search is a name search ("Da Costa" would be two words).
NAMES = [s for s in SURNAMES if len(s) >= 4 and " " not in s]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000, help="demo claims (default 1,000,000)")
    parser.add_argument("--sessions", type=int, default=20, help="coordinators in the browser (default 20)")
    parser.add_argument("--ingest", type=int, default=100_000, help="records per BPJS file (default 100,000)")
    parser.add_argument("--database", default=None,
                        help="postgresql://... (default: SQLite in a temp folder)")
    parser.add_argument("--http", action="store_true",
                        help="after logging in, request the pages over plain HTTP (no browsers here)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger().handlers[0].setLevel(logging.WARNING)  # the embedded SFTP server logs INFO lines
    with tempfile.TemporaryDirectory(prefix="santunan-web-load-") as tmp:
        return run(Path(tmp), args)


def run(tmp: Path, args: argparse.Namespace) -> int:
    settings, server = start(tmp, args.database)
    ctx = build_context(settings)
    kind = "SQLite" if settings.is_sqlite else "PostgreSQL"
    try:
        config = _config(tmp, settings)
        began = time.perf_counter()
        file_a, file_b = _setup(ctx, tmp, args)
        outbox = settings.embedded_sftp.root / "bpjs" / "outbox"
        runs_before = JobRun.select().count()
        claim_nos = [c for (c,) in Claim.select(Claim.claim_no).order_by(Claim.id).limit(2000).tuples()] \
            if args.http else None
        db.close()  # the children write; this process only reads the runs afterwards
        print(f"setup: {time.perf_counter() - began:.0f} s ({args.claims:,} claims, {kind}, "
              f"{os.cpu_count()} cores)")
        with _serving(config, tmp) as base:
            file_a.replace(outbox / file_a.name)
            alone = _finish(_job_process(config, "bpjs_pull"), time.perf_counter())
            print(f"ingest of A alone: {alone[0]:.1f} s (process, exit {alone[1]})")
            load = asyncio.run(_under_load(base, config, args.sessions, file_b, outbox, claim_nos))
        ctx.open_database()
        runs = list(JobRun.select().where(JobRun.id > runs_before, JobRun.job == "bpjs_pull")
                    .order_by(JobRun.id))
    finally:
        server.stop()
    return _report(args, kind, alone, load, runs)


def _setup(ctx, tmp: Path, args: argparse.Namespace) -> tuple[Path, Path]:
    """Demo claims, the coordinators, and files A and B written beside the outbox (moved in later)."""
    ctx.open_database()
    if not ctx.settings.is_sqlite:  # a fresh schema, so a rerun needs no cleaning by hand
        print(f"PostgreSQL: dropping every table of {ctx.settings.database} and creating them again")
        drop_all(ctx.database)
        ctx.database = init_db(ctx.settings.database)
    prepare(args.claims)
    for n in range(args.sessions):
        create_user(f"koordinator{n}", PASSWORD, Role.COORDINATOR)  # no forced change: straight in
    layout = ctx.layouts["VERIFIED_CLAIMS"]
    # One stream of 2 x --ingest records, split in two: no claim, case, KPJ or NIK in both files.
    # "KLM-WEB-": the demo's claim numbers are "KLM-<accident month>-<id>", which the records' could hit.
    stream = ({**r, "claim_no": r["claim_no"].replace("KLM-202611-", "KLM-WEB-")}
              for r in records(2 * args.ingest))
    files = []
    for name, file_id in (("BPJSTK_KLAIM_20261123_01.txt", "BPJS-WEB-A"),
                          ("BPJSTK_KLAIM_20261124_01.txt", "BPJS-WEB-B")):
        rows = islice(stream, args.ingest)
        files.append(write_file(layout, tmp / name, {**header(ctx.settings), "file_id": file_id}, rows).path)
    return files[0], files[1]


async def _under_load(base: str, config: Path, sessions: int, file_b: Path, outbox: Path,
                      http: list[str] | None = None) -> dict:
    """Log the coordinators in, then ingest B while they work; the figures in milliseconds.
    http (claim numbers to open): the browsers only log in; then each session requests the pages
    over HTTP (`_fetching`)."""
    from playwright.async_api import async_playwright

    samples: dict[str, list[float]] = {action: [] for action in ACTIONS}
    failures = dict.fromkeys(ACTIONS, 0)
    answered: dict[str, list[float]] = {action: [] for action in ACTIONS}  # page loads: the server's part
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            pages = []
            for _ in range(sessions):  # one context each: its own cookies, so its own login session
                context = await browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900})
                context.set_default_timeout(TIMEOUT_MS)
                pages.append(await context.new_page())
            logins = await asyncio.gather(*(_login(page, base, n) for n, page in enumerate(pages)))
            working = [(n, page) for n, (page, login) in enumerate(zip(pages, logins, strict=True))
                       if login is not None]
            if http:
                cookies = [await page.context.cookies() for _, page in working]
                await browser.close()
                load = await _fetching(base, config, cookies, http, file_b, outbox, samples, failures)
                return {"logins": [ms for ms in logins if ms is not None],
                        "login_failures": logins.count(None), "samples": samples, "failures": failures,
                        "answered": answered, **load}
            # One round each before the ingest, not counted: the browser's cache and the app's
            # (a person's browser is warm; the figures are the ingest's cost, not a first visit's).
            done = asyncio.Event()
            done.set()
            await asyncio.gather(*(_work(page, base, random.Random(-n), done, {a: [] for a in ACTIONS},
                                         dict.fromkeys(ACTIONS, 0), {a: [] for a in ACTIONS})
                                   for n, page in working))
            done.clear()
            file_b.replace(outbox / file_b.name)
            started = time.perf_counter()
            process = _job_process(config, "bpjs_pull")

            async def ingest() -> tuple[float, int, str]:
                try:  # _finish reads the job's output to the end (a full pipe would stop it): in a thread
                    return await asyncio.to_thread(_finish, process, started)
                finally:
                    done.set()

            under_load, *_ = await asyncio.gather(ingest(), *(
                _work(page, base, random.Random(n), done, samples, failures, answered)
                for n, page in working))
        finally:
            await browser.close()
    return {"logins": [ms for ms in logins if ms is not None], "login_failures": logins.count(None),
            "samples": samples, "failures": failures, "answered": answered, "ingest": under_load}


async def _fetching(base: str, config: Path, cookies: list, claim_nos: list[str], file_b: Path,
                    outbox: Path, samples: dict[str, list[float]], failures: dict[str, int]) -> dict:
    """--http: each logged-in session requests what its browser would load (the page's HTML, built
    by the server with its rows), timed to the last byte: the server's side of the load, with no
    browser competing for this machine's cores. The next page is a socket event: not measured."""
    import httpx

    done = asyncio.Event()

    async def session(jar: list, rnd: random.Random) -> None:
        paths = {"open the queue": lambda: "/klaim",
                 "search a surname": lambda: f"/klaim?q={rnd.choice(NAMES)}",
                 "open a claim": lambda: f"/klaim/{rnd.choice(claim_nos)}"}
        async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT_MS / 1000,
                                     cookies={c["name"]: c["value"] for c in jar}) as client:
            await asyncio.sleep(rnd.uniform(0, 1.0))
            while not done.is_set():
                for action, path in paths.items():
                    began = time.perf_counter()
                    try:
                        answer = await client.get(path())
                        ok = answer.status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    samples[action].append((time.perf_counter() - began) * 1000)
                    failures[action] += 0 if ok else 1
                    await asyncio.sleep(rnd.uniform(0.5, 1.0))

    file_b.replace(outbox / file_b.name)
    started = time.perf_counter()
    process = _job_process(config, "bpjs_pull")

    async def ingest() -> tuple[float, int, str]:
        try:
            return await asyncio.to_thread(_finish, process, started)
        finally:
            done.set()

    under_load, *_ = await asyncio.gather(ingest(), *(session(jar, random.Random(n))
                                                      for n, jar in enumerate(cookies)))
    return {"ingest": under_load}


async def _login(page, base: str, n: int) -> float | None:
    """Milliseconds from pressing "Masuk" until the dashboard shows; None when it failed."""
    from playwright.async_api import Error

    try:
        await page.goto(f"{base}/login")
        await page.get_by_label("Nama pengguna").fill(f"koordinator{n}")
        await page.get_by_label("Kata sandi").fill(PASSWORD)
        began = time.perf_counter()
        await page.get_by_role("button", name="Masuk").click()
        await page.wait_for_url(lambda url: "/login" not in url)  # past /login/selesai too
        await page.locator(".q-page").first.wait_for()
        return (time.perf_counter() - began) * 1000
    except Error as exc:
        print(f"  koordinator{n}: login failed ({str(exc).splitlines()[0]})")
        return None


async def _work(page, base: str, rnd: random.Random, done: asyncio.Event, samples: dict[str, list[float]],
                failures: dict[str, int], answered: dict[str, list[float]]) -> None:
    """One coordinator: queue, next page, a surname, a claim; again until the ingest ends (one round
    at least, so every action has figures even when the ingest is short)."""
    from playwright.async_api import Error

    rows = page.locator(ROWS)
    matching = page.get_by_text(MATCHING)

    async def timed(action: str, step) -> bool:
        began = time.perf_counter()
        try:
            samples[action].append(await step())
        except Error as exc:  # a timeout or a page that broke: counted, the round starts again
            samples[action].append(max(time.perf_counter() - began, TIMEOUT_MS / 1000) * 1000)
            failures[action] += 1
            if failures[action] <= 3:
                print(f"  {action}: {str(exc).splitlines()[0][:160]}")
            return False
        return True

    async def until(script: str, arg: object) -> float:
        found = await page.wait_for_function(script, arg=arg, polling="raf", timeout=TIMEOUT_MS)
        return float(await found.json_value())

    async def loaded(action: str, script: str, arg: object) -> float:
        shown = await until(script, arg)
        answered[action].append(float(await page.evaluate(ANSWERED)))
        return shown

    async def open_queue() -> float:
        await page.goto(f"{base}/klaim", wait_until="commit")
        return await loaded("open the queue", SHOWN, [ROWS, None])

    async def next_page() -> float:
        first = (await rows.first.text_content() or "").strip()
        await page.evaluate(ARM)
        # Quasar's table bottom: rows per page, "1-25 dari N", then the previous and next buttons.
        await page.locator(".q-table__bottom button").last.click()
        return await until(CHANGED, [ROWS, first])  # the rows are new elements: found by selector

    async def search() -> float:
        count = await matching.element_handle()  # the same element gets the new count
        before = (await count.text_content() or "").strip()  # the whole queue's; a surname matches fewer
        box = page.get_by_label("Cari")
        await box.fill(rnd.choice(NAMES))
        await page.evaluate(ARM)
        await box.press("Enter")
        return await until(CHANGED, [count, before])

    async def open_claim() -> float:
        link = rnd.choice(await rows.all())
        claim_no = (await link.inner_text()).strip()
        await link.click()
        await page.wait_for_url(f"**/klaim/{claim_no}", wait_until="commit")
        # the page's title (ui/frame.py): "Klaim KLM-..."
        return await loaded("open a claim", SHOWN, [".text-h5", f"Klaim {claim_no}"])

    steps = dict(zip(ACTIONS, (open_queue, next_page, search, open_claim), strict=True))
    rounds = 0
    await asyncio.sleep(rnd.uniform(0, 1.0))  # people do not click in step with each other
    while not done.is_set() or rounds == 0:
        for action, step in steps.items():
            if done.is_set() and rounds > 0:
                break
            if not await timed(action, step):
                break
            await asyncio.sleep(rnd.uniform(0.5, 1.0))  # a person reads before the next click
        rounds += 1


def _report(args: argparse.Namespace, kind: str, alone: tuple, load: dict, runs: list[JobRun]) -> int:
    print(f"\n{args.claims:,} claims ({kind}), {args.sessions} coordinators, files of {args.ingest:,} "
          f"records, {os.cpu_count()} cores")
    missed = []
    logins = load["logins"]
    if logins:
        report(f"login, all at once ({len(logins)}; no goal)", logins)
    if load["login_failures"]:
        print(f"  logins failed: {load['login_failures']}")
        missed.append("every coordinator logs in")
    print(f"{'action':52} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for action in ACTIONS:
        taken, failed = load["samples"][action], load["failures"][action]
        name = f"{action} ({len(taken)}, {failed} failed)"
        if not taken and args.http and action == "next page":
            print(f"{name:52} not measured (a socket event, not a request)")
            continue
        if not taken:
            print(f"{name:52} no figures  MISSED")
            missed.append(action)
            continue
        report(name, taken, ACTION_TARGET_MS)
        if load["answered"][action]:  # the rest of a page load is the browser starting the page
            report("  of which the server's answer (to first byte)", load["answered"][action])
        if p95(taken) > ACTION_TARGET_MS:
            missed.append(action)
    missed += _ingest_report(alone, load["ingest"], runs)
    print("goals: " + ("all met" if not missed else "MISSED: " + ", ".join(missed)))
    return 1 if missed else 0


def _ingest_report(alone: tuple, under_load: tuple, runs: list[JobRun]) -> list[str]:
    """The two bpjs_pull runs, A alone then B under load: their recorded durations and counts."""
    for label, (_, code, tail) in (("A alone", alone), ("B under load", under_load)):
        if code:
            print(f"  ingest of {label}: exit {code}: {tail}")
    if len(runs) != 2 or any(r.outcome != "SUCCEEDED" for r in runs) or alone[1] or under_load[1]:
        print(f"  ingest runs recorded: {[(r.id, r.outcome, r.error) for r in runs]}")
        return ["both ingests succeed"]
    took = [(r.finished_at - r.started_at).total_seconds() for r in runs]
    for label, seconds, (wall, _, _), r in zip(("A alone", "B under load"), took, (alone, under_load), runs,
                                               strict=True):
        print(f"ingest of {label:14} {seconds:7.1f} s run ({wall:.1f} s process), "
              f"counts {json.loads(r.counts)}")
    ratio = took[1] / took[0]
    verdict = "ok" if ratio <= INGEST_TARGET else "MISSED"
    print(f"ingest under load / alone: {ratio:.2f}x  {verdict} (target <= {INGEST_TARGET}x)")
    return [] if ratio <= INGEST_TARGET else ["ingest under load <= 1.5x alone"]


if __name__ == "__main__":
    sys.exit(main())
