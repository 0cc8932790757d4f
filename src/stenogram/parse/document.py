"""Text → Document: the parser's one entry point, wiring header, title, segmentation and attribution."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections import Counter
from typing import cast as typing_cast

from stenogram import sites
from stenogram.model import Document, DocumentKind, Event, Participant, Section, Turn
from stenogram.parse import labels
from stenogram.parse import patterns as P
from stenogram.parse.attribute import Cast, _comma_label, attribute
from stenogram.parse.dates import date_in_address, to_iso
from stenogram.parse.header import read_header
from stenogram.parse.language import detect_language
from stenogram.parse.names import Resolver, fold
from stenogram.parse.segment import RawTurn, known_label_names, segment
from stenogram.parse.text import lines as split_lines
from stenogram.parse.titles import event_of, kind_of, participants_of
from stenogram.parse.trace import active as active_trace

_SPOKES = re.compile(r"spokes|официальн|представител|sprecher|portavoz|porte-parole|press secretary|пресс-секретар", re.IGNORECASE)


def parse_text(text: str, *, url: str | None = None, source: str | None = None) -> Document:
    """Parse one transcript given as text copied from a web page.

    ``url`` (when known) gives the site and the item id; ``source`` forces a site profile by name.
    Never raises on text: a page without recognisable structure becomes one ``other`` turn with a warning.
    """
    all_lines = split_lines(text)
    trace = active_trace()
    if trace is not None and trace.started:
        trace = None      # only the first parse of a traced block is recorded
    if trace is not None:
        trace.started, trace.lines = True, all_lines
    profile = sites.by_name(source) if source else sites.detect(all_lines, url)
    header = read_header(all_lines, profile)
    body_lines = all_lines[header.body_start:]
    language = detect_language(" ".join(body_lines[:60]) or header.title)
    title = header.title
    kind = typing_cast(DocumentKind, kind_of(title))
    place, day = event_of(title)
    if day is None and header.event_date:
        place, day = header.event_place, header.event_date
    elif place is None and header.event_place and header.event_date in (None, day):
        place = header.event_place
    published = header.published
    if published is None and day is not None and header.start_time is not None:
        # state.gov: the date is in the title, the time on its own line.
        published = to_iso(dt.date.fromisoformat(day), header.start_time, profile.tz)
    if published is None and day is None and url and (in_address := date_in_address(url)) is not None:
        published = in_address.isoformat()      # the page says no date; its address does (/2021/05/14/, db230912)
    doc_day = day or (published[:10] if published else None)

    resolver = Resolver(language, doc_day)
    title_people: list[str] = []
    for person in participants_of(title, language, profile.country):
        added = resolver.add(person.name, person.role, person.country)
        title_people.append(added.name)
    for name, role in header.bylines:
        resolver.add(name, role, profile.country if role and profile.country else None)
    default_speaker = _default_speaker(resolver, kind)

    inline_names = known_label_names(body_lines, [p.name for p in resolver.people])
    if trace is not None:
        trace.offset = header.body_start
    body = segment(
        body_lines,
        toc=header.toc,
        allow_generic_headings=kind == "briefing" or bool(header.toc) or profile.name == "un.org" or profile.topic_headings,
        lead_is_preamble=profile.lead_is_preamble,
        reported_lead_is_preamble=_reads_leads(profile) and any(labels.at_start(line) for line in body_lines),
        inline_names=inline_names,
    )
    lead = header.preamble + body.preamble
    if _reads_leads(profile) and not title_people and not header.bylines and _needs_default(body.turns):
        # Nobody in the title, and replies that name no one ("R - ...", "— ..."): the interviewee or the
        # briefer the lead names ("Nous recevons ce matin le ministre ..., Jean-Yves Le Drian.").
        lead_person = next((p for line in lead if labels.at_start(line) is None   # not a field ("Sprecher: ...")
                            for p in participants_of(line, language, profile.country)), None)
        if lead_person is not None:
            title_people.append(resolver.add(lead_person.name, lead_person.role, lead_person.country).name)
            default_speaker = _default_speaker(resolver, kind)
    from_lead = kind == "other" and profile.name == "generic" and lead and len(lead[-1].split()) > 8
    if from_lead:
        kind = typing_cast(DocumentKind, kind_of(lead[-1]))
    if place is None:
        place = next((line for line in body.preamble if P.VENUE_LINE.match(line)), None)
    raw_turns, starts = _split_unlabelled_questions(body.turns, default_speaker, resolver)
    warnings: list[str] = []
    cast = Cast(resolver, default_speaker, tuple(title_people), profile.outlet_labels, profile.country,
                main_speaker=_most_frequent_label(raw_turns, resolver),
                full_name=_FullNames([title, *header.preamble, *body.preamble, *body_lines]).find)
    turns = attribute(raw_turns, cast)
    collapsed = False
    if not any(t.label for t in turns) and default_speaker is None and turns \
            and not any(t.question or t.answer for t in raw_turns):
        turns = [_one_other_turn(turns)]
        collapsed = True
        warnings.append("no speaker labels and no speaker in the title: the text is one 'other' turn")
    if trace is not None:
        trace.offset = 0
        ends = [*starts[1:], len(raw_turns)]   # a raw turn that became two had its last paragraph split off
        trace.resolve(body.turns, starts, [e - s == 2 for s, e in zip(starts, ends, strict=True)],
                      [t.paragraphs[-1] if t.paragraphs else "" for t in body.turns], collapsed)
    if not turns and title and not header.preamble:
        # A page with nothing but one line of text: that line is content, not a title.
        turns = [Turn(index=0, kind="other", speaker=None, label=None, paragraphs=(title,))]
        title = ""
        if trace is not None:
            for d in trace.decisions.values():
                if d.where == "title":
                    d.where, d.rule, d.final, d.part = "turn", "a page with one line of text: it is content", (0,), "text"
        warnings.append("no recognisable structure: the text is one 'other' turn")
    elif not turns:
        warnings.append("no body text found after the header")

    if profile.name == "generic" and (kind == "other" or (from_lead and kind == "comment")) and _is_interview(turns):
        # no kind in the title: unnamed questions all answered by one person make an interview (a blogger's
        # "My comment: ..." above it does not make it a comment)
        kind = "interview"
    _complete_people(resolver, header.preamble + body.preamble, language, profile, turns)
    participants = tuple(
        Participant(p.name, p.role, p.country) for p in resolver.people
        if p.name in title_people or any(t.speaker == p.name for t in turns)
    )
    return Document(
        id=_document_id(profile, url, language, text),
        url=url,
        source=profile.name,
        language=language,
        title=title,
        published=published,
        kind=kind,
        event=Event(place=place, date=day),
        versions=tuple(header.versions),
        participants=participants,
        turns=tuple(turns),
        sections=tuple(Section(t, _section_turn(i, starts, collapsed)) for t, i in body.sections),
        preamble=tuple(header.preamble + body.preamble),
        boilerplate=tuple(header.boilerplate + body.boilerplate),
        header=tuple(header.header_lines),
        warnings=tuple(warnings),
    )


def _complete_people(resolver: Resolver, preamble: list[str], language: str, profile: sites.SiteProfile,
                     turns: list[Turn]) -> None:
    """Roles and countries the title did not give: from the lead ("President of Russia Vladimir Putin ..."),
    then the registry of officials, then the site's own country for the site's own people."""
    for line in preamble:
        for found in participants_of(line, language, profile.country):
            name = resolver.resolve(found.name)
            for p in resolver.people:
                if p.name == name and p.role is None:
                    p.role, p.country = found.role, p.country or found.country
    # the site's own people: speakers of its statements and answers, never its questioners
    speakers = {t.speaker for t in turns if t.speaker and t.kind != "question"}
    for p in resolver.people:
        role, country = resolver.office(p.name)
        # the registry's roles are written in English
        if role and language == "en" and (p.role is None or (role.startswith(p.role) and len(role) > len(p.role))):
            p.role = role
        if p.country is None:
            own_site = profile.name != "generic" and p.name in speakers
            p.country = country or (profile.country if own_site else None)


def _is_interview(turns: list[Turn]) -> bool:
    """Two questions or more, none by a named speaker, and every other turn an answer by one and the same person."""
    questions = [t for t in turns if t.kind == "question"]
    answerers = {t.speaker for t in turns if t.kind != "question"}
    return len(questions) >= 2 and all(q.speaker is None for q in questions) and len(answerers) == 1 \
        and None not in answerers and all(t.kind in ("question", "answer") for t in turns)


def _reads_leads(profile: sites.SiteProfile) -> bool:
    """Whether a third-person lead is preamble and names the principal: on unknown sites, and on the sites
    whose pages open so (a point de presse, a government press conference)."""
    return profile.name == "generic" or profile.reported_lead


def _needs_default(turns: list[RawTurn]) -> bool:
    """Whether some turn's speaker can only be the document's principal: a reply in a dash dialogue, an
    answer label ("R", "A", "Answer"), unlabelled speech that is no question."""
    return any(
        t.answer or (t.label is None and not t.question)
        or (t.label is not None and (t.label.word in P.ANSWER_WORDS or t.label.word in P.SPOKESPERSON_WORDS))
        for t in turns
    )


class _FullNames:
    """The full names a page prints, found for a surname when a label gives only the surname and an
    honorific (``MS. DALTON`` → ``Olivia Dalton``): read when first asked, once a document."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        self._by_surname: dict[str, set[str]] | None = None

    def find(self, surname: str) -> str | None:
        if self._by_surname is None:
            self._by_surname = {}
            for line in self._lines:
                for run in _CAPITALISED_RUN.finditer(line):
                    tokens = run.group(0).split()
                    for given, last in itertools.pairwise(tokens):
                        if given.casefold().rstrip(".") not in _NOT_GIVEN and given[-1] != ".":
                            last = last.rstrip(".")
                            self._by_surname.setdefault(fold(last), set()).add(f"{given} {last}")
        found = self._by_surname.get(fold(surname), set())
        return next(iter(found)) if len(found) == 1 else None


