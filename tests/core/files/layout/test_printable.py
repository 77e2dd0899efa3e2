"""Free text is printable: control characters and Unicode bidirectional controls make a record bad."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.files.layout import BadValue, Layout, Record, RecordError, read_records, write_file
from core.files.layout.fields import OptionError, TextField
from tests.core.files.layout.builders import BPJS, claim_line, write_claims

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "Yohanes \u202eNdun" shows as "Yohanes nudN"


@pytest.mark.parametrize("hidden", [RLO, "\u202a", "\u2066", "\u2069", "\x07", "\x85"])
def test_a_worker_name_with_a_bidi_or_control_character_makes_the_record_bad(
        claims_layout: Layout, tmp_path: Path, hidden: str) -> None:
    path = write_claims(tmp_path, [claim_line(1), claim_line(2, worker_name=f"Yohanes {hidden}Ndun")])

    items = list(read_records(claims_layout, path, **BPJS))

    good = [i.values["claim_no"] for i in items if isinstance(i, Record)]
    errors = [i for i in items if isinstance(i, RecordError)]
    assert good == ["JKK-2025-000001"]
    assert [(e.line_no, e.field, e.code) for e in errors] == [(3, "worker_name", "not_printable")]
    assert f"U+{ord(hidden):04X}" in errors[0].message and "teks harus dapat dicetak" in errors[0].message
    assert "kolom worker_name" in str(errors[0])


def test_bidi_in_a_field_with_its_own_characters_is_named_too(claims_layout: Layout, tmp_path: Path) -> None:
    path = write_claims(tmp_path, [claim_line(1, claim_no=f"JKK-2025{RLO}-1")])

    errors = [i for i in read_records(claims_layout, path, **BPJS) if isinstance(i, RecordError)]

    assert [(e.field, e.code) for e in errors] == [("claim_no", "not_printable")]


def test_the_writer_refuses_a_bidi_character(layouts, tmp_path: Path) -> None:
    layout = layouts["PAYOUT_INSTRUCTION"]
    header = {"file_id": "B000001", "sender": "PEMPROV_NTT", "receiver": "BANKNTT",
              "source_account": "0011223344",
              "created_at": dt.datetime(2025, 9, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))}
    record = {"instruction_id": "B000001-000001", "claim_no": "JKK-1", "beneficiary_name": f"Ana{RLO}",
              "bank_code": "130", "account_no": "0012345678", "amount": 5, "currency": "IDR", "remark": "R"}

    with pytest.raises(BadValue) as caught:
        write_file(layout, tmp_path / "NTTPAY_20250903_B000001.txt", header, [record])

    assert caught.value.field == "beneficiary_name"


def test_a_layout_whose_chars_allow_a_bidi_character_is_refused() -> None:
    with pytest.raises(OptionError):
        TextField(name="note", max_length=10, chars="\u2020-\u2070", delimiter="|")
