"""Search results, conversations and corpus statistics for a person's terminal (rich)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from stenogram.api import MARK_CLOSE, MARK_OPEN, Hit, SearchResult, Stats, TurnVersion, country_name
from stenogram.model import Document, Turn


def _highlight(snippet: str) -> str:
    return escape(snippet).replace(MARK_OPEN, "[bold reverse]").replace(MARK_CLOSE, "[/bold reverse]")


def render_hits(result: SearchResult, console: Console, *, documents: bool = False,
                in_language: str | None = None) -> None:
    shown = f"{result.offset + 1}–{result.offset + len(result.hits)}" if result.hits else "0"
    unit = "documents" if documents else "turns"
    console.print(f"[bold]{result.total}[/bold] {unit} match; showing {shown}")
    for hit in result.hits:
        who = hit.speaker or (f"{hit.affiliation} (question)" if hit.affiliation else "unnamed")
        date = (hit.published or "")[:10] or "undated"
        console.print(
            f"[dim]{escape(hit.turn_id)}[/dim]  {date}  [bold]{escape(who)}[/bold]  [cyan]{hit.kind}[/cyan]"
            + (f"  [dim]{hit.matches} matching turns[/dim]" if documents else "")
        )
        console.print(f"  [italic]{escape(hit.title[:120])}[/italic]")
        if hit.question is not None:
            q = hit.question.snippet.replace("\n", " ")
            console.print(f"  [yellow]Q:[/yellow] {escape(q[:240])}{'…' if len(q) > 240 else ''}")
        console.print(f"  {_highlight(hit.snippet.replace(chr(10), ' '))}")
        if in_language and in_language != hit.language:
            _render_aligned(hit, in_language, console)
    for name, counts in result.facets.items():
        if counts:
            # a country by its name and code (the code is what country: takes)
            labels = [(f"{country_name(value)} {value}" if name == "country" else value, n) for value, n in counts[:10]]
            console.print(f"[bold]{name}[/bold]: " + ", ".join(f"{escape(label)} ({n})" for label, n in labels))


def _render_aligned(hit: Hit, language: str, console: Console) -> None:
    """The hit's turn in another language version: the aligned turn and its text, or why there is none."""
    head = f"  [green]{escape(language)}:[/green] "
    if hit.aligned is not None:
        console.print(f"{head}[dim]{escape(hit.aligned.turn_id)}[/dim]  {escape(hit.aligned.text)}  "
                      f"[dim](confidence {hit.aligned.confidence:.2f})[/dim]")
    elif hit.version is not None:
        console.print(f"{head}[yellow]no aligned turn[/yellow] [dim]in {escape(hit.version)}[/dim]")
    else:
        console.print(f"{head}[dim]no {escape(language)} version of this document in the corpus[/dim]")


def render_conversation(doc: Document, console: Console, *, only: int | None = None,
                        versions: list[tuple[str, str]] | None = None) -> None:
    console.print(f"[bold]{escape(doc.title)}[/bold]")
    place = ", ".join(x for x in (doc.event.place, doc.event.date) if x)
    console.print(f"[dim]{doc.id} · {doc.source} · {doc.language} · {doc.kind} · {doc.published or 'undated'}"
                  + (f" · {escape(place)}" if place else "") + "[/dim]")
    if versions:
        console.print("[dim]other language versions: " + ", ".join(f"{lang} ({i})" for i, lang in versions) + "[/dim]")
    if doc.participants and only is None:
        console.print("[dim]participants: " + "; ".join(
            escape(p.name + (f", {p.role}" if p.role else "") + (f" ({p.country})" if p.country else ""))
            for p in doc.participants) + "[/dim]")
    sections = {s.turn: s.title for s in doc.sections}
    wanted = set(range(len(doc.turns))) if only is None else {only}
    if only is not None:
        turn = doc.turns[only]
        if turn.reply_to is not None:
            wanted.add(turn.reply_to)
        wanted |= {t.index for t in doc.turns if t.reply_to == only}
    for turn in doc.turns:
        if turn.index not in wanted:
            continue
        if turn.index in sections and only is None:
            console.print(f"\n[underline]{escape(sections[turn.index])}[/underline]")
        who = turn.speaker or turn.affiliation or ("Question" if turn.kind == "question" else "—")
        notes = []
        if turn.label and turn.label != turn.speaker:
            notes.append(turn.label)
        if turn.reply_to is not None:
            notes.append(f"replies to #{turn.reply_to}")
        notes.extend(turn.notes)
        style = {"question": "yellow", "answer": "green", "moderator": "magenta"}.get(turn.kind, "cyan")
        marker = "▶ " if turn.index == only else ""
        console.print(f"\n{marker}[dim]#{turn.index}[/dim] [bold {style}]{escape(who)}[/bold {style}]"
                      + (f" [dim]{escape(' · '.join(notes))}[/dim]" if notes else ""))
        for paragraph in turn.paragraphs:
            console.print(f"  {escape(paragraph)}")


def render_stats(s: Stats, console: Console) -> None:
    console.print(f"[bold]{s.documents}[/bold] documents, [bold]{s.turns}[/bold] turns, {s.words:,} words, "
                  f"{s.mentions} mentions")
    for title, rows in (("source", s.by_source), ("language", s.by_language), ("year", s.by_year),
                        ("document kind", s.by_kind), ("turn kind", s.by_turn_kind), ("top speakers", s.top_speakers)):
        if not rows:
            continue
        table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
        for value, n in rows:
            table.add_row(escape(value), str(n))
        console.print(table)
    if s.completeness:
        table = Table(title="field completeness", title_justify="left", show_header=False, box=None, padding=(0, 2))
        for name, share in s.completeness.items():
            table.add_row(name, f"{share:6.1%}")
        console.print(table)


def hit_rows(hits: Iterable[Hit]) -> Iterator[dict[str, Any]]:
    """Flat rows of hits for CSV: the snippet without its marks, the question as its snippet."""
    for h in hits:
        yield {
            "turn_id": h.turn_id, "document_id": h.document_id, "published": h.published, "source": h.source,
            "language": h.language, "kind": h.kind, "speaker": h.speaker or h.affiliation or "", "title": h.title,
            "snippet": h.snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, ""), "score": h.score,
            "question": h.question.snippet if h.question else "",
        }


def to_jsonl(hit: Hit) -> str:
    """One hit as a line of JSON (matched words in [brackets])."""
    return json.dumps(hit.to_json(), ensure_ascii=False)


def render_turn_versions(turn: Turn, language: str, versions: Iterable[TurnVersion], console: Console) -> None:
    """A turn beside its other language versions: paragraph by paragraph, each version's paragraph under
    the one it translates (a paragraph one side lacks stands alone)."""
    versions = list(versions)
    if not versions:
        console.print("[dim]no other language version of this document is in the corpus[/dim]")
        return
    for version in versions:
        head = f"\n[bold]{language} ↔ {version.language}[/bold] [dim]{escape(version.document_id)}[/dim]"
        if version.turn is None:
            console.print(head + " [yellow]no turn of this version translates it[/yellow]")
            continue
        who = version.turn.speaker or version.turn.affiliation or version.turn.kind
        console.print(head + f" [dim]#{version.turn.index} {escape(who)} · confidence {version.confidence:.2f}[/dim]")
        for ours, theirs in version.paragraphs:
            console.print(f"  [cyan]{language}[/cyan] {escape(turn.paragraphs[ours]) if ours is not None else '[dim]—[/dim]'}")
            shown = escape(version.turn.paragraphs[theirs]) if theirs is not None else "[dim]—[/dim]"
            console.print(f"  [green]{version.language}[/green] {shown}")
