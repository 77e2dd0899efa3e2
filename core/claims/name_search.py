"""Search claims by a worker's or a beneficiary's name: any of its words, a typo forgiven, indexed.

The search a coordinator types most ("ndun", "maria bria", "Yohanis"). At 1,000,000 claims a
`LIKE '%ndun%'` reads the whole table (about 1 s), so the names are indexed by trigrams, kept
in step with the claim table by the database itself (migration 0010):

- SQLite: the FTS5 table `claim_name_fts` (trigram tokenizer, external content over `claim`).
  New claims are indexed in bulk by `index_new_names`, which the two functions that insert
  claims (`core.claims.states.create_claim(s)`) and the demo call in their transaction, up to
  the high-water mark in Counter `claim_name_index` (migration 0011). A per-row insert trigger
  (migration 0010) made the indexing 6x dearer: it tripled the time of a 100,000-record
  intake (8 s -> 30 s, benchmarks/cycle.py). Triggers still follow a changed name and a
  deleted claim below the mark; a claim above it (one inserted some other way, a test's
  factory) is found by reading its names (`LIKE`), so no path can hide a claim. A word of 3
  letters or more is a trigram MATCH, i.e. a substring of a name; shorter words filter the
  rows the longer ones found.
- PostgreSQL: the side table `claim_name` (claim id -> lower-cased names, migration 0012) with
  `pg_trgm` GIN indexes, which serve `LIKE '%word%'`; triggers keep it in step. On `claim`
  itself (0010) the GIN indexes were rewritten by every status change (a non-HOT update) and
  tripled `bank_push`'s time; the side table is touched only when a claim or a name is new.

Every word must be in the same name (the worker's, or the beneficiary's). A word that finds
nothing is taken for a typo and searched as its closest words in the vocabulary of name words
(rapidfuzz ratio; the vocabulary is cached in the process for a few minutes, and also answers
"does any name hold this word" without a query). On both databases: pg_trgm's own word
similarity (`%>`, threshold 0.6) was tried on PostgreSQL and measured at 50,000 claims it
missed common typos of short names ("Yosif", "Agnis", "Petris") and took up to 100 ms, where
the corrected words' ILIKE takes a few ms through the same index. `search` ranks the results:
every word whole > a word's beginning > inside a word or corrected, newest first within a rank;
the queue (`search_box.search_condition`) uses `condition` and keeps its own sort.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from peewee import OP, SQL, Case, Expression, fn
from rapidfuzz import fuzz, process

from core.claims.name_vocabulary import VOCABULARY, WORD_RE
from core.db import in_values, is_postgres
from models import Claim, Counter, db

FTS_TABLE = "claim_name_fts"  # SQLite (migration 0010)
INDEXED_THROUGH = "claim_name_index"  # Counter: claims with an id up to this are in FTS_TABLE (0011)
NAME_TABLE = "claim_name"  # PostgreSQL (migration 0012): claim_id, worker_name, beneficiary_name (lower)
# Its trigram indexes: GIN operator-class indexes on a table no peewee model declares.
TRIGRAM_INDEXES = ("claim_name_worker_name_trgm", "claim_name_beneficiary_name_trgm")
MIN_TRIGRAM = 3  # shorter words have no trigram: they only narrow what the longer words found
MAX_WORDS = 6
CANDIDATES = 2000  # search() ranks the newest this many matches: a longer list asks for more words
TYPO_SCORE = 75  # rapidfuzz ratio (0-100) a vocabulary word needs to stand for a typed one
TYPO_CHOICES = 3  # a typo is searched as its closest few corrections
EXACT, PREFIX, INSIDE = 0, 1, 2  # a word's rank: the whole word, its beginning, inside a word or a typo
COLUMNS = (Claim.worker_name, Claim.beneficiary_name)
RESULT_COLUMNS = (Claim.id, Claim.claim_no, Claim.worker_name, Claim.beneficiary_name, Claim.kabupaten_code,
                  Claim.benefit_type, Claim.approved_amount, Claim.status, Claim.received_at)


@dataclass(frozen=True)
class Word:
    text: str  # as typed, lower case
    fuzzy: tuple[str, ...] = ()  # SQLite: the vocabulary words it was corrected to
    typo: bool = False  # it found nothing as typed


@dataclass(frozen=True)
class NamePage:
    rows: list[dict[str, Any]]  # RESULT_COLUMNS and `rank` (0 best)
    more: bool  # another page follows
    capped: bool = False  # more than CANDIDATES claims matched: only the newest were ranked


def words_of(term: str) -> list[str]:
    """The name words of a search term, lower case, at most MAX_WORDS (punctuation splits words)."""
    return WORD_RE.findall(term.lower())[:MAX_WORDS]


def condition(term: str) -> Any:
    """The claims whose worker or beneficiary name holds every word of `term` (a typo corrected)."""
    words = _resolve(words_of(term))
    if not words:
        return SQL("1 = 0")
    return _pg_condition(words) if is_postgres() else _sqlite_condition(words)


def search(term: str, *, page: int = 1, per_page: int = 25, scope: Sequence[str] | None = None) -> NamePage:
    """One ranked page of the claims matching `term`; `scope`: the kabupaten desk (None: the province).

    Ranked among the newest CANDIDATES matches (`capped` says more exist): a surname of 20,000
    claims would otherwise rank all of them for one page (270 ms at 1,000,000 claims, issue 19).
    """
    words = _resolve(words_of(term))
    if not words or _impossible(words):
        return NamePage([], False)
    ids = _newest(words, CANDIDATES + 1)
    page, per_page = max(1, page), max(1, min(per_page, 100))
    scope_in = [] if scope is None else [Claim.kabupaten_code.in_(tuple(scope) or ("-",))]
    if ids is None:  # SQLite, words of 1-2 letters only: the names are read and ranked in SQL (rare)
        rank = _rank(words)
        query = Claim.select(*RESULT_COLUMNS, rank.alias("rank")).where(_sqlite_condition(words), *scope_in)
        rows = list(query.order_by(rank, Claim.id.desc()).limit(per_page + 1)
                    .offset((page - 1) * per_page).dicts())
        return NamePage(rows[:per_page], len(rows) > per_page)
    where = [in_values(Claim.id, ids[:CANDIDATES]), *scope_in]
    short = [w for w in words if len(w.text) < MIN_TRIGRAM]
    if short and not is_postgres():  # the FTS index found the long words; the claims hold the short
        where.append(_short_filter(short))
    # Ranked here, not in SQL: ordered by a computed rank and LIMITed, PostgreSQL read the claim table
    # backwards hoping for early hits (320 ms); the candidates' names are 2,000 short rows at most.
    ranked = sorted((score(words, worker, heir), -claim_id) for claim_id, worker, heir in
                    Claim.select(Claim.id, Claim.worker_name, Claim.beneficiary_name).where(*where).tuples())
    chosen = ranked[(page - 1) * per_page:page * per_page + 1]
    found = {row["id"]: row for row in Claim.select(*RESULT_COLUMNS)
             .where(in_values(Claim.id, [-negative for _rank_, negative in chosen])).dicts()}
    rows = [{**found[-negative], "rank": rank} for rank, negative in chosen[:per_page]]
    return NamePage(rows, len(chosen) > per_page, len(ids) > CANDIDATES)


def score(words: list[Word], *names: str | None) -> int:
    """`_rank` in Python: per word 0 whole in a name, 1 at a word's beginning, 2 inside or a typo."""
    padded = [f" {(name or '').lower()} " for name in names]
    total = 0
    for word in words:
        if word.typo:
            total += INSIDE
        elif any(f" {word.text} " in name for name in padded):
            total += EXACT
        elif any(f" {word.text}" in name for name in padded):
            total += PREFIX
        else:
            total += INSIDE
    return total


