import re
import string
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from core.text import i18n
from desk.claims import CLAIM_ACTIONS, EVENT_ACTION
from models import Role

LITERAL_KEY = re.compile(r"""\bt\(\s*"([a-z_]+(?:\.[A-Za-z_]+)+)"  # t("nav.claims"
                         |Refused\(\s*"([a-z_.]+)"  # Refused("action.error.changed"
                         |"(action\.skip\.[a-z_]+)\"""", re.VERBOSE)
# every module of every layer (the screens live in ui/pages and ui/components)
SOURCES = [path for layer in ("ui", "cli", "desk", "jobs", "core")
           for path in Path(PROJECT_ROOT, layer).rglob("*.py")]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_exists_in_both_languages_with_the_same_placeholders():
    for key, (indonesian, english) in i18n.MESSAGES.items():
        assert indonesian.strip() and english.strip(), key
        if (placeholders(indonesian), placeholders(english)) == ({"indonesian"}, {"english"}):
            continue  # a message passed in whole, one text per language (e.g. core.users errors)
        assert placeholders(indonesian) == placeholders(english), key


def test_every_key_written_in_the_code_exists():
    used = {m for path in SOURCES for groups in LITERAL_KEY.findall(path.read_text()) for m in groups if m}
    assert used, "the pattern found no keys: it is out of date"
    assert used - set(i18n.MESSAGES) == set()


def test_keys_built_from_codes_exist():
    keys = {f"action.{a}" for a in CLAIM_ACTIONS} | {f"action.help.{a}" for a in CLAIM_ACTIONS}
    keys |= {f"role.{r}" for r in Role.ALL}
    keys |= {f"event.{e}" for e in EVENT_ACTION.values()}
    keys |= {f"outcome.{o}" for o in ("RUNNING", "SUCCEEDED", "SUCCEEDED_WITH_WARNINGS", "FAILED")}
    keys |= {f"result.{r}" for r in ("SENT", "SUCCESS", "FAILED", "RETURNED")}
    assert keys - set(i18n.MESSAGES) == set()


def test_amounts_become_rupiah_and_roles_their_labels():
    text = i18n.t("action.error.too_many", count=25000, total=1_500_000_000, limit=20000)
    assert "25.000 klaim (Rp 1.500.000.000)" in text and "20.000" in text
    assert "Supervisor" in i18n.t("error.permission_denied", "en", role="viewer", needed="supervisor")
    assert "Viewer" in i18n.t("error.permission_denied", "en", role="viewer", needed="supervisor")


def test_unknown_key_is_an_error():
    with pytest.raises(KeyError):
        i18n.t("no.such.key")
