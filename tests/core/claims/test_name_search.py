import importlib

import pytest

from core.claims import name_search as ns
from core.claims import queries as q
from core.claims.name_vocabulary import forget_vocabulary
from core.claims.queries import ClaimFilter
from core.db import is_postgres, write_tx
from models import Claim, ClaimEvent
from tests.factories import make_claim


@pytest.fixture(autouse=True)
def fresh_vocabulary():
    forget_vocabulary()
    yield
    forget_vocabulary()


def _claim(worker: str, beneficiary: str | None = None) -> Claim:
    return make_claim(worker_name=worker, beneficiary_name=beneficiary or worker)


def _found(term: str) -> set[int]:
    return {r["id"] for r in q.claims_page(ClaimFilter(search=term), per_page=100).rows}


def test_a_name_is_found_by_any_of_its_words_in_any_case(database):
    maria = _claim("Maria Goreti Bria")
    _claim("Yohanes Ndun")
    for term in ("maria", "Goreti", "BRIA", "gor", "bria maria", "Maria Goreti Bria"):
        assert _found(term) == {maria.id}, term


def test_the_beneficiary_name_is_searched_too(database):
    heir = _claim("Petrus Tefa", "Agustina Lake")
    _claim("Yohanes Ndun")
    assert _found("agustina") == {heir.id}
    assert _found("tefa") == {heir.id}


def test_every_word_must_be_in_the_same_name(database):
    """Worker "Maria Tefa" with heir "Yohanes Bria" is not a match for "maria bria"."""
    _claim("Maria Tefa", "Yohanes Bria")
    both = _claim("Maria Bria")
    assert _found("maria bria") == {both.id}


def test_a_typo_finds_the_name_it_was_meant_for(database):
    yohanes = _claim("Yohanes Ndun")
    _claim("Maria Goreti Bria")
    yosef = _claim("Yosef Lado")
    assert _found("Yohanis") == {yohanes.id}
    assert _found("yohanis ndun") == {yohanes.id}
    assert _found("Yosif") == {yosef.id}  # a short name: pg_trgm's word similarity (0.5) missed it


def test_a_word_close_to_no_name_finds_nothing(database):
    _claim("Yohanes Ndun")
    assert _found("xzqwvk") == set()


def test_a_word_of_two_letters_narrows_what_the_others_found(database):
    ndun = _claim("Yohanes Ndun")
    _claim("Petrus Ndun")
    assert _found("ndun yo") == {ndun.id}


def test_a_changed_name_is_found_by_its_new_words_only(database):
    claim = _claim("Yohanes Ndun")
    with write_tx():
        Claim.update(worker_name="Markus Ndolu", beneficiary_name="Markus Ndolu") \
            .where(Claim.id == claim.id).execute()
    assert _found("ndolu") == {claim.id}
    assert _found("yohanes") == set()  # nor as a typo: the vocabulary is read from the names as they are
    assert _found("ndun") == set()


def test_a_status_change_leaves_the_name_findable(database):
    claim = _claim("Yohanes Ndun")
    with write_tx():
        Claim.update(status="ON_HOLD").where(Claim.id == claim.id).execute()
    assert _found("ndun") == {claim.id}


def test_a_deleted_claim_is_no_longer_found(database):
    gone, kept = _claim("Yohanes Ndun"), _claim("Petrus Ndun")
    with write_tx():
        ClaimEvent.delete().where(ClaimEvent.claim == gone.id).execute()
        Claim.delete().where(Claim.id == gone.id).execute()
    assert _found("ndun") == {kept.id}
    assert ns.search("yohanes").rows == []


def test_search_ranks_a_whole_word_before_a_beginning_before_inside_a_word(database):
    inside = _claim("Agustina Damaria")
    prefix = _claim("Marianus Bria")
    whole = _claim("Maria Goreti")
    page = ns.search("maria")
    assert [(r["id"], r["rank"]) for r in page.rows] == [(whole.id, ns.EXACT), (prefix.id, ns.PREFIX),
                                                          (inside.id, ns.INSIDE)]


