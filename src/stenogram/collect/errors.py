"""The exceptions the collector raises, all under :class:`stenogram.errors.StenogramError`.

::

    StenogramError
    └── CollectError                  collecting pages from a site failed
        ├── FetchError                one URL could not be fetched (carries url, status, attempts)
        │   ├── HTTPStatusError       the server answered with an error status (4xx, or 429/5xx after retries)
        │   │   └── RetryAfterTooLong the server asked us to wait longer than we are willing to
        │   ├── NetworkError          timeouts or connection failures, after retries
        │   ├── RobotsDisallowed      robots.txt forbids the URL
        │   ├── RobotsUnavailable     robots.txt could not be read, so nothing on the host is fetched
        │   ├── RedirectRefused       a redirect leads to another site
        │   ├── TooManyRedirects      a redirect chain is too long or loops
        │   ├── PageTooLarge          the body is larger than the configured maximum
        │   └── ChallengePage         the site answered with an anti-bot page instead of content
        ├── UnknownSite               no crawl profile by that name
        ├── CrawlConfigError          crawl options that cannot work together
        ├── SnapshotError             the snapshot store cannot be read or written
        │   ├── SnapshotMissing       no snapshot with that key
        │   └── SnapshotCorrupt       a snapshot's bytes do not hash to its key
        └── FetchLogError             the fetch log cannot be opened or written
            └── FetchLogTooNew        the fetch log was made by a newer stenogram

Every message says what happened, why, and what to do.
"""

from __future__ import annotations

from collections.abc import Sequence

from stenogram.errors import StenogramError


class CollectError(StenogramError):
    """Collecting pages from a site failed."""


class FetchError(CollectError):
    """One URL could not be fetched."""

    def __init__(self, url: str, message: str, *, status: int | None = None, attempts: int = 1, final_url: str | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.attempts = attempts
        self.final_url = final_url or url


class HTTPStatusError(FetchError):
    def __init__(self, url: str, status: int, *, attempts: int = 1, final_url: str | None = None, reason: str = "") -> None:
        where = final_url if final_url and final_url != url else url
        if status == 429 or status >= 500:
            advice = (f"the server kept failing after {attempts} attempts; it may be overloaded or down, run the crawl again later"
                      " (it resumes where it stopped)")
        elif status in (401, 403):
            advice = "the site refuses access to this page; check it in a browser, and do not try to work around the refusal"
        elif status in (404, 410):
            advice = "the page is gone or the URL is wrong; check the URL, or the site profile's item pattern if many items fail"
        else:
            advice = "the request was rejected; check the URL in a browser"
        text = f" {reason}" if reason else ""
        super().__init__(url, f"GET {where} answered {status}{text}; {advice}", status=status, attempts=attempts, final_url=final_url)


class RetryAfterTooLong(HTTPStatusError):
    def __init__(self, url: str, status: int, wait: float, limit: float, *, attempts: int = 1) -> None:
        FetchError.__init__(
            self, url,
            f"GET {url} answered {status} and asked us to wait {wait:.0f} s before retrying (Retry-After), longer than the"
            f" {limit:.0f} s we wait at most; run the crawl again later, or raise max_retry_after",
            status=status, attempts=attempts,
        )
        self.wait = wait


class NetworkError(FetchError):
    def __init__(self, url: str, reason: str, *, attempts: int = 1) -> None:
        super().__init__(
            url,
            f"GET {url} failed after {attempts} attempt{'s' if attempts != 1 else ''} ({reason}); the site is slow or unreachable:"
            " check the network and the URL, raise the client timeout for slow sites, or run the crawl again later",
            attempts=attempts,
        )
        self.reason = reason


class RobotsDisallowed(FetchError):
    def __init__(self, url: str, robots_url: str) -> None:
        super().__init__(
            url,
            f"{url} is disallowed for stenogram by {robots_url}; it was not fetched. The site asks crawlers to stay away from"
            " this path: respect it (copy the page by hand if you need it)",
            attempts=0,
        )
        self.robots_url = robots_url


class RobotsUnavailable(FetchError):
    def __init__(self, url: str, robots_url: str, reason: str) -> None:
        super().__init__(
            url,
            f"{url} was not fetched because {robots_url} could not be read ({reason}); without the site's rules nothing on the"
            " host is fetched. Check that the site is up, then run the crawl again",
            attempts=0,
        )
        self.robots_url = robots_url
        self.reason = reason


class RedirectRefused(FetchError):
    def __init__(self, url: str, location: str, *, status: int) -> None:
        super().__init__(
            url,
            f"GET {url} redirects ({status}) to {location}, on another site; redirects are followed only within the same site."
            " If the site has moved, crawl it with --base-url set to its new address",
            status=status, final_url=location,
        )
        self.location = location


class TooManyRedirects(FetchError):
    def __init__(self, url: str, chain: Sequence[str]) -> None:
        super().__init__(
            url,
            f"GET {url} was redirected {len(chain)} times ({' -> '.join(chain[-3:])}); the chain is too long or loops."
            " Open the URL in a browser to see where it leads",
            final_url=chain[-1] if chain else url,
        )
        self.chain = tuple(chain)


class PageTooLarge(FetchError):
    def __init__(self, url: str, limit: int, size: int | None = None) -> None:
        seen = f"{size} bytes" if size is not None else f"more than {limit} bytes"
        super().__init__(
            url,
            f"GET {url} returned {seen}, over the maximum page size of {limit} bytes; reading stopped and the page was dropped."
            " A transcript is rarely that large: check the URL, or raise max_bytes if the page is genuine",
            status=200,
        )
        self.limit = limit
        self.size = size


class ChallengePage(FetchError):
    def __init__(self, url: str, site: str, *, status: int) -> None:
        super().__init__(
            url,
            f"GET {url} returned an anti-bot challenge page from {site} instead of content (status {status}); the page was not"
            " stored. The site is throttling automated access: wait, lower the request rate, and run the crawl again",
            status=status,
        )


class UnknownSite(CollectError):
    def __init__(self, name: str, known: Sequence[str]) -> None:
        super().__init__(f"no crawl profile for site {name!r}; sites that can be crawled: {', '.join(known)}")
        self.name = name
        self.known = tuple(known)


class CrawlConfigError(CollectError):
    def __init__(self, problem: str, advice: str) -> None:
        super().__init__(f"{problem}; {advice}")


class SnapshotError(CollectError):
    def __init__(self, path: str, reason: str, advice: str = "check that the folder exists, is writable and the disk is not full") -> None:
        super().__init__(f"snapshot store {path}: {reason}; {advice}")
        self.path = path


class SnapshotMissing(SnapshotError):
    def __init__(self, path: str, key: str) -> None:
        super().__init__(
            path, f"no snapshot {key}",
            "the snapshot was deleted or the fetch log belongs to another corpus; crawl the page again (delete its rows from the"
            " fetch log, or crawl with update)",
        )
        self.key = key


class SnapshotCorrupt(SnapshotError):
    def __init__(self, path: str, key: str, reason: str) -> None:
        super().__init__(path, f"snapshot {key} is damaged ({reason})", "delete the file and crawl the page again")
        self.key = key


class FetchLogError(CollectError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"fetch log {path}: {reason}; check that the file is a stenogram fetch log, writable, and not locked by another crawl"
        )
        self.path = path


class FetchLogTooNew(FetchLogError):
    def __init__(self, path: str, found: int, known: int) -> None:
        CollectError.__init__(
            self,
            f"fetch log {path}: it has schema version {found}, but this stenogram knows versions up to {known}; upgrade stenogram",
        )
        self.path = path
