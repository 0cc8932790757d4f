"""The turn index of one open store: found, caught up, rebuilt and judged from here.

The store knows nothing of the index beside its file; whoever holds a store (the ``Corpus`` facade,
the search engine) asks ``beside(store)`` for it. There is one ``StoreIndex`` a store object, made
the first time it is asked for and forgotten with the store; the tantivy index itself is shared by
every store of this process on the same file (``open_index``).
"""

from __future__ import annotations

import threading
import time
import weakref

from stenogram.errors import StoreError
from stenogram.search.turn_index.index import TurnIndex, open_index, open_problem
from stenogram.store.sqlite import Store


class StoreIndex:
    """The turn index beside one store's file, as that store sees it."""

    def __init__(self, store: Store) -> None:
        # a weak reference: the table of StoreIndex objects must not keep its stores open
        self._store = weakref.ref(store)
        self._index: TurnIndex | None = None

    @property
    def store(self) -> Store:
        store = self._store()
        if store is None:
            raise StoreError("the corpus this turn index belongs to is closed; open it again")
        return store

    def turn_index(self) -> TurnIndex | None:
        """The index folder of the store's file, opened (made, for a writer) once it is there; None for
        a file in memory, or, for a reader, while there is no usable index."""
        if self._index is None:
            store = self.store
            self._index = open_index(store.path, create=not store.read_only, immutable=store.immutable)
        return self._index

    def in_step(self) -> TurnIndex | None:
        """The turn index if it holds exactly what the file holds now, else None (search the file instead):
        in step with the file, and holding what its state says (checked once for each state of it)."""
        store = self.store
        if store.in_transaction:
            return None
        index = self.turn_index()
        seq = store.log_seq()
        if index is None or not index.in_step(store.corpus_id, seq) or not index.trusted(store.corpus_id, seq, store.turns_at):
            return None
        return index

    @property
    def problem(self) -> str | None:
        """Why the turn index cannot be trusted, in a few words (searches answer from the file until
        ``reindex``, or the next writer to open the corpus, builds it again); None when it can, or is
        only behind, or there is none yet."""
        store = self.store
        if store.in_transaction:
            return None
        index = self.turn_index()
        if index is None:
            return open_problem(store.path, immutable=store.immutable)
        return index.problem(store.corpus_id, store.log_seq(), store.turns_at)

    def sync(self, *, rebuild: bool = False, wait: float = 0.0, pages: bool = True) -> bool:
        """Bring the turn index up to the file; False if another process is writing it (it will catch up).

        ``wait``: seconds to keep trying while another process holds the index. ``pages``: also rank
        the frequent words' first hits (False for the syncs in the middle of a run of writes)."""
        store = self.store
        if store.in_transaction:
            raise StoreError("bringing the turn index up to date inside a transaction would index uncommitted turns; "
                             "finish the transaction first")
        index = self.turn_index()
        if index is None:
            return True
        give_up = time.monotonic() + wait
        while True:
            seq = store.log_seq()
            if index.sync(store, store.corpus_id, seq, rebuild=rebuild, pages=pages, turns_at=store.turns_at):
                store.forget_changes(seq)
                return True
            if time.monotonic() >= give_up:
                return False
            time.sleep(0.2)

    def reindex(self) -> int:
        """Rebuild both full-text indexes (the file's own and this one) and the yearly word counts from
        the turns; returns the number of turns indexed."""
        store = self.store
        store.reindex()
        self.sync(rebuild=True)
        return store.indexed_turns()


_BESIDE: weakref.WeakKeyDictionary[Store, StoreIndex] = weakref.WeakKeyDictionary()
_BESIDE_LOCK = threading.Lock()


def beside(store: Store) -> StoreIndex:
    """The turn index of ``store`` (the same object each time for the same store)."""
    with _BESIDE_LOCK:
        found = _BESIDE.get(store)
        if found is None:
            found = _BESIDE[store] = StoreIndex(store)
        return found
