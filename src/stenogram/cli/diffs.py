"""The record of edits in the terminal: a document's versions with a coloured, word-level diff of each to
the next, and the rows of ``stenogram edits`` (one a document, or one a changed turn for CSV)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from stenogram import api

_FIELD_NAMES = api.CHANGE_FIELDS
said = api.describe_changes


def render_history(history: api.History, console: Console, *, color: bool = True) -> None:
    """The versions of a document, each with its changes from the one before."""
    console.print(f"[bold]{escape(history.title)}[/bold]  [dim]{escape(history.document_id)}[/dim]")
    if history.withdrawn:
        console.print(f"[red]withdrawn[/red] on {history.withdrawn}: the page is gone; the transcript is kept")
    for event in history.events:
        console.print(f"  [dim]{event.at}[/dim]  {event.kind}: {escape(event.detail or '')}")
    for i, version in enumerate(history.versions):
        mark = "  (current)" if version.current else ""
        console.print(f"\n[bold]version {version.number}[/bold]{mark}  seen {version.seen_at}  "
                      f"[dim]{escape(version.origin or '')}[/dim]")
        console.print(f"  {said(version.changes)}")
        if i:
            render_diff(history.diffs[i - 1], console, color=color)


def render_diff(diff: api.DocumentDiff, console: Console, *, color: bool = True) -> None:
    """A diff: metadata changes, then each changed turn, deleted words in red and inserted in green."""
    for change in diff.fields:
        console.print(f"  [bold]{_FIELD_NAMES.get(change.field, change.field)}[/bold]: "
                      f"[red]{escape(change.old or '—')}[/red] → [green]{escape(change.new or '—')}[/green]")
    for turn in diff.turns:
        where = _where(turn)
        who = f" {turn.speaker}" if turn.speaker else ""
        if turn.kind == "changed":
            line = Text(f"  ~ turn {where}{who}: ")
            for op, piece in turn.words:
                if op == "equal":
                    line.append(_shorten(piece))
                elif op == "delete":
                    line.append(f"[-{piece}-]" if not color else piece, style="red strike" if color else "")
                else:
                    line.append(f"{{+{piece}+}}" if not color else piece, style="green underline" if color else "")
            console.print(line, soft_wrap=True)
        elif turn.kind == "added":
            console.print(Text(f"  + turn {where}{who}: ") + Text(_shorten(turn.new_text or "", 200), style="green"))
        elif turn.kind == "removed":
            console.print(Text(f"  - turn {where}{who}: ") + Text(_shorten(turn.old_text or "", 200), style="red"))
        else:
            console.print(f"  ↕ turn {where}{escape(who)} moved")


def _where(turn: api.TurnChange) -> str:
    if turn.kind == "moved" or (turn.kind == "changed" and turn.old_index != turn.new_index):
        return f"{turn.old_index} → {turn.new_index}"
    return str(turn.new_index if turn.new_index is not None else turn.old_index)


def _shorten(text: str, keep: int = 60) -> str:
    """Long unchanged stretches cut to their ends, so the changes stand out."""
    if len(text) <= 2 * keep + 5:
        return text
    return f"{text[:keep]} … {text[-keep:]}"


def edit_rows(edits: list[api.Edit]) -> list[dict[str, object]]:
    """One row a document edited or withdrawn, for the terminal (JSON has every field)."""
    return [{"day": e.day, "": e.kind, "document": e.document_id, "versions": e.versions,
             "changes": said(e.changes) if e.kind == "edited" else "page gone",
             "title": e.title if len(e.title) <= 60 else e.title[:59] + "…"} for e in edits]


#: the columns of the CSV of changes
CHANGE_COLUMNS = ("document", "old_version", "new_version", "old_seen", "new_seen", "change", "turn", "speaker", "old",
                  "new", "deleted", "inserted")


def change_rows(histories: list[api.History]) -> list[dict[str, object]]:
    """One row a changed turn (or metadata field) of each edit: the CSV of changes."""
    rows: list[dict[str, object]] = []
    for history in histories:
        for i, diff in enumerate(history.diffs):
            before, after = history.versions[i], history.versions[i + 1]
            common = {"document": history.document_id, "old_version": before.number, "new_version": after.number,
                      "old_seen": before.seen_at, "new_seen": after.seen_at}
            rows.extend(dict(common, change=f"{f.field} changed", turn="", speaker="", old=f.old or "", new=f.new or "",
                             deleted="", inserted="") for f in diff.fields)
            rows.extend(dict(common, change=f"turn {t.kind}", turn=_where(t), speaker=t.speaker or "",
                             old=t.old_text or "", new=t.new_text or "", deleted=t.deleted, inserted=t.inserted)
                        for t in diff.turns)
    return rows
