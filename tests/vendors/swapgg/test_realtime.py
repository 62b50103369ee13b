"""swap.gg's socket.io account events: a fresh token per connect, refusals bounded, typed events.

The server is a stand-in on 127.0.0.1 (``socket_server.py``): python-socketio's server behind
werkzeug, with the REST token route on the same port. Frames are the fixtures
``fixtures/swapgg/ws.<event>.<case>.json``.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from typing import Any

import pytest

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets._realtime import FeedStream, LinkClosed
from skinmarkets._realtime.socketio import Refusals
from skinmarkets._secret import Secret
from skinmarkets.events import (
    Event,
    Notification,
    PurchaseUpdated,
    StreamStatus,
    UnknownEvent,
)
from skinmarkets.models import TradeStatus
from skinmarkets.vendors.swapgg import SwapGG, units
from skinmarkets.vendors.swapgg.realtime import AccountFeed, SocketIOLink, socket_origin
from tests.support import fixture_names, load_fixture
from tests.vendors.swapgg.socket_server import API_KEY, SwapggSocketServer, swapgg_socket

pytestmark = pytest.mark.integration

__all__ = ["swapgg_socket"]  # the fixture, imported so pytest finds it

FIXTURES = [n for n in fixture_names("swapgg") if n.startswith("ws.")]
#: Threads of python-socketio's client (Engine.IO's reader and writer, one per packet handed
#: over, the reconnect task it must never start) and of the engine.
CLIENT_THREADS = ("_read_loop_websocket", "_write_loop", "_handle_eio_message", "_handle_reconnect")


def _fixture_frame(name: str) -> dict[str, Any]:
    frame: dict[str, Any] = load_fixture("swapgg", name)["frame"]
    return frame


def _market(server: SwapggSocketServer, api_key: str = API_KEY) -> SwapGG:
    market = sm.connect("swapgg", api_key=api_key, base_url=server.url, ws_url=server.url)
    assert isinstance(market, SwapGG)
    return market


def _next_event(stream: FeedStream, timeout: float = 5.0) -> Event:
    """The next event that is neither a StreamStatus nor the stand-in's user:ready."""
    while True:
        event = stream.get(timeout=timeout)
        assert event is not None, f"no event within {timeout} s"
        if isinstance(event, StreamStatus):
            continue
        if isinstance(event, UnknownEvent) and event.name == units.EVENT_USER_READY:
            continue
        return event


def _wait_ready(stream: FeedStream) -> None:
    """Read on until the stand-in's user:ready: the connect is done, the link is live."""
    while True:
        event = stream.get(timeout=5)
        assert event is not None, "no user:ready within 5 s"
        if isinstance(event, UnknownEvent) and event.name == units.EVENT_USER_READY:
            return


def _statuses_until_connected(stream: FeedStream, count: int) -> list[StreamStatus]:
    seen: list[StreamStatus] = []
    while sum(1 for s in seen if s.state == "connected") < count:
        event = stream.get(timeout=5)
        assert event is not None, "no status within 5 s"
        if isinstance(event, StreamStatus):
            seen.append(event)
    return seen


def _client_threads(before: set[threading.Thread]) -> list[str]:
    """The stream's threads alive now (those alive ``before`` it opened are not its own)."""
    return [
        t.name
        for t in set(threading.enumerate()) - before
        if any(name in t.name for name in CLIENT_THREADS)
        or (t.name.startswith("skinmarkets-") and t.name != "skinmarkets-deadline")
    ]


# ---------------------------------------------------------------------- frames, one by one


@pytest.mark.parametrize("name", FIXTURES)
def test_each_sample_frame_becomes_its_expected_event(name: str) -> None:
    fixture = load_fixture("swapgg", name)
    expected = fixture["expected"]
    feed = AccountFeed(market="swapgg", fetch_token=lambda: "unused")

    (event,) = feed.translate(None, json.dumps(fixture["frame"]))

    assert type(event).__name__ == expected["type"]
    if isinstance(event, PurchaseUpdated):
        assert event.purchase_id == expected["purchase_id"]
        assert event.status is TradeStatus(expected["status"])
        assert event.trade_offer_id == expected["trade_offer_id"]
        assert event.custom_id is None  # swap.gg carries none
    elif isinstance(event, Notification):
        assert event.text == expected["text"]
    else:
        assert isinstance(event, UnknownEvent) and event.name == expected["name"]
    data = fixture["frame"]["data"]
    assert dict(event.raw) == (data if isinstance(data, dict) else {"data": data})  # kept


