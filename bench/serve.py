"""Load on the running web server: concurrent clients with mixed queries, requests/s, p50, p95, errors.

    python bench/serve.py --db CORPUS [--clients 50] [--seconds 60] [--workers 2] [--unique] [--seed 7]

Starts `stenogram serve` on 127.0.0.1 in a subprocess (or uses --url of a server already running),
then drives it from one asyncio loop in this process: each client is a keep-alive HTTP/1.1 connection
sending its next request when the last answer has been read in full. The client speaks HTTP itself
(a few dozen microseconds a request) so that on a small machine the load generator takes as little
as possible of the cores the server needs; `--client httpx` uses httpx in threads instead (about
a quarter of a core at 350 requests/s). Traffic goes to loopback only.

The words and phrases come from `generate.bands` (use the corpus's --seed): each search takes a word
of a frequency band chosen at random (ranks 1 to 1,000, 1,001 to 10,000, rarer), a phrase search
one of the generator's phrases; the figures are given by request type and by band.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from generate import BANDS, PHRASE_BANDS, bands

WORD_BANDS = tuple(name for name, _, _ in BANDS)
#: query words and phrases by band (set by `choose`, from the corpus's seed)
CHOSEN: dict[str, list[str]] = {}
BAND_OF: dict[str, str] = {}


def choose(seed: int, count: int = 200) -> None:
    """Take the query words and phrases of every band for a corpus generated with ``seed``."""
    CHOSEN.clear()
    CHOSEN.update(bands(count, seed=seed))
    BAND_OF.clear()
    BAND_OF.update({w: band for band, ws in CHOSEN.items() for w in ws})


def request_for(rng: random.Random, *, unique: bool = False) -> tuple[str, dict[str, str]]:
    """A request of the mix; ``unique`` gives every search its own date range (a random first day), so no
    two requests are alike and the server's result cache cannot answer any of them."""
    if not CHOSEN:
        choose(7)
    path, params = _request(rng)
    if unique and "date" not in params:
        start = datetime.date(2011, 1, 1) + datetime.timedelta(days=rng.randint(0, 4000))
        params["date"] = f"{start.isoformat()}.."
    return path, params


