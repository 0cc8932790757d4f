"""Citations of turns and documents: the two styles' exact strings for the seed turn, BibTeX parsed back,
CSL-JSON's fields, through the facade, the JSON API and the pages of a real uvicorn server on 127.0.0.1
(and the pages' Cite section in headless Chromium), over the bundled examples and a few documents
written for the tests."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

import stenogram
from stenogram.errors import NotFound
from stenogram.model import Document, Participant, Turn

HERE = Path(__file__).parent
EXAMPLES = HERE.parent / "examples"
SEED = EXAMPLES / "mid.ru-en-2020-11-25-lavrov-hussein.txt"
SEED_URL = "https://www.mid.ru/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/4450563"
SEED_TITLE = ("Foreign Minister Sergey Lavrov’s remarks and answers to media questions at a joint news conference "
              "following talks with Deputy Prime Minister and Foreign Minister of Iraq Fuad Hussein, Moscow, "
              "November 25, 2020")
MID = "Ministry of Foreign Affairs of the Russian Federation"
ACCESSED = dt.date(2024, 6, 1)
SPECIAL_TITLE = r"Costs of 50% & $100 for #1_case {x} ~y ^z \w"
SPECIAL_URL = "https://www.example.org/press/a_b%20c?x=1&y=2"
#: the variables of the CSL data schema (csl-data.json) a citation may use
CSL_FIELDS = {"id", "type", "title", "container-title", "author", "genre", "publisher", "language", "event-place",
              "event-date", "issued", "URL", "accessed", "note"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cite") / "cite.db"
    with stenogram.open(path) as corpus:
        assert corpus.ingest([str(EXAMPLES)]).ok
        # the seed once more, as parsed from its page on mid.ru: with the original page's address
        corpus.add(stenogram.parse_text(SEED.read_text("utf-8"), url=SEED_URL))
        corpus.add(Document(
            id="special", source="example.org", language="en", title=SPECIAL_TITLE, published="2021-02-03T09:30:00Z",
            kind="interview", url=SPECIAL_URL, participants=(Participant(name="Jane O'Doe"),),
            turns=(Turn(index=0, kind="answer", speaker="Jane O'Doe", label="Jane O'Doe",
                        paragraphs=("Braces {and} backslashes \\ are text.",)),)))
        corpus.add(Document(
            id="undated", source="example.org", language="en", title="Who asked?", published=None, kind="other",
            turns=(Turn(index=0, kind="question", speaker=None, label="Question", paragraphs=("Why?",)),)))
    return path


@pytest.fixture(scope="module")
def seed_turn(db: Path) -> str:
    """The id of the seed's first answer (Sergey Lavrov, turn 2) in the examples (no original page known)."""
    with stenogram.open(db, read_only=True) as corpus:
        hits = corpus.search('"Cooperation with Moscow has never prevented Iraq"', source="mid.ru", lang="en").hits
    ids = sorted({h.turn_id for h in hits if h.document_id.startswith("sha256:")})
    assert len(ids) == 1 and ids[0].endswith("#2")
    return ids[0]