def test_screenshot_ready_keeps_both_links_in_raw() -> None:
    frame = _fixture_frame("ws.screenshot_ready.ok")
    feed = AccountFeed(market="swapgg", fetch_token=lambda: "unused")

    (event,) = feed.translate(None, json.dumps(frame))

    assert isinstance(event, UnknownEvent)
    assert dict(event.raw) == frame["data"]


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        "[1, 2]",
        '{"data": {}}',
        '{"event": "item:state", "data": [1, 2]}',
        '{"event": "item:state", "data": {"saleId": {"a": 1}, "state": 0}}',
        '{"event": "item:state", "data": {"saleId": 1.5, "state": 0}}',
        '{"event": "user:notification", "data": null}',
        '{"event": "item:state", "data": {"saleId": "s", "state": [0]}}',
    ],
)
def test_a_malformed_frame_is_an_unknown_event_never_an_exception(frame: str) -> None:
    feed = AccountFeed(market="swapgg", fetch_token=lambda: "unused")

    (event,) = feed.translate(None, frame)

    assert isinstance(event, UnknownEvent)


def test_a_ws_origin_is_taken_as_its_http_twin_for_socketio() -> None:
    assert socket_origin("wss://market-ws.swap.gg/") == "https://market-ws.swap.gg"
    assert socket_origin("ws://127.0.0.1:9") == "http://127.0.0.1:9"
    assert socket_origin(units.WS_ORIGIN) == "https://market-ws.swap.gg"


def test_the_link_sends_only_event_objects_and_nothing_once_closed() -> None:
    link = SocketIOLink(Secret("tok-secret-xyz"), Refusals(quick=units.QUICK_REFUSAL_SECONDS))
    assert "tok-secret-xyz" not in repr(link)

    with pytest.raises(ValueError, match="event"):
        link.send("ping")
    link.close()
    with pytest.raises(LinkClosed):
        link.send('{"event": "auth", "data": 1}')
    with pytest.raises(LinkClosed):
        link.recv(0.01)


# ---------------------------------------------------------------------- over socket.io


def test_account_events_arrive_typed_over_socketio(swapgg_socket: SwapggSocketServer) -> None:
    with _market(swapgg_socket) as market, market.events() as stream:
        first = stream.get(timeout=5)
        assert isinstance(first, StreamStatus) and first.state == "connected"
        ready = stream.get(timeout=5)
        for name in ("ws.item_state.held", "ws.user_notification.ok", "ws.screenshot_ready.ok"):
            frame = _fixture_frame(name)
            swapgg_socket.push(frame["event"], frame["data"])
        got = [_next_event(stream) for _ in range(3)]

    assert isinstance(ready, UnknownEvent) and ready.name == "user:ready"
    # python-socketio hands each packet to a thread of its own: the order is not guaranteed.
    purchases = [e for e in got if isinstance(e, PurchaseUpdated)]
    notes = [e for e in got if isinstance(e, Notification)]
    shots = [e for e in got if isinstance(e, UnknownEvent)]
    assert [(p.purchase_id, p.status) for p in purchases] == [("rdLnPg1aA", TradeStatus.PENDING)]
    assert [n.text for n in notes] == [
        "Your item AK-47 | Redline (Field-Tested) has been sold for 23.38 EUR"
    ]
    assert [s.name for s in shots] == ["screenshot:ready"]
    assert swapgg_socket.auths == swapgg_socket.issued  # the one token fetched, then emitted


