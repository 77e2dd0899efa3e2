import re
import string

import pytest

from core.settings import PROJECT_ROOT
from core.text.i18n import CATALOGUE_DIR, MESSAGES, load_catalogue, load_catalogues
from jobs.sftp.errors import CAUSES as SFTP_CAUSES

DESK_MESSAGES = load_catalogue(CATALOGUE_DIR / "desk.yaml")
# failure causes with both a label (cause.X) and what to do next (cause.next.X)
CAUSES = ({key.removeprefix("cause.") for key in MESSAGES if key.startswith("cause.")}
          & {key.removeprefix("cause.next.") for key in MESSAGES if key.startswith("cause.next.")})

DESK_FILES = ["ui/components/desk.py", "ui/components/run_watch.py", "ui/pages/jobs.py", "ui/pages/runs.py",
              "ui/pages/files.py", "ui/pages/batches.py", "ui/pages/alerts.py", "ui/pages/audit_log.py",
              "ui/pages/users.py", "desk/acting.py", "desk/jobs.py", "desk/files.py", "desk/alerts.py",
              "desk/users.py"]
# Each carries a message written in each language elsewhere (core.users, jobs.locks, jobs.registry).
ONE_PER_LANGUAGE = {"users.error.refused", "jobs.error.busy", "jobs.error.unknown"}
KEY = re.compile(r"""(?:\bt|session\.t|\.t|Refused)\(\s*["']([a-z_]+\.[a-z_.]+)["']""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_desk_messages_are_merged_into_the_catalogue():
    assert DESK_MESSAGES and all(MESSAGES[key] == value for key, value in DESK_MESSAGES.items())


def test_a_key_is_defined_once_in_one_language_pair(tmp_path):
    """YAML would keep the last of two texts for one key: the catalogue refuses such a file."""
    (tmp_path / "a.yaml").write_text("x.one: {id: Satu, en: One}\nx.one: {id: Dua, en: Two}\n")
    with pytest.raises(ValueError, match=r"x\.one"):
        load_catalogues(tmp_path)
    (tmp_path / "a.yaml").write_text("x.one: {id: Satu, en: One}\n")
    (tmp_path / "b.yaml").write_text("x.one: {id: Satu, en: One}\n")
    with pytest.raises(ValueError, match=r"x\.one"):
        load_catalogues(tmp_path)
    (tmp_path / "b.yaml").write_text("x.two: {id: Dua}\n")
    with pytest.raises(ValueError, match=r"x\.two"):
        load_catalogues(tmp_path)


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
