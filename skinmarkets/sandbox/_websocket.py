"""The server side of RFC 6455 websockets, just what the sandbox's emulated sockets need.

The HTTP server hands a ``GET`` with ``Upgrade: websocket`` over to :func:`handshake` (the 101
answer with ``Sec-WebSocket-Accept``), then to a :class:`ServerWebSocket` that reads and writes
text frames on the same connection. Client frames must be masked (RFC 6455 §5.1); pings are
answered with pongs, a close frame is echoed and ends the connection; fragmented messages and
binary frames are refused with close code 1003 (the vendors' sockets speak whole text frames).

Reading happens on one thread (the connection's request thread), blocking: a frame is never cut
by a timeout. Sending is safe from any thread. :meth:`ServerWebSocket.close` from another
thread (the sandbox stopping) shuts the socket down, so the blocked reader wakes at once.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import io
import socket
import struct
import threading
from collections.abc import Callable, Mapping

import attrs

from skinmarkets._seconds import Seconds

__all__ = [
    "GUID",
    "MAX_PAYLOAD",
    "OP_BINARY",
    "OP_CLOSE",
    "OP_CONTINUATION",
    "OP_PING",
    "OP_PONG",
    "OP_TEXT",
    "Frame",
    "HandshakeRefused",
    "ProtocolViolation",
    "ServerWebSocket",
    "WebSocketClosed",
    "accept_key",
    "encode_frame",
    "handshake",
    "is_upgrade",
    "read_frame",
]

#: RFC 6455 §1.3: appended to the client's key before hashing.
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

OP_CONTINUATION, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA
_CONTROL = frozenset({OP_CLOSE, OP_PING, OP_PONG})
_KNOWN = frozenset({OP_CONTINUATION, OP_TEXT, OP_BINARY}) | _CONTROL

#: Largest frame the sandbox accepts from a client (the vendors' client frames are tiny).
MAX_PAYLOAD = 1 << 20

#: Close codes (RFC 6455 §7.4.1).
NORMAL, GOING_AWAY, PROTOCOL_ERROR, UNSUPPORTED = 1000, 1001, 1002, 1003
INVALID_DATA, TOO_BIG = 1007, 1009
#: How long closing may wait for the send lock, and for its close frame to go out.
CLOSE_WAIT: Seconds = 0.05


class HandshakeRefused(Exception):
    """The upgrade request is not a valid websocket handshake; ``status`` is the HTTP answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class WebSocketClosed(Exception):
    """The connection is over: the peer closed it, it broke, or it was closed here."""

    def __init__(self, reason: str, code: int | None = None) -> None:
        super().__init__(reason)
        self.code = code


class ProtocolViolation(Exception):
    """A frame breaks RFC 6455 (or asks for what the sandbox refuses); ``code`` to close with."""

    def __init__(self, reason: str, code: int = PROTOCOL_ERROR) -> None:
        super().__init__(reason)
        self.code = code


@attrs.frozen
class Frame:
    """One frame, payload unmasked."""

    fin: bool
    opcode: int
    payload: bytes


def accept_key(key: str) -> str:
    """``Sec-WebSocket-Accept`` for the client's ``Sec-WebSocket-Key`` (RFC 6455 §4.2.2)."""
    digest = hashlib.sha1((key.strip() + GUID).encode("ascii")).digest()  # noqa: S324 - the RFC's
    return base64.b64encode(digest).decode("ascii")


def is_upgrade(method: str, headers: Mapping[str, str]) -> bool:
    """True when the request asks to become a websocket (``headers`` keys in lower case)."""
    return method == "GET" and headers.get("upgrade", "").strip().lower() == "websocket"


