"""A confirmation dialog does not say the same thing twice (issue 17): its title asks or names the
action, its help says what follows from it. Checked on the texts of every dialog, in both languages."""

from __future__ import annotations

import re

import pytest

from core.text.i18n import LANGUAGES, t
from ui.components.action_dialog import ICONS

PARAMS = {"user": "budi", "job": "Kirim ke bank", "run": "12", "name": "BERKAS.txt", "subject": "Tugas gagal",
          "kind": "Debit", "reference": "REF1", "fingerprint": "SHA256:AAA", "partner": "Bank NTT"}
# (title, help) of every Question (ui/pages) and host-key dialog.
DIALOGS = [
    ("users.deactivate", "users.confirm_deactivate"), ("users.reactivate", "users.confirm_reactivate"),
    ("users.reset", "users.confirm_reset"), ("alerts.confirm_ack", "alerts.confirm_ack_help"),
    ("files.confirm_ignore", "files.confirm_ignore_help"), ("handled.confirm_file", "handled.confirm_help"),
    ("handled.confirm_run", "handled.confirm_help"), ("jobs.confirm_pause", "jobs.confirm_pause_help"),
    ("jobs.confirm_resume", "jobs.confirm_resume_help"), ("jobs.confirm_run", "jobs.confirm_run_help"),
    ("runs.confirm_rerun", "runs.confirm_rerun_help"),
    ("statements.confirm_resolve", "statements.confirm_resolve_help"),
    ("hostkeys.accept_title", "hostkeys.accept_help"),
] + [(f"action.{action}", f"action.help.{action}") for action in ICONS]  # the claim action dialog


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def repeats(title: str, help_text: str) -> bool:
    """True when the help restates the title: it holds the whole title (of two words or more), or opens
    with the title's first words."""
    head, body = _words(title), _words(help_text)
    whole = len(head) > 1 and f" {' '.join(head)} " in f" {' '.join(body)} "
    return whole or body[:min(2, len(head))] == head[:2]


def test_the_check_catches_a_dialog_that_repeats_itself():
    assert repeats("Nonaktifkan", "Nonaktifkan budi? Ia tidak dapat masuk lagi.")
    assert not repeats("Nonaktifkan", "budi tidak dapat masuk lagi sampai diaktifkan kembali.")


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize(("title", "help_key"), DIALOGS)
def test_no_confirmation_dialog_repeats_its_title_in_its_help(title, help_key, lang):
    assert not repeats(t(title, lang, **PARAMS), t(help_key, lang, **PARAMS))