# Capitalised words in a row ("Principal Deputy Press Secretary Olivia Dalton"); a given name is none
# of the role words, honorifics and words of a role's object before it.
_CAPITALISED_RUN = re.compile(r"(?<![\w’'\-])[A-ZÀ-ÞА-ЯЁ][\w’'\-]*\.?(?:\s+[A-ZÀ-ÞА-ЯЁ][\w’'\-]*\.?)+")
_NOT_GIVEN = P.HONORIFICS | P.ROLE_WORDS | P.ROLE_OBJECT_WORDS


def _default_speaker(resolver: Resolver, kind: str) -> str | None:
    """The speaker of unlabelled monologue: a spokesperson if the title names one, else the first person."""
    if not resolver.people:
        return None
    for person in resolver.people:
        if person.role and _SPOKES.search(person.role):
            return person.name
    return resolver.people[0].name


def _most_frequent_label(turns: list[RawTurn], resolver: Resolver) -> str | None:
    # a label with its role around a comma counts for its person, however the role is placed
    # ("Shri Randhir Jaiswal, Official Spokesperson" and "Official Spokesperson, Shri Randhir Jaiswal")
    names = (_comma_label(t.label.name)[0] for t in turns if t.label is not None)
    counts = Counter(resolver.resolve(name) or _without_honorific(name) for name in names)
    return counts.most_common(1)[0][0] if counts else None


