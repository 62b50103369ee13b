"""deadline=: no single HTTP exchange, body included, outlasts it; a trickle is cut off.

The trickle server answers on 127.0.0.1 one byte every ``PACE`` seconds, in the headers or in
the body: each byte comes well within the 5 s read timeout, so only the deadline ends it.
"""

from __future__ import annotations

import re
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
import requests
import responses

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets._http import DEFAULT_DEADLINE, Transport, TransportOptions
from skinmarkets.config import connect_all, load_config
from tests.transport_support import BASE_URL, make_transport

PACE = 0.3  # seconds between two bytes of a trickle
DEADLINE = 0.5
#: Longest a cut-off exchange may take in these tests: the deadline, plus scheduling slack.
BOUND = DEADLINE + 0.6

#: The status line at once, then a header line that never ends.
HEAD_TRICKLE = (b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"a" * 100)
#: The whole head at once, then a 100-byte JSON body one byte at a time.
BODY = b'{"ok": true, "pad": "' + b"a" * 76 + b'"}'
BODY_TRICKLE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    + f"Content-Length: {len(BODY)}\r\n\r\n".encode(),
    BODY,
)


@attrs.define
class Trickle:
    """What the server sends: ``head`` at once, then ``drip`` one byte every ``pace`` s."""

    head: bytes
    drip: bytes
    pace: float = PACE  # float ok: seconds
    requests: list[bytes] = attrs.field(factory=list)


class _TrickleServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Dripper)
        self.stop = threading.Event()
        self.answer = Trickle(b"", b"")


class _Dripper(socketserver.BaseRequestHandler):
    server: _TrickleServer

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(5)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                return
            head += chunk
        head, _, body = head.partition(b"\r\n\r\n")
        length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        while length is not None and len(body) < int(length.group(1)):
            body += sock.recv(4096)
        answer = self.server.answer
        answer.requests.append(head.split(b"\r\n", 1)[0])
        try:
            sock.sendall(answer.head)
            for byte in answer.drip:
                if self.server.stop.wait(answer.pace):
                    return
                sock.sendall(bytes([byte]))
        except OSError:  # the client cut the connection off: what the deadline is for
            return


@pytest.fixture
def trickle() -> Iterator[Callable[[Trickle], str]]:
    """``trickle(Trickle(head, drip))`` -> the base URL of a 127.0.0.1 server answering so."""
    server = _TrickleServer()
    thread = threading.Thread(target=server.serve_forever, name="trickle", daemon=True)
    thread.start()

    def serve(answer: Trickle) -> str:
        server.answer = answer
        host, port = server.server_address[:2]
        return f"http://{host}:{port}"

    try:
        yield serve
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()  # joins the handler threads, which stop at the event
        thread.join(timeout=5)


def _transport(base_url: str, **options: Any) -> Transport:
    return make_transport(base_url=base_url, timeout=5, deadline=DEADLINE, max_retries=0, **options)


def _timed(call: Callable[[], object]) -> tuple[BaseException, float]:  # float ok: seconds
    started = time.monotonic()
    with pytest.raises(errors.SkinMarketsError) as caught:
        call()
    return caught.value, time.monotonic() - started


# --------------------------------------------------------------------------- reads


@pytest.mark.parametrize(
    "answer", [HEAD_TRICKLE, BODY_TRICKLE], ids=["headers trickle", "body trickle"]
)
def test_a_read_that_trickles_is_a_timeout_at_the_deadline(
    trickle: Callable[[Trickle], str], answer: tuple[bytes, bytes]
) -> None:
    url = trickle(Trickle(*answer))

    error, took = _timed(lambda: _transport(url).request("GET", "/v1/items", operation="x"))

    assert type(error) is errors.Timeout
    assert took < BOUND
    assert "deadline of 0.5 s" in str(error)
    assert "deadline=" in str(error)  # what to do: connect with a larger one


def test_a_read_cut_off_at_the_deadline_names_no_url_and_chains_nothing(
    trickle: Callable[[Trickle], str],
) -> None:
    url = trickle(Trickle(*HEAD_TRICKLE))

    error, _ = _timed(
        lambda: _transport(url).request("GET", "/v1/items", operation="x", params={"q": "1"})
    )

    assert str(error).startswith("testvendor: x (GET /v1/items): ")
    assert "127.0.0.1" not in str(error)
    assert error.__cause__ is None
    assert error.__context__ is None


