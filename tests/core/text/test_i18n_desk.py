import re
import string

import pytest

from core.settings import PROJECT_ROOT
from core.text.i18n import MESSAGES
from core.text.i18n_desk import CAUSES, DESK_MESSAGES
from jobs.sftp.errors import CAUSES as SFTP_CAUSES

DESK_FILES = ["ui/components/desk.py", "ui/components/run_watch.py", "ui/pages/jobs.py", "ui/pages/runs.py",
              "ui/pages/files.py", "ui/pages/batches.py", "ui/pages/alerts.py", "ui/pages/audit_log.py",
              "ui/pages/users.py", "desk/acting.py", "desk/jobs.py", "desk/files.py", "desk/alerts.py",
              "desk/users.py"]
ONE_PER_LANGUAGE = {"users.error.refused"}  # carries core.users' message, already written in each language
KEY = re.compile(r"""(?:\bt|session\.t|\.t|Refused)\(\s*["']([a-z_]+\.[a-z_.]+)["']""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_desk_messages_are_merged_into_the_catalogue():
    assert all(MESSAGES[key] == value for key, value in DESK_MESSAGES.items())


@pytest.mark.parametrize("key", sorted(DESK_MESSAGES))
def test_each_message_has_both_languages_with_the_same_placeholders(key):
    indonesian, english = DESK_MESSAGES[key]
    assert indonesian.strip() and english.strip()
    assert _fields(indonesian) == _fields(english) or key in ONE_PER_LANGUAGE


def test_every_key_the_desk_code_uses_exists():
    sources = [(PROJECT_ROOT / path).read_text(encoding="utf-8") for path in DESK_FILES]
    used = {key for source in sources for key in KEY.findall(source)}
    assert used, "the pattern found no key at all"
    assert sorted(key for key in used if key not in MESSAGES) == []


def test_every_sftp_failure_cause_has_a_label_and_advice():
    missing = {cause for cause in SFTP_CAUSES | {"file_rejected", "internal", "interrupted", "database"}
               if cause not in CAUSES and cause not in {"refused"}}
    assert missing == set()
