"""`users add NAME --role ROLE [--kabupaten CODE[,CODE...]]`: password from standard input (never from the
command line).

The user must choose a new password at the first login (contract section 5): the one typed here is
a first password, handed over. `--kabupaten` makes a kabupaten desk (section 8): the codes are
checked against config/reference.yaml's 22 kabupaten/kota, and the account and its desk are written
in one transaction, so the account never exists for a moment with the whole province.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from core.context import AppContext
from core.db import write_tx
from core.users import UserError, create_user
from desk.refusal import Refused
from desk.scope import desk_label, parse_codes
from desk.users import store_desk
from models import Role


def register(sub: argparse._SubParsersAction) -> None:
    users = sub.add_parser("users", help="kelola pengguna / manage users")
    users_sub = users.add_subparsers(dest="users_command", metavar="SUBCOMMAND", required=True)
    add = users_sub.add_parser("add", help="buat pengguna; kata sandi dibaca dari stdin / "
                               "create a user; password read from standard input")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=Role.ALL)
    add.add_argument("--full-name", default="")
    add.add_argument("--kabupaten", default=None, metavar="CODE[,CODE...]",
                     help="hanya kabupaten/kota ini / these kabupaten/kota only (e.g. 5301,5371)")
    add.set_defaults(handler=add_user)


def add_user(args: argparse.Namespace, ctx: AppContext) -> int:
    try:  # checked before the password is read: a typo in a code costs nothing
        codes = parse_codes(args.kabupaten, ctx.reference.codes("kabupaten")) if args.kabupaten is not None \
            else None
        if args.kabupaten is not None and codes is None:
            raise Refused("scope.unknown_codes", codes=repr(args.kabupaten))
    except Refused as exc:
        print(f"Pengguna tidak dibuat: {exc.message('id')} / user not created: {exc.message('en')}",
              file=sys.stderr)
        return 1
    password = _read_password()
    ctx.open_database()
    try:
        with write_tx():
            user = create_user(args.name, password, args.role, full_name=args.full_name, created_by="cli",
                               must_change_password=True)
            if codes is not None:
                store_desk(user, codes, "cli")
    except UserError as exc:
        print(f"Pengguna tidak dibuat / user not created: {exc}", file=sys.stderr)
        return 1
    desk = desk_label(codes, ctx.reference)
    print(f"Pengguna '{user.username}' dibuat dengan peran {user.role}, meja: {desk}; kata sandi harus "
          f"diganti saat masuk pertama / user created; the password must be changed at the first login")
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Kata sandi / password: ")
        if getpass.getpass("Ulangi / repeat: ") != first:
            print("Kata sandi tidak sama / passwords differ", file=sys.stderr)
            raise SystemExit(1)
        return first
    return sys.stdin.readline().rstrip("\r\n")