def test_search_pages_through_the_results_without_repeating_one(database):
    ids = {_claim(f"Yohanes Ndun {n}").id for n in range(7)}
    first, second = ns.search("ndun", per_page=4), ns.search("ndun", page=2, per_page=4)
    assert first.more and not second.more
    seen = [r["id"] for r in first.rows + second.rows]
    assert len(seen) == len(set(seen)) == 7 and set(seen) == ids


def test_search_keeps_to_the_kabupaten_desk(database):
    alor = make_claim(worker_name="Yohanes Ndun", kabupaten_code="5305")
    make_claim(worker_name="Yohanes Ndun", kabupaten_code="5371")
    assert [r["id"] for r in ns.search("ndun", scope=("5305",)).rows] == [alor.id]


def test_typo_results_rank_after_the_exact_ones(database):
    exact = _claim("Yohanes Ndun")
    assert ns.search("yohanes").rows[0]["id"] == exact.id
    fuzzy = ns.search("yohanis").rows
    assert [r["id"] for r in fuzzy] == [exact.id] and fuzzy[0]["rank"] == ns.INSIDE


def test_the_migration_indexes_the_claims_already_there(database):
    claim = _claim("Yohanes Ndun")
    _drop_name_index(database)
    with write_tx():
        for name in ("0010_name_search", "0011_name_index_in_bulk", "0012_name_side_table"):
            importlib.import_module(f"core.migrations.{name}").up(None, database)
    assert _found("ndun") == {claim.id}
    assert _found("yohanis") == {claim.id}
    if not is_postgres(database):  # the FTS index holds the row: an integrity check finds nothing amiss
        database.execute_sql("INSERT INTO claim_name_fts (claim_name_fts) VALUES ('integrity-check')")


def _drop_name_index(database) -> None:
    """As before 0010: no FTS table or side table, no triggers, no trigram indexes (the claim is stored)."""
    if is_postgres(database):
        for trigger in ("insert", "update"):
            database.execute_sql(f"DROP TRIGGER IF EXISTS claim_name_{trigger} ON claim")
        database.execute_sql(f"DROP TABLE {ns.NAME_TABLE}")
        return
    for trigger in ("insert", "update", "delete"):
        database.execute_sql(f"DROP TRIGGER IF EXISTS claim_name_fts_{trigger}")
    database.execute_sql("DROP TABLE claim_name_fts")


def test_a_claim_inserted_outside_the_state_machine_is_found_then_indexed_in_one_pass(database):
    """create_claim(s) index a chunk's names in their transaction (migration 0011); a claim put in
    some other way stays above the high-water mark, where its names are read until the next pass."""
    if is_postgres(database):
        pytest.skip("PostgreSQL: claim_name's triggers index every insert (the test below)")
    claim = _claim("Agustinus Bria")
    assert ns.indexed_through() == claim.id  # create_claim indexed it
    row = {k: v for k, v in claim.__data__.items() if k != "id"}
    name = "Petrus Lakalena"
    row.update(claim_no="KLM-202611-TAIL01", worker_name=name, beneficiary_name=name)
    tail = Claim.insert(**row).execute()
    assert _found("lakalena") == {tail}  # not in the index yet: its names are read
    with write_tx():
        assert ns.index_new_names() == 1
    assert ns.indexed_through() == tail
    database.execute_sql("INSERT INTO claim_name_fts (claim_name_fts) VALUES ('integrity-check')")
    assert _found("lakalena") == {tail} and _found("bria") == {claim.id}


