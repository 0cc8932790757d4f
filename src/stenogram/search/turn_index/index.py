"""The turn index: a tantivy index in a folder beside the corpus file, for fast ranked search.

The SQLite file stays the store of record. Every write to it also appends the document's id to
``index_log`` in the same transaction; ``TurnIndex.sync`` brings the index up to the log's newest
entry (delete the document's turns, add what the store now holds) and records that entry's number in
``state.json`` inside the folder. A reader uses the index only while that number equals the store's,
so the two never silently disagree: behind, the search falls back to the store's own full-text
index, and the next writer to open the corpus catches the index up. ``stenogram reindex`` rebuilds
it from scratch.

``state.json`` is not taken on trust. It also records how many turns the index held and the commit
(tantivy's opstamp) it holds them in; before the index answers, the folder is checked against it:
``meta.json`` there and readable, every segment file it lists there and not empty, the index's turns
as many as recorded and, in step, as many as the file holds. That costs a few stats and one count,
once for each state of the index. A failed check, or an error or panic from tantivy during a search,
makes the index damaged: searches answer from the store, ``StoreIndex.problem`` says why, and a
marker file in the folder tells the next writer to open the corpus to build the index again.

One document in the index is one turn, with its words and the fields the query language filters
and facets on (``fields.py``). The index reads the store through its typed reads (``Store.changes``,
``Store.turns_of``); ``beside.py`` holds the index of one open store.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import sqlite3
import tempfile
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

from stenogram.errors import StenogramError, StoreError
from stenogram.search.turn_index import facet_counts, word_pages
from stenogram.search.turn_index.facet_counts import FacetCounts, Tally, turn_facets
from stenogram.search.turn_index.fields import ANALYZER, build_analyzer, build_schema, turn_fields
from stenogram.search.turn_index.word_pages import WordPages
from stenogram.store.sqlite import Store

#: bump when the fields or the analyzer change: an index of another format is rebuilt
FORMAT = 6
STATE = "state.json"
#: tantivy's list of the index's segments and commit
META = "meta.json"
#: written when a search finds the index damaged: the next writer builds it again
DAMAGED = "damaged.json"
#: the files of one segment (tantivy writes each of them for every segment, never empty)
SEGMENT_FILES = ("idx", "pos", "term", "store", "fast", "fieldnorm")
WRITER_HEAP = 32_000_000
#: pending documents past which a catch-up rebuilds the whole index instead
REBUILD_ABOVE = 50_000
#: replaced or deleted documents whose turns' facet counts are taken away one by one: at most this
#: many, or one for every this many turns in the index; past that the frequent words are counted again
#: (a document's 11 turns take about 2.5 ms to count out for 117 frequent words; counting those words
#: again, about 17 ns a turn in the index for each word)
TAKE_AWAY_AT_LEAST = 20
TAKE_AWAY_PER_TURNS = 1000
#: values remembered about one state of the index (speakers of a label, undated turns), at most
MEMO_SIZE = 4096
T = TypeVar("T")


def folder_for(db_path: str) -> Path | None:
    """Where a corpus file's index lives: ``corpus.db`` → ``corpus.db.index/`` (an absolute path, so
    that it stays the same folder whatever the working directory becomes); none for ``:memory:``."""
    if db_path == ":memory:" or db_path.startswith("file:"):
        return None
    path = Path(db_path).absolute()
    return path.with_name(path.name + ".index")


@dataclass(frozen=True, slots=True)
class IndexState:
    format: int
    corpus: str
    seq: int
    #: the turns the index held, and its commit (opstamp), when this state was written (None: a state
    #: written before they were recorded)
    turns: int | None = None
    opstamp: int | None = None


class IndexDamaged(StoreError):
    """The index folder does not hold what its state says (for a reader: it cannot be used)."""


#: a check's answer when a writer is changing the index meanwhile: no judgement, and nothing kept
IN_FLUX = "\x00in flux"


def is_index_error(exc: BaseException) -> bool:
    """Whether an exception came from the index: an error tantivy raises (ValueError, OSError), or a
    panic in its Rust code (``pyo3_runtime.PanicException``, which derives from BaseException, so that
    ``except Exception`` lets it through). Never KeyboardInterrupt, SystemExit or stenogram's own."""
    if isinstance(exc, StenogramError):
        return False
    if isinstance(exc, (ValueError, OSError)):
        return True
    kind = type(exc)
    return kind.__name__ == "PanicException" and kind.__module__ == "pyo3_runtime"


