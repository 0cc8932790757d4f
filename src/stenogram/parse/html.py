"""HTML pages → Document: decode, pick the site, cut the page down to the text layout, parse, correct.

The text parser already knows what a copied page looks like (a date line, the title, the language
bar, the body one paragraph a line, chrome). This module turns a saved page into exactly that layout,
using each site's markup (CSS selectors, as data in :mod:`stenogram.sites`) to find the title, the
publication time, the place, the document number, the body and the document's own language links,
and leaving menus, banners, share buttons, scripts and footers out. The text is then parsed by
:func:`stenogram.parse.document.parse_text`, and the fields the markup gives more reliably than the
text (an exact time element, the hreflang alternates, the canonical URL) replace the parsed ones.

Only the body container's text can become turns; the title, date, place, byline and lead are
emitted as header lines, where the text parser files them as title, metadata and preamble.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from selectolax.lexbor import LexborHTMLParser, LexborNode

from stenogram import sites
from stenogram.errors import BinaryInput, EmptyInput, InputError
from stenogram.model import Document
from stenogram.parse.dates import find_time, to_iso
from stenogram.parse.document import parse_text
from stenogram.parse.text import _check_text, decode, normalise_line
from stenogram.sites import HEADING_MARK, MARKERS, SELECTORS

__all__ = [
    "HtmlPage", "alternate_urls", "declared_charset", "decode_html", "looks_like_html", "page_text",
    "parse_html",
]

# Chrome removed everywhere: never text, or never the transcript.
_HARD_DROP = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "video", "audio",
    "form", "button", "select", "input", "textarea", "nav", "footer", "aside", "menu", "dialog", "header",
    "figure", "figcaption", "[hidden]", "[aria-hidden='true']", "[role='navigation']", "[role='banner']",
    "[role='contentinfo']", "[role='search']", "[role='dialog']", "[role='alertdialog']",
)
# Chrome found by class or id words: skipped when the element holds the transcript (three paragraphs or more).
_SOFT_DROP = (
    "[class*='cookie']", "[id*='cookie']", "[class*='consent']", "[id*='consent']", "[class*='gdpr']",
    "[class*='share']", "[class*='sharing']", "[class*='social']", "[class*='breadcrumb']", "[class*='menu']",
    "[id*='menu']", "[class*='navbar']", "[class*='sidebar']", "[class*='related']", "[class*='newsletter']",
    "[class*='subscribe']", "[class*='comment']", "[id*='comment']", "[class*='advert']", "[class*='banner']",
    "[class*='skip-link']", "[class*='sr-only']", "[class*='visually-hidden']", "[class*='print']",
    "[class*='pagination']", "[class*='popup']", "[class*='modal']", "[class*='toolbar']", "[class*='widget']",
    "[style*='display:none']", "[style*='display: none']", "[class*='lang-switch']", "[class*='language-switch']",
)
_NEVER_DROP = frozenset({"html", "body", "main", "article"})

_BLOCK = frozenset(
    "address article aside blockquote caption center dd details dialog div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section summary table tbody tfoot thead tr ul".split()
)
_SKIP = frozenset(
    "script style noscript template iframe object embed svg canvas video audio map button select input textarea "
    "head title meta link img picture source track area".split()
)
_HEADINGS = frozenset("h2 h3 h4 h5 h6".split())
_CELLS = frozenset({"td", "th"})
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


# --- sniffing and decoding -------------------------------------------------------------------------
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_START = re.compile(rb"^(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)
_BODY_TAG = re.compile(rb"<body[\s>]", re.IGNORECASE)


def looks_like_html(data: bytes) -> bool:
    """A saved web page: ``<!doctype html``, ``<html`` or a markup file with a ``<body>``, after a BOM and whitespace."""
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
    elif head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    head = head.lstrip()
    if _HTML_START.match(head):
        return True
    return head.startswith(b"<") and _BODY_TAG.search(head) is not None


_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:\-]+)", re.IGNORECASE)
# Labels browsers read as a superset (WHATWG Encoding Standard).
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "l1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "iso-8859-9": "cp1254", "gb2312": "gb18030", "gbk": "gb18030",
    "x-gbk": "gb18030", "cp936": "gb18030", "x-cp1251": "cp1251", "utf-16": "utf-8", "utf-16le": "utf-8",
    "utf-16be": "utf-8", "unicode": "utf-8", "x-user-defined": "cp1252",
}
_SINGLE_BYTE = frozenset({"cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "koi8-r", "koi8-u", "iso8859-5", "mac-cyrillic"})
_DETECT = ["utf_8", "cp1251", "koi8_r", "gb18030", "cp1252"]


def _codec(label: str | None) -> str | None:
    """A charset label (``windows-1251``, ``text/html; charset=koi8-r``) → a Python codec name, or None."""
    if not label:
        return None
    m = _CHARSET_PARAM.search(label)
    name = (m.group(1) if m else label).strip().strip("\"'").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The page's own declaration: ``<meta charset>``, ``http-equiv`` Content-Type, or an XML prolog."""
    head = data[:16384]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", errors="replace") if m else None