def test_postgres_side_table_follows_inserts_name_changes_and_deletes_but_not_status_changes(database):
    """Migration 0012: claim_name is kept in step by triggers; a status change never rewrites it
    (that was the cost of the GIN indexes on claim itself: every status update rewrote them)."""
    if not is_postgres(database):
        pytest.skip("SQLite: the FTS5 table (tests above)")
    claim = _claim("Agustinus Bria")
    row = {k: v for k, v in claim.__data__.items() if k != "id"}
    name = "Petrus Lakalena"
    row.update(claim_no="KLM-202611-SIDE01", worker_name=name, beneficiary_name=name)
    other = Claim.insert(**row).execute()  # not through the state machine: the insert trigger indexes it
    assert _found("lakalena") == {other}

    def version() -> str:
        return database.execute_sql(f"SELECT xmin::text FROM {ns.NAME_TABLE} WHERE claim_id = %s",
                                    (claim.id,)).fetchone()[0]

    before = version()
    Claim.update(status="INSTRUCTED", flagged=True).where(Claim.id == claim.id).execute()
    assert version() == before  # the side row was not rewritten
    Claim.update(worker_name="Agustinus Tefa", beneficiary_name="Agustinus Tefa").where(
        Claim.id == claim.id).execute()
    assert version() != before
    assert _found("tefa") == {claim.id} and _found("bria") == set()
    ClaimEvent.delete().where(ClaimEvent.claim == other).execute()
    Claim.delete().where(Claim.id == other).execute()
    count = database.execute_sql(f"SELECT count(*) FROM {ns.NAME_TABLE}").fetchone()[0]
    assert count == 1 and _found("lakalena") == set()


def test_the_index_count_equals_the_claims_found(database):
    for name in ("Maria Goreti Bria", "Yohanes Bria", "Petrus Tefa", "Agustina Bria Lake"):
        _claim(name)
    if not is_postgres(database):  # one claim above the high-water mark: counted from its names
        row = {k: v for k, v in _claim("Paulus Bria").__data__.items() if k != "id"}
        row.update(claim_no="KLM-202611-TAIL02", worker_name="Bria Tail", beneficiary_name="Bria Tail")
        Claim.insert(**row).execute()
    for term in ("bria", "maria bria", "Yohanis", "tefa", "xzqwvk", "bria lake"):
        assert ns.count(term) == len(_found(term)), term
        assert q.count(ClaimFilter(search=term)) == len(_found(term)), term
    if not is_postgres(database):
        assert ns.count("bria ma") is None  # a word of 2 letters is checked on the claims
    assert q.count(ClaimFilter(search="bria ma")) == len(_found("bria ma")) == 1


def test_ranked_search_ranks_the_newest_candidates_and_says_when_capped(database, monkeypatch):
    claims = [_claim(f"Yohanes Ndun {n}") for n in range(5)]
    monkeypatch.setattr(ns, "CANDIDATES", 3)
    found = ns.search("ndun")
    assert found.capped and [r["id"] for r in found.rows] == [c.id for c in claims[:1:-1]]
    monkeypatch.setattr(ns, "CANDIDATES", 10)
    assert not ns.search("ndun").capped and len(ns.search("ndun").rows) == 5


@pytest.mark.parametrize("few", [0, 5000])
def test_the_queue_page_of_a_name_is_the_same_read_by_id_or_in_sort_order(database, monkeypatch, few):
    """SQLite reads a name in few claims by id (queries._few_named); many, in the sort's index order."""
    monkeypatch.setattr(q, "FEW_NAMED", few)
    for n in range(30):
        _claim(f"Maria Bria {n}", "Yohanes Tefa" if n % 3 else None)
    _claim("Petrus Lake")
    for sort, descending in (("received_at", True), ("worker_name", False), ("approved_amount", True)):
        bria = ClaimFilter(search="bria")
        page = q.claims_page(bria, sort_by=sort, descending=descending, page=2, per_page=10)
        column = q.SORTS[sort]
        order = (column.desc(), Claim.id.desc()) if descending else (column.asc(), Claim.id.asc())
        everything = list(q.filtered(bria).order_by(*order))
        assert [r["id"] for r in page.rows] == [c.id for c in everything[10:20]]
        assert page.total == 30
    kupang = q.claims_page(ClaimFilter(search="tefa", kabupaten=("5371",)), per_page=10)
    assert kupang.total == 20
