"""A polite HTTP fetcher: robots.txt, a per-host rate limit, retries with backoff, bounded pages.

    client = httpx.Client(timeout=30)
    fetcher = Fetcher(client, contact_url="https://example.org/about-my-crawler", rate=1.0)
    result = fetcher.fetch("https://www.mid.ru/en/foreign_policy/news/")

What it promises, per host:

- robots.txt is read before the first request (and obeyed: ``Disallow``, ``Allow``, ``Crawl-delay`` and
  ``Request-rate``, fractional delays included); a 401/403 robots.txt forbids the host, a 404 allows it,
  an unreachable one (5xx, network failure) forbids it for this fetcher's lifetime;
- at most ``rate`` requests per second, counted from the end of the previous request; the delay is the
  larger of ``1 / rate`` and the robots.txt delay, and it also spaces retries and robots.txt itself;
- retries on timeouts, connection errors, 429 and 5xx, with exponential backoff and jitter, capped;
  ``Retry-After`` (seconds or an HTTP date) is honoured, and one longer than ``max_retry_after``
  ends the fetch instead; other 4xx are not retried;
- conditional requests: pass the ``etag`` and ``last_modified`` of a previous fetch and a 304 comes
  back as ``not_modified``;
- redirects are followed only within the same site (the same host, ``www.`` and the scheme aside);
  a redirect to another site is logged and refused;
- a page larger than ``max_bytes`` (after content decoding) is dropped as soon as it is known to be.

The clock and the sleep function are injectable so tests run without waiting.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

from stenogram.collect.errors import (
    HTTPStatusError,
    NetworkError,
    PageTooLarge,
    RedirectRefused,
    RetryAfterTooLong,
    RobotsDisallowed,
    RobotsUnavailable,
    TooManyRedirects,
)

log = logging.getLogger("stenogram.collect")

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB
#: where a site's webmaster learns who is crawling; set your own with ``contact_url``
DEFAULT_CONTACT_URL = "https://pypi.org/project/stenogram/"
#: the product token robots.txt groups are matched against
ROBOTS_AGENT = "stenogram"
ROBOTS_MAX_BYTES = 512 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"


def _version() -> str:
    # Not ``stenogram.__version__``: the package facade may import the collector while it is initialising.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("stenogram")
    except PackageNotFoundError:   # pragma: no cover - running from a source tree without metadata
        return "0"


def user_agent(contact_url: str = DEFAULT_CONTACT_URL) -> str:
    """``stenogram/<version> (+<contact URL>)``."""
    return f"stenogram/{_version()} (+{contact_url})"


def strip_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def site_key(url: str) -> tuple[str, int | None]:
    """What two URLs of the same site share: the host without ``www.``, and a non-default port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    host = host.removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    return host, (None if port in (None, 80, 443) else port)


def same_site(a: str, b: str) -> bool:
    return site_key(a) == site_key(b)


def host_key(url: str) -> str:
    """The rate limit's key: the host name (its port kept when not the scheme's default)."""
    host, port = site_key(url)
    return host if port is None else f"{host}:{port}"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:\-]+)", re.IGNORECASE)


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, lower-cased."""
    if not content_type:
        return None
    m = _CHARSET.search(content_type)
    return m.group(1).lower() if m else None


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP date); None when unreadable."""
    if value is None:
        return None
    v = value.strip()
    try:
        return max(0.0, float(v))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(v)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


# --- robots.txt ----------------------------------------------------------------------------------


@dataclass(slots=True)
class RobotsRules:
    """What one origin's robots.txt says to stenogram."""

    url: str
    parser: RobotFileParser
    #: seconds between requests asked by Crawl-delay or Request-rate (0 when none)
    delay: float = 0.0
    #: why robots.txt could not be read (then nothing on the origin is fetched)
    unavailable: str | None = None

    def allows(self, url: str) -> bool:
        if self.unavailable is not None:
            return False
        return self.parser.can_fetch(ROBOTS_AGENT, url)