def describe(exc: BaseException) -> str:
    """An index error in one short line."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if type(exc).__name__ == "PanicException":
        text = f"panic: {text}"
    return text if len(text) <= 160 else text[:157] + "..."


def notice(problem: str) -> str:
    """What a reader of the corpus is told when the index is damaged."""
    return (f"the turn index is damaged ({problem}); searches read the corpus file instead, which is slower; "
            "run `stenogram reindex` to rebuild it")


Stamp = tuple[int, int, int]


def _count(value: Any) -> int | None:
    """A count recorded in the state file, or None when it holds none (or not a count)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _stamp(path: Path) -> Stamp | None:
    """Identifies one version of a file: a new state.json is written beside and moved over the old one,
    so its inode changes even when its time does not."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_ino, st.st_size



class TurnIndex:
    """The index folder of one corpus file. One instance a folder per process (see ``open_index``)."""

    def __init__(self, folder: Path, *, writer: bool = True, immutable: bool = False) -> None:
        """Open (or create) the index in ``folder``. For a writer, one written by another format, or
        damaged, is cleared or marked to be built again, as the store holds everything needed to build
        it; a reader gets ``IndexDamaged``. ``immutable`` (a reader of a copy nothing writes): nothing is
        written into the folder, not even the lock files tantivy takes to read (see ``_lock_folder``)."""
        if writer and immutable:
            raise ValueError("an immutable index has no writer")
        self.folder = folder
        self.immutable = immutable
        self._tantivy_folder = _lock_folder(self, folder) if immutable else folder
        self.schema = build_schema()
        self.analyzer = build_analyzer()
        self._lock = threading.Lock()
        self._memo: dict[tuple[Any, ...], Any] = {}
        self._memo_stamp: tuple[str, int] | None = None
        self._memo_lock = threading.Lock()
        self._state_stamp: Stamp | None = None
        self._state: IndexState | None = None
        #: damage known to this process: (the state it was found in, or None for any; what is wrong)
        self._damage: tuple[Stamp | None, str] | None = None
        #: the checks' answers for the present state: (state, in step) → what is wrong, or None
        self._verdicts: dict[tuple[Stamp | None, bool], str | None] = {}
        if not immutable:
            folder.mkdir(parents=True, exist_ok=True)
        if (folder / STATE).is_file() and not (folder / META).is_file():
            # tantivy would make an empty index here, which the state would then vouch for
            if not writer:
                raise IndexDamaged(f"{META} is missing")
            self._damage = (None, f"{META} is missing")
        try:
            self.index = self._open_tantivy()
        except BaseException as exc:
            if not is_index_error(exc):
                raise
            if not writer:
                raise IndexDamaged(f"it cannot be opened: {describe(exc)}") from exc
            self._clear()
            self.index = self._open_tantivy()
        self.facet_counts = FacetCounts(folder, immutable=immutable)
        self.word_pages = WordPages(folder, immutable=immutable)

    def _open_tantivy(self) -> Any:
        import tantivy

        index = tantivy.Index(self.schema, path=str(self._tantivy_folder), reuse=True)
        index.register_tokenizer(ANALYZER, self.analyzer)
        return index

    # --- state ---------------------------------------------------------------------------------
    def state(self) -> IndexState | None:
        """What the index holds (format, corpus id, log number), re-read when the file changes."""
        path = self.folder / STATE
        stamp = _stamp(path)
        if stamp is None:
            self._state, self._state_stamp = None, None
            return None
        with self._lock:
            if stamp != self._state_stamp:
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                    self._state = IndexState(int(data["format"]), str(data["corpus"]), int(data["seq"]),
                                             _count(data.get("turns")), _count(data.get("opstamp")))
                except (OSError, ValueError, KeyError, TypeError, AttributeError):
                    self._state = None
                self._state_stamp = stamp
                self._verdicts.clear()
                try:
                    self.index.reload()
                except BaseException as exc:
                    if not is_index_error(exc):
                        raise
                    # the check before the index is used reloads it again, and says what is wrong
            return self._state

    def _write_state(self, state: IndexState) -> None:
        tmp = self.folder / (STATE + ".tmp")
        tmp.write_text(json.dumps({"format": state.format, "corpus": state.corpus, "seq": state.seq,
                                   "turns": state.turns, "opstamp": state.opstamp}), encoding="utf-8")
        os.replace(tmp, self.folder / STATE)

    def _clear(self) -> None:
        # the state first: while the rest goes, readers see no index, not a damaged one
        with contextlib.suppress(FileNotFoundError):
            (self.folder / STATE).unlink()
        for entry in self.folder.iterdir():
            if entry.is_file() and entry.name != ".tantivy-writer.lock":
                entry.unlink(missing_ok=True)

    def _start_over(self) -> None:
        """An empty index in place of this one, which cannot be written (its files cleared)."""
        with self._lock:
            self._clear()
            self.index = self._open_tantivy()
            self._state, self._state_stamp = None, None
            self._verdicts.clear()

    def in_step(self, corpus: str, seq: int) -> bool:
        state = self.state()
        return state is not None and state.format == FORMAT and state.corpus == corpus and state.seq == seq

    # --- trust ---------------------------------------------------------------------------------
    def problem(self, corpus: str, seq: int, turns_at: Callable[[int], int | None] | None = None) -> str | None:
        """What is wrong with the index (a few words), or None when it holds what its state says (or
        a writer is changing it meanwhile). ``seq``: the file's log number now; ``turns_at(seq)``: the
        file's turns while its log is at ``seq`` (None when it has moved on)."""
        found = self._verdict(corpus, seq, turns_at)
        return None if found == IN_FLUX else found

    def trusted(self, corpus: str, seq: int, turns_at: Callable[[int], int | None] | None = None) -> bool:
        """Whether searches can use the index now: nothing wrong with it, and no writer changing it."""
        return self._verdict(corpus, seq, turns_at) is None

    def fail(self, reason: str) -> None:
        """The index failed (a search met an error or a panic in it): distrust it until a writer
        rewrites it, and leave a note in the folder for the other processes and the next writer (when
        the folder can be written)."""
        state = self.state()
        with self._lock:
            self._damage = (self._state_stamp, reason)
        if state is not None and not self.immutable:
            with contextlib.suppress(OSError):
                tmp = self.folder / (DAMAGED + ".tmp")
                tmp.write_text(json.dumps({"reason": reason, "seq": state.seq}), encoding="utf-8")
                os.replace(tmp, self.folder / DAMAGED)

    def _known_damage(self) -> str | None:
        damage = self._damage
        if damage is not None and damage[0] in (None, self._state_stamp):
            return damage[1]
        return None

    def _verdict(self, corpus: str, seq: int, turns_at: Callable[[int], int | None] | None) -> str | None:
        state = self.state()
        stamp = self._state_stamp
        known = self._known_damage()
        if known is not None:
            return known
        if state is None or state.format != FORMAT or state.corpus != corpus:
            return None             # nothing claimed for this corpus: the index is not used, nor trusted
        in_step = state.seq == seq
        key = (stamp, in_step)
        with self._lock:
            if key in self._verdicts:
                return self._verdicts[key]
        found = self._check(state, turns_at if in_step else None)
        if found != IN_FLUX:
            with self._lock:
                if self._state_stamp == stamp:
                    self._verdicts[key] = found
        return found

    def _check(self, state: IndexState, turns_at: Callable[[int], int | None] | None) -> str | None:
        """Whether the folder holds what ``state`` says: None, what is wrong, or IN_FLUX when a writer
        committed to the index after the state was written (one at work now, or one that stopped
        before writing its state: the next writer catches the index up from the state's log number)."""
        marker = self.folder / DAMAGED
        if marker.is_file():
            try:
                return str(json.loads(marker.read_text(encoding="utf-8"))["reason"])
            except (OSError, ValueError, KeyError, TypeError):
                return "a search failed in it"
        try:
            opstamp, segments = self._meta()
        except IndexDamaged as exc:
            return str(exc)
        if state.opstamp is not None and opstamp != state.opstamp:
            if opstamp < state.opstamp:
                return f"{META} names an older commit than the index's state ({opstamp}, not {state.opstamp})"
            return IN_FLUX
        wrong = self._missing_files(segments)
        if wrong is not None:
            # a writer's merge may have just replaced those files, and meta.json with them
            return wrong if self._meta_or_none() == (opstamp, segments) else IN_FLUX
        try:
            self.index.reload()
            turns = int(self.searcher().num_docs)
        except BaseException as exc:
            if not is_index_error(exc):
                raise
            return f"it cannot be read: {describe(exc)}" if self._meta_or_none() == (opstamp, segments) else IN_FLUX
        if self._meta_or_none() != (opstamp, segments):
            return IN_FLUX
        if state.turns is not None and turns != state.turns:
            return f"it holds {turns:,} turns where {state.turns:,} were written to it"
        stored = turns_at(state.seq) if turns_at is not None else None
        if stored is not None and stored != turns:
            return f"it holds {turns:,} turns where the corpus file has {stored:,}"
        return None

    def _meta(self) -> tuple[int, list[tuple[str, int | None]]]:
        """meta.json's commit (opstamp), and its segments: (id, the commit of its deletions or None)."""
        try:
            data = json.loads((self.folder / META).read_bytes())
            segments = [(str(seg["segment_id"]), None if not seg.get("deletes") else int(seg["deletes"]["opstamp"]))
                        for seg in data["segments"]]
            return int(data["opstamp"]), segments
        except FileNotFoundError:
            raise IndexDamaged(f"{META} is missing") from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise IndexDamaged(f"{META} cannot be read: {describe(exc)}") from None

    def _meta_or_none(self) -> tuple[int, list[tuple[str, int | None]]] | None:
        try:
            return self._meta()
        except IndexDamaged:
            return None

    def _missing_files(self, segments: list[tuple[str, int | None]]) -> str | None:
        """The first file of these segments that is missing or empty, said in a few words; or None."""
        for ident, deletes in segments:
            stem = ident.replace("-", "")
            names = [f"{stem}.{ext}" for ext in SEGMENT_FILES] + ([] if deletes is None else [f"{stem}.{deletes}.del"])
            for name in names:
                try:
                    size = (self.folder / name).stat().st_size
                except FileNotFoundError:
                    return f"the segment file {name} is missing"
                except OSError as exc:
                    return f"the segment file {name} cannot be read: {describe(exc)}"
                if size == 0:
                    return f"the segment file {name} is empty"
        return None

    def searcher(self) -> Any:
        return self.index.searcher()

    def remembered(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """A value worked out from the index's present contents (``compute``), kept until the index changes."""
        state = self.state()
        stamp = None if state is None else (state.corpus, state.seq)
        with self._memo_lock:
            if self._memo_stamp != stamp or len(self._memo) > MEMO_SIZE:
                self._memo.clear()
                self._memo_stamp = stamp
            if key in self._memo:
                return cast(T, self._memo[key])
        value = compute()
        with self._memo_lock:
            if self._memo_stamp == stamp:
                self._memo[key] = value
        return value

    # --- writing -------------------------------------------------------------------------------
    def sync(self, store: Store, corpus: str, seq: int, *, rebuild: bool = False,
             pages: bool = True, turns_at: Callable[[int], int | None] | None = None) -> bool:
        """Bring the index (and the facet counts of its frequent words) up to log entry ``seq``; False
        when another process holds the writer. ``pages``: also rank the frequent words' first hits
        (``word_pages.py``), as at the end of a run of work; the syncs in the middle of one leave
        them to the last. ``turns_at``: the file's turns at a log number (see ``problem``).

        An index that does not hold what its state says (or that a search found damaged) is built
        again from the store; so is one that fails while being brought up to date."""
        state = self.state()
        # an index ahead of the file (the file put back from a copy) cannot be caught up: start again
        full = (rebuild or state is None or state.format != FORMAT or state.corpus != corpus
                or state.seq > seq)
        if not full and state is not None:
            wrong = self._known_damage() or self._check(state, turns_at if state.seq == seq else None)
            full = wrong not in (None, IN_FLUX)
        in_step = not full and state is not None and state.seq == seq
        if in_step and self._counts_settled_at() == seq and (not pages or self.word_pages.settled_at() == seq):
            return True
        try:
            return self._sync(store, corpus, seq, state, full=full, in_step=in_step, pages=pages)
        except BaseException as exc:
            if not is_index_error(exc):
                raise
        # the index failed while being written: build it again from the store, in a new folder's worth
        # of files when it was a full build that failed
        if full:
            self._start_over()
        try:
            return self._sync(store, corpus, seq, None, full=True, in_step=False, pages=pages)
        except BaseException as exc:
            if not is_index_error(exc):
                raise
            raise StoreError(f"{self.folder}: cannot write the search index ({describe(exc)}); remove the folder "
                             "and run `stenogram reindex` to build it again") from exc

    def _sync(self, store: Store, corpus: str, seq: int, state: IndexState | None, *, full: bool,
              in_step: bool, pages: bool) -> bool:
        try:
            writer = self.index.writer(WRITER_HEAP, 1)
        except ValueError as exc:
            if "lock" in str(exc).lower() or "busy" in str(exc).lower():
                return False
            raise
        try:
            counts = self._counts_before(None if full or state is None else state.seq)
            if not in_step:
                if not full and state is not None:
                    pending = store.changes(state.seq, seq)
                    if len(pending) > REBUILD_ABOVE:
                        full = True
                        counts = None
                if counts is not None:
                    counts = self._take_away_all(pending, counts)
                self._unsettle_pages()
                if not self._unsettle_counts():
                    counts = None
                if full:
                    writer.delete_all_documents()
                    for doc in self._documents(store, None, counts):
                        writer.add_document(doc)
                else:
                    for i in range(0, len(pending), 500):
                        chunk = pending[i:i + 500]
                        for ident in chunk:
                            writer.delete_documents_by_term("doc", ident)
                        for doc in self._documents(store, chunk, counts):
                            writer.add_document(doc)
                opstamp = int(writer.commit())
            else:
                opstamp = int(writer.commit_opstamp)
            # what the index holds at this commit, read while the writer's lock keeps it so
            self.index.reload()
            turns = int(self.searcher().num_docs)
            if not in_step:
                writer.wait_merging_threads()
        except BaseException:
            _quietly(writer.rollback)
            del writer
            raise
        del writer
        _give_back_freed_memory()
        self.index.reload()
        frequent = self._settle_counts(seq, counts)
        if pages:
            self._keep_pages(seq, frequent)
        if full:
            with contextlib.suppress(FileNotFoundError):
                (self.folder / DAMAGED).unlink()
            self._damage = None
        self._write_state(IndexState(FORMAT, corpus, seq, turns, opstamp))
        self.index.reload()
        return True

    # --- the facet counts of frequent words (``facet_counts.py``) ----------------------------------
    def facets_of_word(self, word: str, *, size: int = 20) -> dict[str, list[tuple[str, int]]] | None:
        """The facet counts of the turns holding ``word``, kept for the index's present state; None when
        they are not kept (not a frequent word, or the counts are being brought up to date)."""
        state = self.state()
        return None if state is None else self.facet_counts.lookup(word, state.seq, size=size)

    def _counts_settled_at(self) -> int | None:
        try:
            return self.facet_counts.settled_at()
        except sqlite3.Error:
            return None

    def _counts_before(self, seq: int | None) -> _CountsUnderway | None:
        """The words counted, if their counts belong to index state ``seq`` (so they can be brought
        forward by what changes); None: count every frequent word again after this sync."""
        if seq is None:
            return None
        try:
            settled, words = self.facet_counts.state()
        except sqlite3.Error:
            return None
        return _CountsUnderway(Tally(words)) if settled == seq else None

    def _unsettle_counts(self) -> bool:
        """Mark the counts as of no state before the index changes; False (and the file gone, so that
        every frequent word is counted again) when that cannot be written."""
        try:
            self.facet_counts.unsettle()
        except sqlite3.Error:
            self._drop_counts()
            return False
        return True

    def _drop_counts(self) -> None:
        with contextlib.suppress(OSError):
            self.facet_counts.remove()

    def _take_away_all(self, pending: list[str], counts: _CountsUnderway) -> _CountsUnderway | None:
        """Count out what these documents' turns now in the index bring to the frequent words' counts;
        None when so many are there that counting every frequent word again is cheaper."""
        import tantivy

        if not counts.tally.words:
            return counts
        searcher = self.searcher()
        present = []
        for ident in pending:
            in_doc = tantivy.Query.term_query(self.schema, "doc", ident)
            found = int(searcher.search(in_doc, limit=1, count=True).count)
            if found:
                present.append((in_doc, found))
        if len(present) > max(TAKE_AWAY_AT_LEAST, int(searcher.num_docs) // TAKE_AWAY_PER_TURNS):
            return None
        for in_doc, found in present:
            self._take_away(searcher, in_doc, found, counts)
        return counts

    def _take_away(self, searcher: Any, in_doc: Any, found: int, counts: _CountsUnderway) -> None:
        """Count out what one document's ``found`` turns in the index (``in_doc``) bring to the counts."""
        import tantivy

        t = tantivy.Query
        addresses = [a for _, a in searcher.search(in_doc, limit=found, count=False).hits]
        key = {(a.segment_ord, a.doc): i for i, a in enumerate(addresses)}
        facets: list[list[tuple[str, str]]] = [[] for _ in addresses]
        for facet in facet_counts.TERM_FACETS:
            for value, n in searcher.terms_with_prefix(facet, "", filter_query=in_doc):
                if n:
                    both = t.boolean_query([(tantivy.Occur.Must, in_doc),
                                            (tantivy.Occur.Must, t.term_query(self.schema, facet, value))])
                    for _, a in searcher.search(both, limit=found, count=False).hits:
                        facets[key[(a.segment_ord, a.doc)]].append((facet, value))
        for i, year in enumerate(searcher.fast_field_values("year", addresses)):
            if year is not None:
                facets[i].append(("year", str(year)))
        words: list[list[str]] = [[] for _ in addresses]
        for word in counts.tally.words:
            both = t.const_score_query(t.boolean_query([(tantivy.Occur.Must, in_doc),
                                                        (tantivy.Occur.Must, t.term_query(self.schema, "text", word))]), 1.0)
            for _, a in searcher.search(both, limit=found, count=False).hits:
                words[key[(a.segment_ord, a.doc)]].append(word)
        for turn_words, turn in zip(words, facets, strict=True):
            counts.tally.remove(turn_words, tuple(turn))

    def _settle_counts(self, seq: int, counts: _CountsUnderway | None) -> frozenset[str]:
        """Record the counts for index state ``seq``: the kept words' counts moved on by the turns
        written, and the words that became frequent counted in full (every frequent word when the
        counts could not be moved on). Returns the words counted (none when the file could not be written)."""
        searcher = self.searcher()
        if counts is None:
            new = [w for w, n in searcher.terms_with_prefix("text", "") if n >= facet_counts.FREQUENT]
        else:
            new = [w for w in counts.seen - counts.tally.words if searcher.doc_freq("text", w) >= facet_counts.FREQUENT]
        # two at a time: the index lets go of Python's lock while it counts (about twice as fast)
        with ThreadPoolExecutor(2, thread_name_prefix="stenogram-counts") as threads:
            counted = dict(zip(new, threads.map(lambda word: count_facets(searcher, self.schema, word), new), strict=True))
        try:
            self.facet_counts.settle(seq, counts.tally.deltas() if counts else Counter(), counted,
                                     start_over=counts is None)
        except sqlite3.Error:
            self._drop_counts()
            return frozenset()
        return (counts.tally.words if counts else frozenset()) | frozenset(counted)

    # --- the first hits of frequent words (``word_pages.py``) ------------------------------------
    def page_of_word(self, word: str, *, offset: int, limit: int) -> tuple[int, list[tuple[int, float]]] | None:
        """(turns holding ``word``, [(turn row id, score)] from ``offset``, best first), ranked for the
        index's present state; None when not kept (not a frequent word, a page past the kept hits, or
        the hits not ranked since the index last changed)."""
        state = self.state()
        return None if state is None else self.word_pages.lookup(word, state.seq, offset=offset, limit=limit)

    def _unsettle_pages(self) -> None:
        """Mark the kept hits as of no state before the index changes (or, failing that, forget them)."""
        try:
            self.word_pages.unsettle()
        except sqlite3.Error:
            with contextlib.suppress(OSError):
                self.word_pages.remove()

    def _keep_pages(self, seq: int, words: frozenset[str]) -> None:
        """Rank the first hits of each of ``words`` in the index as it is now, and keep them for state ``seq``."""
        import tantivy

        searcher = self.searcher()

        def rank(word: str) -> tuple[int, list[int], list[float]]:
            found = searcher.search(tantivy.Query.term_query(self.schema, "text", word), limit=word_pages.KEEP,
                                    count=True)
            rowids = searcher.fast_field_values("rowid", [a for _, a in found.hits]) if found.hits else []
            return int(found.count), [int(r) for r in rowids], [float(s) for s, _ in found.hits]

        # two at a time: the index lets go of Python's lock while it ranks
        with ThreadPoolExecutor(2, thread_name_prefix="stenogram-pages") as threads:
            kept = dict(zip(words, threads.map(rank, words), strict=True))
        try:
            self.word_pages.settle(seq, kept)
        except sqlite3.Error:
            with contextlib.suppress(OSError):
                self.word_pages.remove()

    def _documents(self, store: Store, ids: list[str] | None, counts: _CountsUnderway | None) -> Iterator[Any]:
        """One tantivy document a turn of these documents (all documents: ``None``); each turn's words
        and facets go into ``counts``."""
        held: list[dict[str, Any]] = []        # the fields of the document's turns read so far
        words: set[str] = set()                # and the words of its texts and title
        for row in store.turns_of(ids):
            if held and row.document_id != held[0]["doc"][0]:
                yield from _with_document_words(held, words)
                held, words = [], set()
            fields, tokens = turn_fields(row, self.analyzer)
            if counts is not None:
                counts.tally.add(tokens, turn_facets(fields))
                counts.seen.update(tokens)
            if not held and row.title:
                words.update(self.analyzer.analyze(row.title))
            words.update(tokens)
            held.append(fields)
        if held:
            yield from _with_document_words(held, words)


def _with_document_words(turns: list[dict[str, Any]], words: set[str]) -> Iterator[Any]:
    """The tantivy documents of one document's turns, its words (``doc_words``) on the first."""
    import tantivy

    if words:
        turns[0]["doc_words"] = [" ".join(words)]
    for fields in turns:
        yield tantivy.Document(**fields)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where the C library has none."""
    try:
        return cast(Callable[[int], int], ctypes.CDLL(None).malloc_trim)
    except (AttributeError, OSError, TypeError):
        return None


def _give_back_freed_memory() -> None:
    """Hand the heap a finished index writer freed back to the operating system. glibc keeps the freed
    memory of its threads' arenas for reuse, so without this a long ingest's resident memory grows by
    a few MB with every sync (measured: 92 → 111 MB over 3,000 documents; 82 → 85 MB with it)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@dataclass(slots=True)
class _CountsUnderway:
    """Facet counts being moved on by one sync: the kept words' changes, and every word written."""
    tally: Tally
    seen: set[str] = field(default_factory=set)


def count_facets(searcher: Any, schema: Any, word: str) -> dict[tuple[str, str], int]:
    """Every facet count of the turns holding ``word``, counted from the index."""
    import tantivy

    query = tantivy.Query.term_query(schema, "text", word)
    out: dict[tuple[str, str], int] = {}
    for facet in facet_counts.TERM_FACETS:
        out.update(((facet, str(value)), int(n)) for value, n in searcher.terms_with_prefix(facet, "", filter_query=query) if n)
    out.update((("year", year), n) for year, n in facet_counts.year_counts(searcher.aggregate(query, facet_counts.YEAR_AGGREGATION)))
    return out


def _quietly(step: Callable[[], Any]) -> None:
    """Run a clean-up step of the index, ignoring its errors (the error that led to it is the one told)."""
    try:
        step()
    except BaseException as exc:
        if not is_index_error(exc):
            raise


def _lock_folder(owner: TurnIndex, folder: Path) -> Path:
    """A folder of links to the files of the index in ``folder``, for tantivy to read it through. Every
    tantivy reader takes a lock file (it opens it for writing, making it when missing) in the folder it
    reads; this one is a temporary folder of its own, removed with ``owner``, so a copy of a corpus on a
    read-only file system or served with ``--read-only`` is read without writing into its folder. The
    links are made once: nothing writes such a copy while it is open."""
    links = Path(tempfile.mkdtemp(prefix="stenogram-index-"))
    weakref.finalize(owner, shutil.rmtree, links, ignore_errors=True)
    for entry in folder.iterdir():
        if entry.is_file() and not entry.name.endswith(".lock"):
            (links / entry.name).symlink_to(entry.absolute())
    return links


_OPEN: dict[str, TurnIndex] = {}
#: folders a reader could not use: the state file's version then, and why
_UNUSABLE: dict[str, tuple[Stamp | None, str]] = {}
_OPEN_LOCK = threading.Lock()


def _key(folder: Path, immutable: bool) -> str:
    """The key of an index folder in ``_OPEN`` and ``_UNUSABLE`` (read as immutable or not)."""
    return str(folder.resolve()) + (" (immutable)" if immutable else "")


def open_index(db_path: str, *, create: bool = True, immutable: bool = False) -> TurnIndex | None:
    """The index of a corpus file, shared by every Store of this process on that file.

    A reader (``create=False``) never makes or clears one: with no usable index it gets None and
    searches the file (``open_problem`` says why, when the index is there but damaged); it tries
    again once the index's state changes (a writer rebuilt it). ``immutable``: a reader of a copy that
    nothing writes, which writes nothing into the folder (``TurnIndex``)."""
    folder = folder_for(db_path)
    if folder is None:
        return None
    key = _key(folder, immutable)
    with _OPEN_LOCK:
        found = _OPEN.get(key)
        if found is not None and folder.is_dir():
            return found
        if not create and not (folder / STATE).is_file():
            return None
        stamp = _stamp(folder / STATE)
        if not create and key in _UNUSABLE and _UNUSABLE[key][0] == stamp:
            return None
        try:
            found = TurnIndex(folder, writer=create, immutable=immutable)
        except IndexDamaged as exc:
            if create:
                raise
            _UNUSABLE[key] = (stamp, str(exc))
            return None
        except (OSError, ValueError):
            if create:
                raise
            return None
        _UNUSABLE.pop(key, None)
        _OPEN[key] = found
        return found


def open_problem(db_path: str, *, immutable: bool = False) -> str | None:
    """Why a reader could not open the corpus file's index (while its state is as it was then), or None."""
    folder = folder_for(db_path)
    if folder is None:
        return None
    with _OPEN_LOCK:
        failed = _UNUSABLE.get(_key(folder, immutable))
    return failed[1] if failed is not None and failed[0] == _stamp(folder / STATE) else None
