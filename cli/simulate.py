"""`simulate bpjs|bank`: the demo partners drop files on the embedded SFTP server's folders."""

from __future__ import annotations

import argparse

from core.context import AppContext
from demo.simulate import partner_folder
from demo.simulate.bank import answer_instructions
from demo.simulate.bpjs import drop_verified_claims


def register(sub: argparse._SubParsersAction) -> None:
    simulate = sub.add_parser("simulate", help="mitra demo di server SFTP bawaan / demo partners on the "
                                               "embedded SFTP server")
    partners = simulate.add_subparsers(dest="partner", metavar="PARTNER", required=True)
    bpjs = partners.add_parser("bpjs", help="BPJS mengirim berkas VERIFIED_CLAIMS / BPJS drops a "
                                            "VERIFIED_CLAIMS file")
    bpjs.add_argument("--claims", type=_count, default=40, metavar="N", help="jumlah klaim / claims (40)")
    bpjs.add_argument("--bad", type=_count_or_zero, default=None, metavar="N",
                      help="record rusak / bad records (default: 1 per 25)")
    bpjs.add_argument("--seed", type=int, default=None, metavar="S")
    bpjs.set_defaults(handler=simulate_bpjs)
    bank = partners.add_parser("bank", help="Bank NTT menjawab setiap PAYOUT_INSTRUCTION / Bank NTT answers "
                                            "every PAYOUT_INSTRUCTION")
    bank.add_argument("--fail-rate", type=_rate, default=0.05, metavar="R", help="0..1 (0.05)")
    bank.add_argument("--return-rate", type=_rate, default=0.02, metavar="R",
                      help="kredit lama yang kembali / earlier credits returned, 0..1 (0.02)")
    bank.add_argument("--seed", type=int, default=None, metavar="S")
    bank.set_defaults(handler=simulate_bank)


def simulate_bpjs(args: argparse.Namespace, ctx: AppContext) -> int:
    folder = partner_folder(ctx.settings, "bpjs", "outbox")
    dropped = drop_verified_claims(ctx.settings, ctx.layouts["VERIFIED_CLAIMS"], ctx.reference, folder=folder,
                                   claims=args.claims, bad_records=args.bad, seed=args.seed)
    print(f"BPJS (demo): {dropped.path} berisi {dropped.records} klaim ({dropped.bad_records} record rusak, "
          f"{dropped.revisions} revisi)")
    return 0


def simulate_bank(args: argparse.Namespace, ctx: AppContext) -> int:
    answered = answer_instructions(ctx.settings, ctx.layouts, inbox=partner_folder(ctx.settings, "bank",
                                                                                   "inbox"),
                                   outbox=partner_folder(ctx.settings, "bank",
                                                         "outbox"), fail_rate=args.fail_rate,
                                   return_rate=args.return_rate, seed=args.seed)
    if not answered.result_files:
        print("Bank NTT (demo): tidak ada instruksi baru di inbox")
        return 0
    print(f"Bank NTT (demo): {len(answered.instruction_files)} berkas instruksi dijawab dengan "
          f"{len(answered.result_files)} berkas hasil: {answered.success} berhasil, {answered.failed} gagal, "
          f"{answered.returned} dikembalikan")
    for path in answered.result_files:
        print(f"  {path}")
    return 0


def _count(value: str) -> int:
    number = _count_or_zero(value)
    if number == 0:
        raise argparse.ArgumentTypeError("harus lebih dari 0 / must be greater than 0")
    return number


def _count_or_zero(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"harus bilangan bulat / must be a whole number: {value!r}") \
            from None
    if number < 0:
        raise argparse.ArgumentTypeError("tidak boleh negatif / must not be negative")
    return number


def _rate(value: str) -> float:
    try:
        rate = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"harus angka 0..1 / must be a number 0..1: {value!r}") from None
    if not 0 <= rate <= 1:
        raise argparse.ArgumentTypeError("harus antara 0 dan 1 / must be between 0 and 1")
    return rate
