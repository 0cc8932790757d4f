"""TMX 1.4: the aligned paragraphs of language versions as a translation memory, one XML file.

::

    <tmx version="1.4">
      <header creationtool="stenogram" creationtoolversion="0.1.0" srclang="en" segtype="paragraph" .../>
      <body>
        <tu>
          <prop type="x-item">mid.ru:990001</prop> <prop type="x-confidence">0.93</prop> ...
          <tuv xml:lang="en"><prop type="x-turn">mid.ru:990001:en#3</prop> ... <seg>...</seg></tuv>
          <tuv xml:lang="ru"><prop type="x-turn">mid.ru:990001:ru#3</prop> ... <seg>...</seg></tuv>
        </tu>

One ``tu`` for each aligned pair of paragraphs. Where a translator merged two paragraphs into one,
the two it stands for are one unit with it (their texts joined by a blank line, ``x-paragraph`` "0,1"),
since a unit holds what translates what. The unit's properties say where it comes from (item, day,
source, turn kind) and how sure the alignment is (``x-confidence`` of the paragraphs,
``x-turn-confidence`` of their turns); each variant's say which document, turn and paragraph it is and
who speaks. The header's ``srclang`` is the first of two languages named, else ``*all*``.

Written as the rows come, with every text escaped and characters XML cannot hold left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from stenogram.export.pairs import Row, Rows, Side
from stenogram.version import __version__

#: characters XML 1.0 does not allow in a document (controls other than tab and line ends, lone surrogates)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def write(rows: Rows, path: Path, *, srclang: str = "*all*") -> None:
    """Write a TMX 1.4 file of the rows' aligned paragraphs to ``path``; ``rows.units`` counts the units."""
    now = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        fh.write(f'  <header creationtool="stenogram" creationtoolversion={_attr(__version__)} datatype="plaintext"'
                 f' segtype="paragraph" adminlang="en" srclang={_attr(srclang)} o-tmf="stenogram"'
                 f' creationdate="{now}"/>\n')
        fh.write("  <body>\n")
        units = 0
        for unit in _units(rows):
            _unit(fh, unit)
            units += 1
        fh.write("  </body>\n</tmx>\n")
    rows.units = units


def _units(rows: Rows) -> Iterator[list[Row]]:
    """The rows grouped into units: rows that share a paragraph on either side (a merged paragraph and
    the two it stands for) are one unit."""
    unit: list[Row] = []
    for row in rows:
        if unit and not any(_same(row.a, r.a) or _same(row.b, r.b) for r in unit):
            yield unit
            unit = []
        unit.append(row)
    if unit:
        yield unit


def _same(x: Side, y: Side) -> bool:
    return x.turn == y.turn and x.paragraph == y.paragraph


def _unit(fh: TextIO, unit: list[Row]) -> None:
    head = unit[0]
    w = fh.write
    w("    <tu>\n")
    _prop(fh, "x-item", head.item, 6)
    if head.date:
        _prop(fh, "x-date", head.date, 6)
    _prop(fh, "x-source", head.source, 6)
    _prop(fh, "x-kind", head.a.kind, 6)
    _prop(fh, "x-confidence", f"{min(r.confidence for r in unit):.3f}", 6)
    _prop(fh, "x-turn-confidence", f"{min(r.turn_confidence for r in unit):.3f}", 6)
    for sides in ([r.a for r in unit], [r.b for r in unit]):
        distinct = list({s.paragraph: s for s in sides}.values())
        side = distinct[0]
        w(f"      <tuv xml:lang={_attr(side.language)}>\n")
        _prop(fh, "x-document", side.document, 8)
        _prop(fh, "x-turn", side.turn, 8)
        _prop(fh, "x-paragraph", ",".join(str(s.paragraph) for s in distinct), 8)
        if side.speaker:
            _prop(fh, "x-speaker", side.speaker, 8)
        text = "\n\n".join(s.text for s in distinct)
        w(f"        <seg>{_text(text)}</seg>\n")
        w("      </tuv>\n")
    w("    </tu>\n")


def _prop(fh: TextIO, kind: str, value: str, indent: int) -> None:
    fh.write(f'{" " * indent}<prop type="{kind}">{_text(value)}</prop>\n')


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))
