"""Amounts in words, as Indonesian documents write them beside the figures.

A payout document states each total twice, `Rp 12.500.000` and `dua belas juta lima ratus
ribu rupiah`, so that a figure changed by hand no longer matches its words. The words come
from `num2words` (language `id`), not a hand-written table: thousands (`seribu`), hundreds
(`seratus`) and the teens (`sebelas`) follow their own rules, and a library already has them right.
"""

from __future__ import annotations

from num2words import num2words


def rupiah_words(amount: int) -> str:
    """`dua belas juta lima ratus ribu rupiah` for 12500000 (whole Rupiah; `minus ...` below zero)."""
    value = int(amount)
    words = num2words(abs(value), lang="id")
    return f"{'minus ' if value < 0 else ''}{words} rupiah"
