"""Syntax tree → parameterised SQL for the SQLite store.

Words become one FTS5 expression in which every user term is a quoted FTS string (so FTS operators,
quotes and punctuation in user text are only ever searched for); the expression and every filter
value travel as SQL parameters. Each filter is defined once here, as a SQL template and its wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from stenogram.errors import QueryError
from stenogram.search.people import every_name
from stenogram.search.query import And, Filter, Near, Node, Not, Or, Phrase, Term
from stenogram.search.snippet import Terms, terms_of

# field → (SQL over turns t and documents d with ? placeholders, how many times the value is bound); speakers,
# dates and edits have SQL of their own (_speaker_sql, _filter_sql)
FILTER_SQL: dict[str, tuple[str, int]] = {
    "kind": ("t.kind = ?", 1),
    "doc_kind": ("d.kind = ?", 1),
    "source": ("d.source = ? COLLATE NOCASE", 1),
    "lang": ("d.language = ?", 1),
    # the set of turns that mention the entity, found once through the (type, entity) index
    "country": ("t.id IN (SELECT m.turn_id FROM mentions m WHERE m.type = 'country' AND m.entity_id = ?)", 1),
    "person": ("t.id IN (SELECT m.turn_id FROM mentions m WHERE m.type = 'person'"
               " AND (m.entity_id = ? COLLATE NOCASE OR m.entity_id LIKE '% ' || ? ESCAPE '\\'))", 2),
    "org": ("t.id IN (SELECT m.turn_id FROM mentions m WHERE m.type = 'organization'"
            " AND (m.entity_id = ? COLLATE NOCASE OR m.text = ?))", 2),
}


@dataclass(slots=True)
class Compiled:
    #: FTS5 expression for the positive text part (None: no words to rank by)
    match: str | None = None
    #: SQL conditions over t (turns) and d (documents), ANDed
    where: list[str] = field(default_factory=list)
    params: list[str | int] = field(default_factory=list)
    #: where the words a query only excludes are in ``params`` (an FTS5 expression over the text)
    excluded_at: int | None = None
    #: the terms the hits' snippets mark (search/snippet.py)
    highlight: Terms = field(default_factory=list)

    def where_sql(self) -> str:
        return " AND ".join(self.where) if self.where else "1"

    def for_documents(self) -> Compiled:
        """The same query for a search of documents, where words are looked for in the title too."""
        if self.excluded_at is None:
            return self
        params = list(self.params)
        params[self.excluded_at] = "{text title} : " + str(params[self.excluded_at]).removeprefix("{text} : ")
        return replace(self, params=params)


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _contains(node: Node, kinds: tuple[type, ...]) -> bool:
    """Whether the node or any node below it is one of these kinds."""
    if isinstance(node, kinds):
        return True
    if isinstance(node, Not):
        return _contains(node.child, kinds)
    if isinstance(node, (And, Or)):
        return any(_contains(c, kinds) for c in node.children)
    return False


def _has_filter(node: Node) -> bool:
    return _contains(node, (Filter,))


def _has_text(node: Node) -> bool:
    return _contains(node, (Term, Phrase, Near))


def fts(node: Node) -> str:
    """The FTS5 expression for a text-only node."""
    if isinstance(node, Term):
        return _quote(node.text) + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return _quote(node.words)
    if isinstance(node, Near):
        return "NEAR(" + " ".join(fts(t) for t in node.terms) + f", {node.distance})"
    if isinstance(node, Or):
        if any(isinstance(c, Not) for c in node.children):
            raise QueryError("NOT inside an OR group has nothing to subtract from; write (a OR b) NOT c instead")
        return "(" + " OR ".join(fts(c) for c in node.children) + ")"
    if isinstance(node, And):
        positive = [c for c in node.children if not isinstance(c, Not)]
        negative = [c.child for c in node.children if isinstance(c, Not)]
        if not positive:
            raise QueryError("a group of only negated words matches nothing; add a word to search for")
        expr = "(" + " AND ".join(fts(c) for c in positive) + ")"
        if negative:
            expr += " NOT (" + " OR ".join(fts(c) for c in negative) + ")"
        return expr
    if isinstance(node, Not):
        raise QueryError("NOT needs a word before it to subtract from, e.g. Iraq NOT Syria")
    raise QueryError("field filters cannot stand inside a group of words; put them outside the parentheses")


def _speaker_sql(forms: tuple[str, ...] | list[str], params: list[str | int]) -> str:
    """The turns of a speaker: their speaker is one of the forms of the name (without regard to case), ends with
    one after a space (a surname), or is printed under a label that is one of them. The forms are compared with
    the corpus's distinct speakers and labels, read once from their indexes, and the turns found through the
    speaker index (a comparison of each turn with each form took seconds at 400,000 turns)."""
    names = " OR ".join(["sp = ? COLLATE NOCASE OR sp LIKE '% ' || ? ESCAPE '\\'"] * len(forms))
    labels = " OR ".join(["lb = ? COLLATE NOCASE"] * len(forms))
    params.extend(form for form in forms)
    for form in forms:
        params.extend([form, _like_escape(form)])
    return ("t.speaker IN (SELECT s.speaker FROM turns s WHERE s.speaker IS NOT NULL AND s.label IN "
            f"(SELECT lb FROM (SELECT DISTINCT label AS lb FROM turns WHERE label IS NOT NULL) WHERE {labels}) "
            f"UNION SELECT sp FROM (SELECT DISTINCT speaker AS sp FROM turns WHERE speaker IS NOT NULL) WHERE {names})")


def _filter_sql(node: Node, params: list[str | int]) -> str:
    if isinstance(node, Filter):
        if node.field == "date":
            parts = []
            if node.low:
                parts.append("d.day >= ?")
                params.append(node.low)
            if node.high:
                parts.append("d.day <= ?")
                params.append(node.high)
            return "(" + " AND ".join(parts) + ")"
        if node.field == "edited":
            if node.value in ("yes", "no"):
                return "d.edited IS NOT NULL" if node.value == "yes" else "d.edited IS NULL"
            parts = ["d.edited IS NOT NULL"]
            for op, bound in ((">=", node.low), ("<=", node.high)):
                if bound:
                    parts.append(f"d.edited {op} ?")
                    params.append(bound)
            return "(" + " AND ".join(parts) + ")"
        if node.field == "speaker":                # every form of the person's name (search/people.py)
            return _speaker_sql(node.forms or every_name(node.value), params)
        sql, times = FILTER_SQL[node.field]
        if node.field == "person":
            forms = node.forms or (node.value,)
            for form in forms:
                params.extend([form] * (times - 1) + [_like_escape(form)])
            return sql if len(forms) == 1 else "(" + " OR ".join([sql] * len(forms)) + ")"
        else:
            params.extend([node.value] * times)
        return sql
    if isinstance(node, Not):
        return "NOT " + _filter_sql(node.child, params)
    if isinstance(node, (And, Or)):
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(_filter_sql(c, params) for c in node.children) + ")"
    raise QueryError("words cannot stand inside a group of field filters; put them outside the parentheses")


def compile_query(node: Node | None) -> Compiled:
    """Split the top-level conjunction into words (one FTS expression) and filters (SQL)."""
    out = Compiled(highlight=terms_of(node))
    if node is None:
        return out
    parts = list(node.children) if isinstance(node, And) else [node]
    text_parts: list[Node] = []
    for part in parts:
        has_text, has_filter = _has_text(part), _has_filter(part)
        if has_text and has_filter:
            raise QueryError(
                "a group mixes words and field filters (e.g. (Iraq OR speaker:Lavrov)); "
                "filters combine with words only at the top level"
            )
        if has_filter:
            out.where.append(_filter_sql(part, out.params))
        else:
            text_parts.append(part)
    positive = [p for p in text_parts if not isinstance(p, Not)]
    negative = [p.child for p in text_parts if isinstance(p, Not)]
    if positive:
        expr = fts(And(tuple(positive))) if len(positive) > 1 else fts(positive[0])
        if negative:
            expr = f"({expr}) NOT (" + " OR ".join(fts(n) for n in negative) + ")"
        out.match = expr
    elif negative:
        out.where.append("t.rowid NOT IN (SELECT rowid FROM turns_fts WHERE turns_fts MATCH ?)")
        out.excluded_at = len(out.params)
        out.params.append("{text} : (" + " OR ".join(fts(n) for n in negative) + ")")
    return out