_TAGS = re.compile(r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>", re.IGNORECASE | re.DOTALL)
_TAGS_BYTES = re.compile(rb"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>|&#?\w+;", re.IGNORECASE | re.DOTALL)
_BYTES_SPACE = re.compile(rb"[ \t\n\r\f]+")
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]{3,}")
_CASE_FLIP = re.compile(r"[а-яё][А-ЯЁ]")
_LATIN1_RUN = re.compile(r"[À-ÿ]{3,}")


def _visible(text: str) -> str:
    return _HTML_SPACE.sub(" ", _TAGS.sub(" ", text))[:30000]


def _mojibake(text: str, data: bytes, codec: str) -> bool:
    """Text decoded with the wrong charset: UTF-8 read as a single-byte page, KOI8-R and cp1251 swapped, garbage runs."""
    sample = _visible(text)
    if not any(ord(ch) > 127 for ch in sample):
        return False
    if codec in _SINGLE_BYTE:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return True   # valid UTF-8 with non-ASCII bytes is UTF-8, whatever the page says
    words = _CYRILLIC_WORD.findall(sample)
    if len(words) >= 5:
        letters = "".join(words)
        upper = sum(ch.isupper() for ch in letters)
        flips = sum(1 for w in words if _CASE_FLIP.search(w))
        if upper > 0.5 * len(letters) or flips > 0.2 * len(words):
            return True   # KOI8-R read as cp1251 or the reverse: the case of every letter is swapped
    if len(_LATIN1_RUN.findall(sample)) > 5:
        return True       # Cyrillic or Chinese read as Latin-1
    from charset_normalizer.md import mess_ratio

    return mess_ratio(sample, maximum_threshold=0.2) >= 0.2


def _replacements_ok(text: str) -> bool:
    """A few broken bytes are tolerated; many mean the charset is wrong."""
    bad = text.count("\ufffd")
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return bad <= 3 or bad <= 0.005 * non_ascii


def _detect(data: bytes) -> str | None:
    """The charset of the page's text (markup stripped, so the ASCII tags do not dilute the evidence)."""
    from charset_normalizer import from_bytes

    sample = _BYTES_SPACE.sub(b" ", _TAGS_BYTES.sub(b" ", data))[:200000]
    if not sample.strip():
        sample = data
    best = from_bytes(sample, cp_isolation=_DETECT).best()
    return _codec(best.encoding) if best is not None else None