def count(term: str) -> int | None:
    """How many claims match `term`, counted in the index alone (no claim row read: 44,545 matches
    of "tefa" take 13 ms instead of 37); None where the index cannot tell (SQLite: a word of 1-2
    letters is checked on the claims themselves)."""
    words = _resolve(words_of(term))
    if not words or _impossible(words):
        return 0
    if is_postgres():
        sql, params = _pg_ids(words)
        return int(db.execute_sql(f"SELECT count(*) FROM ({sql}) AS matched", params).fetchone()[0])
    if any(len(w.text) < MIN_TRIGRAM for w in words):
        return None
    return _sqlite_count(words)


def _sqlite_count(words: list[Word]) -> int:
    """The FTS index's count of words of 3 letters or more, and the claims above its mark."""
    sql = f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
    indexed = db.execute_sql(sql, (_fts_query(words),)).fetchone()[0]
    return int(indexed) + Claim.select().where(_tail(words)).count()


def matching_ids(term: str, cap: int) -> tuple[list[int] | None, int | None]:
    """(the ids of every claim matching `term` when at most `cap`, else None; how many match), from
    the index alone: the queue's count, and the claims of a rare name to read by id. (None, None)
    where the index alone cannot tell (SQLite: a word of 1-2 letters is checked on the claims).
    SQLite's FTS stops after cap + 1 ids, then counts. PostgreSQL counts first and reads the ids only
    of a name within `cap`: a common surname ("tefa", 44,545 of 1,000,000 claims) counts in 24 ms but
    hands over its ids in 41, and the queue needs only the number; a rare name pays two passes of a
    few milliseconds. (A LIMIT would be planned as a scan of claim_name hoping for early matches.)"""
    words = _resolve(words_of(term))
    if not words or _impossible(words):
        return [], 0
    if is_postgres():
        sql, params = _pg_ids(words)
        total = int(db.execute_sql(f"SELECT count(*) FROM ({sql}) AS matched", params).fetchone()[0])
        if total > cap:
            return None, total
        ids = [row[0] for row in db.execute_sql(sql, params)]
        return ids, len(ids)
    if any(len(w.text) < MIN_TRIGRAM for w in words):
        return None, None
    tail = [row[0] for row in Claim.select(Claim.id).where(_tail(words)).tuples()]
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT {int(cap) + 1}"
    ids = tail + [row[0] for row in db.execute_sql(sql, (_fts_query(words),))]
    if len(ids) <= cap:
        return ids, len(ids)
    return None, _sqlite_count(words)  # the words resolved once: a typo is not looked up again


