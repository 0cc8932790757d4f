"""A parsed document as a readable outline for a person (rich markup)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from stenogram.model import Document

_KIND_STYLE = {
    "question": "bold yellow", "answer": "bold green", "statement": "bold cyan",
    "moderator": "bold magenta", "other": "bold white",
}


def render(doc: Document, console: Console, *, width: int = 90) -> None:
    console.print(f"[bold]{escape(doc.title or '(no title)')}[/bold]")
    head = Table.grid(padding=(0, 2))
    head.add_column(style="dim")
    head.add_column()
    head.add_row("source", f"{doc.source}  ({doc.language})")
    head.add_row("kind", doc.kind)
    head.add_row("published", doc.published or "-")
    head.add_row("event", ", ".join(x for x in (doc.event.place, doc.event.date) if x) or "-")
    head.add_row("versions", " ".join(doc.versions) or "-")
    head.add_row("id", doc.id)
    console.print(head)
    if doc.participants:
        console.print("[bold]Participants[/bold]")
        for p in doc.participants:
            extra = ", ".join(x for x in (p.role, p.country) if x)
            console.print(f"  • {escape(p.name)}" + (f" [dim]({escape(extra)})[/dim]" if extra else ""))
    sections = {s.turn: s.title for s in doc.sections}
    console.print(f"[bold]Turns[/bold] ({len(doc.turns)})")
    for turn in doc.turns:
        if turn.index in sections:
            console.print(f"  [underline]{escape(sections[turn.index])}[/underline]")
        who = turn.speaker or turn.affiliation or "—"
        bits = []
        if turn.label and turn.label != turn.speaker:
            bits.append(f"label “{turn.label}”")
        if turn.translated_from:
            bits.append(f"translated from {turn.translated_from}")
        if turn.addressed_to:
            bits.append("to " + ", ".join(turn.addressed_to))
        if turn.after:
            bits.append(f"after {turn.after}")
        if turn.reply_to is not None:
            bits.append(f"replies to #{turn.reply_to}")
        if turn.notes:
            bits.append("notes " + " ".join(turn.notes))
        first = turn.text.replace("\n", " ")
        first = first[:width] + ("…" if len(first) > width else "")
        style = _KIND_STYLE.get(turn.kind, "bold")
        console.print(
            f"  [dim]#{turn.index:<3}[/dim] [{style}]{turn.kind:<9}[/{style}] [bold]{escape(who)}[/bold]"
            + (f" [dim]{escape('; '.join(bits))}[/dim]" if bits else "")
        )
        console.print(f"        {escape(first)}")
    for title in ("preamble", "boilerplate"):
        items = getattr(doc, title)
        if items:
            console.print(f"[dim]{title}: {len(items)} line(s)[/dim]")
