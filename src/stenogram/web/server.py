"""Running the web application: in this process, or in several processes that share one port.

With several processes each opens its own listening socket on the port (``SO_REUSEPORT``), so the
kernel spreads new connections evenly over them. (With one socket shared by all, as uvicorn's own
``--workers`` does, whichever process wakes first accepts every connection waiting, and a burst of
keep-alive clients can end up on one process while the others idle.) This process supervises them:
a process that dies after it listened is started again (one that dies before would die again, so
that stops the server), and stopping this one (Ctrl-C, SIGTERM) stops them all.
"""

from __future__ import annotations

import errno
import ipaddress
import multiprocessing
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from stenogram.errors import ServeError
from stenogram.web.guard import ANY_ADDRESS, LOOPBACK_HOSTS, AllowedHosts

#: connections waiting to be accepted, a process
BACKLOG = 2048
#: how long a thread may hold Python's lock while another waits for it. A server process has an
#: event loop (reading requests, sending remembered answers) and worker threads (searching); at
#: Python's default of 5 ms, the loop waits that long behind a search each time it needs the lock.
SWITCH_SECONDS = 0.001


def listening_socket(host: str, port: int, *, share: bool) -> socket.socket:
    """A TCP socket bound to host:port (shared with the other server processes when ``share``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if share:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"{host}:{port} is already in use by another program; stop it or choose "
                             "another --port") from exc
        raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); check --host and --port") from exc
    return sock


def allowed_hosts_for(host: str, extra: Sequence[str] = ()) -> list[str]:
    """The ``Host:`` names a server listening on ``host`` answers to: the address (or name) it listens
    on; on a loopback address the loopback names too; on every address (``0.0.0.0``, ``::``) any IP
    address and ``localhost``; and the names in ``extra`` (``*`` for any)."""
    name = host.strip().strip("[]").lower() or "0.0.0.0"
    hosts = [name]
    try:
        loopback = ipaddress.ip_address(name).is_loopback
    except ValueError:
        loopback = name == "localhost"
    if loopback:
        hosts.extend(LOOPBACK_HOSTS)
    elif name in ANY_ADDRESS:
        hosts.append("localhost")
    AllowedHosts(extra)  # each one a host name or address, or ServeError says which is not
    hosts.extend(extra)
    return hosts


def _serve_one(path: str, host: str, port: int, listening: Any, allowed_hosts: list[str], read_only: bool) -> None:
    """One server process: the app over the corpus at ``path``, on its own socket of the shared port."""
    import uvicorn

    from stenogram.web.app import create_app

    sys.setswitchinterval(SWITCH_SECONDS)
    app = create_app(path, allowed_hosts=allowed_hosts, read_only=read_only)
    sock = listening_socket(host, port, share=True)
    sock.listen(BACKLOG)  # from here the kernel hands this process its share of new connections
    listening.set()
    uvicorn.Server(uvicorn.Config(app, log_level="warning", backlog=BACKLOG)).run(sockets=[sock])


def serve(path: str | Path, host: str, port: int, workers: int = 1, *,
          allowed_hosts: Sequence[str] | None = None, ready: Callable[[], None] | None = None,
          read_only: bool = False) -> None:
    """Serve the corpus at ``path`` on host:port until interrupted, in ``workers`` processes, answering
    the ``Host:`` names in ``allowed_hosts`` (default: ``allowed_hosts_for(host)``); ``ready`` is called
    once every process listens. ``read_only``: the corpus is a copy nothing writes, read without writing
    any file beside it (``create_app``)."""
    import uvicorn

    from stenogram.web.app import create_app

    hosts = list(allowed_hosts) if allowed_hosts is not None else allowed_hosts_for(host)
    app = create_app(path, allowed_hosts=hosts, read_only=read_only)  # checks the corpus before any process starts
    if workers <= 1:
        sys.setswitchinterval(SWITCH_SECONDS)
        sock = listening_socket(host, port, share=False)
        sock.listen(BACKLOG)  # connections made from here wait for the server instead of being refused
        if ready:
            ready()
        uvicorn.Server(uvicorn.Config(app, log_level="warning", backlog=BACKLOG)).run(sockets=[sock])
        return
    del app
    # Fail here, with a clear message, rather than in every process. The probe does not share the
    # port: another group of server processes already on it (which would let ours join in) refuses it.
    listening_socket(host, port, share=False).close()
    context = multiprocessing.get_context("spawn")
    target = str(Path(path).resolve())
    # slot → (process, its "listening" flag)
    started: dict[int, tuple[Any, Any]] = {}

    def start(slot: int) -> None:
        listening = context.Event()
        process = context.Process(target=_serve_one, args=(target, host, port, listening, hosts, read_only),
                                  name=f"stenogram-serve-{slot}", daemon=True)
        process.start()
        started[slot] = (process, listening)

    def died_at_start_up(process: Any) -> ServeError:
        return ServeError(f"a server process stopped at start-up (exit code {process.exitcode}); "
                          "run with --workers 1 to see why")

    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        for slot in range(workers):
            start(slot)
        # until every process listens (so that the first clients are spread over all of them)
        for process, listening in started.values():
            while not listening.wait(timeout=0.2) and not stopping:
                if process.exitcode is not None:
                    raise died_at_start_up(process)
        if ready and not stopping:
            ready()
        while not stopping:
            for slot, (process, listening) in list(started.items()):
                process.join(timeout=0.2)
                if process.exitcode is None or stopping:
                    continue
                if not listening.is_set():
                    raise died_at_start_up(process)   # it would die again
                start(slot)                           # it served, then died: a new one takes its place
    finally:
        signal.signal(signal.SIGTERM, previous)
        for process, _ in started.values():
            if process.is_alive():
                process.terminate()
        for process, _ in started.values():
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
