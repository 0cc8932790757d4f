"""Collecting transcripts from the web: a polite, resumable crawler.

- :mod:`~stenogram.collect.fetch`: :class:`Fetcher`, HTTP with robots.txt, rate limits, retries and size caps;
- :mod:`~stenogram.collect.snapshots`: :class:`SnapshotStore`, raw pages by SHA-256, compressed, write-once;
- :mod:`~stenogram.collect.fetchlog`: :class:`FetchLog`, every request and each site's crawl state, in SQLite;
- :mod:`~stenogram.collect.sites`: crawl profiles (mid.ru, kremlin.ru) as data;
- :mod:`~stenogram.collect.crawler`: :func:`crawl` and :func:`reparse`.
"""

from stenogram.collect.crawler import CrawlProgress, CrawlReport, ReparseReport, crawl, reparse
from stenogram.collect.fetch import Fetcher, FetchResult, user_agent
from stenogram.collect.fetchlog import FetchLog, fetchlog_path
from stenogram.collect.sites import CrawlProfile, get_profile, register, site_names
from stenogram.collect.snapshots import SnapshotStore, snapshots_path

__all__ = [
    "CrawlProfile",
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
    "register",
    "reparse",
    "site_names",
    "snapshots_path",
    "user_agent",
]
