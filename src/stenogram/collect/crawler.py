"""The crawler: walk a site's listing pages, fetch every item once, hand each page over.

    with httpx.Client(timeout=30) as client, FetchLog.for_corpus("stenogram.db") as log:
        report = crawl("mid.ru", fetcher=Fetcher(client), snapshots=SnapshotStore.for_corpus("stenogram.db"),
                       log=log, on_document=ingest_page, languages=("en", "ru"), since=date(2020, 1, 1))

How it walks:

- listing pages of the first language in ``languages``, newest first; each item found there (within
  ``since``/``until``, on an allowed host) goes on the frontier, and so do the versions in the other
  wanted languages that an item page links to;
- the frontier is drained before the next listing page is read, so items are fetched soon after they
  are found and the frontier stays short;
- an item fetched successfully before (by any crawl) is skipped; with ``update=True`` it is refreshed
  instead with a conditional request (a 304 costs no download), and the walk stops after the first
  listing page that holds only known items;
- the walk ends at an empty listing page, a page that repeats the previous one (Bitrix answers page
  numbers past the end with the last page), a 404 listing page, or the first item older than ``since``.

Each fetched item page is stored in the snapshot store, logged in the fetch log, then handed to
``on_document(raw_bytes, url, charset_from_http_header, headers)``. State is committed after every
listing page and every item: a crawl that is killed and started again with the same options
continues where it stopped, and an item fetched but not yet handed over is handed over from its
snapshot. Errors on single pages are logged and reported; they do not stop the crawl.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from stenogram.collect.errors import (
    ChallengePage,
    CrawlConfigError,
    FetchError,
    RobotsDisallowed,
    SnapshotError,
    UnknownSite,
)
from stenogram.collect.fetch import Fetcher, FetchResult
from stenogram.collect.fetchlog import CrawlState, FetchLog, NewEntry, QueueEntry
from stenogram.collect.pages import ListedItem, decode_html, find_items, find_versions
from stenogram.collect.snapshots import SnapshotStore, content_key
from stenogram.errors import StenogramError
from stenogram.sites import CrawlProfile, crawl_names, crawl_profile

log = logging.getLogger("stenogram.collect")

#: ``on_document(raw_bytes, url, charset_from_http_header, headers)``
OnDocument = Callable[[bytes, str, str | None, dict[str, str]], None]
#: ``on_withdrawn(url, why)``: an item fetched before is gone (404 or 410 on a refresh); ``on_unchanged(url)``:
#: an item refreshed is as it was (a 304, or the same bytes), so it is not gone
OnWithdrawn = Callable[[str, str], None]
OnUnchanged = Callable[[str], None]


def get_profile(name: str) -> CrawlProfile:
    """The profile by name or alias (``mid.ru``, ``mid``, ``kremlin.ru``, ``kremlin``), or :class:`UnknownSite`."""
    profile = crawl_profile(name)
    if profile is None:
        raise UnknownSite(name, site_names())
    return profile


def site_names() -> list[str]:
    """The names of the sites that can be crawled, sorted."""
    return crawl_names()


@dataclass(frozen=True, slots=True)
class CrawlProgress:
    """Counts so far, for a progress bar; sent after every listing page and every item."""

    #: listing pages read
    pages: int
    #: item pages fetched and handed over (new or changed)
    items: int
    #: pages that failed
    errors: int
    #: items still on the frontier
    queued: int
    #: items fetched before, not fetched again
    skipped: int = 0
    #: items refreshed and found unchanged
    unchanged: int = 0
    #: the URL just dealt with
    url: str = ""


Progress = Callable[[CrawlProgress], None]


@dataclass(slots=True)
class CrawlReport:
    site: str
    #: listing pages read
    pages: int = 0
    #: item URLs fetched and handed over in this run (new, or changed on refresh)
    fetched: list[str] = field(default_factory=list)
    #: item URLs refreshed and unchanged (304, or the same bytes)
    unchanged: list[str] = field(default_factory=list)
    #: items skipped because they were fetched before
    skipped: int = 0
    #: (URL, message) of pages that failed
    failed: list[tuple[str, str]] = field(default_factory=list)
    #: item URLs robots.txt forbids (never requested)
    disallowed: list[str] = field(default_factory=list)
    #: item URLs fetched before that are gone now (404 or 410 on a refresh)
    withdrawn: list[str] = field(default_factory=list)
    #: items left on the frontier (0 when the crawl completed)
    queued: int = 0
    #: the listings were walked to their end and every item found was dealt with
    complete: bool = False
    #: this run continued an interrupted crawl
    resumed: bool = False
    #: why the listing walk ended (or stopped early)
    stopped: str = ""

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(slots=True)
class ReparseReport:
    delivered: int = 0
    #: (URL, message) of snapshots that are missing or damaged
    missing: list[tuple[str, str]] = field(default_factory=list)
    #: (URL, message) of pages on_document refused
    failed: list[tuple[str, str]] = field(default_factory=list)


def crawl(
    site: str,
    *,
    fetcher: Fetcher,
    snapshots: SnapshotStore,
    log: FetchLog,
    on_document: OnDocument,
    languages: Sequence[str] = ("en",),
    since: dt.date | None = None,
    until: dt.date | None = None,
    update: bool = False,
    base_url: str | None = None,
    progress: Progress | None = None,
    recheck: int | None = None,
    on_withdrawn: OnWithdrawn | None = None,
    on_unchanged: OnUnchanged | None = None,
) -> CrawlReport:
    """Crawl one site's archive (see the module's docstring); resumable, polite, each item fetched once."""
    profile = get_profile(site)
    langs = tuple(dict.fromkeys(lang.strip().lower() for lang in languages))
    if not langs or not all(len(lang) in (2, 3) and lang.isalpha() for lang in langs):
        raise CrawlConfigError(f"languages {list(languages)!r} are not language codes", "give two-letter codes such as en, ru")
    if since and until and since > until:
        raise CrawlConfigError(f"--since {since} is after --until {until}", "swap them, or leave one open")
    if base_url is not None and urlsplit(base_url).scheme not in ("http", "https"):
        raise CrawlConfigError(f"--base-url {base_url!r} is not an http(s) URL", "give one such as https://www.mid.ru")
    if recheck is not None and (recheck < 0 or not update):
        raise CrawlConfigError(f"--recheck {recheck}" + (" needs --update" if recheck >= 0 else " is negative"),
                               "give --update --recheck DAYS with DAYS 0 or more")
    crawler = _Crawl(profile, fetcher, snapshots, log, on_document, langs, since, until, update, base_url, progress)
    crawler.recheck_from = dt.date.today() - dt.timedelta(days=recheck) if recheck is not None else None
    crawler.on_withdrawn = on_withdrawn
    crawler.on_unchanged = on_unchanged
    return crawler.run()


def reparse(snapshots: SnapshotStore, log: FetchLog, on_document: OnDocument, *, every_version: bool = False) -> ReparseReport:
    """Hand every stored item page over again, from the snapshots, without the network.

    By default the latest successful fetch of each URL, in the order they were fetched; with
    ``every_version`` every successful fetch (older versions of changed pages too).
    """
    report = ReparseReport()
    for rec in log.successes(kind="item", every_version=every_version):
        assert rec.sha256 is not None
        try:
            data = snapshots.get(rec.sha256)
        except SnapshotError as exc:
            report.missing.append((rec.url, str(exc)))
            continue
        try:
            on_document(data, rec.final_url or rec.url, rec.charset, dict(rec.headers))
        except StenogramError as exc:
            report.failed.append((rec.url, str(exc)))
            continue
        report.delivered += 1
    return report


class _Crawl:
    def __init__(self, profile: CrawlProfile, fetcher: Fetcher, snapshots: SnapshotStore, flog: FetchLog, on_document: OnDocument,
                 languages: tuple[str, ...], since: dt.date | None, until: dt.date | None, update: bool, base_url: str | None,
                 progress: Progress | None) -> None:
        self.profile = profile
        self.site = profile.name
        self.fetcher = fetcher
        self.snapshots = snapshots
        self.log = flog
        self.on_document = on_document
        self.languages = languages
        self.since = since
        self.until = until
        self.update = update
        self.base_override = base_url
        self.base = profile.base_url(languages[0], base_url)
        self.progress = progress
        self.report = CrawlReport(site=profile.name)
        self.stop_listing = False
        #: with --recheck: items listed on or after this day are fetched again; the walk ends before older ones
        self.recheck_from: dt.date | None = None
        self.on_withdrawn: OnWithdrawn | None = None
        self.on_unchanged: OnUnchanged | None = None
        base_host = (urlsplit(self.base).hostname or "").lower()
        self.exact_hosts = {base_host}
        # With --base-url (a mirror, a test server) only that host is crawled: links back to the real site are not followed.
        self.host_suffixes = () if base_url else profile.hosts

    # -- the walk -------------------------------------------------------------------------------

    def run(self) -> CrawlReport:
        params = {
            "base": self.base, "languages": list(self.languages), "update": self.update,
            "recheck_from": self.recheck_from.isoformat() if self.recheck_from else None,
            "since": self.since.isoformat() if self.since else None, "until": self.until.isoformat() if self.until else None,
        }
        state = self.log.begin(self.site, params)
        self.report.resumed = state.resumed
        if state.resumed:
            log.info("%s: resuming the crawl at listing page %d", self.site, state.next_page)
        for fetched in self.log.entries(self.site, "fetched"):
            self._redeliver(fetched)
        while True:
            entry = self.log.next_queued(self.site)
            if entry is not None:
                self._item(entry)
                continue
            if state.listings_done or self.stop_listing:
                break
            self._listing(state)
        self.report.queued = self.log.count(self.site, "queued") + self.log.count(self.site, "fetched")
        self.report.complete = state.listings_done and self.report.queued == 0
        if self.report.complete:
            self.log.finish(self.site)
        return self.report

    def _tick(self, url: str) -> None:
        if self.progress is not None:
            r = self.report
            self.progress(CrawlProgress(pages=r.pages, items=len(r.fetched), errors=len(r.failed), queued=self.log.count(self.site),
                                        skipped=r.skipped, unchanged=len(r.unchanged), url=url))

    def _allowed_host(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return host in self.exact_hosts or any(host == h or host.endswith("." + h) for h in self.host_suffixes)

    def _key(self, url: str, lang: str | None) -> str:
        item_id = self.profile.item_id(url)
        return f"{lang or self.profile.language(url) or '?'}:{item_id}" if item_id else url

    def _entry(self, item: ListedItem, found_on: str) -> NewEntry | None:
        lang = self.profile.language(item.url) or self.languages[0]
        if lang not in self.languages or not self._allowed_host(item.url):
            return None
        return NewEntry(self._key(item.url, lang), item.url, lang, item.item_id, item.date.isoformat() if item.date else None, found_on)

    # -- listing pages --------------------------------------------------------------------------

    def _listing(self, state: CrawlState) -> None:
        page, last_signature = state.next_page, state.last_listing
        url = self.profile.listing_url(page, lang=self.languages[0], base_url=self.base_override)
        try:
            res = self.fetcher.fetch(url)
        except FetchError as exc:
            self._record_failure(url, "listing", exc)
            if exc.status in (404, 410) and page > 1:
                self._end_listings(state, page, f"listing page {page} does not exist: end of the archive")
            else:
                self.report.failed.append((url, str(exc)))
                self.stop_listing = True
                self.report.stopped = f"listing page {page} failed; the next crawl resumes there"
            self._tick(url)
            return
        text = decode_html(res.content, res.charset)
        if self.profile.is_challenge(text):
            exc2 = ChallengePage(url, self.site, status=res.status)
            self._record_failure(url, "listing", exc2, res)
            self.report.failed.append((url, str(exc2)))
            self.stop_listing = True
            self.report.stopped = f"listing page {page} is an anti-bot page; the next crawl resumes there"
            self._tick(url)
            return
        items = find_items(self.profile, text, res.final_url)
        signature = hashlib.sha1("\n".join(sorted(i.url for i in items)).encode()).hexdigest() if items else None
        done, why = False, ""
        entries: list[NewEntry] = []
        if not items:
            done, why = True, f"listing page {page} lists no items: end of the archive"
        elif signature == last_signature:
            done, why = True, f"listing page {page} repeats page {page - 1}: end of the archive"
        else:
            for item in items:
                if item.date and self.until and item.date > self.until:
                    continue
                if item.date and self.since and item.date < self.since:
                    done, why = True, f"listing page {page} reaches items older than {self.since}"
                    continue
                entry = self._entry(item, res.final_url)
                if entry is not None:
                    entries.append(entry)
            known = [self.log.is_done(self.site, e.key) for e in entries]
            if self.recheck_from is not None:
                # refreshed: the items listed since the day; older ones are left as they are, and the walk ends there
                old = [k and e.listed_date is not None and e.listed_date < self.recheck_from.isoformat()
                       for e, k in zip(entries, known, strict=True)]
                if any(old):
                    done, why = True, f"listing page {page} reaches items listed before {self.recheck_from}"
                self.report.skipped += sum(old)
                entries = [e for e, o in zip(entries, old, strict=True) if not o]
            elif self.update and entries and all(k or self.log.attempted(e.url) for e, k in zip(entries, known, strict=True)):
                # Known: fetched before, or tried before (a 404, a page robots.txt forbids): nothing new here.
                done, why = True, f"listing page {page} holds only items seen before"
            if not self.update:
                self.report.skipped += sum(known)
                entries = [e for e, k in zip(entries, known, strict=True) if not k]
        with self.log.transaction():
            self._record(url, "listing", res)
            self.log.enqueue(self.site, entries)
            self.log.save_listing(self.site, next_page=page + 1, listings_done=done, last_listing=signature)
        state.next_page, state.listings_done, state.last_listing = page + 1, done, signature
        self.report.pages += 1
        if done:
            self.report.stopped = why
            log.info("%s: %s", self.site, why)
        self._tick(url)

    def _end_listings(self, state: CrawlState, page: int, why: str) -> None:
        self.log.save_listing(self.site, next_page=page, listings_done=True, last_listing=state.last_listing)
        state.listings_done = True
        self.report.stopped = why

    # -- items ----------------------------------------------------------------------------------

    def _item(self, entry: QueueEntry) -> None:
        if not self._allowed_host(entry.url):
            self.log.set_state(self.site, entry.key, "skipped")
            return
        prev = None
        if self.log.is_done(self.site, entry.key):
            if not self.update:
                self.log.set_state(self.site, entry.key, "skipped")
                self.report.skipped += 1
                self._tick(entry.url)
                return
            prev = self.log.last_success(entry.url)
        try:
            res = self.fetcher.fetch(entry.url, etag=prev.etag if prev else None, last_modified=prev.last_modified if prev else None)
        except FetchError as exc:
            with self.log.transaction():
                self._record_failure(entry.url, "item", exc)
                self.log.set_state(self.site, entry.key, "failed")
            if prev is not None and exc.status in (404, 410):
                # a page fetched before is gone: its document is kept, marked withdrawn
                if self.on_withdrawn is not None:
                    self.on_withdrawn(prev.final_url or entry.url, f"HTTP {exc.status} on {entry.url}")
                self.report.withdrawn.append(entry.url)
                self._tick(entry.url)
                return
            if isinstance(exc, RobotsDisallowed):
                self.report.disallowed.append(entry.url)
            else:
                self.report.failed.append((entry.url, str(exc)))
            self._tick(entry.url)
            return

        if res.not_modified:
            versions: list[NewEntry] = []
            if prev is not None and prev.sha256 and prev.sha256 in self.snapshots:
                old = self.snapshots.get(prev.sha256)
                versions = self._versions(decode_html(old, prev.charset), prev.final_url or entry.url, entry)
            with self.log.transaction():
                self._record(entry.url, "item", res, sha256=prev.sha256 if prev else None)
                self.log.enqueue(self.site, versions)
                self.log.set_state(self.site, entry.key, "done")
            self.report.unchanged.append(entry.url)
            if self.on_unchanged is not None:
                self.on_unchanged(prev.final_url or entry.url if prev else entry.url)
            self._tick(entry.url)
            return

        text = decode_html(res.content, res.charset)
        if self.profile.is_challenge(text):
            exc2 = ChallengePage(entry.url, self.site, status=res.status)
            with self.log.transaction():
                self._record_failure(entry.url, "item", exc2, res)
                self.log.set_state(self.site, entry.key, "failed")
            self.report.failed.append((entry.url, str(exc2)))
            self._tick(entry.url)
            return

        key = self.snapshots.put(res.content)
        changed = prev is None or prev.sha256 != key
        versions = self._versions(text, res.final_url, entry)
        with self.log.transaction():
            request_id = self._record(entry.url, "item", res, sha256=key)
            self.log.mark_done(self.site, entry.key, url=res.final_url, request_id=request_id, sha256=key)
            final_key = self._key(res.final_url, entry.lang)
            if final_key != entry.key:
                self.log.mark_done(self.site, final_key, url=res.final_url, request_id=request_id, sha256=key)
            self.log.enqueue(self.site, versions)
            self.log.set_state(self.site, entry.key, "fetched" if changed else "done")
        if changed:
            self._deliver(entry, res.content, res.final_url, res.charset, dict(res.headers))
            self.report.fetched.append(entry.url)
        else:
            self.report.unchanged.append(entry.url)
            if self.on_unchanged is not None:
                self.on_unchanged(res.final_url)
        self._tick(entry.url)

    def _versions(self, text: str, page_url: str, entry: QueueEntry) -> list[NewEntry]:
        """The item's versions in the other wanted languages that are not dealt with yet."""
        out: list[NewEntry] = []
        for lang, url in find_versions(self.profile, text, page_url).items():
            if lang not in self.languages or not self._allowed_host(url):
                continue
            key = self._key(url, lang)
            if key == entry.key or self.log.on_frontier(self.site, key):
                continue
            if not self.update and self.log.is_done(self.site, key):
                continue
            out.append(NewEntry(key, url, lang, self.profile.item_id(url), entry.listed_date, page_url))
        return out

    def _deliver(self, entry: QueueEntry, data: bytes, url: str, charset: str | None, headers: dict[str, str]) -> None:
        try:
            self.on_document(data, url, charset, headers)
        except StenogramError as exc:
            self.report.failed.append((url, f"fetched and stored, but on_document refused it: {exc}"))
        self.log.set_state(self.site, entry.key, "done")

    def _redeliver(self, entry: QueueEntry) -> None:
        """An item fetched before the previous run stopped, but never handed over: hand it over from its snapshot."""
        rec = self.log.last_success(entry.url)
        if rec is None or not rec.sha256:
            self.log.set_state(self.site, entry.key, "queued")
            return
        try:
            data = self.snapshots.get(rec.sha256)
        except SnapshotError as exc:
            self.report.failed.append((entry.url, str(exc)))
            self.log.set_state(self.site, entry.key, "failed")
            return
        self._deliver(entry, data, rec.final_url or entry.url, rec.charset, dict(rec.headers))
        self.report.fetched.append(entry.url)

    # -- the fetch log --------------------------------------------------------------------------

    def _record(self, url: str, kind: str, res: FetchResult, *, sha256: str | None = None) -> int:
        etag, modified = res.etag, res.last_modified
        return self.log.record(
            url=url, kind=kind, site=self.site, status=res.status, size=len(res.content),
            sha256=sha256 if sha256 is not None or res.not_modified else content_key(res.content),
            etag=etag, last_modified=modified, final_url=res.final_url, charset=res.charset, headers=res.headers,
            attempts=res.attempts,
        )

    def _record_failure(self, url: str, kind: str, exc: FetchError, res: FetchResult | None = None) -> int:
        return self.log.record(
            url=url, kind=kind, site=self.site, status=exc.status if res is None else res.status,
            size=len(res.content) if res is not None else None, final_url=exc.final_url,
            charset=res.charset if res is not None else None, headers=res.headers if res is not None else None,
            attempts=exc.attempts, error=str(exc),
        )
