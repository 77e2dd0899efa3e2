import dataclasses
import logging
import stat

from cli.serve import FIRST_ADMIN_FILE, announcement, quiet_libraries, seed_if_empty, session_secret
from core.context import AppContext
from core.users import authenticate, create_user
from models import Claim, User


def context(settings, reference, **web) -> AppContext:
    if web:
        settings = dataclasses.replace(settings, web=dataclasses.replace(settings.web, **web))
    return AppContext(settings=settings, reference=reference, layouts=None)


def test_session_secret_is_generated_once_and_kept_private(settings, reference):
    ctx = context(settings, reference)
    first = session_secret(ctx)
    path = settings.work_dir / "session_secret"
    assert len(first) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert session_secret(ctx) == first


def test_configured_session_secret_wins(settings, reference):
    ctx = context(settings, reference, session_secret="dari-lingkungan-env")
    assert session_secret(ctx) == "dari-lingkungan-env"
    assert not (settings.work_dir / "session_secret").exists()


def test_empty_database_gets_demo_claims_and_an_admin_with_a_one_time_password(settings, reference, database,
                                                                                capsys):
    ctx = context(dataclasses.replace(settings, demo_claims=60), reference)
    path = seed_if_empty(ctx)
    assert path == settings.work_dir / FIRST_ADMIN_FILE
    password = path.read_text(encoding="utf-8").strip()
    admin = User.get(User.username == "admin")
    assert admin.role == "admin" and admin.must_change_password
    assert authenticate("admin", password).ok
    assert Claim.select().count() >= 60
    assert seed_if_empty(ctx) is None  # not empty any more: nothing happens
    assert User.select().count() == 1
    assert capsys.readouterr().out == ""  # the one block is printed once everything has started


def test_a_first_start_says_in_one_block_where_to_open_and_where_the_password_is(settings, reference):
    ctx = context(settings, reference, host="0.0.0.0", port=8099)
    path = settings.work_dir / FIRST_ADMIN_FILE
    block = announcement(ctx, path)
    assert "http://localhost:8099/login" in block and str(path) in block
    assert block.index("kata sandi sekali pakai") < block.index("one-time password") < block.index(str(path))
    later = announcement(ctx, None)  # a later start: one line with the address
    assert later.count("\n") == 0 and "http://localhost:8099/login" in later


def test_library_loggers_speak_only_from_warning_up():
    quiet_libraries()
    for name in ("uvicorn", "uvicorn.access", "nicegui", "apscheduler", "paramiko", "peewee.migrations"):
        assert logging.getLogger(name).getEffectiveLevel() == logging.WARNING, name


def test_first_admin_password_is_in_a_private_file_and_never_on_the_console_or_in_the_log(
        settings, reference, database, capsys, caplog):
    """The attack: the one-time admin password was printed to the service log, which more people
    read (and keep longer) than the operator who starts the app."""
    seed_if_empty(context(dataclasses.replace(settings, demo_claims=20), reference))
    path = settings.work_dir / FIRST_ADMIN_FILE
    password = path.read_text(encoding="utf-8").strip()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(password) >= 16
    assert password not in capsys.readouterr().out + caplog.text


def test_database_with_users_is_not_seeded(settings, reference, database, capsys):
    create_user("koordinator", "kupang-rahasia-2026", "coordinator")
    seed_if_empty(context(settings, reference))
    assert Claim.select().count() == 0
    assert capsys.readouterr().out == ""


def test_serve_on_a_busy_port_exits_2_naming_the_port_and_web_port(settings, reference, capsys):
    import argparse
    import socket

    from cli.serve import run_serve

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        ctx = context(settings, reference, host="127.0.0.1", port=port)
        assert run_serve(argparse.Namespace(), ctx) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith(f"Port {port} di 127.0.0.1 sudah dipakai") and "web.port" in err