def decode_html(data: bytes, *, charset: str | None = None, name: str = "<input>") -> str:
    """A page's bytes as text: the HTTP charset, the page's declaration, then detection.

    A declared charset that leaves many replacement characters, or reads as mojibake, is overruled by
    detection. Raises EmptyInput (nothing but whitespace) and BinaryInput (not text).
    """
    if not data.strip():
        raise EmptyInput(name)
    if data.startswith(_BOMS):
        return decode(data, name=name)
    if b"\x00" in data[:4096]:
        raise BinaryInput(name)
    for label in (charset, declared_charset(data)):
        codec = _codec(label)
        if codec is None:
            continue
        text = data.decode(codec, errors="replace")
        if _replacements_ok(text) and not _mojibake(text, data, codec):
            return _check_text(text, name)
    try:
        return _check_text(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    codec = _detect(data)
    if codec is not None:
        text = data.decode(codec, errors="replace")
        if not _mojibake(text, data, codec):
            return _check_text(text, name)
    return decode(data, name=name)


# --- page → text layout ------------------------------------------------------------------------------
class _Lines:
    """Collects a block's text: inline text joins, ``<br>`` breaks the line, block elements make paragraphs."""

    def __init__(self, heading_mark: str = "") -> None:
        self.out: list[str] = []
        self.buf: list[str] = []
        self.pending_space = False
        self.heading_mark = heading_mark

    def text(self, s: str, *, pre: bool = False) -> None:
        if not s:
            return
        if pre:
            first, *rest = s.split("\n")
            self._add(first)
            for part in rest:
                self.line()
                self._add(part)
            return
        self._add(_HTML_SPACE.sub(" ", s))

    def _add(self, s: str) -> None:
        if self.pending_space and s and not s[0].isspace() and s[0] not in ".,;:!?)]»”":
            self.buf.append(" ")
        self.pending_space = False
        self.buf.append(s)

    def after_inline(self) -> None:
        """``<strong>Question:</strong>text`` still reads ``Question: text``."""
        last = next((piece for piece in reversed(self.buf) if piece.strip()), "")
        self.pending_space = last.endswith((":", "："))

    def line(self) -> None:
        line = normalise_line("".join(self.buf))
        if line:
            self.out.append(line)
        self.buf = []
        self.pending_space = False

    def paragraph(self) -> None:
        """Block boundaries end the line; the layout puts every line in a paragraph of its own."""
        self.line()

    def lines(self) -> list[str]:
        self.line()
        return self.out


def _is_ancestor(node: LexborNode, of: LexborNode) -> bool:
    """``node`` is ``of`` or one of its ancestors."""
    cur: LexborNode | None = of
    while cur is not None:
        if cur.mem_id == node.mem_id:
            return True
        cur = cur.parent
    return False


def _depth(node: LexborNode) -> int:
    n, cur = 0, node.parent
    while cur is not None:
        n, cur = n + 1, cur.parent
    return n


def _walk(root: LexborNode, out: _Lines, skip: set[int]) -> None:
    """Write the text under ``root`` into ``out``; iterative, so a page of ten thousand unclosed <div>s is fine."""
    # A frame: the element's remaining children, its tag, whether it is inside <pre>, the list counters.
    stack: list[tuple[Iterator[LexborNode], str, bool, list[int]]] = [(root.iter(include_text=True), "", False, [])]
    while stack:
        children, tag, pre, counters = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if tag in _CELLS:
                out.text(" ")
            elif tag in _BLOCK:
                out.paragraph()
            elif tag:
                out.after_inline()
            continue
        if child.is_text_node:
            out.text(child.text_content or "", pre=pre)
            continue
        name = (child.tag or "").lower()
        if not child.is_element_node or name in _SKIP or child.mem_id in skip:
            continue
        if name == "br":
            out.line()
            continue
        if name == "hr":
            out.paragraph()
            out.text("* * *")
            out.paragraph()
            continue
        if name in _CELLS:
            out.text(" ")
        elif name in _BLOCK:
            out.paragraph()
            if name in _HEADINGS and out.heading_mark:
                out.text(out.heading_mark)
            if name == "ol":
                start = child.attributes.get("start") or "1"
                counters = [*counters, int(start) if start.isdigit() else 1]
            elif name == "ul":
                counters = [*counters, 0]
            elif name == "li" and counters and counters[-1] > 0:
                value = child.attributes.get("value")
                number = int(value) if value and value.isdigit() else counters[-1]
                counters[-1] = number + 1
                out.text(f"{number}. ")
        stack.append((child.iter(include_text=True), name, pre or name == "pre", counters))


def _node_lines(node: LexborNode, skip: set[int], heading_mark: str = "") -> list[str]:
    out = _Lines(heading_mark)
    if node.is_text_node:
        out.text(node.text_content or "")
    else:
        _walk(node, out, skip)
    return out.lines()


def _first(tree: LexborHTMLParser, selectors: Sequence[str]) -> LexborNode | None:
    for selector in selectors:
        for node in tree.css(selector):
            if node.text(deep=True).strip() or node.attributes.get("datetime") or node.attributes.get("content"):
                return node
    return None


def _every(tree: LexborHTMLParser, selectors: Sequence[str]) -> list[LexborNode]:
    seen: set[int] = set()
    found: list[LexborNode] = []
    for selector in selectors:
        for node in tree.css(selector):
            if node.mem_id not in seen:
                seen.add(node.mem_id)
                found.append(node)
    return found


def _one_line(node: LexborNode | None) -> str:
    if node is None:
        return ""
    return " ".join(_node_lines(node, set()))


def _meta(tree: LexborHTMLParser, *selectors: str) -> str | None:
    for selector in selectors:
        node = tree.css_first(selector)
        if node is not None:
            value = node.attributes.get("content") or node.attributes.get("href")
            if value and value.strip():
                return value.strip()
    return None


def _drop_set(tree: LexborHTMLParser, profile: str, keep: LexborNode | None) -> set[int]:
    """The mem_ids of the chrome elements to leave out (never the body container or one of its ancestors)."""
    drop: set[int] = set()
    site = SELECTORS.get(profile, {}).get("drop", ())
    for soft, selectors in ((False, (*_HARD_DROP, *site)), (True, _SOFT_DROP)):
        for selector in selectors:
            for node in tree.css(selector):
                tag = (node.tag or "").lower()
                if tag in _NEVER_DROP or (keep is not None and _is_ancestor(node, keep)):
                    continue
                if soft and len(node.css("p")) >= 3:
                    continue
                if tag == "figure" and node.css_first("table") is not None:
                    continue   # a table set in a <figure> (WordPress blocks) is content, not a photo
                drop.add(node.mem_id)
    return drop


@dataclasses.dataclass(slots=True)
class HtmlPage:
    """What the markup says, before the text parser reads the layout."""

    profile: str
    text: str
    canonical: str | None = None
    machine_time: str | None = None
    clock: str | None = None
    versions: list[str] = dataclasses.field(default_factory=list)


def _profile_of(tree: LexborHTMLParser, url: str | None, source: str | None = None) -> tuple[str, str, str | None]:
    """(source profile, markup profile, canonical URL).

    The source is the URL's site, else the canonical or og:url site, else the site whose markup the page
    carries (its markers), else generic. The markup profile says which selectors read the page: a copy of a
    mid.ru page on another host is a generic repost, but its markup is still mid.ru's.
    """
    canonical = _meta(tree, "link[rel='canonical']", "link[rel~='canonical']")
    og_url = _meta(tree, "meta[property='og:url']")
    base = url or og_url
    if canonical and base:
        canonical = urljoin(base, canonical)
    if canonical and not urlsplit(canonical).hostname:
        canonical = None
    markup, best_score = "generic", 0
    for name, markers in MARKERS.items():
        score = sum(weight for selector, weight in markers if tree.css_first(selector) is not None)
        if score > best_score:
            markup, best_score = name, score
    markup = markup if best_score >= 3 else "generic"
    if source is not None:     # a mirror, an archive copy or a test server of a known site
        return source, source, canonical
    for address in (url, canonical, og_url):
        if address and urlsplit(address).hostname:
            source = sites.detect([], address).name
            return source, (source if source != "generic" else markup), canonical
    return markup, markup, canonical


_REGIONS = {"en": "GB", "ru": "RU", "de": "DE", "es": "ES", "fr": "FR", "zh": "CN", "ar": "SA", "pt": "PT",
            "ja": "JP", "ko": "KR", "uk": "UA", "fa": "IR", "tr": "TR", "it": "IT", "hi": "IN", "he": "IL"}
_LANG_TAG = re.compile(r"^\s*([a-zA-Z]{2})(?:[-_]([a-zA-Z]{2}))?\d*\s*$")


def _language_links(tree: LexborHTMLParser, profile: str) -> list[tuple[str, str, str | None]]:
    """The document's language versions as (``xx-YY`` tag, language code, href): hreflang alternates, else the
    site's own language links for this document (never a site-wide language menu)."""
    found: list[tuple[str, str | None]] = []
    for link in tree.css("link[hreflang]"):
        rel = (link.attributes.get("rel") or "").lower().split()
        if "alternate" in rel:
            found.append((link.attributes.get("hreflang") or "", link.attributes.get("href")))
    if not found:
        for node in _every(tree, SELECTORS.get(profile, {}).get("languages", ())):
            attrs = node.attributes
            found.append((attrs.get("hreflang") or attrs.get("lang") or node.text(deep=True), attrs.get("href")))
    out: list[tuple[str, str, str | None]] = []
    for tag, href in found:
        m = _LANG_TAG.match(tag or "")
        if not m:
            continue   # x-default, zh-Hans and the like
        code = m.group(1).lower()
        full = f"{code}-{(m.group(2) or _REGIONS.get(code, code)).upper()}"
        if all(full != t for t, _, _ in out):
            out.append((full, code, href))
    return out


def _language_tags(tree: LexborHTMLParser, profile: str) -> list[str]:
    return [tag for tag, _, _ in _language_links(tree, profile)]


def alternate_urls(data: bytes | str, url: str | None = None, *, charset: str | None = None) -> dict[str, str]:
    """The page's language versions, ``{language code: absolute URL}`` (its own language included), from its
    hreflang alternates or its language bar; empty for a page that names none or cannot be read."""
    try:
        markup = data if isinstance(data, str) else decode_html(data, charset=charset)
    except InputError:
        return {}
    tree = LexborHTMLParser(markup)
    _, markup_profile, canonical = _profile_of(tree, url)
    base = url or canonical
    out: dict[str, str] = {}
    for _, code, href in _language_links(tree, markup_profile):
        if not href or code in out:
            continue
        absolute = urljoin(base, href.strip()) if base else href.strip()
        if urlsplit(absolute).hostname:
            out[code] = absolute
    return out


def _title(tree: LexborHTMLParser, selectors: Sequence[str]) -> tuple[str, LexborNode | None]:
    """The title element; of several candidates, the one the page's <title> or og:title repeats."""
    declared = _meta(tree, "meta[property='og:title']", "meta[name='twitter:title']")
    head_title = tree.css_first("title")
    names = [normalise_line(t) for t in (declared, head_title.text(deep=True) if head_title is not None else None) if t]
    for selector in selectors:
        candidates = [(text, node) for node in tree.css(selector) if (text := _one_line(node))]
        if not candidates:
            continue
        for text, node in candidates:
            if any(text in name or (len(name) >= 10 and name in text) for name in names):
                return text, node
        if len(candidates) == 1 or not names:
            return candidates[0]
    if declared:
        return normalise_line(declared), None
    if names:
        # "Headline | Site name" / "Headline - Site name": keep the headline.
        return re.split(r"\s+[|–—-]\s+(?=[^|–—-]{2,60}$)", names[0])[0], None
    return "", None


def _generic_body(tree: LexborHTMLParser, skip: set[int], consumed: Sequence[LexborNode]) -> list[str]:
    """The main text of an unknown page: trafilatura on the page without its chrome, else the densest container."""
    doomed = {n.mem_id: n for n in tree.css("*") if n.mem_id in skip}
    doomed.update({n.mem_id: n for n in consumed})
    body_node = tree.body
    for node in sorted(doomed.values(), key=_depth, reverse=True):
        if body_node is not None and _is_ancestor(node, body_node):
            continue
        node.decompose()   # deepest first: an ancestor never goes before its descendants
    lines = _trafilatura_lines(tree.html or "")
    if lines:
        return lines
    # The element whose own <p> children hold the most text (one pass over the paragraphs).
    sizes: dict[int, int] = {}
    parents: dict[int, LexborNode] = {}
    for p in tree.css("p"):
        parent = p.parent
        if parent is not None:
            sizes[parent.mem_id] = sizes.get(parent.mem_id, 0) + len(p.text(deep=True).strip())
            parents[parent.mem_id] = parent
    best = parents[max(sizes, key=lambda k: sizes[k])] if sizes else tree.body
    return _node_lines(best, set()) if best is not None else []


def _trafilatura_lines(markup: str) -> list[str]:
    """trafilatura's main-text extraction (offline), read back from its XML into our lines."""
    if not markup.strip():
        return []
    try:
        import trafilatura

        xml = trafilatura.extract(
            markup, output_format="xml", include_comments=False, favor_recall=True, include_tables=True,
            include_formatting=True, include_links=False, include_images=False, deduplicate=False,
            with_metadata=False,
        )
    except Exception:   # a third-party extractor must never break parsing: fall back to our own
        return []
    if not xml:
        return []
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return []
    main = root.find("main")
    if main is None:
        return []
    out = _Lines()
    _walk_xml(main, out, [])
    return out.lines()


_XML_BLOCK = frozenset({"p", "head", "list", "item", "quote", "table", "row", "div", "code", "main"})


def _walk_xml(elem: ElementTree.Element, out: _Lines, counters: list[int]) -> None:
    out.text(elem.text or "")
    for child in elem:
        tag = child.tag
        if tag == "lb":
            out.line()
        elif tag == "cell":
            out.text(" ")
            _walk_xml(child, out, counters)
            out.text(" ")
        elif tag in _XML_BLOCK:
            out.paragraph()
            if tag == "list":
                _walk_xml(child, out, [*counters, 1 if child.get("rend") == "ol" else 0])
            elif tag == "item" and counters and counters[-1] > 0:
                out.text(f"{counters[-1]}. ")
                counters[-1] += 1
                _walk_xml(child, out, counters)
            else:
                _walk_xml(child, out, counters)
            out.paragraph()
        elif tag not in {"graphic", "comments"}:
            _walk_xml(child, out, counters)
            out.after_inline()
        out.text(child.tail or "")


def page_text(data: bytes | str, *, url: str | None = None, charset: str | None = None, name: str = "<input>",
              source: str | None = None) -> HtmlPage:
    """The page cut down to the text layout the text parser reads, with what the markup says besides."""
    markup = data if isinstance(data, str) else decode_html(data, charset=charset, name=name)
    tree = LexborHTMLParser(markup)
    profile, markup_profile, canonical = _profile_of(tree, url, source)
    sel = SELECTORS.get(markup_profile, SELECTORS["generic"])
    generic = SELECTORS["generic"]

    def field(key: str) -> tuple[str, ...]:
        return sel.get(key, ())

    title, title_node = _title(tree, field("title") or generic["title"])
    date_node = _first(tree, field("date"))
    clock_node = _first(tree, field("clock"))
    place_node = _first(tree, field("place"))
    number_node = _first(tree, field("number"))
    bylines = _every(tree, field("byline"))
    leads = _every(tree, field("lead"))
    time_node = _first(tree, field("time"))
    machine_time = None
    if time_node is not None:
        machine_time = time_node.attributes.get("datetime") or time_node.attributes.get("content")
        if machine_time and time_node.tag == "time" and find_time(time_node.text(deep=True)) is None:
            # A <time> that shows only a date holds no exact time (Drupal stores such dates as noon UTC).
            machine_time = machine_time.strip()[:10]
    body_node = _first(tree, sel.get("body", ()))
    consumed = [n for n in (title_node, date_node, clock_node, place_node, number_node, *bylines, *leads) if n is not None]
    if body_node is not None:
        consumed = [n for n in consumed if not _is_ancestor(n, body_node)]
    skip = _drop_set(tree, markup_profile, body_node)
    skip.update(n.mem_id for n in consumed)
    tags = _language_tags(tree, markup_profile)

    date = _one_line(date_node)
    place = _one_line(place_node)
    head: list[str] = []
    if date and not (place and markup_profile == "kremlin.ru"):
        head.append(date)
    if title:
        head.append(title)
    if date and place and markup_profile == "kremlin.ru":
        head.append(f"{date}, {place}")   # the layout of kremlin.ru: "April 3, 2018, Ankara" under the title
        place = ""
    if number_node is not None:
        head.append(_one_line(number_node))
    if tags:
        head.append("• " + " ".join(tags))
    head.extend(line for node in bylines if (line := _one_line(node)))
    if place:
        head.append(place)
    for node in leads:
        head.extend(_node_lines(node, skip))
    body = _node_lines(body_node, skip, HEADING_MARK.get(markup_profile, "")) if body_node is not None else []
    if not body:
        body = _generic_body(tree, skip, consumed)
        while body and body[0] in head:
            body = body[1:]   # the extractor's copy of the title or the date line
    if not body:
        raise EmptyInput(name)   # a page with nothing but chrome (or a title) holds no transcript
    text = "\n\n".join([*head, *body]) + "\n"
    clock = _one_line(clock_node) or None
    return HtmlPage(profile=profile, text=text, canonical=canonical, machine_time=machine_time, clock=clock,
                 versions=sorted({t[:2] for t in tags}))


def _published(machine: str | None, clock: str | None, parsed: str | None, tz: str | None) -> str | None:
    """The page's time element as ``published``: exact times replace the text's; a bare date only fills a gap."""
    if not machine:
        return parsed
    value = machine.strip()
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value or " " in value.strip() else None
        day = moment.date() if moment is not None else dt.date.fromisoformat(value[:10])
    except ValueError:
        return parsed
    if moment is None:
        time = find_time(clock) if clock else None
        if time is not None:
            return to_iso(day, time, tz)
        if parsed and parsed[:10] == day.isoformat():
            return parsed
        return day.isoformat()
    moment = moment.replace(microsecond=0)
    if moment.tzinfo is not None:
        if tz is None:
            return moment.replace(tzinfo=None).isoformat()   # no offset where the site has none (generic, un.org)
        return moment.astimezone(ZoneInfo(tz)).isoformat()
    return to_iso(moment.date(), moment.time(), tz)


def _same_site(canonical: str, url: str | None) -> bool:
    """The canonical URL replaces the caller's only on the same site (a repost's canonical names the original)."""
    if not url or not urlsplit(url).hostname:
        return True
    profile = sites.detect([], url).name
    if profile != sites.detect([], canonical).name:
        return False
    return profile != "generic" or urlsplit(url).hostname == urlsplit(canonical).hostname


def parse_html(data: bytes, *, url: str | None = None, charset: str | None = None, name: str = "<input>",
               source: str | None = None) -> Document:
    """Parse one saved web page (bytes as served or saved; ``charset`` from the HTTP header, when known).

    Raises EmptyInput for an empty page (or one with no body text outside its chrome and title) and
    BinaryInput for bytes that are not text.
    """
    page = page_text(data, url=url, charset=charset, name=name, source=source)
    final_url = page.canonical if page.canonical and _same_site(page.canonical, url) else url
    doc = parse_text(page.text, url=final_url, source=page.profile)
    profile = sites.by_name(page.profile)
    published = _published(page.machine_time, page.clock, doc.published, profile.tz)
    versions = list(page.versions)
    if versions and doc.language not in versions:
        versions = sorted({*versions, doc.language})
    return dataclasses.replace(
        doc,
        published=published,
        versions=tuple(versions) if versions else doc.versions,
        url=final_url,
    )
