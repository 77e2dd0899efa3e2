"""The vocabulary of name words (core/claims/name_search.py): every distinct word of 3 letters or more
in a worker's or a beneficiary's name, which a typo is corrected against (rapidfuzz) and which
answers "does any name hold this word" without a query. Cached per database for a few minutes.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from typing import Any

from models import db

log = logging.getLogger(__name__)

VOCABULARY_SECONDS = 300  # how long the vocabulary of name words is reused
MIN_WORD = 3  # name_search.MIN_TRIGRAM: shorter words have no trigram and are never corrected
WORD_RE = re.compile(r"[^\W_]+")


class _Vocabulary:
    """The distinct words of every name, per database, rebuilt when older than VOCABULARY_SECONDS.

    A stale vocabulary is still used while a thread rebuilds it (reading 1,000,000 claims' names
    takes about a second): only the first typo search after a start waits for it.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.database: Any = None
        self.words: list[str] = []
        self.built = 0.0
        self.rebuilding = False

    def get(self) -> list[str]:
        database = db.obj
        with self.lock:
            fresh = self.database is database
            if fresh and time.monotonic() - self.built < VOCABULARY_SECONDS:
                return self.words
            if fresh and self.rebuilding:
                return self.words
            self.rebuilding = fresh
        if not fresh:  # first use (or another database): wait for it
            self._store(database, _name_words())
            return self.words
        self._start(database)
        return self.words

    def peek(self) -> list[str] | None:
        """The words when this database's are at hand (a stale list starts a rebuild), else None
        (and a first build starts in the background): for the "any name holds it" shortcut."""
        database = db.obj
        with self.lock:
            if self.database is not database:
                if self.rebuilding:
                    return None
                self.rebuilding = True
                start, words = True, None
            else:
                start = not self.rebuilding and time.monotonic() - self.built >= VOCABULARY_SECONDS
                self.rebuilding = self.rebuilding or start
                words = self.words
        if start:
            self._start(database)
        return words

    def forget(self) -> None:
        with self.lock:
            self.database, self.words, self.built = None, [], 0.0

    def _start(self, database: Any) -> None:
        threading.Thread(target=self._rebuild, args=(database,), name="name-vocabulary", daemon=True).start()

    def _rebuild(self, database: Any) -> None:
        try:
            with database.connection_context():
                words = _name_words()
        except Exception as exc:  # the database went away (a shutdown): the next search asks again
            log.info("kosakata nama tidak terbaca: %s", exc)
            return
        finally:
            with self.lock:
                self.rebuilding = False
        self._store(database, words)

    def _store(self, database: Any, words: list[str]) -> None:
        with self.lock:
            self.database, self.words, self.built = database, words, time.monotonic()


VOCABULARY = _Vocabulary()


def forget_vocabulary() -> None:
    """Drop the cached vocabulary (the next typo reads the names again)."""
    VOCABULARY.forget()


def _name_words() -> list[str]:
    names = ("SELECT DISTINCT lower(worker_name) FROM claim "
             "UNION SELECT DISTINCT lower(beneficiary_name) FROM claim")
    words = set()
    for (name,) in db.execute_sql(names):
        words.update(WORD_RE.findall(name or ""))
    return sorted(w for w in words if len(w) >= MIN_WORD)
