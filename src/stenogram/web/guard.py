"""The layer in front of every request: which ``Host:`` names are answered, the security headers on
every response, and a 500 in the error envelope for an error nothing else handled.

A Host check stops DNS rebinding: a web site whose name the attacker points at 127.0.0.1 after the
page has loaded could otherwise read, from the victim's browser, a corpus served on the loopback
address. The browser still sends the attacker's name in ``Host:``, so a server that answers only to
the names it is reached by is safe. A Host that is an IP address cannot be such a name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
from collections.abc import Callable, Iterable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stenogram.errors import ServeError

log = logging.getLogger("stenogram.web")

#: the names of this machine's loopback address
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
#: the name Starlette's in-process test client sends; no public DNS name is a single label
TEST_CLIENT_HOST = "testserver"
#: in an allowed-hosts list: any host at all
ANY_HOST = "*"
#: in an allowed-hosts list: any IP address (what listening on every address answers to)
ANY_ADDRESS = ("0.0.0.0", "::")

#: every response carries these (a response that already sets one keeps its own)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
     b"base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)

#: the message of a 500: what went wrong stays in the server's log
INTERNAL_ERROR = ("the server failed while answering this request (the error is in the server's log); "
                  "try again, and report it if it happens again")

#: ``render(request, status, kind, message)``: the error response for a request
Render = Callable[[Request, int, str, str], Response]


def host_name(header: str) -> str | None:
    """The host part of a ``Host:`` header (or of an allowed-hosts entry), lower case, without the port
    and without an IPv6 address's brackets; None when it is not a host and optional port."""
    value = header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[1:end], value[end + 1:]
        port = rest[1:] if rest.startswith(":") else None
        if (rest and not port) or not _is_address(name):    # brackets hold an IPv6 address
            return None
    elif value.count(":") > 1:   # an IPv6 address without brackets: no port
        name, port = value, None
    else:
        name, colon, after = value.partition(":")
        port = after if colon else None
    if port is not None and not (port.isascii() and port.isdigit()):
        return None
    return name or None


_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class AllowedHosts:
    """The ``Host:`` names a server answers to: names and addresses (a port, if given, is ignored),
    ``*`` for any, and ``0.0.0.0`` or ``::`` for any IP address."""

    def __init__(self, hosts: Iterable[str]) -> None:
        self.names: list[str] = []
        self.any_host = False
        self.any_address = False
        for entry in hosts:
            name = host_name(entry) if entry.strip() != ANY_HOST else ANY_HOST
            if name is None or not (name == ANY_HOST or _NAME.fullmatch(name) or _is_address(name)):
                raise ServeError(f"allowed host {entry!r} (--allowed-host) is not a host name or address; give "
                                 "one such as corpus.example.org or 192.0.2.7 (a port is not needed), or '*' for any")
            if name == ANY_HOST:
                self.any_host = True
            elif name in ANY_ADDRESS:
                self.any_address = True
            elif name not in self.names:
                self.names.append(name)

    def allows(self, header: str | None) -> bool:
        # a request without a Host header (HTTP/1.0) does not come from a browser
        if self.any_host or header is None:
            return True
        name = host_name(header)
        if name is None:
            return False
        return name in self.names or (self.any_address and _is_address(name))

    def describe(self) -> str:
        shown = [f"[{n}]" if ":" in n else n for n in self.names if n != TEST_CLIENT_HOST]
        if self.any_address:
            shown.append("any IP address")
        return ", ".join(shown) or "no name"

    def refusal(self, header: str) -> str:
        name = host_name(header) or header
        if len(name) > 100:
            name = name[:100] + "…"
        return (f"this server does not answer to the host name {name!r} (the request's Host header), so that "
                f"other web sites cannot reach it through a name of theirs; it answers to {self.describe()}. "
                f"If {name!r} is how you reach it, start it with `stenogram serve --allowed-host {name}`")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _secured(message: Message) -> Message:
    """A response's start message with the security headers added (a new message: a remembered answer's
    start message is sent again and again, and must not grow)."""
    headers = list(message.get("headers", ()))
    present = {bytes(k).lower() for k, _ in headers}
    headers.extend((k, v) for k, v in SECURITY_HEADERS if k not in present)
    return {**message, "headers": headers}


#: exceptions that stop the server or the request rather than answer it
_PASS = (KeyboardInterrupt, SystemExit, GeneratorExit, asyncio.CancelledError)


class Guard:
    """ASGI middleware, outermost: refuses a Host it does not answer to (400), adds the security
    headers to every response, and answers an error no handler took (panics from native code
    included) with a 500 in the error envelope, so that the connection stays open for the next
    request. The error itself goes to the log, never to the client."""

    def __init__(self, app: ASGIApp, hosts: AllowedHosts, render: Render) -> None:
        self.app = app
        self.hosts = hosts
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def secure(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = _secured(message)
            await send(message)

        host = _header(scope, b"host")
        if host is not None and not self.hosts.allows(host):
            await self._answer(scope, receive, secure, 400, "bad_host", self.hosts.refusal(host))
            return
        try:
            await self.app(scope, receive, secure)
        except BaseException as exc:
            if started or isinstance(exc, _PASS):
                raise
            log.error("error answering %s %s", scope.get("method"), scope.get("path"), exc_info=exc)
            await self._answer(scope, receive, secure, 500, "internal_error", INTERNAL_ERROR)

    async def _answer(self, scope: Scope, receive: Receive, send: Send, status: int, kind: str,
                      message: str) -> None:
        try:
            response = self.render(Request(scope, receive), status, kind, message)
        except Exception:   # the error page itself failed: the envelope needs nothing that can
            log.exception("error rendering the answer to %s %s", scope.get("method"), scope.get("path"))
            response = JSONResponse({"ok": False, "error": {"status": status, "type": kind, "message": message}},
                                    status_code=status)
        await response(scope, receive, send)
