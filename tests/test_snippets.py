"""Snippets, pinned: the words around a hit's first match, cut at word boundaries with an ellipsis at
each cut end, every matched word in the window marked, and a search by filters only showing a turn's
opening words; the same, string for string, whether the turn index or the store answers."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import stenogram
from stenogram.api import MARK_CLOSE, MARK_OPEN
from stenogram.model import Document, Participant, Turn
from stenogram.search.engine import SearchResult, search, stream
from stenogram.search.snippet import snippet
from stenogram.store.sqlite import Store
from stenogram.web import create_app
from tests.test_filters import store_only


def _turn(index: int, text: str, speaker: str = "Jane Doe") -> Turn:
    return Turn(index=index, kind="statement", speaker=speaker, label=speaker, paragraphs=(text,))


ENGLISH = Document(
    id="example.org:snippets:en", source="example.org", language="en", title="Weekly briefing on Zephyrine",
    published="2021-03-04", kind="briefing", participants=(Participant(name="Jane Doe", role="host"),),
    turns=(
        # a match at the start
        _turn(0, "Quillwort talks opened in Geneva this morning, and the delegations spent the first hours on "
                 "the agenda, the order of the speakers and the questions the press may ask."),
        # a match in the middle, twice in the window, with punctuation next to it
        _turn(1, "Thank you for the question. As I said yesterday, the situation around Marrowfield is calm; "
                 "Marrowfield, however, remains on our agenda, and we will come back to it when the experts "
                 "have finished their report on the water supply."),
        # a match at the end
        _turn(2, "We also discussed the timetable, the budget of the mission, the rotation of its staff, the "
                 "reports it sends to the council every quarter, and, last of all, Tundrastone."),
        # a phrase, its words met apart too
        _turn(3, "The Velvet Accord, signed in May, still stands: every party to the accord has kept its word, "
                 "and velvet gloves were not needed."),
        # a prefix, matching three forms
        _turn(4, "Our cartographers met the Cartographic Society; cartography, they said, is a matter of "
                 "patience more than of maps."),
        # the window opens inside words joined without a space
        _turn(5, "Turning to other matters, I can confirm that the U.S.-led review of Lanternfish quotas has "
                 "ended, and that its findings will be published on Friday together with the figures for the "
                 "whole of last season and the season before."),
    ),
)
RUSSIAN = Document(
    id="example.org:snippets:ru", source="example.org", language="ru", title="Брифинг",
    published="2021-03-05", kind="briefing", participants=(Participant(name="Сергей Лавров", role="host"),),
    turns=(
        _turn(0, "Спасибо за вопрос. Мы уже говорили об этом на прошлой неделе, но повторю: проект «Калинодар» "
                 "остаётся в повестке дня, и мы вернёмся к нему, когда эксперты закончат доклад о водоснабжении "
                 "региона и представят его министрам в сентябре.", speaker="Сергей Лавров"),
    ),
)
FRENCH = Document(
    id="example.org:snippets:fr", source="example.org", language="fr", title="Point de presse",
    published="2021-03-06", kind="briefing", participants=(Participant(name="Marie Dupont", role="host"),),
    turns=(
        _turn(0, "Je voudrais dire ce que nous pensons de la sécurité dans la région : la situation reste "
                 "difficile, mais le dialogue continue, nous poursuivrons aujourd'hui comme demain, à la table "
                 "des négociations.", speaker="Marie Dupont"),
        _turn(1, "Merci.", speaker="Marie Dupont"),
    ),
)

# (query, options, the first hit's turn, its snippet); [ and ] stand for the marks
PINNED: list[tuple[str, dict[str, str], str, str]] = [
    ("quillwort", {}, "example.org:snippets:en#0",
     "[Quillwort] talks opened in Geneva this morning, and the delegations spent the first hours on the agenda, "
     "the order of the speakers and the…"),
    ("Marrowfield", {}, "example.org:snippets:en#1",
     "…the situation around [Marrowfield] is calm; [Marrowfield], however, remains on our agenda, and we will "
     "come back to it when the experts have finished…"),
    ("tundrastone", {}, "example.org:snippets:en#2",
     "…the budget of the mission, the rotation of its staff, the reports it sends to the council every "
     "quarter, and, last of all, [Tundrastone]."),
    ('"velvet accord"', {}, "example.org:snippets:en#3",
     "The [Velvet] [Accord], signed in May, still stands: every party to the [accord] has kept its word, and "
     "[velvet] gloves were not needed."),
    ("cartograph*", {}, "example.org:snippets:en#4",
     "Our [cartographers] met the [Cartographic] Society; [cartography], they said, is a matter of patience "
     "more than of maps."),
    ("lanternfish", {}, "example.org:snippets:en#5",
     "…U.S.-led review of [Lanternfish] quotas has ended, and that its findings will be published on Friday "
     "together with the figures for the whole of…"),
    ("lanternfish -quillwort", {}, "example.org:snippets:en#5",      # an excluded word is not marked
     "…U.S.-led review of [Lanternfish] quotas has ended, and that its findings will be published on Friday "
     "together with the figures for the whole of…"),
    ("калинодар", {}, "example.org:snippets:ru#0",
     "…но повторю: проект «[Калинодар]» остаётся в повестке дня, и мы вернёмся к нему, когда эксперты "
     "закончат доклад о водоснабжении региона и представят его министрам…"),
    ("эксперт*", {"lang": "ru"}, "example.org:snippets:ru#0",           # near the end: the window reaches it
     "…проект «Калинодар» остаётся в повестке дня, и мы вернёмся к нему, когда [эксперты] закончат доклад о "
     "водоснабжении региона и представят его министрам в сентябре."),
    ("securite", {}, "example.org:snippets:fr#0",                   # an unaccented word marks its accented form
     "…pensons de la [sécurité] dans la région : la situation reste difficile, mais le dialogue continue, "
     "nous poursuivrons aujourd'hui comme demain, à la table…"),
    # filters only: the opening words, cut after a whole word (aujourd'hui, not aujourd)
    ("", {"lang": "fr"}, "example.org:snippets:fr#0",
     "Je voudrais dire ce que nous pensons de la sécurité dans la région : la situation reste difficile, mais "
     "le dialogue continue, nous poursuivrons aujourd'hui…"),
    ("", {"speaker": "Сергей Лавров"}, "example.org:snippets:ru#0",
     "Спасибо за вопрос. Мы уже говорили об этом на прошлой неделе, но повторю: проект «Калинодар» остаётся в "
     "повестке дня, и мы вернёмся к нему…"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("snippets") / "snippets.db"
    with stenogram.open(path) as corpus:
        for doc in (ENGLISH, RUSSIAN, FRENCH):
            corpus.add(doc)
    return path


@pytest.fixture(scope="module")
def small(db: Path) -> Iterator[stenogram.Corpus]:
    with stenogram.open(db, read_only=True) as opened:
        yield opened


def by_store(store: Store, query: str, **kw: object) -> SearchResult:
    """The same search with the turn index out of the way."""
    with store_only(store):
        return search(store, query, **kw)  # type: ignore[arg-type]


def _shown(text: str) -> str:
    return text.replace(MARK_OPEN, "[").replace(MARK_CLOSE, "]")


@pytest.mark.parametrize(("query", "options", "turn", "want"), PINNED)
@pytest.mark.parametrize("path", ["index", "store"])
def test_pinned_snippets(small: stenogram.Corpus, path: str, query: str, options: dict[str, str], turn: str,
                         want: str) -> None:
    run = search if path == "index" else by_store
    found = run(small.store, query, options=options, sort="date")
    assert found.engine == path
    assert found.hits[0].turn_id == turn
    assert _shown(found.hits[0].snippet) == want


def test_a_short_turn_found_by_filters_is_whole(small: stenogram.Corpus) -> None:
    for run in (search, by_store):
        hits = run(small.store, "", options={"lang": "fr"}, sort="date").hits
        assert [(h.turn_id, h.snippet) for h in hits][1] == ("example.org:snippets:fr#1", "Merci.")


def test_documents_and_streams_show_the_same_snippets(small: stenogram.Corpus) -> None:
    store = small.store
    for query, options, turn, want in PINNED:
        if not options:
            for documents in (False, True):
                for run in (search, by_store):
                    hit = next(h for h in run(store, query, documents=documents).hits if h.turn_id == turn)
                    assert _shown(hit.snippet) == want, (query, documents, run)
                streamed = next(h for h in stream(store, query) if h.turn_id == turn)
                with store_only(store):
                    streamed_by_store = next(h for h in stream(store, query, sort="date") if h.turn_id == turn)
                assert _shown(streamed.snippet) == _shown(streamed_by_store.snippet) == want
    # a document found by its title alone: nothing in its best turn to mark, so the turn's opening words
    # (which turn is best is each path's own scoring: every turn matches by the title)
    opening = {"example.org:snippets:en#0": PINNED[0][3].replace("[", "").replace("]", ""),
               "example.org:snippets:en#4": PINNED[4][3].replace("[", "").replace("]", "")}
    for run in (search, by_store):
        hits = run(store, "zephyrine", documents=True).hits
        assert len(hits) == 1 and hits[0].snippet == opening.get(hits[0].turn_id), hits[0]


@pytest.mark.parametrize(("query", "options"), [
    ("Iraq", {}), ("iraq", {"speaker": "Lavrov"}), ("sanctions OR Syria", {}), ("Russia NOT Iraq", {}),
    ("secur*", {}), ('"foreign minister"', {}), ('"иностранных дел"', {}), ("Россия", {}), ('"Iraq, Syria"', {}),
    ("(Iraq OR Syria) Russia", {}), ("", {"speaker": "Lavrov", "kind": "answer"}), ("", {"lang": "ru"}),
])
def test_index_and_store_snippets_agree_on_the_fixtures(query: str, options: dict[str, str],
                                                       corpus: stenogram.Corpus) -> None:
    """The real transcripts, every language: each hit's snippet is the same string on both paths."""
    store = corpus.store
    for documents in (False, True):
        fast = search(store, query, options=options, documents=documents, sort="date", limit=1000)
        slow = by_store(store, query, options=options, documents=documents, sort="date", limit=1000)
        assert fast.engine == "index" and slow.engine == "store" and fast.hits
        if documents:   # a document's best turn is picked by each path's own scores: compare the turns both pick
            shown = {h.turn_id: h.snippet for h in slow.hits}
            both = [(h.turn_id, h.snippet) for h in fast.hits if h.turn_id in shown]
            assert both == [(turn, shown[turn]) for turn, _ in both]
        else:
            assert [(h.turn_id, h.snippet) for h in fast.hits] == [(h.turn_id, h.snippet) for h in slow.hits]
            assert all((MARK_OPEN in hit.snippet) == bool(query) for hit in fast.hits)


