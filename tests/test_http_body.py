"""Transport: how an answer's body is read and decoded (charsets, cut-off bodies)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator

import pytest
import responses

from skinmarkets import errors
from tests.transport_support import BASE_URL, make_transport

NAME = "★ Karambit | Doppler (Factory New)"


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as m:
        yield m


@pytest.mark.parametrize(
    "content_type",
    [None, "text/html", "application/json", "text/plain", "application/json; charset=utf-8"],
)
def test_json_without_a_charset_is_read_as_utf8(
    mock: responses.RequestsMock, content_type: str | None
) -> None:
    body = json.dumps({"name": NAME}, ensure_ascii=False).encode()
    mock.get(f"{BASE_URL}/item", body=body, content_type=content_type)
    answer = make_transport().request("GET", "/item", operation="item")
    assert answer.data == {"name": NAME}


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=windows-1251", 'text/html; Charset="windows-1251"'],
)
def test_a_named_charset_is_honoured(mock: responses.RequestsMock, content_type: str) -> None:
    body = json.dumps({"name": "Нож"}, ensure_ascii=False).encode("windows-1251")
    mock.get(f"{BASE_URL}/item", body=body, content_type=content_type)
    assert make_transport().request("GET", "/item", operation="item").data == {"name": "Нож"}


@pytest.mark.parametrize("label", ["no-such-charset", "rot13", "base64"])
def test_an_unknown_or_non_text_charset_falls_back_to_utf8(
    mock: responses.RequestsMock, label: str
) -> None:
    body = json.dumps({"name": NAME}, ensure_ascii=False).encode()
    mock.get(f"{BASE_URL}/item", body=body, content_type=f"application/json; charset={label}")
    assert make_transport().request("GET", "/item", operation="item").data == {"name": NAME}


def test_a_large_body_is_read_whole(mock: responses.RequestsMock) -> None:
    items = {str(i): {"name": f"{NAME} {i}"} for i in range(40_000)}  # ~2.5 MB: several reads
    body = json.dumps({"items": items}, ensure_ascii=False).encode()
    assert len(body) > 2 * (1 << 20)
    mock.get(f"{BASE_URL}/export", body=body, content_type="application/json")
    assert make_transport().request("GET", "/export", operation="export").data == {"items": items}


# ------------------------------------------------------------------ a body cut off


class CutOffServer:
    """Answers every request with headers promising 1000 bytes, sends 10, then hangs up."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.requests = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                self.requests += 1
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 1000\r\n\r\n" + b'{"ok": tru'
                )

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def cut_off() -> Iterator[CutOffServer]:
    server = CutOffServer()
    yield server
    server.close()


def test_a_read_whose_body_is_cut_off_is_a_network_error_and_retried(
    cut_off: CutOffServer,
) -> None:
    transport = make_transport(base_url=cut_off.url, max_retries=1)
    with pytest.raises(errors.NetworkError) as raised:
        transport.request("GET", "/item", operation="item")
    assert not isinstance(raised.value, errors.OutcomeUnknown)
    assert cut_off.requests == 2  # the first try and one retry: a read is safe to repeat


def test_a_write_whose_body_is_cut_off_is_outcome_unknown_and_never_resent(
    cut_off: CutOffServer,
) -> None:
    transport = make_transport(base_url=cut_off.url, max_retries=3)
    with pytest.raises(errors.OutcomeUnknown) as raised:
        transport.request("POST", "/buy", operation="buy", write=True)
    assert raised.value.operation == "buy"
    assert cut_off.requests == 1
