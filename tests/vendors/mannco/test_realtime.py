"""Mannco's market websocket: listings added, repriced and removed as typed events, exact USD.

The socket is a stand-in on 127.0.0.1 (``socket_server.py``) written from the vendor facts;
the frames are the fixtures ``fixtures/mannco/ws.<event>.<case>.json``.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from decimal import Decimal

import pytest

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets._realtime import FeedStream
from skinmarkets.events import Event, ListingChanged, StreamStatus, UnknownEvent
from skinmarkets.vendors.mannco import Mannco, units
from skinmarkets.vendors.mannco.realtime import ListingIds, ListingsFeed, socket_url
from tests.support import fixture_names, load_fixture
from tests.vendors.mannco.conftest import API_KEY, BASE_URL, Register
from tests.vendors.mannco.socket_server import ManncoSocketServer, mannco_socket

pytestmark = pytest.mark.integration

__all__ = ["mannco_socket"]  # the fixture, imported so pytest finds it

NAME = "Souvenir M4A1-S | Imposing Danger (Field-Tested)"  # not item_details.ok's: never resolved
RESOLVED = "Souvenir M4A1-S | Imminent Danger (Field-Tested)"  # item_details.ok, item 101869
FIXTURES = [n for n in fixture_names("mannco") if n.startswith("ws.")]


def _frame(name: str) -> str:
    fixture = load_fixture("mannco", name)
    return str(fixture["text"]) if "text" in fixture else json.dumps(fixture["frame"])


def _market(server: ManncoSocketServer) -> Mannco:
    market = sm.connect("mannco", api_key=API_KEY, base_url=BASE_URL, ws_url=server.url)
    assert isinstance(market, Mannco)
    return market


def _next_event(stream: FeedStream, timeout: float = 5.0) -> Event:
    """The next event that is not a StreamStatus."""
    while True:
        event = stream.get(timeout=timeout)
        assert event is not None, f"no event within {timeout} s"
        if not isinstance(event, StreamStatus):
            return event


def _statuses_until_connected(stream: FeedStream, count: int) -> list[StreamStatus]:
    seen: list[StreamStatus] = []
    while sum(1 for s in seen if s.state == "connected") < count:
        event = stream.get(timeout=5)
        assert isinstance(event, StreamStatus), f"expected a status, got {event!r}"
        seen.append(event)
    return seen


def _client_threads(before: set[threading.Thread]) -> list[str]:
    """The stream's threads alive now (those alive ``before`` it opened are not its own)."""
    return [
        t.name
        for t in set(threading.enumerate()) - before
        if t.name.startswith("skinmarkets-") and t.name != "skinmarkets-deadline"
    ]


# ---------------------------------------------------------------------- frames, one by one


@pytest.mark.parametrize("name", FIXTURES)
def test_each_sample_frame_becomes_its_expected_event(name: str) -> None:
    expected = load_fixture("mannco", name)["expected"]
    feed = ListingsFeed(market="mannco")

    (event,) = feed.translate(None, _frame(name))  # type: ignore[arg-type]

    assert type(event).__name__ == expected["type"]
    if isinstance(event, ListingChanged):
        assert event.action == expected["action"]
        wanted = expected.get("unresolved_listing_id", expected["listing_id"])
        assert event.listing_id == wanted  # a fresh feed never saw the listing being added
        price = expected["price"]
        assert event.price == (None if price is None else sm.Money(price, "USD"))
        assert event.price is None or event.price.amount == Decimal(price)  # exact, no float
    else:
        assert isinstance(event, UnknownEvent) and event.name == expected["name"]
        assert event.raw  # kept for the caller


def test_a_removal_names_the_asset_id_of_the_listing_added_before() -> None:
    feed = ListingsFeed(market="mannco")
    feed.translate(None, _frame("ws.listing_added.ok"))  # type: ignore[arg-type]

    (removed,) = feed.translate(None, _frame("ws.listing_removed.ok"))  # type: ignore[arg-type]

    assert isinstance(removed, ListingChanged)
    assert (removed.action, removed.listing_id, removed.price) == ("removed", "17190178976", None)