def handshake(headers: Mapping[str, str]) -> dict[str, str]:
    """The 101 answer's headers for an upgrade request (``headers`` keys in lower case).

    ``HandshakeRefused`` (400, or 426 for another protocol version) when the request is not a
    valid opening handshake: no ``Connection: Upgrade``, no 16-byte base64 key, version not 13.
    """
    connection = {t.strip().lower() for t in headers.get("connection", "").split(",")}
    if "upgrade" not in connection:
        raise HandshakeRefused(400, "Connection: Upgrade missing")
    version = headers.get("sec-websocket-version", "").strip()
    if version != "13":
        raise HandshakeRefused(426, f"unsupported Sec-WebSocket-Version {version!r:.20}")
    key = headers.get("sec-websocket-key", "").strip()
    try:
        nonce = base64.b64decode(key, validate=True)
    except (binascii.Error, ValueError):
        nonce = b""
    if len(nonce) != 16:
        raise HandshakeRefused(400, "Sec-WebSocket-Key is not 16 bytes in base64")
    return {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Accept": accept_key(key),
    }


def encode_frame(
    opcode: int, payload: bytes, *, mask: bytes | None = None, fin: bool = True
) -> bytes:
    """One frame; servers send unmasked frames, a client passes its 4-byte ``mask``."""
    head = bytearray([(0x80 if fin else 0) | opcode])
    mask_bit = 0x80 if mask is not None else 0
    length = len(payload)
    if length < 126:
        head.append(mask_bit | length)
    elif length < 1 << 16:
        head.append(mask_bit | 126)
        head += struct.pack("!H", length)
    else:
        head.append(mask_bit | 127)
        head += struct.pack("!Q", length)
    if mask is None:
        return bytes(head) + payload
    if len(mask) != 4:
        raise ValueError("a websocket mask is 4 bytes")
    return bytes(head) + mask + _unmask(payload, mask)


