"""`users add NAME --role ROLE`: password from standard input (never from the command line)."""

from __future__ import annotations

import argparse
import getpass
import sys

from core.context import AppContext
from core.users import UserError, create_user
from models import Role


def register(sub: argparse._SubParsersAction) -> None:
    users = sub.add_parser("users", help="kelola pengguna / manage users")
    users_sub = users.add_subparsers(dest="users_command", metavar="SUBCOMMAND", required=True)
    add = users_sub.add_parser("add", help="buat pengguna; kata sandi dibaca dari stdin / "
                               "create a user; password read from standard input")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=Role.ALL)
    add.add_argument("--full-name", default="")
    add.set_defaults(handler=add_user)


def add_user(args: argparse.Namespace, ctx: AppContext) -> int:
    password = _read_password()
    ctx.open_database()
    try:
        user = create_user(args.name, password, args.role, full_name=args.full_name,
                           created_by="cli")
    except UserError as exc:
        print(f"Pengguna tidak dibuat / user not created: {exc}", file=sys.stderr)
        return 1
    print(f"Pengguna '{user.username}' dibuat dengan peran {user.role} / user created")
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Kata sandi / password: ")
        if getpass.getpass("Ulangi / repeat: ") != first:
            print("Kata sandi tidak sama / passwords differ", file=sys.stderr)
            raise SystemExit(1)
        return first
    return sys.stdin.readline().rstrip("\r\n")
