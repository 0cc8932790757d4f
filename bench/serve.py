"""Load on the running web server: concurrent clients with mixed queries, requests/s, p50, p95, errors.

    python bench/serve.py --db CORPUS [--clients 50] [--seconds 60] [--workers 2] [--unique]

Starts `stenogram serve` on 127.0.0.1 in a subprocess (or uses --url of a server already running),
then drives it from threads in this process. Traffic goes to loopback only.
"""

from __future__ import annotations

import argparse
import datetime
import random
import socket
import statistics
import subprocess
import sys
import threading
import time

import httpx

WORDS = ["cooperation", "security", "sanctions", "Iraq", "Syria", "energy", "treaty", "dialogue", "terrorism", "trade",
         "investment", "settlement", "nuclear", "elections", "humanitarian", "grain", "pipeline", "students"]


def request_for(rng: random.Random, *, unique: bool = False) -> tuple[str, dict[str, str]]:
    """A request of the mix; ``unique`` gives every search its own date range (a random first day), so no
    two requests are alike and the server's result cache cannot answer any of them."""
    path, params = _request(rng)
    if unique and "date" not in params:
        start = datetime.date(2011, 1, 1) + datetime.timedelta(days=rng.randint(0, 4000))
        params["date"] = f"{start.isoformat()}.."
    return path, params


def _request(rng: random.Random) -> tuple[str, dict[str, str]]:
    word = rng.choice(WORDS)
    kind = rng.random()
    if kind < 0.35:
        return "/api/search", {"q": word}
    if kind < 0.5:
        return "/api/search", {"q": f'"{word} {rng.choice(WORDS)}"'}
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
    args = ap.parse_args()
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
                                stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(url + "/api/stats", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=url, timeout=30) as http:
            while time.monotonic() < stop:
                path, params = request_for(rng, unique=args.unique)
                start = time.perf_counter()
                try:
                    r = http.get(path, params=params)
                    ok = r.status_code == 200
                    problem = f"{r.status_code} {path}"
                except httpx.HTTPError as exc:
                    ok, problem = False, f"{type(exc).__name__} {path}"
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        errors.append(problem)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - began
    if proc is not None:
        proc.terminate()
        proc.wait(timeout=10)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else 0.0
    print(f"serve: {args.clients} clients for {took:.0f} s against {url}"
          + (f" ({args.workers} server processes)" if not args.url else "")
          + (", every request unique (no cache hits)" if args.unique else ", mixed queries (repeats answered from the cache)"))
    print(f"  {len(latencies)} requests, {len(latencies) / took:.1f} requests/s, "
          f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, errors {len(errors)}")
    if errors:
        print("  first errors:", ", ".join(errors[:5]))


if __name__ == "__main__":
    main()
