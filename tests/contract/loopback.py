"""A tiny real HTTP server on 127.0.0.1, for checks that need urllib3 to really send requests."""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

from tests.contract.harness import Seen

Answer = Callable[[str, str], tuple[int, Any] | None]


class LoopbackServer:
    """Answers each request with ``answer(method, target)`` as JSON and records what it saw."""

    def __init__(self, answer: Answer) -> None:
        self.seen: list[Seen] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _respond(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.seen.append(Seen(self.command, self.path, dict(self.headers.items()), body))
                found = answer(self.command, self.path)
                status, payload = found if found is not None else (404, {"error": "not found"})
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _respond

            def log_message(self, format: str, *args: Any) -> None:
                """Silent: the test reads ``seen`` instead."""

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()
        self._thread.join()
        self._httpd.server_close()


@contextlib.contextmanager
def serving(answer: Answer) -> Iterator[LoopbackServer]:
    """A started ``LoopbackServer`` that is shut down on exit."""
    with LoopbackServer(answer) as server:
        yield server
