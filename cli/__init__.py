"""Command-line dispatch. Each command module exposes `register(subparsers)`; its parser sets
`handler(args, ctx) -> int`. Usage errors exit 2 with a usage line, never a traceback."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping, Sequence

from cli import (
    check,
    claims,
    demo,
    documents,
    jobs,
    outreach,
    report,
    roster,
    serve,
    simulate,
    statement,
    users,
)
from core.context import build_context
from core.settings import ConfigError, load_settings
from desk.views.jobs import file_types, job_ids, partner_ids

COMMANDS = (serve, jobs, claims, users, demo, simulate, check, documents, report, roster, outreach,
            statement)
# Files the app creates (database, staging, quarantine, keys, secrets) are 0600 and its folders
# 0700: they hold NIKs, account numbers and credentials that no other OS user may read. Files
# meant for another user (the demo partners' drops for a real sshd) are chmod-ed where written.
PRIVATE_UMASK = 0o077


class ArgumentParser(argparse.ArgumentParser):
    """argparse that says what is wrong and what to do, in one line plus usage, exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: kesalahan / error: {message}\n"
                     f"Lihat / see: {self.prog} --help\n")


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(prog="run.py", description="Santunan NTT: meja pembayaran santunan "
                            "BPJS Ketenagakerjaan / payout desk for BPJS work-accident benefits")
    parser.add_argument("--config", metavar="PATH",
                        help="YAML file merged over config/defaults.yaml (or SANTUNAN_CONFIG)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str], environ: Mapping[str, str]) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv) or ["serve"])
    if args.command is None:
        args = parser.parse_args([*argv, "serve"])
    if not environ.get("NICEGUI_USER_SIMULATION"):  # not inside pytest's own process (the `user` fixture)
        os.umask(PRIVATE_UMASK)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        # The configuration must name the registry's partners and jobs, and the layouts hold its
        # file types: checked at start, before anything runs (core does not import jobs).
        settings = load_settings(args.config, environ, partners=partner_ids(), jobs=job_ids())
        ctx = build_context(settings, file_types=file_types())
    except ConfigError as exc:
        print(f"Konfigurasi salah / bad configuration: {exc}", file=sys.stderr)
        return 2
    return args.handler(args, ctx)
