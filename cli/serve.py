"""`serve` (also: no command): the web app, the scheduler and the embedded SFTP server.

On an empty database with `seed_demo_data` on (the default), it fills the demo data and
creates an `admin` user whose one-time password is written once to FIRST_ADMIN_FILE in
work_dir (mode 0600, readable by the operator only) and must be changed at first login. The
console says where the file is, never the password: a service log is read by more people
than the operator, and kept longer. That is said in one block (`announcement`) printed once
everything has started, after the services' own lines, so that it is the last thing on the
terminal; library loggers speak only from WARNING up (issue 17: a quiet first start). The
background services start in the web app's startup hook (APScheduler needs the running event
loop) and stop in its shutdown hook.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import socket
import sys
from pathlib import Path

from core.claims.payment_duty import PaymentDuty
from core.context import AppContext
from core.users import create_user, one_time_password, password_problem
from demo.embedded import schedule_demo_partners, start_embedded_sftp, stop_embedded_sftp
from jobs.scheduler import start_scheduler, stop_scheduler
from models import Claim, Role, User

log = logging.getLogger(__name__)
SECRET_FILE = "session_secret"
FIRST_ADMIN_FILE = "first-admin-password.txt"


def register(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser("serve", help="aplikasi web, penjadwal dan server SFTP bawaan / "
                           "web app, scheduler and embedded SFTP server")
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace, ctx: AppContext) -> int:
    from nicegui import app, ui

    from ui.app import build

    web = ctx.settings.web
    if not port_free(web.host, web.port):  # before anything starts: one clear line, exit 2
        print(busy_port_message(web.host, web.port), file=sys.stderr)
        return 2
    quiet_libraries()
    ctx.open_database()
    password_file = seed_if_empty(ctx) if ctx.settings.seed_demo_data else None
    build(ctx)

    async def started() -> None:
        await start_background(ctx)
        print(announcement(ctx, password_file), flush=True)

    app.on_startup(started)
    app.on_shutdown(lambda: stop_background(ctx))
    ui.run(host=web.host, port=web.port, reload=False, show=False, title="Santunan NTT", language="id",
           favicon="🌾", storage_secret=session_secret(ctx), show_welcome_message=False,
           uvicorn_logging_level="warning",
           # `web.https`: the session cookie is sent over HTTPS only (Secure), never in clear text
           session_middleware_kwargs={"max_age": None, "same_site": "lax", "https_only": web.https})
    return 0


# Libraries that talk at INFO on a terminal (issue 17): a newcomer needs the address and the
# first admin password's file, not uvicorn's and paramiko's chatter. Their warnings still show.
NOISY_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "nicegui", "apscheduler", "paramiko",
                 "httpx", "watchfiles", "engineio", "socketio", "peewee", "multipart", "asyncio")


def quiet_libraries() -> None:
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def port_free(host: str, port: int) -> bool:
    """True when `host:port` can be listened on now (nothing else holds it)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT is free
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def busy_port_message(host: str, port: int) -> str:
    """The one line `serve` prints when its port is taken: which port, and the key to change."""
    return (f"Port {port} di {host} sudah dipakai program lain: hentikan program itu atau ganti web.port "
            f"di berkas konfigurasi (--config) / Port {port} on {host} is already in use: stop that "
            f"program or change web.port in the configuration file (--config)")


async def start_background(ctx: AppContext) -> None:
    """The embedded partners' SFTP server (when enabled) first, then the scheduler, then the demo
    partners' own tasks on it (with `embedded_sftp.simulate`)."""
    await start_embedded_sftp(ctx)
    start_scheduler(ctx)
    schedule_demo_partners(ctx)


async def stop_background(ctx: AppContext) -> None:
    """Stop what start_background started: the scheduler first, so that no job starts on a dead server."""
    stop_scheduler(ctx)
    await stop_embedded_sftp(ctx)


def session_secret(ctx: AppContext) -> str:
    """The configured secret (`env:NAME`), else one generated once and kept in work_dir (mode 0600)."""
    if ctx.settings.web.session_secret:
        return ctx.settings.web.session_secret
    path = Path(ctx.settings.work_dir) / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    secret = secrets.token_urlsafe(48)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process wrote it first: use theirs
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secret)
    log.info("kunci sesi baru dibuat di %s / new session secret written", path)
    return secret


def seed_if_empty(ctx: AppContext) -> Path | None:
    """Demo claims and an `admin` with a one-time password, on a database with no claims and no users;
    returns the file holding that password (None when the database was not empty)."""
    if Claim.select().exists() or User.select().exists():
        return None
    from demo.data import generate
    from demo.roster import seed_roster

    written = generate(ctx.settings.demo_claims, seed=1, reference=ctx.reference,
                       approval_threshold=ctx.settings.approval_threshold,
                       duty=PaymentDuty.of(ctx.settings, ctx.reference),
                       programme_start=ctx.settings.programme_start)
    log.info("data demo: %d klaim dibuat / demo claims written", written)
    seed_roster(ctx.reference)  # the demo workers' roster and sosialisasi (section 8)
    password = one_time_password()
    while password_problem(password, "admin"):  # random, so practically never; but never refused
        password = one_time_password()
    create_user("admin", password, Role.ADMIN, full_name="Administrator", created_by="serve",
                must_change_password=True)
    return write_private(Path(ctx.settings.work_dir) / FIRST_ADMIN_FILE, password + "\n")


def announcement(ctx: AppContext, password_file: Path | None) -> str:
    """What `serve` prints once started: the address, and on a first start where the first admin's
    one-time password is (never the password itself)."""
    web = ctx.settings.web
    host = "localhost" if web.host in ("0.0.0.0", "::", "") else web.host
    address = f"{'https' if web.https else 'http'}://{host}:{web.port}/login"
    if password_file is None:
        return f"Santunan NTT berjalan: buka {address} / Santunan NTT is running: open {address}"
    rule = "=" * 72
    return "\n".join([
        "", rule,
        "Santunan NTT berjalan / is running",
        f"  Buka / open: {address}",
        "  Pengguna 'admin' dibuat; kata sandi sekali pakainya ada di berkas (hanya untuk operator) /",
        "  user 'admin' created; its one-time password is in the file (operator only):",
        f"  {password_file}",
        "  Wajib diganti saat pertama masuk; hapus berkas sesudahnya /",
        "  must be changed at first login; delete the file afterwards",
        rule, ""])


def write_private(path: Path, text: str) -> Path:
    """Write `text` to `path` readable by this OS user only (0600), replacing any older file."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)
    return path