def test_the_listing_ids_remembered_are_bounded_oldest_first() -> None:
    ids = ListingIds(size=2)
    for n in range(3):
        ids.remember(str(n), f"asset-{n}", None)

    assert len(ids) == 2
    assert ids.forget("0") is None
    assert ids.forget("2") == ("asset-2", None)


def test_an_http_origin_is_taken_as_its_websocket_twin_with_the_documented_path() -> None:
    assert socket_url("https://ws.mannco.store") == "wss://ws.mannco.store/ws"
    assert socket_url("http://127.0.0.1:9") == "ws://127.0.0.1:9/ws"
    assert socket_url(units.WS_ORIGIN) == "wss://ws.mannco.store/ws"


# ---------------------------------------------------------------------- over the socket


def test_listing_events_arrive_typed_with_exact_usd_from_the_socket(
    mannco_socket: ManncoSocketServer,
) -> None:
    with _market(mannco_socket) as market, market.events() as stream:
        first = stream.get(timeout=5)
        assert isinstance(first, StreamStatus) and first.state == "connected"
        for name in ("ws.listing_added.ok", "ws.price_changed.ok", "ws.buyorder_added.ok"):
            mannco_socket.push(_frame(name))
        added, changed, order = (_next_event(stream) for _ in range(3))

    assert isinstance(added, ListingChanged) and added.action == "added"
    assert added.price == sm.Money("0.61", "USD") and added.market == "mannco"
    assert isinstance(changed, ListingChanged) and changed.listing_id == "17188460072"
    assert changed.price is not None and changed.price.amount == Decimal("15.25")
    assert isinstance(order, UnknownEvent) and order.name == "buyorder_added"
    assert order.raw["data"]["price"] == 1525
    assert mannco_socket.wait_paths(1) == ["/ws"]  # the documented path under the ws_url origin


def test_names_and_asset_ids_come_from_what_list_for_sale_saw(
    mannco_socket: ManncoSocketServer, market: Mannco, logged_in: None, register: Register
) -> None:
    register("item_details.ok")
    register("item_listing.ok")
    market._ws_origin = mannco_socket.url
    listings = market.list_for_sale(RESOLVED, limit=10)  # rows: id 9001 sells 30000000001
    removed = {"event": "listing_removed", "ts": 1782403724, "data": {"id": 9001}}
    repriced = {
        "event": "price_changed",
        "ts": 1782403724,
        "data": {"id": 9002, "assetId": "30000000002", "itemId": 101869, "newPrice": 64990},
    }

    with market.events(kinds={"listings"}) as stream:
        assert isinstance(stream.get(timeout=5), StreamStatus)
        mannco_socket.push(removed)
        mannco_socket.push(repriced)
        gone, cheaper = _next_event(stream), _next_event(stream)

    assert isinstance(gone, ListingChanged) and gone.action == "removed"
    assert gone.listing_id == listings[0].id == "30000000001"
    assert gone.market_hash_name == RESOLVED
    assert isinstance(cheaper, ListingChanged) and cheaper.market_hash_name == RESOLVED
    assert cheaper.price == sm.Money("649.90", "USD")


def test_a_removal_never_seen_keeps_the_listing_id_apart_from_asset_ids(
    mannco_socket: ManncoSocketServer,
) -> None:
    with _market(mannco_socket) as market, market.events() as stream:
        stream.get(timeout=5)
        mannco_socket.push(_frame("ws.listing_removed.ok"))
        event = _next_event(stream)

    assert isinstance(event, ListingChanged)
    assert (event.listing_id, event.market_hash_name) == ("listing:57348505", None)