def test_a_dropped_connection_reconnects_with_a_fresh_token(
    swapgg_socket: SwapggSocketServer,
) -> None:
    with _market(swapgg_socket) as market, market.events() as stream:
        _statuses_until_connected(stream, 1)
        swapgg_socket.wait_authed()
        swapgg_socket.drop()
        statuses = _statuses_until_connected(stream, 1)
        swapgg_socket.wait_authed()
        swapgg_socket.push("user:notification", "back")
        event = _next_event(stream)

    assert [(s.state, s.will_retry) for s in statuses] == [
        ("disconnected", True),
        ("connected", False),
    ]
    assert isinstance(event, Notification) and event.text == "back"
    assert len(swapgg_socket.issued) == 2  # the REST token route, once per connect
    assert swapgg_socket.auths == swapgg_socket.issued  # each connect emitted its own token
    assert len(set(swapgg_socket.auths)) == 2


def test_authentication_refused_twice_raises_from_the_iterator_after_two_attempts(
    swapgg_socket: SwapggSocketServer,
) -> None:
    swapgg_socket.refuse = 10**6
    started = time.monotonic()
    with (
        _market(swapgg_socket) as market,
        market.events() as stream,
        pytest.raises(errors.AuthenticationError, match="refused twice"),
    ):
        for _ in stream:
            pass

    assert time.monotonic() - started < units.AUTH_GRACE_SECONDS * 2 + 2
    assert len(swapgg_socket.issued) == 2 and len(set(swapgg_socket.auths)) == 2  # bounded


def test_one_refusal_then_a_fresh_token_connects(swapgg_socket: SwapggSocketServer) -> None:
    swapgg_socket.refuse = 1
    with _market(swapgg_socket) as market, market.events() as stream:
        statuses = _statuses_until_connected(stream, 1)
        swapgg_socket.wait_authed()
        swapgg_socket.push("user:notification", "hello")
        event = _next_event(stream)

    assert statuses[0].reason == "socket.io: authentication refused"
    assert statuses[0].will_retry
    assert isinstance(event, Notification) and event.text == "hello"
    assert len(set(swapgg_socket.auths)) == 2


def test_a_refused_socketio_connect_counts_as_a_refusal(
    swapgg_socket: SwapggSocketServer,
) -> None:
    swapgg_socket.reject_connects = 10**6
    with (
        _market(swapgg_socket) as market,
        market.events() as stream,
        pytest.raises(errors.AuthenticationError, match="refused the connection"),
    ):
        list(stream)

    assert len(swapgg_socket.issued) == 2 and swapgg_socket.auths == []


def test_a_refusal_mid_stream_reopens_with_a_fresh_token(
    swapgg_socket: SwapggSocketServer,
) -> None:
    with _market(swapgg_socket) as market, market.events() as stream:
        _wait_ready(stream)
        swapgg_socket.push("unauthorized", {"message": "token expired"})
        statuses = _statuses_until_connected(stream, 1)

    assert "unauthorized" in (statuses[0].reason or "") and statuses[0].will_retry
    assert len(set(swapgg_socket.auths)) == 2


def test_refused_soon_after_connecting_twice_in_a_row_ends_the_stream(
    swapgg_socket: SwapggSocketServer,
) -> None:
    swapgg_socket.refuse_after_ready = True
    with (
        _market(swapgg_socket) as market,
        market.events() as stream,
        pytest.raises(errors.AuthenticationError, match="twice in a row"),
    ):
        list(stream)

    assert len(swapgg_socket.issued) == 2  # bounded: never a third token