def _unmask(payload: bytes, mask: bytes) -> bytes:
    """XOR with the repeated 4-byte mask (its own inverse), fast for any length."""
    if not payload:
        return payload
    repeated = (mask * (len(payload) // 4 + 1))[: len(payload)]
    value = int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")
    return value.to_bytes(len(payload), "big")


def read_frame(
    read: Callable[[int], bytes], *, require_mask: bool = True, max_payload: int = MAX_PAYLOAD
) -> Frame:
    """The next frame from ``read(n)`` (which returns fewer bytes only at the end of input).

    ``WebSocketClosed`` at the end of input; ``ProtocolViolation`` for a frame the sandbox
    will not take (unmasked from a client, reserved bits, unknown opcode, too big).
    """

    def exactly(n: int) -> bytes:
        data = read(n) if n else b""
        if len(data) < n:
            raise WebSocketClosed("connection closed by the peer")
        return data

    first, second = exactly(2)
    fin, opcode = bool(first & 0x80), first & 0x0F
    if first & 0x70:
        raise ProtocolViolation("reserved bits set (no extension was agreed)")
    if opcode not in _KNOWN:
        raise ProtocolViolation(f"unknown opcode {opcode:#x}")
    masked, length = bool(second & 0x80), second & 0x7F
    if require_mask and not masked:
        raise ProtocolViolation("client frames must be masked (RFC 6455 5.1)")
    if opcode in _CONTROL and (length > 125 or not fin):
        raise ProtocolViolation("control frames are short and not fragmented")
    if length == 126:
        (length,) = struct.unpack("!H", exactly(2))
    elif length == 127:
        (length,) = struct.unpack("!Q", exactly(8))
    if length > max_payload:
        raise ProtocolViolation(f"frame of {length} bytes is too big", TOO_BIG)
    mask = exactly(4) if masked else None
    payload = exactly(length)
    return Frame(fin, opcode, _unmask(payload, mask) if mask is not None else payload)


def close_payload(code: int, reason: str = "") -> bytes:
    """The body of a close frame: the code, then the reason (at most 123 bytes of UTF-8)."""
    return struct.pack("!H", code) + reason.encode("utf-8")[:123]


class ServerWebSocket:
    """One accepted websocket connection (after the 101): text frames in and out."""

    def __init__(
        self, connection: socket.socket, rfile: io.BufferedIOBase, wfile: io.BufferedIOBase
    ) -> None:
        self._connection = connection
        self._rfile = rfile  # the request's buffered reader: it may hold bytes already read
        self._wfile = wfile
        self._send_lock = threading.Lock()
        self._closed = threading.Event()
        self.close_code: int | None = None

    def __repr__(self) -> str:
        return f"ServerWebSocket(closed={self.closed})"

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def recv(self) -> str:
        """The next text message (blocking); pings answered, pongs dropped on the way.

        ``WebSocketClosed`` when the connection is over (the close handshake done here).
        """
        while True:
            if self.closed:
                raise WebSocketClosed("closed", self.close_code)
            try:
                frame = read_frame(self._rfile.read)
            except ProtocolViolation as violation:
                self.close(violation.code, str(violation))
                raise WebSocketClosed(str(violation), violation.code) from None
            except (OSError, ValueError) as exc:  # reset, or the file closed under us
                self._drop()
                raise WebSocketClosed(type(exc).__name__) from None
            except WebSocketClosed:
                self._drop()
                raise
            if frame.opcode == OP_PING:
                self._send(OP_PONG, frame.payload)
            elif frame.opcode == OP_PONG:
                continue
            elif frame.opcode == OP_CLOSE:
                code = int.from_bytes(frame.payload[:2], "big") if len(frame.payload) >= 2 else None
                self.close_code = code
                self.close(code if code is not None else NORMAL)  # echo it (RFC 6455 §5.5.1)
                raise WebSocketClosed("closed by the peer", code)
            elif frame.opcode != OP_TEXT or not frame.fin:
                what = "binary frames" if frame.opcode == OP_BINARY else "fragmented messages"
                self.close(UNSUPPORTED, f"the sandbox takes no {what}")
                raise WebSocketClosed(f"refused {what}", UNSUPPORTED)
            else:
                try:
                    return frame.payload.decode("utf-8")
                except UnicodeDecodeError:
                    self.close(INVALID_DATA, "text frame is not UTF-8")
                    raise WebSocketClosed("invalid UTF-8", INVALID_DATA) from None

    def send_text(self, text: str) -> None:
        """Send one text frame; ``WebSocketClosed`` when the connection is gone."""
        self._send(OP_TEXT, text.encode("utf-8"))

    def send_ping(self, payload: bytes = b"") -> None:
        self._send(OP_PING, payload)

    def _send(self, opcode: int, payload: bytes) -> None:
        with self._send_lock:
            if self.closed:
                raise WebSocketClosed("closed", self.close_code)
            try:
                self._wfile.write(encode_frame(opcode, payload))
                self._wfile.flush()
            except (OSError, ValueError) as exc:
                self._drop()
                raise WebSocketClosed(type(exc).__name__) from None

    def close(self, code: int = NORMAL, reason: str = "") -> None:
        """Send a close frame (best effort, not waiting for the answer) and drop the socket.

        Idempotent, from any thread; returns at once (a send stuck on a client that reads
        nothing holds the send lock: then the socket is dropped without a close frame).
        """
        if not self._send_lock.acquire(timeout=CLOSE_WAIT):
            self._drop_locked()
            return
        try:
            if self.closed:
                return
            if self.close_code is None:
                self.close_code = code
            with contextlib.suppress(OSError, ValueError):
                self._connection.settimeout(CLOSE_WAIT)
                self._wfile.write(encode_frame(OP_CLOSE, close_payload(code, reason)))
                self._wfile.flush()
            self._drop_locked()
        finally:
            self._send_lock.release()

    def _drop(self) -> None:
        with self._send_lock:
            self._drop_locked()

    def _drop_locked(self) -> None:
        self._closed.set()
        with contextlib.suppress(OSError):
            self._connection.shutdown(socket.SHUT_RDWR)