def _newest(words: list[Word], n: int) -> list[int] | None:
    """The ids of the newest `n` claims whose names hold the (long) words, newest first; None when no
    word has a trigram (SQLite)."""
    if is_postgres():
        sql, params = _pg_ids(words)
        return [row[0] for row in db.execute_sql(f"{sql} ORDER BY claim_id DESC LIMIT {int(n)}", params)]
    long = [w for w in words if len(w.text) >= MIN_TRIGRAM]
    if not long:
        return None
    tail = [row[0] for row in Claim.select(Claim.id).where(_tail(long)).order_by(Claim.id.desc()).tuples()]
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY rowid DESC LIMIT {int(n)}"
    return (tail + [row[0] for row in db.execute_sql(sql, (_fts_query(long),))])[:n]


# -- words and typos ---------------------------------------------------------------------

def _resolve(texts: list[str]) -> list[Word]:
    """Each word as typed or, when a long word finds nothing, its closest vocabulary words (a typo)."""
    words = []
    for text in texts:
        if len(text) < MIN_TRIGRAM or _found(text):
            words.append(Word(text))
        else:
            words.append(Word(text, tuple(w for w in _closest(text) if len(w) >= MIN_TRIGRAM), typo=True))
    return words


def index_new_names() -> int:
    """Index the names of the claims inserted since the last call (SQLite); call in the insert's
    transaction. One INSERT ... SELECT into the FTS table: 6x cheaper than a trigger per row."""
    if is_postgres():
        return 0  # claim_name's insert trigger indexed them in the insert's own statement
    through = indexed_through()
    last = Claim.select(fn.MAX(Claim.id)).scalar() or 0
    if last <= through:
        return 0
    db.execute_sql(f"INSERT INTO {FTS_TABLE} (rowid, worker_name, beneficiary_name) SELECT id, worker_name, "
                   "beneficiary_name FROM claim WHERE id > ? ORDER BY id", (through,))
    Counter.insert(name=INDEXED_THROUGH, value=last).on_conflict(
        conflict_target=[Counter.name], update={Counter.value: last}).execute()
    return last - through


def indexed_through() -> int:
    row = Counter.get_or_none(Counter.name == INDEXED_THROUGH)
    return row.value if row else 0


def _found(text: str) -> bool:
    """Does any name hold `text`? In the vocabulary when it is at hand (no query), else one index probe."""
    known = VOCABULARY.peek()
    if known is not None and any(text in word for word in known):
        return True
    if not is_postgres() and _unindexed(_like_any(text)).exists():
        return True
    if is_postgres():
        columns = " OR ".join(f"{c.column_name} LIKE %s" for c in COLUMNS)
        # A count, not LIMIT 1: for a word in no name PostgreSQL would plan LIMIT 1 as a scan of the
        # whole table hoping for an early hit (116 ms at 1,000,000 claims); the bitmap finds none at once.
        sql = f"SELECT count(*) FROM {NAME_TABLE} WHERE {columns}"
        return db.execute_sql(sql, [f"%{text}%"] * len(COLUMNS)).fetchone()[0] > 0
    sql = f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT 1"
    return db.execute_sql(sql, (_phrase(text),)).fetchone() is not None


def _closest(text: str) -> list[str]:
    matches = process.extract(text, VOCABULARY.get(), scorer=fuzz.ratio, limit=TYPO_CHOICES,
                              score_cutoff=TYPO_SCORE)
    return [word for word, _score, _index in matches]