def test_a_refusal_long_after_connecting_only_reopens_the_socket(
    swapgg_socket: SwapggSocketServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(units, "QUICK_REFUSAL_SECONDS", 0.0)  # every refusal is "late"
    with _market(swapgg_socket) as market, market.events() as stream:
        for _ in range(3):
            _wait_ready(stream)
            swapgg_socket.push("unauthorized", {"message": "token expired"})
        statuses = _statuses_until_connected(stream, 1)

    assert all(s.will_retry for s in statuses if s.state == "disconnected")
    assert len(set(swapgg_socket.auths)) == 4  # a fresh token each time


def test_a_refused_api_key_ends_the_stream_without_touching_the_socket(
    swapgg_socket: SwapggSocketServer,
) -> None:
    with (
        _market(swapgg_socket, api_key="k-wrong-key-000000") as market,
        market.events() as stream,
        pytest.raises(errors.AuthenticationError),
    ):
        list(stream)

    assert swapgg_socket.issued == [] and swapgg_socket.auths == []


def test_close_returns_within_two_seconds_and_leaves_no_thread(
    swapgg_socket: SwapggSocketServer,
) -> None:
    before = set(threading.enumerate())
    market = _market(swapgg_socket)
    stream = market.events()
    _statuses_until_connected(stream, 1)
    swapgg_socket.wait_authed()
    assert _client_threads(before)  # python-socketio's reader and writer, and the engine's

    started = time.monotonic()
    stream.close()

    assert time.monotonic() - started < 2
    assert _client_threads(before) == []
    leftover = list(stream)  # iteration ends: what was queued, then StopIteration
    assert all(isinstance(e, UnknownEvent) for e in leftover)  # the stand-in's user:ready


def test_close_after_a_server_drop_leaves_no_thread(swapgg_socket: SwapggSocketServer) -> None:
    before = set(threading.enumerate())
    market = _market(swapgg_socket)
    stream = market.events()
    _statuses_until_connected(stream, 1)
    swapgg_socket.wait_authed()
    swapgg_socket.drop()
    _statuses_until_connected(stream, 1)

    started = time.monotonic()
    stream.close()

    assert time.monotonic() - started < 2
    assert _client_threads(before) == []


def test_keys_and_tokens_are_in_no_log_repr_or_raw(
    swapgg_socket: SwapggSocketServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    swapgg_socket.refuse = 1  # the refusal echoes the token
    with _market(swapgg_socket) as market, market.events() as stream:
        statuses = _statuses_until_connected(stream, 1)
        swapgg_socket.wait_authed()
        token = swapgg_socket.auths[-1]
        swapgg_socket.push("user:notification", {"message": f"your token is {token}"})
        swapgg_socket.push("user:balance", {"token": token, "note": f"t={token}"})
        got = [_next_event(stream), _next_event(stream)]
        shown = [repr(market), repr(stream), *map(repr, got), *map(repr, statuses)]
        shown += [json.dumps(e.raw) for e in got] + [
            e.text for e in got if isinstance(e, Notification)
        ]
        shown += [s.reason or "" for s in statuses]

    secrets = [API_KEY, *swapgg_socket.issued]
    assert len(swapgg_socket.issued) == 2
    for text in [caplog.text, *shown]:
        assert not [s for s in secrets if s in text], text


# ---------------------------------------------------------------------- refused before connecting


def test_listing_events_are_not_supported_before_anything_connects(
    swapgg_socket: SwapggSocketServer,
) -> None:
    market = _market(swapgg_socket)

    with pytest.raises(errors.NotSupported, match="account"):
        market.events(kinds={"listings"})

    assert market.capabilities.events == frozenset({"account"})
    assert swapgg_socket.issued == []  # not even a token was fetched


@pytest.mark.parametrize("bad", ["ftp://market-ws.swap.gg", "https://", "not a url", 443])
def test_a_bad_ws_url_is_a_configuration_error(bad: object) -> None:
    with pytest.raises(errors.ConfigurationError, match="ws_url"):
        sm.connect("swapgg", api_key=API_KEY, ws_url=bad)


@pytest.mark.parametrize("module", ["socketio", "websocket"])
def test_without_the_realtime_extra_events_names_the_install_command(
    module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = set(threading.enumerate())
    market = sm.connect("swapgg", api_key=API_KEY, base_url="https://swapgg.test")
    assert isinstance(market, SwapGG)
    monkeypatch.setitem(sys.modules, module, None)

    with pytest.raises(errors.ConfigurationError, match=r"pip install 'skinmarkets\[realtime\]'"):
        market.events()
    assert _client_threads(before) == []
