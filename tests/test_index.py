"""The turn index (tantivy, in a folder beside the corpus file): the same answers as the store's own
search, kept in step through writes, replacements, deletions, crashes and lost folders."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

import stenogram
from stenogram.errors import StoreError
from stenogram.search.engine import SearchResult, search, stream
from stenogram.search.people import by_person
from stenogram.search.turn_index.beside import beside
from stenogram.search.turn_index.index import FORMAT, STATE, folder_for
from stenogram.store.sqlite import Store
from tests.golden import FIXTURES, fixture_names

# every filter, every operator, and the sorts; words chosen to occur in the fixtures
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("Iraq", {}),
    ("iraq", {"speaker": "Lavrov"}),
    ("Iraq", {"speaker": "Sergey Lavrov"}),
    ("", {"speaker": "Lavrov", "kind": "answer"}),
    ("", {"speaker": "MR PRICE"}),                 # a label names its speaker
    ("", {"speaker": "Spokesman"}),
    ("", {"speaker": "ned price"}),
    ("", {"speaker": "Nobody Atall"}),
    ("sanctions OR Syria", {}),
    ("Russia NOT Iraq", {}),
    ("Russia -Iraq", {"lang": "en"}),
    ("secur*", {}),
    ('"foreign minister"', {}),
    ('"foreign minister"', {"lang": "en", "kind": "answer"}),   # a two-word phrase is a term of word pairs
    ('"Sergey Lavrov" OR "Fuad Hussein"', {}),
    ('"иностранных дел"', {}),
    ('"with foreign minister"', {}),                            # longer ones are checked by position
    ('"Iraq, Syria"', {}),
    ("Russia", {"date": "2019..2021"}),
    ("Russia", {"date": "..2018-06-30"}),
    ("", {"date": "2020-11-25"}),
    ("", {"country": "IQ"}),
    ("minister", {"country": "SY"}),
    ("", {"person": "Fuad Hussein"}),
    ("", {"person": "Hussein"}),
    ("", {"person": "Хусейн"}),                   # a person in every language, by any form or id
    ("", {"person": "fuad-hussein"}),
    ("", {"speaker": "Лавров"}),
    ("Iraq", {"speaker": "sergey-lavrov", "date": "2019..2021"}),
    ("", {"org": "UN"}),
    ("", {"org": "NATO"}),
    ("", {"source": "MID.RU"}),
    ("", {"doc_kind": "press_conference"}),
    ("", {"kind": "question", "lang": "ru"}),
    ("", {"speaker": "Lavrov", "date": "2020"}),                  # a speaker in whole years: one list
    ("Iraq", {"speaker": "Sergey Lavrov", "date": "2019..2021"}),
    ("", {"speaker": "Lavrov", "date": "2020-11..2022"}),          # part of a year and whole ones
    ("", {"speaker": "Lavrov", "date": "2020-11-25"}),
    ("", {"speaker": "MR PRICE", "date": "2015..2030"}),           # a label's names, year by year
    ("", {"speaker": "Price", "date": "..2022-03-31"}),
    ("minister speaker:Lavrov date:2018..", {}),
    ("Россия", {}),
    ("Лавров", {"lang": "ru"}),
    ("question", {"kind": "moderator"}),
    ("(Iraq OR Syria) Russia", {}),
    ("-Iraq", {}),
    ("zzzznotthere", {}),
    ("", {}),
]



def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).casefold()


def by_store(store: Store, query: str, **kw: object) -> SearchResult:
    """The same search with the turn index out of the way."""
    real = beside(store).in_step
    beside(store).in_step = lambda: None  # type: ignore[method-assign]
    try:
        return search(store, query, **kw)  # type: ignore[arg-type]
    finally:
        beside(store).in_step = real  # type: ignore[method-assign]


@pytest.mark.parametrize(("query", "options"), QUERIES)
def test_index_and_store_give_the_same_answers(corpus: stenogram.Corpus, query: str, options: dict[str, str]) -> None:
    store = corpus.store
    for sort in ("rank", "date", "-date"):
        fast = search(store, query, options=options, sort=sort, limit=1000, facets=True)
        slow = by_store(store, query, options=options, sort=sort, limit=1000, facets=True)
        assert fast.engine == "index" and slow.engine == "store"
        assert fast.total == slow.total
        assert fast.facets == slow.facets
        if sort == "rank" and query.strip("-") and not query.startswith("-"):
            # both rank by BM25, with different constants: the same hits, not always in the same order
            assert sorted(h.turn_id for h in fast.hits) == sorted(h.turn_id for h in slow.hits)
        else:
            assert [h.turn_id for h in fast.hits] == [h.turn_id for h in slow.hits]


@pytest.mark.parametrize(("query", "options"), [*QUERIES, ("Lavrov", {}), ('"Sergey Lavrov"', {}), ("press", {"lang": "en"})])
@pytest.mark.parametrize(("listed", "sorted_by_query"), [(0, 5000), (1000, 5000), (0, 0), (1000, 0)])
def test_documents_from_the_index_are_the_stores(corpus: stenogram.Corpus, query: str, options: dict[str, str],
                                                 listed: int, sorted_by_query: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A search for documents (a word may be in a turn's text or in the title) finds the same documents
    with the same number of matching turns in both; in date order the same order, and without words
    the same first matching turn; the facets count matching turns, as the store does. Both ways of
    finding the documents are checked (all matching turns read, or the documents counted from terms),
    and both ways of putting them in date order (one query naming them, or the documents table read)."""
    from stenogram.search.turn_index import answers

    monkeypatch.setattr(answers, "_LISTED_PER_DOCUMENT", listed)
    monkeypatch.setattr(answers, "_SORTED_BY_QUERY", sorted_by_query)
    store = corpus.store
    for sort in ("rank", "date", "-date"):
        fast = search(store, query, options=options, documents=True, sort=sort, limit=1000, facets=True)
        slow = by_store(store, query, options=options, documents=True, sort=sort, limit=1000, facets=True)
        assert fast.engine == "index" and slow.engine == "store"
        assert (fast.total, fast.facets) == (slow.total, slow.facets), sort
        assert {h.document_id: h.matches for h in fast.hits} == {h.document_id: h.matches for h in slow.hits}, sort
        if sort != "rank" or not slow.hits or slow.hits[0].score is None:
            assert [h.document_id for h in fast.hits] == [h.document_id for h in slow.hits], sort
        if not slow.hits or slow.hits[0].score is None:
            assert [h.turn_id for h in fast.hits] == [h.turn_id for h in slow.hits], sort
        else:
            assert all(h.score is not None for h in fast.hits)
        streamed = list(stream(store, query, options=options, documents=True, sort=sort))
        assert [(h.turn_id, h.matches, h.snippet) for h in streamed] == [(h.turn_id, h.matches, h.snippet) for h in fast.hits]