def _without_honorific(name: str) -> str:
    """``Shri Randhir Jaiswal`` → ``Randhir Jaiswal`` (a label counts for one person with or without it)."""
    words = name.split()
    while len(words) > 1 and words[0].casefold().rstrip(".") in P.HONORIFICS:
        words.pop(0)
    return " ".join(words)


def _section_turn(raw_index: int | None, starts: list[int], collapsed: bool) -> int | None:
    """The final index of the first turn under a section the segmenter placed before raw turn ``raw_index``.

    Turns split after segmentation move every later turn; a text made one ``other`` turn has no turn
    beginning under any section after its start."""
    if raw_index is None:
        return None
    first = starts[raw_index]
    if collapsed:
        return 0 if first == 0 else None
    return first


def _split_unlabelled_questions(
    turns: list[RawTurn], default_speaker: str | None, resolver: Resolver,
) -> tuple[list[RawTurn], list[int]]:
    """An opening statement's last paragraph that asks a question, followed by the speaker's own label,
    is a question without a label (``Thank you. What do you expect from Berlin?`` then ``Sergey Lavrov:``).

    Also gives, for each raw turn, the index of the first turn it became."""
    out: list[RawTurn] = []
    starts: list[int] = []
    for n, turn in enumerate(turns):
        starts.append(len(out))
        nxt = turns[n + 1] if n + 1 < len(turns) else None
        if (
            turn.label is None and len(turn.paragraphs) >= 2 and turn.paragraphs[-1].rstrip().endswith("?")
            and nxt is not None and nxt.label is not None and default_speaker is not None
            and resolver.resolve(nxt.label.name) == default_speaker
        ):
            out.append(RawTurn(label=None, paragraphs=turn.paragraphs[:-1], notes=turn.notes))
            out.append(RawTurn(label=None, paragraphs=[turn.paragraphs[-1]], question=True))
        else:
            out.append(turn)
    return out, starts


def _one_other_turn(turns: list[Turn]) -> Turn:
    paragraphs = tuple(p for t in turns for p in t.paragraphs)
    notes = tuple(n for t in turns for n in t.notes)
    return Turn(index=0, kind="other", speaker=None, label=None, paragraphs=paragraphs, notes=notes)


def _document_id(profile: sites.SiteProfile, url: str | None, language: str, text: str) -> str:
    """``mid.ru:1398712:en`` where the URL gives the site's item id, else a hash of the content."""
    if url and profile.item_id is not None:
        m = profile.item_id.search(url)
        if m:
            item = next(g for g in m.groups() if g)
            return f"{profile.name}:{item}:{language}"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
    return f"sha256:{digest}"
