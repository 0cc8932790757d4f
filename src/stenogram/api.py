"""The Python facade: open a corpus, ingest, search, read documents and turns, summarise.

    import stenogram
    with stenogram.open("stenogram.db") as corpus:
        corpus.ingest(["examples/"])
        for hit in corpus.search("Iraq", speaker="Sergey Lavrov").hits:
            print(hit.turn_id, hit.snippet)
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from functools import cache
from pathlib import Path
from types import TracebackType

from stenogram import limits
from stenogram.align import TurnVersion, VersionPair, align, turn_in
from stenogram.align.edits import FIELD_NAMES as CHANGE_FIELDS
from stenogram.align.edits import DocumentDiff, TurnChange
from stenogram.align.edits import describe as describe_changes
from stenogram.align.side_by_side import ParagraphRow, SideBySide, SideRow, side_by_side
from stenogram.analyze.comentions import Pair, Pairs, comentions, write_graph
from stenogram.analyze.keyness import KeyTerm, KeyTerms, keyness
from stenogram.analyze.kwic import KwicLine, KwicLines, KwicSort, kwic
from stenogram.analyze.profile import Profile, speaker_profile
from stenogram.analyze.speakers import SpeakerCount, speakers
from stenogram.analyze.stats import Stats, cached_stats, corpus_stats
from stenogram.analyze.trend import By, Per, Split, TermLanguages, Trend, trend
from stenogram.analyze.trend import plot as plot_trend
from stenogram.cluster import BulkError, BulkReport, InputResult, WorkerFigures, bulk
from stenogram.collect.crawler import CrawlProgress, CrawlReport, ReparseReport
from stenogram.collect.readers import ner_extra, process, read_input, shown
from stenogram.collect.validate import url_problem
from stenogram.errors import ExportError, InputError, NotFound
from stenogram.export import PAIR_FORMATS, ExportSummary, export, export_pairs
from stenogram.export.cite import STYLES as CITATION_STYLES
from stenogram.export.cite import Citation, cite
from stenogram.gazetteer import load as load_table
from stenogram.ingest import (
    IngestReport,
    Progress,
    add_document,
    crawl_site,
    find_inputs,
    ingest,
    reparse_snapshots,
)
from stenogram.limits import bounded
from stenogram.model import Document, Turn
from stenogram.parse.explain import LineDecision, explain_bytes
from stenogram.search.compile import compile_query
from stenogram.search.engine import MARK_CLOSE, MARK_OPEN, Hit, SearchResult, Sort, build_query, search, stream
from stenogram.search.filters import FIELDS as FILTER_FIELDS
from stenogram.search.suggest import Suggestion, country_name, suggestions
from stenogram.search.turn_index.beside import beside
from stenogram.search.turn_index.index import folder_for
from stenogram.search.turn_index.index import notice as index_notice
from stenogram.store.history import Edit, Event, History, Version
from stenogram.store.sqlite import Store

__all__ = [
    "CHANGE_FIELDS",
    "CITATION_STYLES",
    "FILTER_FIELDS",
    "MARK_CLOSE",
    "MARK_OPEN",
    "BulkError",
    "BulkReport",
    "Citation",
    "Corpus",
    "DocumentDiff",
    "Edit",
    "Event",
    "History",
    "Hit",
    "IngestReport",
    "InputResult",
    "KeyTerm",
    "KeyTerms",
    "KwicLine",
    "KwicLines",
    "LineDecision",
    "Pair",
    "Pairs",
    "ParagraphRow",
    "Profile",
    "SearchResult",
    "SideBySide",
    "SideRow",
    "SpeakerCount",
    "Stats",
    "Suggestion",
    "TermLanguages",
    "Trend",
    "TurnChange",
    "TurnVersion",
    "Version",
    "VersionPair",
    "WorkerFigures",
    "bulk",
    "corpus_files",
    "country_label",
    "country_name",
    "default_db",
    "describe_changes",
    "explain_file",
    "find_inputs",
    "index_notice",
    "open",
    "parse_file",
    "plot_trend",
    "process",
    "read_input",
    "write_graph",
]

DEFAULT_DB = "stenogram.db"
#: the filter of dates, to read a range (Corpus.matching_turns)
_DATES = next(f for f in FILTER_FIELDS if f.name == "date")
#: the countries mentioned most, by (corpus file, corpus id, log number, limit): see Corpus.countries
_COUNTRIES: dict[tuple[str, str, int, int], list[tuple[str, int]]] = {}
#: seconds at most spent waiting for another writer to bring the turn index up to the file
INDEX_WAIT = 30.0


def parse_file(path: str, *, url: str | None = None, ner: str | None = None) -> Document:
    """Parse and enrich one transcript file (``-`` for standard input); ``ner="spacy:MODEL"`` adds a model's entities.
    Raises InputError for a ``url`` that is not an http or https URL."""
    if url is not None and (problem := url_problem(url)) is not None:
        raise InputError(f"the URL {shown(url)!r} {problem}; give the page's address, as http://... or https://...")
    name = "<stdin>" if path == "-" else shown(path)
    return process(read_input(path), name=name, url=url, extra=ner_extra(ner))


def explain_file(path: str, *, url: str | None = None) -> tuple[Document, list[LineDecision]]:
    """Parse one transcript file (``-`` for standard input) and say, for each of its lines, where the parser
    put it (title, a header field, preamble, a section, boilerplate, a turn's label, text or note) and why."""
    if url is not None and (problem := url_problem(url)) is not None:
        raise InputError(f"the URL {shown(url)!r} {problem}; give the page's address, as http://... or https://...")
    return explain_bytes(read_input(path), name="<stdin>" if path == "-" else shown(path), url=url)


class Corpus:
    """A corpus of parsed documents in one SQLite file."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._index = beside(store)
        self._synced_at = time.monotonic()

    @property
    def path(self) -> str:
        return self.store.path

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if not self.store.read_only:
            self._index.sync(wait=INDEX_WAIT)
        self.store.close()

    def _index_now(self, *, every: float | None = None) -> None:
        """Bring the turn index up to the file: now, or when ``every`` seconds have passed since last time.
        Readers search the file's own index while the turn index is behind, so this only keeps them fast.
        Only a sync now (the end of a run of work) ranks the frequent words' first hits again."""
        if every is not None and time.monotonic() - self._synced_at < every:
            return
        self._index.sync(wait=INDEX_WAIT if every is None else 0.0, pages=every is None)
        self._synced_at = time.monotonic()

    # --- writing -----------------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str], *, on_file: Progress | None = None,
               on_start: Callable[[int], None] | None = None, ner: str | None = None, jobs: int = 1) -> IngestReport:
        """Parse and store transcripts. Unchanged files are skipped (without parsing them again), changed
        ones replace their old version. A file or a record that fails (a JSONL line that breaks the document
        contract, a dataset row, a damaged web-archive record, a document the store refuses) is reported with
        its file and position, and the rest of the file and of the batch go in: each document is written in a
        savepoint of its batch's transaction. Work is committed in batches, so an interrupted run leaves whole
        documents only, and running it again completes the work. ``jobs`` > 1 parses in that many processes (the
        store is written by this one, in file order), which end with this one however it ends."""
        return ingest(self.store, paths, sync_index=self._index_now, on_file=on_file, on_start=on_start, ner=ner,
                      jobs=jobs)

    def add(self, doc: Document, *, origin: str | None = None) -> str:
        """Store one parsed document (from Python); returns added, updated or unchanged. The document is checked
        against the contract first, as an ingested one is (ContractError says what is wrong)."""
        return add_document(self.store, doc, origin=origin, sync_index=self._index_now)

    def reindex(self) -> int:
        return self._index.reindex()

    def compact(self) -> tuple[int, int]:
        """Give the file's free space back to the disk; returns its size in bytes before and after."""
        return self.store.compact()

    def crawl(self, site: str, *, languages: tuple[str, ...] = ("en",), since: dt.date | None = None,
              until: dt.date | None = None, update: bool = False, base_url: str | None = None, rate: float = 1.0,
              contact_url: str | None = None, timeout: float = 30.0,
              progress: Callable[[CrawlProgress], None] | None = None,
              recheck: int | None = None) -> tuple[CrawlReport, IngestReport]:
        """Walk a site's archive politely (robots.txt, rate limit, retries), fetch each item once, keep the raw
        bytes in the snapshot store next to the corpus, and parse and store every page as it arrives. With
        ``update``, items fetched before are refreshed with conditional requests (``recheck``: those listed in the
        last so many days); a changed transcript becomes a new version and a page gone is marked withdrawn."""
        return crawl_site(self.store, site, sync_index=self._index_now, languages=languages, since=since,
                          until=until, update=update, base_url=base_url, rate=rate, contact_url=contact_url,
                          timeout=timeout, progress=progress, recheck=recheck)

    def reparse(self) -> tuple[ReparseReport, IngestReport]:
        """Parse every stored snapshot again (after a parser upgrade), without the network."""
        return reparse_snapshots(self.store, sync_index=self._index_now)

    def export(self, fmt: str, out: str | os.PathLike[str], query: str = "", *, languages: Sequence[str] | None = None,
               min_confidence: float = 0.0, **filters: str | None) -> ExportSummary:
        """Write the corpus, or the documents a query matches, as jsonl, csv, parquet, tei or convokit; or the
        aligned paragraphs of its pairs of language versions (``version_pairs``) as tmx or parallel, those of
        ``languages`` only (the first named is side a) and aligned with at least ``min_confidence`` (0 to 1)."""
        if fmt in PAIR_FORMATS:
            return export_pairs(self.store, fmt, Path(out), self.version_pairs(query, languages=languages, **filters),
                                languages=languages, min_confidence=min_confidence,
                                selected=bool(query or any(filters.values())))
        if languages is not None or min_confidence:
            raise ExportError(f"languages and min_confidence choose aligned pairs of language versions, which the "
                             f"tmx and parallel formats write; {fmt} writes documents (filter them by language "
                             "with lang:ru in the query)")
        ids = None
        if query or any(filters.values()):
            ids = [h.document_id for h in stream(self.store, query, options=filters, documents=True, sort="date")]
        return export(self.store, fmt, Path(out), document_ids=ids)

    # --- reading -----------------------------------------------------------------------------------
    def search(self, query: str = "", *, documents: bool = False, sort: Sort = "rank", limit: int = 20,
               offset: int = 0, facets: bool = False, with_question: bool = False, in_language: str | None = None,
               **filters: str | None) -> SearchResult:
        """Turns (or documents) matching a query; filters as keywords: speaker=, kind=, date=, ..."""
        return search(self.store, query, options=filters, documents=documents, sort=sort, limit=limit, offset=offset,
                      facets=facets, with_question=with_question, in_language=in_language)

    def stream(self, query: str = "", *, documents: bool = False, sort: Sort = "rank", with_question: bool = False,
               **filters: str | None) -> Iterator[Hit]:
        return stream(self.store, query, options=filters, documents=documents, sort=sort, with_question=with_question)

    def document(self, document_id: str, *, version: int | None = None) -> Document:
        """A document as it is now, or an earlier version of it (1 is the first seen; NoSuchVersion otherwise)."""
        if version is not None:
            return self.store.document_version(document_id, version)
        return self.store.document(document_id)

    def history(self, document_id: str, *, diffs: bool = True) -> History:
        """Every version of a document with what changed from one to the next, and its withdrawals; without
        ``diffs``, its versions, edit and withdrawal days alone (cheap: no version is read)."""
        return self.store.history_of(document_id, diffs=diffs)

    def edits(self, *, since: dt.date | None = None, until: dt.date | None = None,
              limit: int | None = None) -> list[Edit]:
        """Documents edited after publication (a later version seen) or withdrawn, newest first; the days are
        those the change was seen."""
        if since and until and since > until:
            raise InputError(f"--since {since} is after --until {until}: swap them, or leave one open")
        return self.store.edits(since.isoformat() if since else None, until.isoformat() if until else None,
                                limit=limit)

    def edit_state(self, document_ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
        """Document id → (day edited, day withdrawn), for those of these documents that were edited or withdrawn:
        the badges of a list of hits."""
        return self.store.edit_state(document_ids)

    def turn(self, turn_id: str) -> tuple[Document, Turn]:
        return self.store.turn(turn_id)

    def cite(self, ident: str, *, accessed: dt.date | None = None, permalink: str | None = None) -> Citation:
        """How to cite a turn (``<document id>#<n>``) or a document: a Chicago-style note and an APA-style
        reference (``styles``), BibTeX and CSL-JSON. ``accessed``: the day it was read (today by default);
        ``permalink``: its address in a served corpus, cited beside the original page's. NotFound for an
        unknown id."""
        document_id, mark, index = ident.rpartition("#")
        if mark and document_id and index.isdigit():
            doc, turn = self.turn(ident)
            return cite(doc, turn, permalink=permalink, accessed=accessed or dt.date.today())
        return cite(self.document(ident), permalink=permalink, accessed=accessed or dt.date.today())

    def versions(self, document_id: str) -> list[tuple[str, str]]:
        """(id, language) of the document's other language versions in the corpus."""
        return self.store.siblings(document_id)

    def document_beside(self, document_id: str, language: str) -> SideBySide:
        """The document beside its version in ``language``, to be read side by side: every turn of both in
        reading order, each aligned pair in one row with its confidence, paragraph by paragraph (the two
        are aligned once, however many turns they hold). NotFound when the corpus holds no version of the
        item in that language."""
        doc = self.document(document_id)
        held = self.versions(doc.id)
        other = next((ident for ident, lang in held if lang == language), None)
        if other is None:
            offered = ", ".join(lang for _, lang in held) or "none"
            raise NotFound(f"{language!r} language version (the other versions held: {offered}) of the document", doc.id)
        return side_by_side(doc, self.document(other), self.store.alignment(doc.id, other))

    def suggestions(self, query: str, **filters: str | None) -> list[Suggestion]:
        """Searches the query may have meant, with what each finds: an entity search for a word that names
        one (``Iraq`` → ``country:IQ``, which finds the country's mentions in every language), and the
        nearest speakers for a speaker filter (in the query or ``filters``) that matches nobody."""
        return suggestions(self.store, query, [lang for lang, _ in self.stats(cached=True).by_language], filters)

    def turn_versions(self, turn_id: str, *, languages: Iterable[str] | None = None) -> list[TurnVersion]:
        """The turn as each other language version of its document in the corpus has it (or those in
        ``languages``), aligned turn by turn and paragraph by paragraph, with the alignment's confidence."""
        doc, turn = self.turn(turn_id)
        wanted = set(languages) if languages is not None else None
        return [turn_in(doc, turn.index, self.document(other), self.store.alignment(doc.id, other))
                for other, language in self.versions(doc.id) if wanted is None or language in wanted]

    def versions_by_count(self) -> list[tuple[int, int]]:
        """(languages, items): how many items the corpus holds in 2, 3, … language versions, most first."""
        return self.store.versions_by_count()

    def version_pairs(self, query: str = "", *, languages: Sequence[str] | None = None,
                      **filters: str | None) -> Iterator[VersionPair]:
        """Every pair of language versions of one item in the corpus (or of the items of the documents a
        query finds), the two in language order, with their alignment; ``languages`` keeps the pairs whose
        two languages are both in it."""
        ids = None
        if query or any(filters.values()):
            ids = list(dict.fromkeys(h.document_id for h in stream(self.store, query, options=filters, documents=True)))
        wanted = set(languages) if languages is not None else None
        for group in self.store.version_groups(ids):
            members = [(ident, lang) for ident, lang in group if wanted is None or lang in wanted]
            docs = {ident: self.document(ident) for ident, _ in members}
            for i, (first, _) in enumerate(members):
                for second, _ in members[i + 1:]:
                    stored = self.store.alignment(first, second)
                    yield VersionPair(docs[first], docs[second], stored or align(docs[first], docs[second]))

    def stats(self, *, cached: bool = False) -> Stats:
        """What the corpus holds: counts by source, language, year and kind, top speakers, completeness, the
        file's size and the turn index's health. ``cached``: counted once a corpus state (for servers)."""
        return cached_stats(self.store) if cached else corpus_stats(self.store)

    def speakers(self, prefix: str = "", *, limit: int = 20) -> list[SpeakerCount]:
        """Speakers with their turn counts, most first; ``prefix`` narrows them to names whose first or last
        word begins with it."""
        return speakers(self.store, prefix, limit=limit)

    def countries(self, *, limit: int = 10) -> list[tuple[str, int]]:
        """The countries mentioned most (ISO codes) with their mentions, most first (ties by code); counted
        once a corpus state (a front page asks every time)."""
        bounded("limit", limit, limits.SPEAKERS)
        key = (self.store.path, self.store.corpus_id, self.store.log_seq(), limit)
        found = _COUNTRIES.get(key)
        if found is None:
            found = [(str(code), int(n)) for code, n in self.store.query(
                "SELECT entity_id, count(*) AS n FROM mentions WHERE type = 'country' AND entity_id IS NOT NULL"
                " GROUP BY entity_id ORDER BY n DESC, entity_id LIMIT ?", (limit,))]
            if len(_COUNTRIES) > 16:
                _COUNTRIES.clear()
            _COUNTRIES[key] = found
        return list(found)

    def matching_turns(self, document_id: str, query: str = "", **filters: str | None) -> list[int]:
        """The numbers of a document's turns that a search for turns (``query`` and ``filters``, as for
        ``search``) finds, in reading order. The search itself answers, narrowed to the document's day,
        source and language (the turn index finds those turns at once, whatever the filters). NotFound
        for an unknown document; QueryError as ``search``."""
        found = self.store.query("SELECT day, source, language FROM documents WHERE id = ?", (document_id,))
        if not found:
            raise NotFound("document", document_id)
        build_query(query, filters, self.store)          # a query or filter that cannot be read: as search says
        day, source, language = found[0]
        if day is None:
            return self._matching_turns_in_file(document_id, query, filters)
        narrowed = dict(filters, date=day)
        if filters.get("date"):           # the document's day, if it is in the range asked for
            wanted = _DATES.read(str(filters["date"]).replace('"', ""))
            if (wanted.low and day < wanted.low) or (wanted.high and day > wanted.high):
                return []
        narrowed["source"] = filters.get("source") or source
        narrowed["lang"] = filters.get("lang") or language
        return sorted(h.index for h in self.stream(query, **narrowed) if h.document_id == document_id)

    def _matching_turns_in_file(self, document_id: str, query: str, filters: dict[str, str | None]) -> list[int]:
        """matching_turns of a document without a date, from the corpus file: its rows alone."""
        compiled = compile_query(build_query(query, filters, self.store))
        low, high = self.store.query("SELECT min(rowid), max(rowid) FROM turns WHERE document_id = ?", (document_id,))[0]
        if low is None:
            return []
        rows = "turns t JOIN documents d ON d.id = t.document_id"
        where = "t.document_id = ? AND " + compiled.where_sql()
        params: list[object] = [document_id, *compiled.params]
        if compiled.match:     # the words through the full-text index, within the document's rows only
            rows = "turns_fts JOIN turns t ON t.rowid = turns_fts.rowid JOIN documents d ON d.id = t.document_id"
            where = "turns_fts MATCH ? AND turns_fts.rowid BETWEEN ? AND ? AND " + where
            params = [f"{{text}} : ({compiled.match})", low, high, *params]
        return [int(r[0]) for r in self.store.query(f"SELECT t.idx FROM {rows} WHERE {where} ORDER BY t.idx", params)]

    # --- analyses ----------------------------------------------------------------------------------
    def trend(self, terms: Sequence[str], *, query: str = "", by: By = "year", per: Per | None = None,
              split: Split | None = None, top_groups: int = 8, **filters: str | None) -> Trend:
        """Occurrences of each term a period (day, week, month, year), optionally normalised ``per`` 10k words,
        documents or turns, and split by speaker, source or country. A word's rates are counted against the
        languages it occurs in, an entity search's (``country:IQ``) against all; ``Trend.counted`` says which."""
        return trend(self.store, terms, query=query, options=filters, by=by, per=per, split=split,
                     top_groups=top_groups)

    def kwic(self, term: str, *, query: str = "", width: int = 60, sort: KwicSort = "left", limit: int = 100,
             **filters: str | None) -> KwicLines:
        """Keyword in context: up to ``limit`` lines with ``width`` characters each side, sorted left, right or
        by date (``languages``: lines by the language of their turn)."""
        return kwic(self.store, term, query=query, options=filters, width=width, sort=sort, limit=limit)

    def comentions(self, *, query: str = "", type: str = "country", limit: int = 50,
                   **filters: str | None) -> Pairs:
        """Pairs of entities of one type (country, organization, person) mentioned in the same turn, most
        turns first (``languages``: the turns that gave pairs, by language)."""
        return comentions(self.store, query=query, options=filters, type=type, limit=bounded("limit", limit, limits.PAIRS))

    def keyness(self, target: str, reference: str, *, by: str = "log_likelihood", min_count: int = 3,
                limit: int = 30, all_languages: bool = False, **filters: str | None) -> KeyTerms:
        """Words over-represented in the turns of the ``target`` query against those of ``reference``, within one
        language: ``lang=``, else the one both sides are in (or have the most words in). ``all_languages``
        compares across languages; without it, sides that share no language are refused (InputError)."""
        return keyness(self.store, target, reference, options=filters, all_languages=all_languages, by=by,
                       min_count=min_count, limit=limit)

    def profile(self, speaker: str, *, query: str = "", **filters: str | None) -> Profile:
        """A speaker's turns over time, kinds of turn, top words, what they mention, who asked them, and the
        languages of the turns counted."""
        return speaker_profile(self.store, speaker, query=query, options=filters)

    @property
    def index_problem(self) -> str | None:
        """Why the turn index is not trusted (searches then read the corpus file, more slowly), or None."""
        return self._index.problem

    @property
    def index_ready(self) -> bool:
        """Whether the turn index is in step with the file and answers searches."""
        return self._index.in_step() is not None

    @property
    def is_empty(self) -> bool:
        """Whether the corpus holds no document."""
        return not self.store.query("SELECT EXISTS (SELECT 1 FROM documents)")[0][0]

    def file_space(self) -> tuple[int, int]:
        """The corpus file's size and the free space inside it, in bytes (``compact`` gives the free space back)."""
        return self.store.size(), self.store.free_space()

    # --- for servers -------------------------------------------------------------------------------
    def deadline(self, seconds: float) -> AbstractContextManager[None]:
        """Stop any statement still running after ``seconds`` (it raises sqlite3.OperationalError: interrupted)."""
        return self.store.deadline(seconds)

    def state(self) -> tuple[str, str, int, bool]:
        """What identifies the corpus's present contents: any write changes it (for caches of answers)."""
        return (self.store.path, self.store.corpus_id, self.store.log_seq(), self._index.in_step() is not None)


def corpus_files(path: str | os.PathLike[str]) -> list[Path]:
    """What a corpus at ``path`` is made of on disk: the file, SQLite's write-ahead log and shared memory beside
    it (while it is open), and the turn index folder (``corpus.db.index/``)."""
    file = Path(path)
    index = folder_for(str(path))
    return [file, file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm"), *([index] if index else [])]


def country_label(code: str) -> str:
    """A country's English name for pages and tables: ``country_name``'s, else the first English form
    the country aliases table gives the code (it knows every country mentions are found for), else the code."""
    name = country_name(code)
    if name != code:
        return name
    forms = _country_aliases().get(code, {}).get("en") or [code]
    return str(forms[0])


@cache
def _country_aliases() -> dict[str, dict[str, list[str]]]:
    table: dict[str, dict[str, list[str]]] = load_table("country_aliases.json")["countries"]
    return table


def default_db() -> str:
    return os.environ.get("STENOGRAM_DB") or DEFAULT_DB


def open(path: str | os.PathLike[str] | None = None, *, read_only: bool = False, catch_up: bool = True,
         immutable: bool = False) -> Corpus:
    """Open (or create) a corpus; ``path`` defaults to ``$STENOGRAM_DB`` or ``./stenogram.db``. Opened for
    writing, its search index is brought up to date first; ``catch_up=False`` leaves that to the next
    write (or to ``reindex``, which would otherwise build it twice). ``immutable`` (with ``read_only``): a
    copy that nothing writes while it is open, read without writing any file into its folder or its index
    folder (as a reader does anyway when the folder cannot be written)."""
    corpus = Corpus(Store(str(path) if path is not None else default_db(), read_only=read_only, immutable=immutable))
    if not read_only and catch_up:
        corpus._index.sync()
    return corpus

