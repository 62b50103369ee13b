"""Per-request overhead of the adapter stack vs a bare ``requests.Session.get`` (target <= 1.3x).

A stdlib ``http.server`` on 127.0.0.1 (random port) answers every GET with a small get-money
JSON. Alternating in blocks, the script times N=200 bare ``requests.Session().get(url)`` calls
(one session, ``.json()`` of each answer) and N=200 ``market.balance()`` calls through the real
Market TM adapter pointed at the server with ``base_url`` (auth header, transport, JSON decoding
with Decimal, error checks, wire structuring, Balance building).

The rate limiter is DISABLED for the measurement (``market.client.transport.limiter = None``):
Market TM's 5 requests/s limit would otherwise dominate (200 calls >= 40 s) and measure the
limiter, not the overhead. Prints the median ratio of the rounds.

Run from the repo root: ``python -m tests.benchmarks.bench_overhead``. Always exits 0.
"""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

import skinmarkets as sm
from tests.benchmarks._common import median, timed, verdict

N = 200
ROUNDS = 5
TARGET = 1.3  # float ok: a ratio
BODY = json.dumps({"money": 123.45, "currency": "USD"}).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real API answers
    # Headers and body leave in one segment with Nagle off; otherwise the split write meets the
    # client's delayed ACK and every call waits ~40 ms, which would hide any overhead.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


def main() -> int:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    url = f"{base}/api/v2/get-money"
    session = requests.Session()
    market = sm.connect("market_tm", api_key="bench-key", game="cs2", base_url=base, store="memory")
    market.client.transport.limiter = None  # the 5/s limit would dominate; see the docstring
    print(f"loopback server at {base}; {N} calls per side per round; rate limiter disabled")

    def bare() -> None:
        for _ in range(N):
            session.get(url).json()

    def adapter() -> None:
        for _ in range(N):
            market.balance()

    try:
        bare()  # warm-up: connections open, imports done
        adapter()
        ratios: list[float] = []  # float ok: ratios
        for r in range(ROUNDS):
            if r % 2 == 0:
                t_bare, _ = timed(bare)
                t_adapter, _ = timed(adapter)
            else:
                t_adapter, _ = timed(adapter)
                t_bare, _ = timed(bare)
            ratios.append(t_adapter / t_bare)
            print(
                f"round {r + 1}: Session.get {t_bare / N * 1e3:.3f} ms/call  "
                f"balance() {t_adapter / N * 1e3:.3f} ms/call  ratio {t_adapter / t_bare:.2f}x"
            )
    finally:
        market.close()
        session.close()
        server.shutdown()
        server.server_close()
    print(verdict("adapter balance() vs bare Session.get (loopback)", median(ratios), TARGET))
    return 0


if __name__ == "__main__":
    sys.exit(main())