def test_malformed_frames_are_unknown_events_and_the_stream_goes_on(
    mannco_socket: ManncoSocketServer,
) -> None:
    bad = ["ws.malformed.not_json", "ws.malformed.array", "ws.malformed.no_event"]
    with _market(mannco_socket) as market, market.events() as stream:
        stream.get(timeout=5)
        for name in [*bad, "ws.price_changed.negative_price", "ws.listing_added.ok"]:
            mannco_socket.push(_frame(name))
        events = [_next_event(stream) for _ in range(5)]

    assert [e.name for e in events[:3] if isinstance(e, UnknownEvent)] == ["(unreadable)"] * 3
    negative = events[3]
    assert isinstance(negative, ListingChanged) and negative.price is None
    assert negative.raw["data"]["newPrice"] == -5  # kept for the caller
    assert isinstance(events[4], ListingChanged) and events[4].action == "added"


def test_a_dropped_connection_is_reopened_and_events_flow_again(
    mannco_socket: ManncoSocketServer,
) -> None:
    with _market(mannco_socket) as market, market.events() as stream:
        _statuses_until_connected(stream, 1)
        mannco_socket.drop()
        statuses = _statuses_until_connected(stream, 1)
        mannco_socket.push(_frame("ws.price_changed.ok"))
        event = _next_event(stream)

    assert [(s.state, s.will_retry) for s in statuses] == [
        ("disconnected", True),
        ("connected", False),
    ]
    assert isinstance(event, ListingChanged) and event.action == "changed"
    assert mannco_socket.wait_paths(2) == ["/ws", "/ws"]


def test_a_silent_socket_is_taken_as_dead_and_reopened(
    mannco_socket: ManncoSocketServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ListingsFeed.silence_limit == 120.0  # documented choice: no keepalive exists
    monkeypatch.setattr(ListingsFeed, "silence_limit", 0.3)
    with _market(mannco_socket) as market, market.events() as stream:
        statuses = _statuses_until_connected(stream, 2)

    assert "silent" in (statuses[1].reason or "")
    assert mannco_socket.wait_paths(2) == ["/ws", "/ws"]


def test_close_returns_within_two_seconds_and_leaves_no_thread(
    mannco_socket: ManncoSocketServer,
) -> None:
    before = set(threading.enumerate())
    market = _market(mannco_socket)
    stream = market.events()
    assert isinstance(stream.get(timeout=5), StreamStatus)

    started = time.monotonic()
    stream.close()

    assert time.monotonic() - started < 2
    assert _client_threads(before) == []
    assert list(stream) == []


# ---------------------------------------------------------------------- refused before connecting


def test_account_events_are_not_supported_before_anything_connects(
    mannco_socket: ManncoSocketServer,
) -> None:
    market = _market(mannco_socket)

    with pytest.raises(errors.NotSupported, match="listings"):
        market.events(kinds={"account"})

    assert market.capabilities.events == frozenset({"listings"})
    assert mannco_socket.paths == []


@pytest.mark.parametrize("bad", ["ftp://ws.mannco.store", "wss://", "wss://h/ws?x=1", 443])
def test_a_bad_ws_url_is_a_configuration_error(bad: object) -> None:
    with pytest.raises(errors.ConfigurationError, match="ws_url"):
        sm.connect("mannco", api_key=API_KEY, ws_url=bad)


def test_without_the_realtime_extra_events_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = set(threading.enumerate())
    market = sm.connect("mannco", api_key=API_KEY, base_url=BASE_URL)
    assert isinstance(market, Mannco)
    monkeypatch.setitem(sys.modules, "websocket", None)

    with pytest.raises(errors.ConfigurationError, match=r"pip install 'skinmarkets\[realtime\]'"):
        market.events()
    assert _client_threads(before) == []


def test_the_api_key_is_in_no_log_and_no_repr(
    mannco_socket: ManncoSocketServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with _market(mannco_socket) as market, market.events() as stream:
        stream.get(timeout=5)
        mannco_socket.push(_frame("ws.listing_added.ok"))
        event = _next_event(stream)
        shown = [repr(market), repr(stream), repr(event), repr(event.raw)]

    assert all(API_KEY not in text for text in [caplog.text, *shown])
