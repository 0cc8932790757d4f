"""Collecting transcripts from the web: a polite, resumable crawler.

- :mod:`~stenogram.collect.fetch`: :class:`Fetcher`, HTTP with robots.txt, rate limits, retries and size caps;
- :mod:`~stenogram.collect.snapshots`: :class:`SnapshotStore`, raw pages by SHA-256, compressed, write-once;
- :mod:`~stenogram.collect.fetchlog`: :class:`FetchLog`, every request and each site's crawl state, in SQLite;
- :mod:`~stenogram.collect.pages`: what the crawler reads on a page (listing items, language versions), by the
  site's crawl profile in :mod:`stenogram.sites`;
- :mod:`~stenogram.collect.crawler`: :func:`crawl` and :func:`reparse`.
"""

from stenogram.collect.crawler import CrawlProgress, CrawlReport, ReparseReport, crawl, get_profile, reparse, site_names
from stenogram.collect.fetch import Fetcher, FetchResult, user_agent
from stenogram.collect.fetchlog import FetchLog, fetchlog_path
from stenogram.collect.snapshots import SnapshotStore, snapshots_path

__all__ = [
    "CrawlProgress",
    "CrawlReport",
    "FetchLog",
    "FetchResult",
    "Fetcher",
    "ReparseReport",
    "SnapshotStore",
    "crawl",
    "fetchlog_path",
    "get_profile",
    "reparse",
    "site_names",
    "snapshots_path",
    "user_agent",
]