def _request(rng: random.Random) -> tuple[str, dict[str, str]]:
    word = rng.choice(CHOSEN[rng.choice(WORD_BANDS)])
    kind = rng.random()
    if kind < 0.35:
        return "/api/search", {"q": word}
    if kind < 0.5:
        phrases = CHOSEN[rng.choice([name for name, _, _ in PHRASE_BANDS])]
        return "/api/search", {"q": f'"{rng.choice(phrases)}"'}
    if kind < 0.65:
        return "/api/search", {"q": word, "speaker": rng.choice(["Sergey Lavrov", "Maria Zakharova", "Ned Price"]),
                               "date": f"{rng.randint(2012, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}.."}
    if kind < 0.8:
        return "/api/search", {"q": word, "facets": "true"}
    if kind < 0.9:
        return "/", {"q": word}
    return "/api/search", {"q": word, "sort": "-date", "offset": str(rng.randint(0, 200))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", help="corpus to serve (made by bench/ingest.py)")
    ap.add_argument("--url", help="a server already running")
    ap.add_argument("--workers", type=int, default=1, help="server processes (stenogram serve --workers)")
    ap.add_argument("--unique", action="store_true",
                    help="no two requests alike (a random date range each), so the result cache never answers")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--client", choices=("asyncio", "httpx"), default="asyncio", help="how the load is sent")
    ap.add_argument("--seed", type=int, default=7, help="the generator's seed the corpus was made with")
    args = ap.parse_args()
    choose(args.seed)
    proc = None
    url = args.url
    if url is None:
        if not args.db:
            ap.error("give --db or --url")
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        proc = subprocess.Popen([sys.executable, "-m", "stenogram.cli.main", "serve", "--db", args.db, "--port", str(port),
                                 "--workers", str(args.workers)],
                                stderr=subprocess.PIPE, text=True)
        url = f"http://127.0.0.1:{port}"
        serving = threading.Event()

        def watch(stream: Any) -> None:  # read all the server says, so its pipe never fills
            for line in stream:
                if "stenogram is serving" in line:
                    serving.set()

        threading.Thread(target=watch, args=(proc.stderr,), daemon=True).start()
        # the line comes once every server process listens, so the first clients spread over all
        if not serving.wait(120):
            proc.kill()
            sys.exit("the server did not start within 120 s")
    latencies: list[tuple[str, float]] = []
    errors: list[str] = []
    began = time.monotonic()
    drive = _drive_httpx if args.client == "httpx" else _drive_asyncio
    drive(url, args.clients, began + args.seconds, lambda rng: request_for(rng, unique=args.unique), latencies, errors)
    took = time.monotonic() - began
    if proc is not None:
        proc.terminate()
        proc.wait(timeout=10)
    every = sorted(t for _, t in latencies)
    print(f"serve: {args.clients} clients for {took:.0f} s against {url}"
          + (f" ({args.workers} server processes)" if not args.url else "")
          + (", every request unique (no cache hits)" if args.unique else ", mixed queries (repeats answered from the cache)")
          + f", {args.client} client")
    print(f"  {len(every)} requests, {len(every) / took:.1f} requests/s, "
          f"p50 {statistics.median(every) * 1000:.0f} ms, p95 {_p95(every) * 1000:.0f} ms, errors {len(errors)}")
    for kind in dict.fromkeys(k.split(" | ")[0] for k, _ in sorted(latencies)):
        times = sorted(t for k, t in latencies if k.split(" | ")[0] == kind)
        print(f"    {kind:22s} {len(times) / len(every):4.0%}  p50 {statistics.median(times) * 1000:5.0f} ms"
              f"  p95 {_p95(times) * 1000:5.0f} ms")
    print("  by band:")
    for band in dict.fromkeys(k.split(" | ")[1] for k, _ in sorted(latencies)):
        times = sorted(t for k, t in latencies if k.split(" | ")[1] == band)
        print(f"    {band:22s} {len(times) / len(every):4.0%}  p50 {statistics.median(times) * 1000:5.0f} ms"
              f"  p95 {_p95(times) * 1000:5.0f} ms")
    if errors:
        print("  first errors:", ", ".join(errors[:5]))


def _p95(ordered: list[float]) -> float:
    return ordered[max(0, int(len(ordered) * 0.95) - 1)] if ordered else 0.0


def kind_of(path: str, params: dict[str, str]) -> str:
    """The request's type in the mix and its word's band, as "type | band" (for the figures by each)."""
    band = BAND_OF.get(params["q"].strip('"'), "?")
    if path == "/":
        return f"search page | {band}"
    if "speaker" in params:
        return f"word + speaker + date | {band}"
    if "facets" in params:
        return f"word + facets | {band}"
    if "sort" in params:
        return f"by date, paged | {band}"
    kind = "phrase" if params["q"].startswith('"') else "word"
    return f"{kind} | {band}"


Request = Callable[[random.Random], tuple[str, dict[str, str]]]


def _drive_asyncio(url: str, clients: int, stop: float, next_request: Request, latencies: list[tuple[str, float]],
                   errors: list[str]) -> None:
    host, port = urllib.parse.urlsplit(url).hostname or "127.0.0.1", urllib.parse.urlsplit(url).port or 80

    async def client(seed: int) -> None:
        rng = random.Random(seed)
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.monotonic() < stop:
                path, params = next_request(rng)
                target = f"{path}?{urllib.parse.urlencode(params)}"
                start = time.perf_counter()
                try:
                    writer.write(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
                    head = await reader.readuntil(b"\r\n\r\n")
                    status = int(head.split(b" ", 2)[1])
                    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                                   if line.lower().startswith(b"content-length:")), None)
                    if length is None:
                        raise ValueError("an answer without Content-Length")
                    await reader.readexactly(length)
                    problem = None if status == 200 else f"{status} {path}"
                except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
                    problem = f"{type(exc).__name__} {path}"
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                latencies.append((kind_of(path, params), time.perf_counter() - start))
                if problem:
                    errors.append(problem)
        finally:
            writer.close()

    async def run() -> None:
        await asyncio.gather(*(client(i) for i in range(clients)))

    asyncio.run(run())


def _drive_httpx(url: str, clients: int, stop: float, next_request: Request, latencies: list[tuple[str, float]],
                 errors: list[str]) -> None:
    lock = threading.Lock()

    def client(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=url, timeout=30) as http:
            while time.monotonic() < stop:
                path, params = next_request(rng)
                start = time.perf_counter()
                try:
                    r = http.get(path, params=params)
                    ok = r.status_code == 200
                    problem = f"{r.status_code} {path}"
                except httpx.HTTPError as exc:
                    ok, problem = False, f"{type(exc).__name__} {path}"
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append((kind_of(path, params), elapsed))
                    if not ok:
                        errors.append(problem)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