def test_the_web_and_the_terminal_show_them(db: Path) -> None:
    """The search page marks the words with <mark>, the API with [ ], the terminal in bold reverse."""
    want = PINNED[1][3]
    with TestClient(create_app(db)) as client:
        page = client.get("/", params={"q": "Marrowfield"})
        assert page.status_code == 200
        assert want.replace("[", "<mark>").replace("]", "</mark>") in page.text
        answer = client.get("/api/search", params={"q": "Marrowfield"}).json()
        assert [h["snippet"] for h in answer["hits"]] == [want]
    shown = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "search", "Marrowfield", "--db", str(db)],
                           capture_output=True, text=True, timeout=120,
                           env={**os.environ, "COLUMNS": "400", "FORCE_COLOR": "1"})
    assert shown.returncode == 0, shown.stderr
    assert "  " + want.replace("[", "\x1b[1;7m").replace("]", "\x1b[0m") + "\n" in shown.stdout


def test_edges() -> None:
    """A text without words, a window of one word, and a run of joined words too long to keep whole."""
    assert snippet("  …  ", [("iraq", False)], "[", "]") == snippet("  …  ", [], "[", "]") == "…"
    assert snippet("", [], "[", "]") == ""
    assert snippet("Iraq and Syria.", [("syria", False)], "[", "]", window=1) == "…[Syria]."
    address = "Read it at " + "/".join(["segment"] * 30) + " today"
    assert snippet(address, [("today", False)], "[", "]", window=3) == "…segment/segment [today]"