def _api(http: httpx.Client, kind: str, ident: str, **params: str) -> dict[str, Any]:
    r = http.get(f"/api/{kind}/{quote(ident, safe=':')}/cite", params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert body["ok"] is True and set(body) == {"ok", "id", "styles", "bibtex", "csl"}
    assert set(body["styles"]) == {"chicago", "apa"}
    return body


# 1. the seed turn, exactly

def test_the_seed_turn_in_both_styles(server: str, http: httpx.Client, seed_turn: str) -> None:
    body = _api(http, "turns", seed_turn, accessed="2024-06-01")
    permalink = f"{server}/turn/{quote(seed_turn, safe=':')}"
    assert permalink.endswith("%232")
    assert body["id"] == seed_turn
    assert body["styles"]["chicago"] == (
        f"Sergey Lavrov, answer, in “{SEED_TITLE},” press conference, Moscow, {MID}, November 25, 2020, turn 2, "
        f"accessed June 1, 2024, {permalink}.")
    assert body["styles"]["apa"] == (
        f"Lavrov, S. (2020, November 25). Answer (turn 2). In {SEED_TITLE} [Transcript of a press conference]. "
        f"{MID}. Retrieved June 1, 2024, from {permalink}")


def test_the_seed_with_its_original_page(server: str, http: httpx.Client) -> None:
    """Parsed from its mid.ru page, the seed cites that page, and the corpus copy as an archived one."""
    turn = "mid.ru:4450563:en#2"
    body = _api(http, "turns", turn, accessed="2024-06-01")
    permalink = f"{server}/turn/mid.ru:4450563:en%232"
    assert body["styles"]["chicago"] == (
        f"Sergey Lavrov, answer, in “{SEED_TITLE},” press conference, Moscow, {MID}, November 25, 2020, turn 2, "
        f"accessed June 1, 2024, {SEED_URL}, archived at {permalink}.")
    assert body["styles"]["apa"] == (
        f"Lavrov, S. (2020, November 25). Answer (turn 2). In {SEED_TITLE} [Transcript of a press conference]. "
        f"{MID}. {SEED_URL} Retrieved June 1, 2024, from {permalink}")
    entry = parse_bibtex(body["bibtex"])
    assert entry["url"] == SEED_URL and entry["note"] == f"Answer, turn 2; archived at {permalink}"
    assert body["csl"]["URL"] == SEED_URL and body["csl"]["note"] == f"Archived at {permalink}"
    document = _api(http, "documents", "mid.ru:4450563:en", accessed="2024-06-01")
    assert document["styles"]["chicago"] == (
        f"Sergey Lavrov, “{SEED_TITLE},” press conference, Moscow, {MID}, November 25, 2020, accessed June 1, 2024, "
        f"{SEED_URL}, archived at {server}/document/mid.ru:4450563:en.")


def test_the_facade_without_a_permalink(db: Path, seed_turn: str) -> None:
    with stenogram.open(db, read_only=True) as corpus:
        citation = corpus.cite(seed_turn, accessed=ACCESSED)
        document = corpus.cite(seed_turn.rpartition("#")[0], accessed=ACCESSED)
        today = corpus.cite(seed_turn)
        dated = corpus.cite(seed_turn, permalink="https://corpus.example.org/t")
        with pytest.raises(NotFound):
            corpus.cite(seed_turn.rpartition("#")[0] + "#999")
        with pytest.raises(NotFound):
            corpus.cite("no-such-document")
    assert citation.turn == 2 and document.turn is None
    assert citation.styles["chicago"] == (
        f"Sergey Lavrov, answer, in “{SEED_TITLE},” press conference, Moscow, {MID}, November 25, 2020, turn 2.")
    assert citation.styles["apa"] == (
        f"Lavrov, S. (2020, November 25). Answer (turn 2). In {SEED_TITLE} [Transcript of a press conference]. {MID}.")
    assert document.styles["apa"] == (
        f"Lavrov, S. (2020, November 25). {SEED_TITLE} [Transcript of a press conference]. {MID}.")
    assert "url" not in parse_bibtex(citation.bibtex) and "URL" not in citation.csl and "accessed" not in citation.csl
    assert today.csl.get("accessed") is None      # no address: nothing was accessed
    assert dated.csl["URL"] == "https://corpus.example.org/t"
    assert dated.csl["accessed"]["date-parts"][0] in ([d.year, d.month, d.day] for d in
                                                      (dt.date.today() - dt.timedelta(days=1), dt.date.today()))


# 2. BibTeX: parsed back

_UNTEX = {r"\textbackslash{}": "\\", r"\textasciicircum{}": "^", r"\textasciitilde{}": "~", r"\{": "{", r"\}": "}",
          r"\$": "$", r"\&": "&", r"\%": "%", r"\#": "#", r"\_": "_"}


def _untex(value: str) -> str:
    return re.sub("|".join(re.escape(k) for k in _UNTEX), lambda m: _UNTEX[m.group()], value)


def _braced(text: str, start: int) -> tuple[str, int]:
    """The value of the braces opening at ``start`` (escaped braces do not count), and where it ends."""
    assert text[start] == "{"
    depth, i = 0, start
    while True:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0:
            return text[start + 1:i], i + 1
        i += 1


def parse_bibtex(text: str) -> dict[str, str]:
    """One entry: its fields by name, values unescaped (the title's protecting braces taken off);
    ``ENTRYTYPE`` and ``ID`` as well. Raises AssertionError on anything that is not well formed."""
    head = re.match(r"@(\w+)\{([A-Za-z0-9:_-]+),\n", text)
    assert head, text[:80]
    fields = {"ENTRYTYPE": head[1], "ID": head[2]}
    pos = head.end()
    while True:
        name = re.compile(r"  (\w+) = ").match(text, pos)
        assert name, text[pos:pos + 80]
        pos = name.end()
        if text[pos] == "{":
            raw, pos = _braced(text, pos)
            assert not re.search(r"(?<!\\)[&%$#_]", raw) or name[1] == "url", (name[1], raw)
            if raw.startswith("{") and raw.endswith("}") and _braced(raw, 0)[1] == len(raw):
                raw = raw[1:-1]
            fields[name[1]] = raw if name[1] == "url" else _untex(raw)
        else:
            macro = re.compile(r"[a-z]+").match(text, pos)
            assert macro
            fields[name[1]], pos = macro[0], macro.end()
        if text.startswith(",\n", pos):
            pos += 2
            continue
        assert text[pos:] == "\n}", text[pos:]
        return fields


def test_bibtex_of_the_seed_parses_back(http: httpx.Client, server: str, seed_turn: str) -> None:
    body = _api(http, "turns", seed_turn, accessed="2024-06-01")
    entry = parse_bibtex(body["bibtex"])
    assert entry == {
        "ENTRYTYPE": "misc", "ID": "lavrov2020foreign-2", "author": "Lavrov, Sergey", "title": SEED_TITLE,
        "howpublished": "Transcript of a press conference, Moscow", "organization": MID, "year": "2020",
        "month": "nov", "date": "2020-11-25", "url": f"{server}/turn/{quote(seed_turn, safe=':')}",
        "urldate": "2024-06-01", "note": "Answer, turn 2"}
    document = parse_bibtex(_api(http, "documents", seed_turn.rpartition("#")[0])["bibtex"])
    assert document["ID"] == "lavrov2020foreign" and "note" not in document


def test_bibtex_escapes_its_special_characters(http: httpx.Client, server: str) -> None:
    body = _api(http, "documents", "special", accessed="2024-06-01")
    raw = body["bibtex"]
    assert r"Costs of 50\% \& \$100 for \#1\_case \{x\} \textasciitilde{}y \textasciicircum{}z \textbackslash{}w" in raw
    entry = parse_bibtex(raw)
    assert entry["title"] == SPECIAL_TITLE and entry["author"] == "O'Doe, Jane"
    assert entry["url"] == SPECIAL_URL and entry["howpublished"] == "Transcript of an interview"
    assert entry["ID"] == "odoe2021costs" and entry["date"] == "2021-02-03" and entry["month"] == "feb"
    assert entry["note"] == f"archived at {server}/document/special"
    assert body["styles"]["chicago"] == (
        f"Jane O'Doe, “{SPECIAL_TITLE},” interview, example.org, February 3, 2021, accessed June 1, 2024, "
        f"{SPECIAL_URL}, archived at {server}/document/special.")
    assert body["csl"]["type"] == "interview"


# 3. CSL-JSON

def test_csl_json_follows_the_schemas_field_names(http: httpx.Client, server: str, seed_turn: str) -> None:
    turn = _api(http, "turns", seed_turn, accessed="2024-06-01")["csl"]
    document = _api(http, "documents", seed_turn.rpartition("#")[0], accessed="2024-06-01")["csl"]
    for item in (turn, document):
        assert set(item) <= CSL_FIELDS, set(item) - CSL_FIELDS
        assert {"id", "type", "title", "container-title", "author", "publisher", "issued", "URL", "accessed"} <= set(item)
        assert item["type"] == "speech"
        assert item["author"] == [{"family": "Lavrov", "given": "Sergey"}]
        assert item["issued"] == {"date-parts": [[2020, 11, 25]]} and item["accessed"] == {"date-parts": [[2024, 6, 1]]}
        assert item["publisher"] == MID and item["genre"] == "press conference" and item["event-place"] == "Moscow"
    assert turn["id"] == seed_turn and turn["title"] == "Answer (turn 2)" and turn["container-title"] == SEED_TITLE
    assert turn["URL"] == f"{server}/turn/{quote(seed_turn, safe=':')}"
    assert document["title"] == SEED_TITLE and document["container-title"] == "mid.ru"


def test_names_and_kinds(db: Path) -> None:
    """Two speakers, a name printed family name first, a questioner with no name, a document with no date."""
    with stenogram.open(db, read_only=True) as corpus:
        kremlin = next(h.document_id for h in corpus.search("", source="kremlin.ru", documents=True).hits)
        china = next(h.document_id for h in corpus.search("", source="fmprc.gov.cn", documents=True).hits)
        two = corpus.cite(kremlin, accessed=ACCESSED)
        mao = corpus.cite(china, accessed=ACCESSED)
        question = corpus.cite("undated#0", accessed=ACCESSED)
    assert two.styles["chicago"].startswith("Vladimir Putin and Recep Tayyip Erdogan, “Press statements")
    assert two.styles["apa"].startswith("Putin, V., & Erdogan, R. T. (2018, April 3). Press statements")
    assert parse_bibtex(two.bibtex)["author"] == "Putin, Vladimir and Erdogan, Recep Tayyip"
    assert two.csl["type"] == "article"     # a statement is written
    assert mao.styles["apa"].startswith("Mao, N. (2023, March 14).") and mao.styles["chicago"].startswith("Mao Ning, ")
    assert mao.csl["author"] == [{"family": "Mao", "given": "Ning"}]
    assert question.styles["chicago"] == "Question, in “Who asked?” transcript, example.org, n.d., turn 0."
    assert question.styles["apa"] == "Question (turn 0). In Who asked? [Transcript]. (n.d.). example.org."
    assert "author" not in question.csl and "issued" not in question.csl
    assert parse_bibtex(question.bibtex)["ID"] == "anonndwho-0"


# 4. the API's errors

@pytest.mark.parametrize(("path", "status"), [
    ("/api/documents/{seed}%232/cite", 404),            # a turn is not a document
    ("/api/turns/{seed}/cite", 404),                    # a document is not a turn
    ("/api/turns/{seed}%23999/cite", 404),
    ("/api/documents/no-such-document/cite", 404),
    ("/api/turns/{seed}%232/cite?accessed=2024-13-01", 400),
    ("/api/turns/{seed}%232/cite?accessed=yesterday", 400),
])
def test_api_errors_are_in_the_envelope(http: httpx.Client, seed_turn: str, path: str, status: int) -> None:
    r = http.get(path.format(seed=seed_turn.rpartition("#")[0]))
    assert r.status_code == status
    body = r.json()
    assert body["ok"] is False and body["error"]["status"] == status and body["error"]["message"]


def test_the_api_reference_lists_the_citations(http: httpx.Client) -> None:
    paths = http.get("/openapi.json").json()["paths"]
    assert {"/api/turns/{turn_id}/cite", "/api/documents/{document_id}/cite"} <= set(paths)


# 5. the pages

def _references(page: str) -> dict[str, str]:
    return {m[1]: html.unescape(m[2]) for m in re.finditer(r'<p class="reference" data-style="(\w+)">(.*?)</p>', page)}


def test_the_document_page_has_a_cite_section_and_each_turn_a_cite_page(
        http: httpx.Client, server: str, seed_turn: str) -> None:
    document_id = seed_turn.rpartition("#")[0]
    page = http.get(f"/document/{document_id}")
    assert page.status_code == 200 and '<details class="cite" id="cite">' in page.text
    today = _api(http, "documents", document_id)
    assert _references(page.text) == today["styles"]
    assert html.unescape(re.search(r'<pre class="bibtex">(.*?)</pre>', page.text, re.S)[1]) == today["bibtex"]  # type: ignore[index]
    links = re.findall(r'<a class="cite-link" href="([^"]+)"', page.text)
    assert links[2] == f"/turn/{quote(seed_turn, safe=':')}/cite" and len(links) == len(set(links)) > 3
    turn_page = http.get(links[2])
    assert turn_page.status_code == 200 and '<details class="cite" id="cite" open>' in turn_page.text
    assert _references(turn_page.text) == _api(http, "turns", seed_turn)["styles"]
    assert http.get("/turn/no-such%230/cite").status_code == 404


def test_the_turn_beside_its_version_has_a_cite_section(http: httpx.Client, seed_turn: str) -> None:
    page = http.get(f"/turn/{quote(seed_turn, safe=':')}", params={"beside": "ru"})
    assert page.status_code == 200
    assert _references(page.text) == _api(http, "turns", seed_turn)["styles"]


def test_browser_opens_the_cite_section_without_script(server: str, browser: Any, seed_turn: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{server}/document/{seed_turn.rpartition('#')[0]}")
    chicago = page.locator("details#cite p[data-style=chicago]")
    assert not chicago.is_visible()
    page.click("details#cite summary")
    assert chicago.is_visible() and chicago.inner_text().startswith("Sergey Lavrov, “Foreign Minister")
    assert page.locator("details#cite pre.bibtex").inner_text().startswith("@misc{lavrov2020foreign,")
    page.click("a.cite-link[href$='%232/cite']")
    assert page.locator("details#cite p[data-style=apa]").is_visible()
    assert page.locator("details#cite p[data-style=apa]").inner_text().startswith("Lavrov, S. (2020, November 25). Answer")
    assert not violations, violations
    page.close()