def test_a_trickle_that_ends_within_the_deadline_is_the_answer(
    trickle: Callable[[Trickle], str],
) -> None:
    body = b'{"ok": true}'
    url = trickle(
        Trickle(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode(),
            body,
            pace=0.02,
        )
    )

    answer = make_transport(base_url=url, deadline=1).request("GET", "/v1/items", operation="x")

    assert answer.data == {"ok": True}


def test_an_injected_session_is_cut_off_at_the_deadline_too(
    trickle: Callable[[Trickle], str],
) -> None:
    url = trickle(Trickle(*HEAD_TRICKLE))
    with requests.Session() as session:
        transport = _transport(url, session=session)

        error, took = _timed(lambda: transport.request("GET", "/v1/items", operation="x"))

    assert type(error) is errors.Timeout
    assert took < BOUND


def test_a_market_read_that_trickles_ends_at_the_connect_deadline(
    trickle: Callable[[Trickle], str],
) -> None:
    url = trickle(Trickle(*BODY_TRICKLE))
    market = sm.connect(
        "market_tm", api_key="deadline-test-key", base_url=url, timeout=5, deadline=DEADLINE
    )
    market.client.transport.options = attrs.evolve(  # type: ignore[attr-defined]
        market.client.transport.options,  # type: ignore[attr-defined]
        max_retries=0,
    )

    error, took = _timed(market.balance)

    assert type(error) is errors.Timeout
    assert took < BOUND


# --------------------------------------------------------------------------- writes


@pytest.mark.parametrize(
    "answer", [HEAD_TRICKLE, BODY_TRICKLE], ids=["headers trickle", "body trickle"]
)
def test_a_write_that_trickles_is_outcome_unknown_at_the_deadline(
    trickle: Callable[[Trickle], str], answer: tuple[bytes, bytes]
) -> None:
    server = Trickle(*answer)
    url = trickle(server)

    error, took = _timed(
        lambda: _transport(url).request(
            "POST", "/v1/buy", operation="buy", write=True, json_body={"id": "1"}
        )
    )

    assert type(error) is errors.OutcomeUnknown
    assert error.custom_id is None  # the write flow fills it in and looks the purchase up
    assert took < BOUND
    assert "deadline of 0.5 s" in str(error)
    assert "may have happened" in str(error)
    assert server.requests == [b"POST /v1/buy HTTP/1.1"]  # sent once, never again


# --------------------------------------------------------------------------- timeouts


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as m:
        yield m


def test_the_timeouts_sent_are_never_longer_than_the_deadline(
    mock: responses.RequestsMock,
) -> None:
    mock.get(f"{BASE_URL}/x", body="{}")

    make_transport(timeout=(3, 7.5), deadline=DEADLINE).request("GET", "/x", operation="x")

    connect, read = mock.calls[0].request.req_kwargs["timeout"]
    assert DEADLINE - 0.1 < connect <= DEADLINE
    assert DEADLINE - 0.1 < read <= DEADLINE


def test_timeouts_shorter_than_the_deadline_are_sent_as_they_are(
    mock: responses.RequestsMock,
) -> None:
    mock.get(f"{BASE_URL}/x", body="{}")

    make_transport(timeout=(3, 7.5)).request("GET", "/x", operation="x")

    assert mock.calls[0].request.req_kwargs["timeout"] == (3.0, 7.5)


# --------------------------------------------------------------------------- the option


def _options(**options: Any) -> TransportOptions:
    return TransportOptions.from_connect("testvendor", default_base_url=BASE_URL, **options)


def test_the_default_deadline_is_60_s() -> None:
    assert _options().deadline == DEFAULT_DEADLINE == 60.0


@pytest.mark.parametrize("value", [2, 2.5, Decimal("2.5")], ids=["int", "float", "decimal"])
def test_a_deadline_is_kept_as_float_seconds(value: object) -> None:
    deadline = _options(deadline=value).deadline

    assert type(deadline) is float
    assert deadline == float(value)  # float ok: seconds


