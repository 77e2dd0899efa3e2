"""Amounts in words as Indonesian documents write them (contract section 9)."""

import pytest

from core.text.words import rupiah_words


@pytest.mark.parametrize(("amount", "words"), [
    (12_500_000, "dua belas juta lima ratus ribu rupiah"),
    (1_000, "seribu rupiah"),
    (111, "seratus sebelas rupiah"),
    (42_000_000, "empat puluh dua juta rupiah"),
    (0, "nol rupiah"),
])
def test_amounts_are_written_in_indonesian_words_with_rupiah(amount, words):
    assert rupiah_words(amount) == words
