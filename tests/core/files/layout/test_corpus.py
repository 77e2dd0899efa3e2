"""The corpus of hand-made malformed files: each gives the error written in expected.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from core.files.layout import FileRejected, Layouts, Record, check_file, read_records
from tests.core.files.layout.builders import HEADER, HERE, TODAY

CORPUS = HERE / "corpus"
EXPECTED: dict[str, dict] = yaml.safe_load((CORPUS / "expected.yaml").read_text())


def test_every_corpus_file_has_an_expectation_and_there_are_enough() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.name != "expected.yaml"}

    assert files == set(EXPECTED)
    assert len(files) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_gives_the_expected_error(layouts: Layouts, name: str) -> None:
    expected = EXPECTED[name]
    layout = layouts[expected.get("layout", "VERIFIED_CLAIMS")]
    kwargs = {"expected_sender": expected.get("sender", "BPJSTK"), "expected_receiver": "PEMPROV_NTT",
              "today": TODAY}
    path = CORPUS / name

    if "rejected" in expected:
        with pytest.raises(FileRejected) as caught:
            check_file(layout, path, **kwargs)
        assert (caught.value.code, caught.value.line_no) == (expected["rejected"], expected.get("line"))
        assert caught.value.file == name and caught.value.reason
        return
    check = check_file(layout, path, **kwargs)
    assert [[e.line_no, e.field, e.code] for e in check.errors] == expected["errors"]
    assert all(e.message and e.file == name for e in check.errors)
    good = [i for i in read_records(layout, path, **kwargs) if isinstance(i, Record)]
    assert len(good) == check.good_records == check.detail_count - check.bad_records > 0


def test_a_10_mb_single_line_is_rejected_at_the_byte_limit(layouts: Layouts, tmp_path: Path) -> None:
    path = tmp_path / "BPJSTK_KLAIM_20250903_01.txt"
    with open(path, "wb") as f:
        f.write(b"H|VERIFIED_CLAIMS|" + b"X" * (10 * 1024 * 1024))

    with pytest.raises(FileRejected) as caught:
        check_file(layouts["VERIFIED_CLAIMS"], path, expected_sender="BPJSTK",
                   expected_receiver="PEMPROV_NTT",
                   today=TODAY)

    assert (caught.value.code, caught.value.line_no) == ("line_too_long", 1)


def test_a_10_mb_detail_line_is_rejected_too(layouts: Layouts, tmp_path: Path) -> None:
    path = tmp_path / "BPJSTK_KLAIM_20250903_01.txt"
    path.write_bytes(HEADER.encode() + b"\nD|" + b"A|" * (5 * 1024 * 1024) + b"\nT|1|0\n")

    with pytest.raises(FileRejected) as caught:
        check_file(layouts["VERIFIED_CLAIMS"], path, expected_sender="BPJSTK",
                   expected_receiver="PEMPROV_NTT",
                   today=TODAY)

    assert (caught.value.code, caught.value.line_no) == ("line_too_long", 2)