@pytest.mark.parametrize(
    "value",
    [0, -1, float("nan"), float("inf"), True, "5", (1, 2)],
    ids=["zero", "negative", "nan", "inf", "bool", "str", "pair"],
)
def test_a_bad_deadline_is_a_configuration_error_saying_what_to_pass(value: object) -> None:
    with pytest.raises(errors.ConfigurationError) as caught:
        _options(deadline=value)

    message = str(caught.value)
    assert message.startswith("testvendor: deadline must be a")
    assert "number of seconds" in message
    assert "deadline=60" in message


CREDENTIALS: dict[str, dict[str, str]] = {
    "market_tm": {"api_key": "deadline-tm-key"},
    "swapgg": {"api_key": "deadline-swapgg-key"},
    "skinsback": {"client_id": "deadline-sb-id", "client_secret": "deadline-sb-secret"},
    "mannco": {"api_key": "deadline-mannco-key"},
}


def _transports(market: object) -> list[Transport]:
    client = market.client  # type: ignore[attr-defined]
    found = [client.transport]
    if hasattr(client, "login_transport"):
        found.append(client.login_transport)  # mannco logs in through a transport of its own
    return found


@pytest.mark.parametrize("vendor", sorted(CREDENTIALS))
def test_connect_hands_the_deadline_to_every_transport_of_the_market(vendor: str) -> None:
    market = sm.connect(vendor, deadline=2.5, **CREDENTIALS[vendor])

    assert [t.options.deadline for t in _transports(market)] == [2.5] * len(_transports(market))


@pytest.mark.parametrize("vendor", sorted(CREDENTIALS))
def test_connect_refuses_a_bad_deadline_naming_it(vendor: str) -> None:
    with pytest.raises(errors.ConfigurationError, match=f"{vendor}: deadline must be"):
        sm.connect(vendor, deadline=0, **CREDENTIALS[vendor])


def test_a_config_file_deadline_reaches_the_market(tmp_path: Path) -> None:
    path = tmp_path / "skinmarkets.toml"
    path.write_text(
        '[[markets]]\nvendor = "swapgg"\napi_key_env = "SWAP_KEY"\ndeadline = 2.5\n',
        encoding="utf-8",
    )

    markets = connect_all(load_config(path, environ={"SWAP_KEY": "deadline-swap-key"}))

    assert _transports(markets["swapgg"])[0].options.deadline == 2.5


# --------------------------------------------------------------------------- the watchdog


def _until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:  # float ok: seconds
    ends = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > ends:
            return False
        time.sleep(0.005)
    return True


def test_the_watchdog_is_not_woken_for_each_exchange() -> None:
    """A wake-up per request hands the GIL back and forth: only an earlier deadline wakes it."""
    from skinmarkets._http.deadline import Deadline, _Watchdog

    watchdog = _Watchdog()
    first = Deadline(30)
    watchdog.add(first)
    assert _until(lambda: watchdog._wake_at == first.ends)
    notified: list[int] = []
    real_notify = watchdog._cond.notify
    watchdog._cond.notify = lambda n=1: (notified.append(n), real_notify(n))[1]  # type: ignore[method-assign]
    first.over = True
    watchdog.forget_over()
    for _ in range(100):  # exchanges as long as the first, one after another
        deadline = Deadline(30)
        watchdog.add(deadline)
        deadline.over = True
        watchdog.forget_over()
    assert notified == []
    shorter = Deadline(0.05)  # ends before the thread's own wake-up: it must be woken
    watchdog.add(shorter)
    assert notified == [1]
    assert _until(lambda: shorter.expired), "a deadline added after a longer one never fired"


def test_a_short_deadline_after_a_long_one_still_cuts_on_time(
    trickle: Callable[[Trickle], str],
) -> None:
    from skinmarkets._http.deadline import Deadline

    with Deadline(30):  # a long exchange is being watched
        url = trickle(Trickle(*BODY_TRICKLE))
        error, took = _timed(lambda: _transport(url).request("GET", "/x", operation="read"))
    assert isinstance(error, errors.Timeout) and took < BOUND