def robots_delay(text: str, agent: str = ROBOTS_AGENT) -> float:
    """The Crawl-delay (or Request-rate) for ``agent``, fractions allowed; 0 when none applies.

    ``urllib.robotparser`` reads only whole seconds, so the delay is read here with the same grouping
    rules: the first group naming the agent, else the ``*`` group.
    """
    groups: list[tuple[list[str], dict[str, str]]] = []
    in_agents = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if not in_agents:
                groups.append(([], {}))
                in_agents = True
            groups[-1][0].append(value.lower())
        elif groups:
            in_agents = False
            groups[-1][1].setdefault(key, value)
    token = agent.split("/")[0].lower()
    chosen = next((g for g in groups if any(a != "*" and a in token for a in g[0])), None)
    if chosen is None:
        chosen = next((g for g in groups if "*" in g[0]), None)
    if chosen is None:
        return 0.0
    delay = 0.0
    with contextlib.suppress(ValueError):
        delay = max(delay, float(chosen[1].get("crawl-delay", "0")))
    rate = re.match(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*([smh]?)", chosen[1].get("request-rate", ""))
    if rate and int(rate.group(1)) > 0:
        unit = {"": 1, "s": 1, "m": 60, "h": 3600}[rate.group(3)]
        delay = max(delay, float(rate.group(2)) * unit / int(rate.group(1)))
    return max(0.0, delay)


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FetchResult:
    #: the URL asked for
    url: str
    #: the URL that answered, after redirects
    final_url: str
    status: int
    content: bytes
    #: response headers, names in lower case
    headers: Mapping[str, str] = field(default_factory=dict)
    #: HTTP requests made, retries and redirects included (robots.txt not counted)
    attempts: int = 1
    redirects: tuple[str, ...] = ()
    #: True for a 304 answer to a conditional request (``content`` is empty)
    not_modified: bool = False

    @property
    def charset(self) -> str | None:
        return charset_of(self.headers.get("content-type"))

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


@dataclass(slots=True)
class _Exchange:
    status: int
    headers: dict[str, str]
    body: bytes
    attempts: int


class _Transient(Exception):
    """A failure worth retrying: a network error or a 429/5xx answer."""

    def __init__(self, reason: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


# --- the fetcher ---------------------------------------------------------------------------------


class Fetcher:
    """Fetches pages politely over an injected :class:`httpx.Client` (its timeout applies)."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        contact_url: str = DEFAULT_CONTACT_URL,
        rate: float = 1.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_retries: int = 4,
        backoff: float = 1.0,
        backoff_cap: float = 60.0,
        max_retry_after: float = 600.0,
        max_redirects: int = 10,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be a positive number of requests per second")
        self.client = client
        self.user_agent = user_agent(contact_url)
        self.rate = rate
        self.max_bytes = max_bytes
        self.max_retries = max_retries
        self.backoff = backoff
        self.backoff_cap = backoff_cap
        self.max_retry_after = max_retry_after
        self.max_redirects = max_redirects
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._rng = rng or random.Random()
        self._next: dict[str, float] = {}          # host → earliest time of its next request
        self._robots_delay: dict[str, float] = {}  # host → robots.txt delay
        self._robots: dict[str, RobotsRules] = {}  # origin → rules

    # -- public ---------------------------------------------------------------------------------

    def delay(self, url: str) -> float:
        """Seconds between two requests to the URL's host: the larger of ``1 / rate`` and robots.txt's delay."""
        return max(1.0 / self.rate, self._robots_delay.get(host_key(url), 0.0))

    def robots(self, url: str) -> RobotsRules:
        """The robots.txt rules of the URL's origin, read on first use."""
        key = origin(url)
        rules = self._robots.get(key)
        if rules is None:
            rules = self._read_robots(key + "/robots.txt")
            self._robots[key] = rules
            if rules.delay:
                host = host_key(url)
                self._robots_delay[host] = max(self._robots_delay.get(host, 0.0), rules.delay)
                # robots.txt itself was spaced by the rate alone: the next request waits the full delay.
                self._next[host] = max(self._next.get(host, 0.0), self._clock() + self.delay(url))
        return rules

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets stenogram fetch the URL (reads robots.txt if needed)."""
        return self.robots(url).allows(url)

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET one URL; raises a :class:`~stenogram.collect.errors.FetchError` when it cannot be had."""
        url = strip_fragment(url)
        chain = [url]
        current = url
        attempts = 0
        headers = {"User-Agent": self.user_agent, "Accept": ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        while True:
            self._check_robots(current)
            ex = self._request(current, headers, limit=self.max_bytes, origin_url=url)
            attempts += ex.attempts
            location = ex.headers.get("location")
            if ex.status in REDIRECT_STATUSES and location:
                target = strip_fragment(urljoin(current, location.strip()))
                if urlsplit(target).scheme not in ("http", "https") or not same_site(current, target):
                    log.warning("not following redirect from %s to %s: another site", current, target)
                    raise RedirectRefused(url, target, status=ex.status)
                if target in chain or len(chain) > self.max_redirects:
                    raise TooManyRedirects(url, [*chain, target])
                chain.append(target)
                current = target
                continue
            if ex.status == 304:
                return FetchResult(url, current, 304, b"", ex.headers, attempts, tuple(chain[1:]), not_modified=True)
            if not 200 <= ex.status < 300:
                raise HTTPStatusError(url, ex.status, attempts=attempts, final_url=current)
            return FetchResult(url, current, ex.status, ex.body, ex.headers, attempts, tuple(chain[1:]))

    # -- robots ---------------------------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        rules = self.robots(url)
        if rules.unavailable is not None:
            raise RobotsUnavailable(url, rules.url, rules.unavailable)
        if not rules.allows(url):
            raise RobotsDisallowed(url, rules.url)

    def _read_robots(self, robots_url: str) -> RobotsRules:
        parser = RobotFileParser(robots_url)
        headers = {"User-Agent": self.user_agent, "Accept": "text/plain,*/*;q=0.5"}
        current = robots_url
        try:
            for _ in range(6):   # RFC 9309: follow at least five redirects
                ex = self._request(current, headers, limit=ROBOTS_MAX_BYTES, truncate=True, origin_url=robots_url)
                location = ex.headers.get("location")
                if ex.status in REDIRECT_STATUSES and location:
                    target = strip_fragment(urljoin(current, location.strip()))
                    if not same_site(current, target):
                        log.warning("robots.txt at %s redirects to another site (%s); treating it as unreadable", robots_url, target)
                        return RobotsRules(robots_url, parser, unavailable=f"it redirects to another site, {target}")
                    current = target
                    continue
                break
            else:
                return RobotsRules(robots_url, parser, unavailable="too many redirects")
        except (NetworkError, HTTPStatusError) as exc:
            log.warning("robots.txt at %s cannot be read: %s", robots_url, exc)
            reason = f"status {exc.status} after {exc.attempts} attempts" if exc.status else getattr(exc, "reason", str(exc))
            return RobotsRules(robots_url, parser, unavailable=reason)
        if ex.status in (401, 403):
            parser.parse(["User-agent: *", "Disallow: /"])
            return RobotsRules(robots_url, parser)
        if 400 <= ex.status < 500 or ex.status == 304:
            parser.parse([])
            return RobotsRules(robots_url, parser)
        if not 200 <= ex.status < 300:
            return RobotsRules(robots_url, parser, unavailable=f"status {ex.status}")
        text = ex.body.decode("utf-8", errors="replace").lstrip("\ufeff")
        parser.parse(text.splitlines())
        return RobotsRules(robots_url, parser, delay=robots_delay(text))

    # -- requests -------------------------------------------------------------------------------

    def _request(self, url: str, headers: Mapping[str, str], *, limit: int, origin_url: str, truncate: bool = False) -> _Exchange:
        """One URL, with retries; answers with any status except 429/5xx (which are retried, then raised)."""
        host = host_key(url)
        attempt = 0
        while True:
            attempt += 1
            self._wait_turn(host)
            try:
                status, resp_headers, body = self._exchange(url, headers, limit, truncate)
                if status == 429 or status >= 500:
                    raise _Transient(f"status {status}", status, parse_retry_after(resp_headers.get("retry-after"), self._wall_clock()))
                return _Exchange(status, resp_headers, body, attempt)
            except PageTooLarge as exc:
                exc.attempts = attempt
                raise
            except _Transient as exc:
                failure = exc
            finally:
                self._next[host] = max(self._next.get(host, 0.0), self._clock() + self.delay(url))
            if attempt > self.max_retries:
                if failure.status is not None:
                    raise HTTPStatusError(origin_url, failure.status, attempts=attempt, final_url=url)
                raise NetworkError(origin_url, failure.reason, attempts=attempt)
            if failure.retry_after is not None:
                if failure.retry_after > self.max_retry_after:
                    raise RetryAfterTooLong(origin_url, failure.status or 0, failure.retry_after, self.max_retry_after, attempts=attempt)
                wait = failure.retry_after
            else:
                wait = self._backoff(attempt)
            log.info("retrying %s in %.2f s (%s, attempt %d of %d)", url, wait, failure.reason, attempt + 1, self.max_retries + 1)
            # The wait holds back every request to the host, not just this URL's retry.
            self._next[host] = max(self._next[host], self._clock() + wait)

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with 'equal jitter': between half and all of ``backoff * 2**(attempt-1)``, capped."""
        full = min(self.backoff_cap, self.backoff * 2.0 ** (attempt - 1))
        return min(self.backoff_cap, full / 2 + self._rng.uniform(0.0, full / 2))

    def _wait_turn(self, host: str) -> None:
        wait = self._next.get(host, float("-inf")) - self._clock()
        if wait > 0:
            self._sleep(wait)

    def _exchange(self, url: str, headers: Mapping[str, str], limit: int, truncate: bool) -> tuple[int, dict[str, str], bytes]:
        """One HTTP request; the body is read only for 2xx answers, and never past ``limit``."""
        try:
            request = self.client.build_request("GET", url, headers=dict(headers))
            response = self.client.send(request, stream=True, follow_redirects=False)
        except httpx.TimeoutException as exc:
            raise _Transient(f"timed out ({type(exc).__name__})") from exc
        except (httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError) as exc:
            raise _Transient(f"{type(exc).__name__}: {exc}") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise NetworkError(url, f"{type(exc).__name__}: {exc}") from exc
        try:
            resp_headers = {k.lower(): v for k, v in response.headers.items()}
            status = response.status_code
            if not 200 <= status < 300:
                return status, resp_headers, b""
            declared = resp_headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit and not truncate:
                raise PageTooLarge(url, limit, int(declared))
            body = bytearray()
            try:
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        if truncate:
                            del body[limit:]
                            break
                        raise PageTooLarge(url, limit)
            except httpx.TimeoutException as exc:
                raise _Transient(f"timed out reading the body ({type(exc).__name__})") from exc
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                raise _Transient(f"{type(exc).__name__} reading the body: {exc}") from exc
            except httpx.DecodingError as exc:
                raise NetworkError(url, f"the body cannot be decoded ({exc})") from exc
            return status, resp_headers, bytes(body)
        finally:
            response.close()