@pytest.mark.parametrize(("query", "sort", "size"), [("Russia", "rank", 3), ("Lavrov", "rank", 4), ("", "-date", 5),
                                                     ("Russia OR Iraq", "date", 4)])
@pytest.mark.parametrize(("first_turns", "listed"), [(1, 0), (64, 0), (64, 1000)])
def test_pages_of_documents_make_up_the_whole_list(corpus: stenogram.Corpus, query: str, sort: str, size: int,
                                                   first_turns: int, listed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of documents in turn make up the whole list: with every matching turn read, or with a ranked
    page finding its documents in the first best turns it looked at or having to look at more."""
    from stenogram.search.turn_index import answers

    monkeypatch.setattr(answers, "_LISTED_PER_DOCUMENT", listed)
    monkeypatch.setattr(answers, "_FIRST_TURNS", first_turns)
    monkeypatch.setattr(answers, "_TURNS_A_DOCUMENT", first_turns)
    store = corpus.store
    whole = search(store, query, documents=True, sort=sort, limit=1000)
    assert whole.engine == "index" and len(whole.hits) == whole.total > 2 * size
    paged: list[str] = []
    for offset in range(0, whole.total, size):
        page = search(store, query, documents=True, sort=sort, limit=size, offset=offset)
        assert page.total == whole.total
        paged += [h.turn_id for h in page.hits]
    assert paged == [h.turn_id for h in whole.hits]
    assert len(set(h.document_id for h in whole.hits)) == whole.total


def _documents_through_their_words(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Searches for documents go past reading every matching turn (the threshold at 0); returns what
    each answer through the documents' words gave (None: it stepped aside)."""
    from stenogram.search.turn_index import answers

    monkeypatch.setattr(answers, "_LISTED_PER_DOCUMENT", 0)
    used: list[object] = []
    real = answers._documents_of_words

    def spied(*a: object, **kw: object) -> object:
        used.append(found := real(*a, **kw))  # type: ignore[arg-type]
        return found

    monkeypatch.setattr(answers, "_documents_of_words", spied)
    return used


@pytest.mark.parametrize("sort", ["rank", "date", "-date"])
def test_the_documents_holding_words_are_found_through_their_words(corpus: stenogram.Corpus, sort: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A search for documents of words only (a word, a prefix, words joined by OR), with more matching
    turns than the corpus has documents, finds them through the words kept on each document's first
    turn: the same documents, count and pages as the store's."""
    used = _documents_through_their_words(monkeypatch)
    store = corpus.store
    for word in ("Iraq", "Russia", "Lavrov", "Россия", "secur*", "Iraq OR Syria", "(sanctions OR Росси*) OR Lavrov"):
        slow = by_store(store, word, documents=True, sort=sort, limit=1000)
        whole = search(store, word, documents=True, sort=sort, limit=1000)
        assert whole.total == slow.total
        assert {h.document_id: h.matches for h in whole.hits} == {h.document_id: h.matches for h in slow.hits}
        if sort != "rank":
            assert [h.document_id for h in whole.hits] == [h.document_id for h in slow.hits]
        paged = [h.turn_id for offset in range(0, whole.total, 3)
                 for h in search(store, word, documents=True, sort=sort, limit=3, offset=offset).hits]
        assert paged == [h.turn_id for h in whole.hits]
        assert len(used) == 1 + len(range(0, whole.total, 3)) and None not in used
        used.clear()
    # words that must meet (or avoid each other) in one turn, a phrase, or a filter: counted from the
    # matching turns
    for query, options in (('"foreign minister"', {}), ("Iraq", {"lang": "en"}), ("Russia Iraq", {}),
                           ("Russia -Iraq", {}), ('Iraq OR "foreign minister"', {})):
        assert search(store, query, options=options, documents=True, sort=sort).total == \
            by_store(store, query, options=options, documents=True, sort=sort).total
    assert not used


def test_undated_documents_in_date_order_are_put_in_place_by_the_store(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The index orders documents by day; where an undated document holds the word, the store's order
    (undated first, oldest first; last, newest first) is kept by counting the documents the other way."""
    _copy_fixtures(tmp_path / "docs", 4, containing="Iraq")
    (tmp_path / "docs" / "undated.txt").write_text(
        "Remarks by the Spokesperson on regional security\n\nQuestion: What about Iraq and the talks?\n\n"
        "Spokesperson: We discussed Iraq and security at length with our partners.\n", encoding="utf-8")
    used = _documents_through_their_words(monkeypatch)
    with stenogram.open(tmp_path / "c.db") as c:
        c.ingest([str(tmp_path / "docs")])
        assert c.store.query("SELECT count(*) FROM documents WHERE day IS NULL")[0][0] == 1
        for sort in ("date", "-date"):
            fast = c.search("Iraq", documents=True, sort=sort, limit=100)
            slow = by_store(c.store, "Iraq", documents=True, sort=sort, limit=100)
            assert used.pop() is None and fast.engine == "index"
            assert [h.document_id for h in fast.hits] == [h.document_id for h in slow.hits]
            assert fast.total == slow.total >= 2
        assert c.search("Iraq", documents=True, limit=100).total == slow.total and used.pop() is not None


def test_a_title_finds_every_turn_of_its_document(corpus: stenogram.Corpus) -> None:
    """In a search for documents, words of the title match every turn of the document."""
    store = corpus.store
    doc = store.query("SELECT id, title FROM documents WHERE title LIKE '%Lavrov%' LIMIT 1")[0]
    turns = len(store.query("SELECT 1 FROM turns WHERE document_id = ?", (doc["id"],)))
    title = '"' + doc["title"].replace('"', "") + '"'
    for found in (search(store, title, documents=True, limit=1000), by_store(store, title, documents=True, limit=1000)):
        assert next(h.matches for h in found.hits if h.document_id == doc["id"]) == turns > 1
    assert search(store, title, limit=1000).total < turns     # at turn level, the title is not searched


@pytest.mark.parametrize("day_terms", [0, 1500])
def test_date_filters_as_day_terms_or_as_a_range_agree_with_the_store(corpus: stenogram.Corpus, day_terms: int,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A date filter is the index's days inside the range as terms, or a range when they are many:
    both must find what the store finds (open ends, partial dates, a range with no day in it, negation)."""
    from stenogram.search.turn_index import query as index_query

    monkeypatch.setattr(index_query, "DAY_TERMS", day_terms)
    store = corpus.store
    found_some = 0
    for date in ("2019..2021", "..2018-06-30", "2020-11-25", "2020-11", "2021..", "1990..1991", "2020-11-26..2020-12-31"):
        for query, options in [("", {"date": date}), ("Russia", {"date": date}), (f"-date:{date}", {}),
                               (f"minister (date:{date} OR kind:question)", {})]:
            fast = search(store, query, options=options, sort="date", limit=1000, facets=True)
            slow = by_store(store, query, options=options, sort="date", limit=1000, facets=True)
            assert fast.engine == "index" and slow.engine == "store"
            assert (fast.total, fast.facets) == (slow.total, slow.facets), (query, date)
            assert [h.turn_id for h in fast.hits] == [h.turn_id for h in slow.hits]
            found_some += fast.total > 0
    assert found_some > 10


@pytest.mark.parametrize(("query", "sort", "size"), [("", "-date", 7), ("", "date", 3), ("the OR and", "-date", 5),
                                                     ("the OR and", "date", 11)])
def test_pages_in_date_order_cut_ties_like_the_store(corpus: stenogram.Corpus, query: str, sort: str,
                                                     size: int) -> None:
    store = corpus.store
    whole = [h.turn_id for h in by_store(store, query, sort=sort, limit=1000).hits]
    assert len(whole) > 30
    paged: list[str] = []
    for offset in range(0, len(whole), size):
        page = search(store, query, sort=sort, limit=size, offset=offset)
        assert page.engine == "index" and page.total == len(whole)
        paged += [h.turn_id for h in page.hits]
    assert paged == whole


def test_snippets_mark_the_words_searched(corpus: stenogram.Corpus) -> None:
    result = corpus.search("Iraq OR secur*", limit=50)
    assert result.engine == "index" and result.hits
    for hit in result.hits:
        marked = [_fold(m) for m in hit.snippet.split("\x02")[1:]]
        assert marked, hit.snippet
        assert all(m.startswith(("iraq", "secur")) for m in marked), hit.snippet
    plain = corpus.search("", speaker="Lavrov", limit=1)
    assert "\x02" not in plain.hits[0].snippet


@pytest.mark.parametrize("window", [1, 5, 24, 400])
def test_ascii_snippets_are_the_unicode_ones_made_faster(corpus: stenogram.Corpus, window: int) -> None:
    """ASCII texts take a shortcut (no step per word); it must cut and mark exactly as the general way."""
    from stenogram.search.snippet import _ascii_snippet, _unicode_snippet

    texts = [r[0] for r in corpus.store.query("SELECT text FROM turns") if r[0].isascii()]
    texts += ["", "...", "snake_case_word and x_y 3rd 42 A-B", "  lead\tTabs\nnew line  ", "SECURITY,security;Security_x"]
    assert len(texts) > 50
    for terms in ([("iraq", False)], [("the", False), ("security", False)], [("secur", True)], [("x", False)],
                  [("zzz", False)], [("3rd", False), ("4", True)]):
        for text in texts:
            assert _ascii_snippet(text, terms, "[", "]", window) == _unicode_snippet(text, terms, "[", "]", window)


def test_near_searches_are_answered_by_the_store(corpus: stenogram.Corpus) -> None:
    assert corpus.search("NEAR(Iraq Russia, 10)").engine == "store"
    assert corpus.search("NEAR(Iraq Russia, 10)", documents=True).engine == "store"


FIRST_SOURCES = ("fmprc.gov.cn-", "generic-", "kremlin.ru-", "mid.ru-", "state.gov-", "un.org-")


def _copy_fixtures(folder: Path, count: int, *, containing: str = "") -> list[Path]:
    """The first ``count`` fixtures holding ``containing``, those of the first six sources first (the counts these
    tests expect were written for them; sources added later come after)."""
    folder.mkdir()
    out: list[Path] = []
    for name in sorted(fixture_names(), key=lambda n: not n.startswith(FIRST_SOURCES)):
        src = FIXTURES / f"{name}.txt"
        if containing in src.read_text("utf-8") and len(out) < count:
            out.append(Path(shutil.copy(src, folder / src.name)))
    return out


def _ingested(tmp_path: Path, count: int) -> tuple[Path, Path]:
    """A corpus of ``count`` fixtures in ``tmp_path``: its file, and its index folder."""
    _copy_fixtures(tmp_path / "docs", count)
    db = tmp_path / "c.db"
    with stenogram.open(db) as c:
        c.ingest([str(tmp_path / "docs")])
    folder = folder_for(str(db))
    assert folder is not None
    return db, folder


def test_replacing_and_deleting_a_document_updates_the_index(tmp_path: Path) -> None:
    files = _copy_fixtures(tmp_path / "docs", 3, containing="Iraq")
    db = tmp_path / "c.db"
    with stenogram.open(db) as c:
        c.ingest([str(tmp_path / "docs")])
        before = c.search("Iraq")
        assert before.engine == "index"
    text = files[0].read_text("utf-8")
    files[0].write_text(text.replace("Iraq", "Xanadoo"), encoding="utf-8")
    with stenogram.open(db) as c:
        report = c.ingest([str(files[0])])
        assert len(report.updated) == 1
        found = c.search("Xanadoo")
        assert found.engine == "index" and found.total > 0
        assert found.total == by_store(c.store, "Xanadoo").total
        doc_id = found.hits[0].document_id
        # the replaced turns are still in the index's term counts, so the count is not taken from them
        assert c.search("Iraq").total == by_store(c.store, "Iraq").total
        assert c.search("Iraq", sort="-date").total == by_store(c.store, "Iraq").total
        assert c.search("Iraq", facets=True).facets == by_store(c.store, "Iraq", facets=True).facets
        assert c.search("", facets=True).facets == by_store(c.store, "", facets=True).facets
        # so are the documents holding a word (the replaced document's first turn is still counted there)
        from stenogram.search.turn_index import answers

        listed = answers._LISTED_PER_DOCUMENT
        answers._LISTED_PER_DOCUMENT = 0
        try:
            for word in ("Iraq", "Xanadoo"):
                for sort in ("rank", "-date"):
                    fast = c.search(word, documents=True, sort=sort, limit=100)
                    slow = by_store(c.store, word, documents=True, sort=sort, limit=100)
                    assert fast.engine == "index" and fast.total == slow.total > 0
                    assert {h.document_id for h in fast.hits} == {h.document_id for h in slow.hits}
        finally:
            answers._LISTED_PER_DOCUMENT = listed
        c.store.delete(doc_id)
        assert c.search("Xanadoo").engine == "store"        # behind: the store answers, correctly
        assert c.search("Xanadoo").total == 0
        beside(c.store).sync()
        after = c.search("Xanadoo")
        assert after.engine == "index" and after.total == 0


def test_a_crash_before_the_index_was_written_is_reconciled_on_the_next_open(tmp_path: Path) -> None:
    _copy_fixtures(tmp_path / "docs", 4)
    db = tmp_path / "c.db"
    with stenogram.open(db) as c:
        c.ingest([str(tmp_path / "docs")])
    # the file gets a new document, and the process dies before the index hears of it
    from stenogram.api import parse_file

    doc = parse_file(str(FIXTURES / f"{fixture_names()[5]}.txt"))
    raw = Store(db)
    raw.write(doc, content_hash="x")
    raw.close()
    reader = stenogram.open(db, read_only=True)
    try:
        behind = reader.search("", limit=1)
        assert behind.engine == "store"
        assert behind.total == reader.store.count("turns")
    finally:
        reader.close()
    with stenogram.open(db) as c:                        # a writer opens: the index catches up
        index = beside(c.store).in_step()
        assert index is not None and index.searcher().num_docs == c.store.count("turns")
        assert c.search("", limit=1).engine == "index"
        assert c.search("", limit=1).total == c.store.count("turns")


@pytest.mark.parametrize("damage", ["folder removed", "state of another format", "state garbled", "files garbled"])
def test_a_lost_or_foreign_index_is_rebuilt(tmp_path: Path, damage: str) -> None:
    db, folder = _ingested(tmp_path, 3)
    with stenogram.open(db, read_only=True) as c:
        turns = c.store.count("turns")
    assert (folder / STATE).exists()
    if damage == "folder removed":
        shutil.rmtree(folder)
    elif damage == "state of another format":
        state = json.loads((folder / STATE).read_text())
        (folder / STATE).write_text(json.dumps({**state, "format": FORMAT + 1}))
    elif damage == "state garbled":
        (folder / STATE).write_text("{not json")
    else:
        for f in folder.iterdir():
            if f.name.endswith(".json") and f.name != STATE:
                f.write_text("garbage")
    with stenogram.open(db) as c:
        index = beside(c.store).in_step()
        assert index is not None and index.searcher().num_docs == turns
        assert c.search("Iraq").total == by_store(c.store, "Iraq").total


def test_while_another_process_writes_the_index_readers_get_the_store(tmp_path: Path) -> None:
    from stenogram.api import parse_file

    _copy_fixtures(tmp_path / "docs", 3)
    db = tmp_path / "c.db"
    with stenogram.open(db) as c:
        c.ingest([str(tmp_path / "docs")])
    writer = Store(db)
    index = beside(writer).turn_index()
    assert index is not None
    held = index.index.writer(15_000_000, 1)     # another writer holds the index's lock
    try:
        store = Store(db)                        # opening does not wait for it
        store.write(parse_file(str(FIXTURES / f"{fixture_names()[4]}.txt")), content_hash="y")
        assert beside(store).sync() is False       # busy: left for the holder or the next writer
        result = search(store, "")
        assert result.engine == "store" and result.total == store.count("turns")
        store.close()
    finally:
        del held
    with stenogram.open(db) as c:
        assert c.search("").engine == "index"
        assert c.search("").total == c.store.count("turns")


def test_reindex_rebuilds_the_turn_index(corpus: stenogram.Corpus, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    _copy_fixtures(tmp_path / "docs", 2)
    with stenogram.open(db) as c:
        c.ingest([str(tmp_path / "docs")])
        assert c.reindex() == c.store.count("turns")
        index = beside(c.store).in_step()
        assert index is not None and index.searcher().num_docs == c.store.count("turns")


def test_an_in_memory_corpus_has_no_index_folder_and_searches_the_store() -> None:
    with stenogram.open(":memory:") as c:
        c.ingest([str(FIXTURES / f"{fixture_names()[0]}.txt")])
        assert c.search("").engine == "store" and c.search("").total > 0


@pytest.mark.parametrize("term", ["Iraq", "secur*", "foreign minister", "Россия"])
def test_kwic_reads_the_same_lines_through_the_index(corpus: stenogram.Corpus, term: str) -> None:
    from stenogram.analyze.kwic import kwic
    from stenogram.analyze.text import base_node
    from stenogram.search.engine import dated_turns

    store = corpus.store
    assert dated_turns(store, base_node(store, "", None, term=term), limit=5) is not None      # the index answers
    fast = kwic(store, term, sort="date", limit=1000)
    real = beside(store).in_step
    beside(store).in_step = lambda: None  # type: ignore[method-assign]
    try:
        slow = kwic(store, term, sort="date", limit=1000)
    finally:
        beside(store).in_step = real  # type: ignore[method-assign]
    assert fast == slow and len(fast) > 0
    # a small limit takes the first lines in date order
    assert kwic(store, term, sort="date", limit=3) == fast[:3]


def _command_on(db: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Runs of the `stenogram` command on one corpus, as a user runs it (a subprocess)."""
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "stenogram.cli.main", *args, "--db", str(db)],
                              capture_output=True, text=True, timeout=120)
    return run


def test_reindex_command_rebuilds_a_removed_index(tmp_path: Path) -> None:
    _copy_fixtures(tmp_path / "docs", 3)
    db = tmp_path / "c.db"
    run = _command_on(db)
    assert run("ingest", str(tmp_path / "docs"), "-q").returncode == 0
    folder = folder_for(str(db))
    assert folder is not None
    shutil.rmtree(folder)
    with stenogram.open(db, read_only=True) as c:
        assert c.search("").engine == "store"          # no index: the file answers
    done = run("reindex")
    assert done.returncode == 0, done.stderr
    with stenogram.open(db, read_only=True) as c:
        turns = c.store.count("turns")
        assert f"indexed {turns} turns" in done.stderr
        assert c.search("").engine == "index" and c.search("").total == turns


def test_reindex_builds_an_outdated_index_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An index of an older format is rebuilt by the first writer to open the corpus; `reindex` opens it
    without that, so the index is built once, not twice (minutes each at 200,000 documents)."""
    from typer.testing import CliRunner

    from stenogram.cli.main import app
    from stenogram.search.turn_index.index import TurnIndex

    db, folder = _ingested(tmp_path, 3)
    builds: list[None] = []
    real = TurnIndex._documents

    def counted(self: TurnIndex, store: object, ids: list[str] | None, counts: object) -> object:
        if ids is None:
            builds.append(None)
        return real(self, store, ids, counts)  # type: ignore[arg-type]

    monkeypatch.setattr(TurnIndex, "_documents", counted)

    def outdate() -> None:
        state = json.loads((folder / STATE).read_text())
        (folder / STATE).write_text(json.dumps({**state, "format": FORMAT - 1}))

    outdate()
    with stenogram.open(db) as c:                 # an ordinary writer brings the index up to date
        assert len(builds) == 1 and beside(c.store).in_step() is not None
    outdate()
    with stenogram.open(db, catch_up=False) as c:
        assert beside(c.store).in_step() is None and len(builds) == 1
        assert c.reindex() == c.store.count("turns")
        assert len(builds) == 2 and beside(c.store).in_step() is not None
    outdate()
    done = CliRunner().invoke(app, ["reindex", "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert len(builds) == 3
    with stenogram.open(db, read_only=True) as c:
        assert c.search("Iraq", documents=True).engine == "index"


def test_a_reader_never_makes_or_clears_an_index(tmp_path: Path) -> None:
    db, folder = _ingested(tmp_path, 2)
    shutil.rmtree(folder)
    with stenogram.open(db, read_only=True) as c:
        assert c.search("").engine == "store" and c.search("").total == c.store.count("turns")
    assert not folder.exists()


def test_a_file_put_back_from_an_older_copy_gets_its_index_rebuilt(tmp_path: Path) -> None:
    files = _copy_fixtures(tmp_path / "docs", 4)
    db = tmp_path / "c.db"
    with stenogram.open(db) as c:
        c.ingest([str(p) for p in files[:2]])
    shutil.copy(db, tmp_path / "backup.db")             # the file alone, as a backup of it would be
    with stenogram.open(db) as c:
        c.ingest([str(p) for p in files[2:]])           # the index moves on
    shutil.copy(tmp_path / "backup.db", db)             # the file goes back; the index folder stays
    for extra in (tmp_path / "c.db-wal", tmp_path / "c.db-shm"):
        extra.unlink(missing_ok=True)
    with stenogram.open(db) as c:
        index = beside(c.store).in_step()
        assert index is not None and index.searcher().num_docs == c.store.count("turns")
        assert c.search("").total == c.store.count("turns")


# --- the facet counts kept for frequent words ----------------------------------------------------------

def _frequent_words(c: stenogram.Corpus) -> list[str]:
    index = beside(c.store).in_step()
    assert index is not None
    return [w for w, _ in index.searcher().terms_with_prefix("text", "") if index.facets_of_word(w) is not None]


def _assert_kept_counts_agree(c: stenogram.Corpus, words: list[str]) -> None:
    index = beside(c.store).in_step()
    assert index is not None
    for word in words:
        kept = index.facets_of_word(word)
        assert kept is not None
        slow = by_store(c.store, word, facets=True)
        # the search counts people, not spellings: the kept counts by printed name, merged by person
        assert {**kept, "speaker": by_person(c.store, kept["speaker"])} == slow.facets, word
        assert c.search(word, facets=True).facets == slow.facets, word
    # a search for documents counts the matching turns too: a frequent word's counts are the kept ones
    from stenogram.search.turn_index import answers

    def not_counted(*_: object) -> None:
        raise AssertionError("a frequent word's facets were counted, not read from the kept counts")

    real, answers._start_facets = answers._start_facets, not_counted  # type: ignore[assignment]
    try:
        for word in words[:5]:
            documents = c.search(word, documents=True, facets=True)
            assert documents.engine == "index"
            assert documents.facets == by_store(c.store, word, documents=True, facets=True).facets, word
    finally:
        answers._start_facets = real


@pytest.mark.parametrize("replaced", ["taken away", "counted again"])
def test_facet_counts_kept_for_frequent_words_follow_every_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  replaced: str) -> None:
    """A frequent word's facet counts come from the counts file; they must equal the store's counts
    after documents are added, replaced and deleted (their old turns counted out one by one, or, past
    a number of them, every frequent word counted again), and after the file is lost or left unsettled."""
    from stenogram.search.turn_index import facet_counts, index

    monkeypatch.setattr(facet_counts, "FREQUENT", 3)
    if replaced == "counted again":
        monkeypatch.setattr(index, "TAKE_AWAY_AT_LEAST", 0)
        monkeypatch.setattr(index, "TAKE_AWAY_PER_TURNS", 10**9)
    files = _copy_fixtures(tmp_path / "docs", 12)
    files.sort(key=lambda p: "Iraq" not in p.read_text("utf-8"))     # the first ones speak of Iraq
    db = tmp_path / "c.db"
    with stenogram.open(db) as c:
        c.ingest([str(p) for p in files[:4]])
        first = _frequent_words(c)
        assert len(first) > 50 and "iraq" in first
        _assert_kept_counts_agree(c, first)
        c.ingest([str(p) for p in files[4:]])       # more documents: counts moved on, new words counted
        words = _frequent_words(c)
        assert set(first) < set(words)
        _assert_kept_counts_agree(c, words)
    # a replaced document takes its old turns' counts away
    text = files[0].read_text("utf-8")
    files[0].write_text(text.replace("Iraq", "Xanadoo").replace("Russia", "Xanadoo"), encoding="utf-8")
    with stenogram.open(db) as c:
        assert len(c.ingest([str(files[0])]).updated) == 1
        _assert_kept_counts_agree(c, _frequent_words(c))
        doc_id = c.search("Xanadoo").hits[0].document_id
        c.store.delete(doc_id)
        beside(c.store).sync()
        words = _frequent_words(c)
        assert "xanadoo" not in words or c.store.count("turns") == 0
        _assert_kept_counts_agree(c, words)
        # a writer that died between the index and the counts: unsettled counts are never used, and
        # the next sync counts every frequent word again
        index = beside(c.store).in_step()
        assert index is not None
        index.facet_counts.unsettle()
        assert index.facets_of_word("iraq") is None
        assert c.search("iraq", facets=True).facets == by_store(c.store, "iraq", facets=True).facets
    with stenogram.open(db) as c:
        _assert_kept_counts_agree(c, _frequent_words(c))
        assert "iraq" in _frequent_words(c)
    # the counts file lost: counted again on the next writer's open
    folder = folder_for(str(db))
    assert folder is not None
    (folder / facet_counts.FILE).unlink()
    with stenogram.open(db) as c:
        assert "iraq" in _frequent_words(c)
        _assert_kept_counts_agree(c, _frequent_words(c))
        c.store.reindex()
        _assert_kept_counts_agree(c, _frequent_words(c))


def test_facet_counts_of_a_state_not_searched_are_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stenogram.search.turn_index import facet_counts

    monkeypatch.setattr(facet_counts, "FREQUENT", 2)
    _copy_fixtures(tmp_path / "docs", 3)
    db = tmp_path / "c.db"
    with stenogram.open(db) as c:
        c.ingest([str(tmp_path / "docs")])
        index = beside(c.store).in_step()
        assert index is not None
        state = index.state()
        assert state is not None and index.facets_of_word("the") is not None
        assert index.facet_counts.lookup("the", state.seq + 1) is None
        assert index.facet_counts.lookup("the", state.seq) == index.facets_of_word("the")
        assert index.facet_counts.lookup("zzzznotthere", state.seq) is None


def test_a_speaker_with_whole_years_is_looked_up_by_year(corpus: stenogram.Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    """The years a date range covers whole go through the speaker_year terms (the answers are compared
    with the store's in test_index_and_store_give_the_same_answers); a range of part of a year does not."""
    from stenogram.search.turn_index import query as index_query

    asked: list[tuple[str, int]] = []
    real = index_query.speaker_in_year

    def spy(key: str, year: int) -> str:
        asked.append((key, year))
        return real(key, year)

    monkeypatch.setattr(index_query, "speaker_in_year", spy)
    store = corpus.store
    days = [r[0] for r in store.query("SELECT DISTINCT day FROM documents WHERE day IS NOT NULL ORDER BY day")]
    years = sorted({d[:4] for d in days})
    found = search(store, "", options={"speaker": "Lavrov", "date": f"{years[0]}..{years[-1]}"}, limit=1000)
    assert found.engine == "index" and found.total > 0
    assert {y for _, y in asked} == {int(y) for y in years}
    assert found.total == by_store(store, "", options={"speaker": "Lavrov", "date": f"{years[0]}..{years[-1]}"}).total
    one_of_several = next(d for d in days if sum(e[:4] == d[:4] for e in days) > 1)
    asked.clear()
    search(store, "", options={"speaker": "Lavrov", "date": one_of_several}, limit=10)
    assert asked == []


# --- the first hits kept for frequent words ------------------------------------------------------------

def _ranked_now(c: stenogram.Corpus, word: str, *, offset: int, limit: int) -> SearchResult:
    """The page the index ranks when asked (the kept hits not read)."""
    from stenogram.search.turn_index.index import TurnIndex

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(TurnIndex, "page_of_word", lambda self, word, *, offset, limit: None)
        return c.search(word, offset=offset, limit=limit)


def _assert_kept_pages_agree(c: stenogram.Corpus, keep: int) -> int:
    """Every frequent word's pages, near the start, across the end of the kept hits and past it, equal
    the pages the index ranks now; returns how many were read from the kept hits."""
    index = beside(c.store).in_step()
    assert index is not None
    served = 0
    for word in _frequent_words(c):
        for offset, limit in ((0, 1), (0, 5), (3, 4), (0, keep), (keep - 2, 2), (keep - 2, 3), (keep + 1, 5)):
            kept = index.page_of_word(word, offset=offset, limit=limit)
            found = c.search(word, offset=offset, limit=limit)
            now = _ranked_now(c, word, offset=offset, limit=limit)
            assert found.engine == now.engine == "index"
            assert (found.total, [(h.turn_id, h.score) for h in found.hits]) == \
                (now.total, [(h.turn_id, h.score) for h in now.hits]), (word, offset, limit)
            assert found.hits == now.hits
            if kept is not None:
                served += 1
                assert kept[0] == found.total and [-s for _, s in kept[1]] == [h.score for h in found.hits]
            else:
                assert offset + limit > keep and found.total > keep, (word, offset, limit)
    return served


def test_first_hits_kept_for_frequent_words_are_the_pages_the_index_ranks(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A frequent word's ranked pages within the kept hits are read from the pages file; they must be
    the pages the index ranks, in the same order with the same scores, after adds, replacement and
    deletion. Syncs in the middle of a run of writes leave the kept hits unsettled, never stale."""
    from stenogram.search.turn_index import facet_counts, word_pages

    keep = 6
    monkeypatch.setattr(facet_counts, "FREQUENT", 3)
    monkeypatch.setattr(word_pages, "KEEP", keep)
    files = _copy_fixtures(tmp_path / "docs", 12)
    files.sort(key=lambda p: "Iraq" not in p.read_text("utf-8"))
    db = tmp_path / "c.db"
    with stenogram.open(db) as c:
        c.ingest([str(p) for p in files[:6]])
        assert _assert_kept_pages_agree(c, keep) > 100
        c.ingest([str(p) for p in files[6:]])
        assert _assert_kept_pages_agree(c, keep) > 100
        index = beside(c.store).in_step()
        assert index is not None and index.page_of_word("iraq", offset=0, limit=3) is not None
        state = index.state()
        assert state is not None
        assert index.word_pages.lookup("iraq", state.seq + 1, offset=0, limit=3) is None
        assert index.word_pages.lookup("zzzznotthere", state.seq, offset=0, limit=3) is None
    text = files[0].read_text("utf-8")
    files[0].write_text(text.replace("Iraq", "Xanadoo Iraq Iraq Iraq"), encoding="utf-8")
    with stenogram.open(db) as c:
        assert len(c.ingest([str(files[0])]).updated) == 1
        _assert_kept_pages_agree(c, keep)
        best = c.search("iraq", limit=1).hits[0]
        assert best.document_id == c.search("Xanadoo").hits[0].document_id   # the new "Iraq Iraq Iraq" ranks first
        # a sync in the middle of a run of writes: the kept hits are marked as of no state, not kept on
        c.store.delete(best.document_id)
        beside(c.store).sync(pages=False)
        index = beside(c.store).in_step()
        assert index is not None
        assert index.word_pages.settled_at() is None and index.page_of_word("iraq", offset=0, limit=3) is None
        assert best.document_id not in {h.document_id for h in c.search("iraq", limit=50).hits}
        assert c.search("iraq").total == by_store(c.store, "iraq").total
    with stenogram.open(db) as c:                 # the last writer's close ranked them again
        index = beside(c.store).in_step()
        assert index is not None and index.page_of_word("iraq", offset=0, limit=3) is not None
        assert _assert_kept_pages_agree(c, keep) > 100


def test_filters_built_once_follow_the_index_as_it_changes(tmp_path: Path) -> None:
    """A filter's query is built once for each state of the index; after documents come and go, the
    same filters must find what the store finds, not what the index held when they were first built."""
    files = _copy_fixtures(tmp_path / "docs", 6, containing="Lavrov")
    db = tmp_path / "c.db"
    asked = [("", {"speaker": "Lavrov", "date": "2000..2030"}), ("", {"speaker": "Lavrov"}),
             ("", {"date": "2010..2030", "kind": "answer"}), ("", {"speaker": "Lavrov", "date": "2020"})]

    def totals(c: stenogram.Corpus) -> list[int]:
        found = [c.search(q, **kw) for q, kw in asked]
        assert all(f.engine == "index" for f in found)
        assert [f.total for f in found] == [by_store(c.store, q, options=kw).total for q, kw in asked]
        return [f.total for f in found]

    with stenogram.open(db) as c:
        c.ingest([str(p) for p in files[:3]])
        before = totals(c)
        c.ingest([str(p) for p in files[3:]])
        after = totals(c)
        assert after[0] > before[0] and after[1] > before[1]
        for doc_id in {h.document_id for h in c.search("", speaker="Lavrov", limit=1000).hits}:
            c.store.delete(doc_id)
        beside(c.store).sync()
        assert totals(c)[:2] == [0, 0]


def test_compact_gives_back_the_space_of_deleted_documents(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import documents

    (tmp_path / "docs").mkdir()
    for name, text in documents(150, seed=5, size=8000):
        (tmp_path / "docs" / name).write_text(text, encoding="utf-8")
    db = tmp_path / "c.db"
    run = _command_on(db)
    assert run("ingest", str(tmp_path / "docs"), "-q").returncode == 0
    with stenogram.open(db) as c:
        ids = [r[0] for r in c.store.query("SELECT id FROM documents ORDER BY id")]
        for ident in ids[: len(ids) * 2 // 3]:
            c.store.delete(ident)
        beside(c.store).sync()
        kept = {i: c.document(i) for i in ids[len(ids) * 2 // 3:]}
        found = c.search("security", limit=50)
        assert found.total and found.engine == "index"
        c.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before, free = db.stat().st_size, c.store.query("PRAGMA freelist_count")[0][0]
        assert free > 0
    told = run("stats")
    assert told.returncode == 0 and f"({free * 4096 / 1e6:,.1f} MB free; `stenogram compact` gives it back" in told.stdout
    done = run("compact")
    assert done.returncode == 0, done.stderr
    assert "compacted" in done.stderr and "MB →" in done.stderr
    assert db.stat().st_size < before * 0.7      # free pages gone, and the rest packed
    assert "(0.0 MB free)" in run("stats").stdout
    with stenogram.open(db, read_only=True) as c:
        assert c.store.query("PRAGMA freelist_count")[0][0] == 0
        assert {i: c.document(i) for i in kept} == kept
        again = c.search("security", limit=50)
        assert again.engine == "index"               # the rows kept their ids: the turn index is still in step
        assert [(h.turn_id, h.snippet) for h in again.hits] == [(h.turn_id, h.snippet) for h in found.hits]
        assert c.store.indexed_turns() == c.store.count("turns")
        c.store.conn.execute("INSERT INTO turns_fts(turns_fts, rank) VALUES ('integrity-check', 1)")


def test_compact_needs_a_writer(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    stenogram.open(db).close()
    with stenogram.open(db, read_only=True) as c, pytest.raises(StoreError, match="read-only"):
        c.compact()
