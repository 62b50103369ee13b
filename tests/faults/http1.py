"""HTTP/1.1 messages on raw sockets, as the fault proxy needs them.

``Request`` and ``Answer`` are plain bytes-and-headers records; :func:`read_request` reads one
request off a client socket, :func:`forward` sends it to the sandbox and reads its whole answer,
and :meth:`Answer.encode` frames an answer (truthfully, or lying about its length). JSON bodies
are read with exact numbers and written back digit for digit (:func:`dump_json`), so a mangled
answer differs from the real one only where a fault changed it.
"""

from __future__ import annotations

import http.client
import json
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["HOP_BY_HOP", "IO_TIMEOUT", "Answer", "Request", "dump_json", "forward", "read_request"]

#: Longest any single socket read or write may block: a stuck peer must never hang the suite,
#: whatever the adapter does.
IO_TIMEOUT = 5.0
#: Headers that describe one hop; the proxy frames every message itself.
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "content-length", "transfer-encoding", "proxy-connection"}
)


@dataclass(frozen=True)
class Request:
    """One request as the client sent it (``target`` keeps the query string)."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    def form(self) -> dict[str, list[str]]:
        """The urlencoded body's fields (SkinsBack names its method in one)."""
        if "form-urlencoded" not in (self.header("content-type") or ""):
            return {}
        return parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: the sandbox's real one, or one a fault made up."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @classmethod
    def page(
        cls,
        status: int,
        reason: str,
        body: bytes,
        content_type: str | None,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> Answer:
        headers = (("Content-Type", content_type),) if content_type else ()
        return cls(status, reason, headers + extra, body)

    def json(self) -> Any:
        """The body decoded (numbers exact), or ``None`` when it is not JSON."""
        try:
            return json.loads(self.body, parse_float=_ExactNumber)
        except ValueError:
            return None

    def with_body(self, body: bytes, *, content_type: str | None = None) -> Answer:
        """The same answer (status, headers) with another body."""
        headers = self.headers
        if content_type is not None:
            headers = (
                *((k, v) for k, v in headers if k.lower() != "content-type"),
                ("Content-Type", content_type),
            )
        return Answer(self.status, self.reason, headers, body)

    def encode(self, *, declared_length: int | None = None) -> bytes:
        """The answer on the wire; ``declared_length`` lies about the body (a cut frame)."""
        length = len(self.body) if declared_length is None else declared_length
        lines = [f"HTTP/1.1 {self.status} {self.reason}"]
        lines += [f"{k}: {v}" for k, v in self.headers if k.lower() not in HOP_BY_HOP]
        lines += [f"Content-Length: {length}", "Connection: close"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


class _ExactNumber(str):
    """A JSON number kept as its own digits, so a rewritten body says exactly what it said."""

    __slots__ = ()


def dump_json(data: Any) -> bytes:
    """``data`` as JSON, numbers read by :meth:`Answer.json` written back digit for digit."""

    # A str subclass would be quoted: mark it, then unquote the marks.
    def mark(value: Any) -> Any:
        if isinstance(value, _ExactNumber):
            return f"\x00{value}\x00"
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    text = json.dumps(mark(data), ensure_ascii=False)
    return text.replace('"\\u0000', "").replace('\\u0000"', "").encode("utf-8")


def read_request(conn: socket.socket) -> Request | None:
    """One request: line, headers, Content-Length body; None when the client sent nothing."""
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        chunk = conn.recv(65536)
        if not chunk:
            if buffer:
                raise ValueError(f"the client closed mid-request after {len(buffer)} bytes")
            return None
        buffer += chunk
        if len(buffer) > 1 << 20:
            raise ValueError("request head larger than 1 MiB")
    head, _, body = buffer.partition(b"\r\n\r\n")
    line, *header_lines = head.decode("latin-1").split("\r\n")
    method, target, _version = line.split(" ", 2)
    headers = tuple(
        (name.strip(), value.strip()) for name, _, value in (h.partition(":") for h in header_lines)
    )
    lowered = {k.lower(): v for k, v in headers}
    if "chunked" in lowered.get("transfer-encoding", "").lower():
        raise ValueError("chunked request bodies are not supported by the fault proxy")
    length = int(lowered.get("content-length") or 0)
    while len(body) < length:
        chunk = conn.recv(length - len(body))
        if not chunk:
            raise ValueError("the client closed mid-body")
        body += chunk
    return Request(method, target, headers, body[:length])


def forward(upstream: tuple[str, int], request: Request) -> Answer:
    """Send ``request`` to the sandbox as it came and read its whole answer."""
    connection = http.client.HTTPConnection(*upstream, timeout=IO_TIMEOUT)
    try:
        headers = {k: v for k, v in request.headers if k.lower() not in HOP_BY_HOP}
        headers["Connection"] = "close"
        if request.body or request.method in ("POST", "PUT", "PATCH"):
            headers["Content-Length"] = str(len(request.body))
        connection.request(
            request.method, request.target, body=request.body or None, headers=headers
        )
        response = connection.getresponse()
        body = response.read()
        kept = tuple((k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP)
        return Answer(response.status, response.reason, kept, body)
    finally:
        connection.close()