# -- conditions and rank -----------------------------------------------------------------

def _impossible(words: list[Word]) -> bool:
    """A typo with no close word: nothing can match."""
    return any(w.typo and not w.fuzzy for w in words)


def _sqlite_condition(words: list[Word]) -> Any:
    """`claim.id IN (the FTS rows holding every long word in one name)`, short words as LIKE filters."""
    long = [w for w in words if len(w.text) >= MIN_TRIGRAM]
    short = [w for w in words if len(w.text) < MIN_TRIGRAM]
    if _impossible(long):
        return SQL("1 = 0")
    where = []
    if long:
        indexed = Claim.id.in_(SQL(f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)",
                                   [_fts_query(long)]))
        where.append(indexed | _tail(long))
    if short:  # only words of 1-2 letters: no trigram to use, the names are read (rare)
        where.append(_short_filter(short))
    return _all(where)


def _fts_query(long: list[Word]) -> str:
    """The FTS5 query: every long word in the worker's name, or every one in the beneficiary's."""
    terms = " AND ".join(_fts_word(w) for w in long)
    return " OR ".join(f"({c.column_name} : ({terms}))" for c in COLUMNS)


def _tail(long: list[Word]) -> Any:
    """Claims above the high-water mark are not in the FTS index yet: their names are read."""
    def holds_all(column: Any) -> Any:
        return _all(_any(_like(fn.LOWER(column), t) for t in (w.fuzzy or (w.text,))) for w in long)

    return (Claim.id > indexed_through()) & _any_column(holds_all)


def _short_filter(short: list[Word]) -> Any:
    return _any_column(lambda column: _all(_like(fn.LOWER(column), w.text) for w in short))


def _pg_condition(words: list[Word]) -> Any:
    if _impossible(words):
        return SQL("1 = 0")
    sql, params = _pg_ids(words)
    return Claim.id.in_(SQL(f"({sql})", params))


def _pg_ids(words: list[Word]) -> tuple[str, list[str]]:
    """The claim_name rows where one name holds every word: `LIKE '%word%'` on the lower-cased names,
    served by the GIN trigram indexes; a typo by its corrections."""
    params: list[str] = []

    def holds(column: str, word: Word) -> str:
        texts = word.fuzzy or (word.text,)
        params.extend(f"%{text}%" for text in texts)  # words are letters and digits: no LIKE wildcard
        return "(" + " OR ".join(f"{column} LIKE %s" for _ in texts) + ")"

    per_name = [" AND ".join(holds(c.column_name, w) for w in words) for c in COLUMNS]
    where = " OR ".join(f"({part})" for part in per_name)
    return f"SELECT claim_id FROM {NAME_TABLE} WHERE {where}", params


def _rank(words: list[Word]) -> Any:
    """0 for every word whole in a name; +1 per word found at a word's beginning, +2 inside or as a typo."""
    total: Any = None
    for word in words:
        if word.typo:
            score: Any = SQL(str(INSIDE))
        else:
            padded = [SQL("' '").concat(fn.LOWER(c)).concat(SQL("' '")) for c in COLUMNS]
            exact = _any(Expression(p, OP.ILIKE, f"% {word.text} %") for p in padded)
            prefix = _any(Expression(p, OP.ILIKE, f"% {word.text}%") for p in padded)
            score = Case(None, [(exact, EXACT), (prefix, PREFIX)], INSIDE)
        total = score if total is None else total + score
    return total


def _fts_word(word: Word) -> str:
    if word.fuzzy:
        return "(" + " OR ".join(_phrase(w) for w in word.fuzzy) + ")"
    return _phrase(word.text)


def _phrase(text: str) -> str:
    """An FTS5 string: a trigram tokenizer matches it as a substring. Words are letters and digits only."""
    return '"' + text.replace('"', '""') + '"'


def _like(column: Any, text: str) -> Any:
    return Expression(column, OP.ILIKE, f"%{text}%")  # names are lowered: LIKE on SQLite


def _any_column(build) -> Any:
    return _any(build(c) for c in COLUMNS)


def _all(parts) -> Any:
    parts = list(parts)
    out = parts[0]
    for part in parts[1:]:
        out = out & part
    return out


def _any(parts) -> Any:
    parts = list(parts)
    out = parts[0]
    for part in parts[1:]:
        out = out | part
    return out


def _like_any(text: str) -> Any:
    return _any_column(lambda column: _like(fn.LOWER(column), text))


def _unindexed(condition: Any):
    return Claim.select(Claim.id).where(Claim.id > indexed_through(), condition).limit(1)
