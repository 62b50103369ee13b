"""SkinsBack's websocket behind ``events()``: a stand-in server on 127.0.0.1 (``ws_server.py``),
frames from ``fixtures/skinsback/ws.*.json``."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skinmarkets import Money, errors
from skinmarkets._realtime import FeedStream, LinkClosed
from skinmarkets._secret import Secret
from skinmarkets.events import (
    BalanceChanged,
    Event,
    PurchaseUpdated,
    StreamStatus,
    UnknownEvent,
)
from skinmarkets.models import TradeStatus
from skinmarkets.vendors.skinsback import Skinsback, parse_event, units
from skinmarkets.vendors.skinsback.realtime import (
    UNREADABLE,
    AccountFeed,
    account_events,
    socket_signature,
    socket_url,
)
from tests.support import load_fixture
from tests.vendors.skinsback.conftest import CLIENT_ID, CLIENT_SECRET
from tests.vendors.skinsback.ws_server import FakeSkinsback, frame_text

MARKET = "skinsback:cs2"


@pytest.fixture
def server() -> Iterator[FakeSkinsback]:
    """The stand-in websocket, started for the test and stopped after it."""
    with FakeSkinsback(CLIENT_ID, CLIENT_SECRET).running() as fake:
        yield fake


@pytest.fixture
def live(server: FakeSkinsback, connect: Callable[..., Skinsback]) -> Skinsback:
    """A market whose ``ws_url`` is the stand-in."""
    return connect(ws_url=server.origin)


def _events(stream: FeedStream, count: int) -> list[Event]:
    """The next ``count`` events that are not ``StreamStatus``."""
    found: list[Event] = []
    while len(found) < count:
        event = stream.get(timeout=5)
        assert event is not None, f"only {found} came"
        if not isinstance(event, StreamStatus):
            found.append(event)
    return found


def _feed() -> AccountFeed:
    return AccountFeed(
        market=MARKET, client_id=Secret(CLIENT_ID), client_secret=Secret(CLIENT_SECRET)
    )


def _translated(name: str) -> list[Event]:
    return _feed().translate(None, frame_text(name))  # type: ignore[arg-type]


def _skinsback_threads() -> list[threading.Thread]:
    """The engine's threads of this feed still alive (named ``skinmarkets-<feed name>``)."""
    return [t for t in threading.enumerate() if t.name == f"skinmarkets-{AccountFeed.name}"]


# ---------------------------------------------------------------------- the URL and signature


def test_signature_is_the_md5_hex_of_client_id_and_secret() -> None:
    signature = socket_signature(Secret("123"), Secret("secret"))
    assert signature.reveal() == "ad4f596c85c6fd9fad1cbd30efb611c2"


def test_default_url_is_skinsback_ws_path_with_shopid_and_signature() -> None:
    url = socket_url(units.WS_ORIGIN, Secret("123"), Secret("ad4f596c85c6fd9fad1cbd30efb611c2"))
    assert url == "wss://skinsback.com/ws/?shopid=123&signature=ad4f596c85c6fd9fad1cbd30efb611c2"


def test_ws_url_replaces_the_origin_and_keeps_the_path() -> None:
    assert socket_url("https://127.0.0.1:9000/", Secret("1"), Secret("s")).startswith(
        "wss://127.0.0.1:9000/ws/?shopid=1&"
    )
    assert socket_url("http://127.0.0.1:9000", Secret("1"), Secret("s")).startswith("ws://")


@pytest.mark.parametrize("ws_url", ["ftp://x", "not a url", 42, "wss://host/path?signature=x"])
def test_a_bad_ws_url_is_a_configuration_error(
    ws_url: object, connect: Callable[..., Skinsback]
) -> None:
    with pytest.raises(errors.ConfigurationError, match="ws_url"):
        connect(ws_url=ws_url)


def test_the_market_pushes_account_events_only() -> None:
    assert Skinsback.capabilities.events == frozenset({"account"})


# ---------------------------------------------------------------------- frames -> events


def test_buy_item_is_a_purchase_update_then_a_balance_change_of_unknown_amount() -> None:
    purchase, balance = _translated("ws.buy_item.ok")
    assert isinstance(purchase, PurchaseUpdated)
    assert (purchase.purchase_id, purchase.custom_id) == ("65", "123456")
    assert purchase.status is TradeStatus.PENDING and purchase.trade_offer_id is None
    assert isinstance(balance, BalanceChanged) and balance.available is None
    assert purchase.raw["data"]["balance_debited_sum"] == "29.93"


def test_status_change_carries_the_mapped_status_and_the_trade_offer_id() -> None:
    (event,) = _translated("ws.status_change.ok")
    assert isinstance(event, PurchaseUpdated)
    assert (event.purchase_id, event.status, event.trade_offer_id) == (
        "65",
        TradeStatus.SENT,
        "4176876858",
    )
    (accepted,) = _translated("ws.status_change.accepted")
    assert isinstance(accepted, PurchaseUpdated) and accepted.status is TradeStatus.COMPLETED


def test_balance_change_is_exact_usd() -> None:
    (event,) = _translated("ws.balance_change.ok")
    assert isinstance(event, BalanceChanged) and event.available == Money("100.50", "USD")
    assert event.available.amount == Decimal("100.50")


@pytest.mark.parametrize("case", ["negative", "garbled"])
def test_an_impossible_balance_is_none_with_raw_kept(case: str) -> None:
    (event,) = _translated(f"ws.balance_change.{case}")
    assert isinstance(event, BalanceChanged) and event.available is None
    assert (
        event.raw["data"]["balance_value"]
        == load_fixture("skinsback", f"ws.balance_change.{case}")["frame"]["data"]["balance_value"]
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ws.buy_item.no_buy_id", "buy_item"),
        ("ws.buy_item.data_not_object", "buy_item"),
        ("ws.unknown.new_event", "withdraw_finished"),
        ("ws.malformed.not_json", UNREADABLE),
        ("ws.malformed.no_event", UNREADABLE),
        ("ws.malformed.array", UNREADABLE),
    ],
)
def test_a_frame_that_cannot_be_read_is_an_unknown_event(name: str, expected: str) -> None:
    (event,) = _translated(name)
    assert isinstance(event, UnknownEvent) and event.name == expected
    assert event.raw  # the frame is kept


@pytest.mark.parametrize("name", ["ws.pong.text", "ws.auth_success.ok"])
def test_keepalive_replies_and_a_late_auth_success_give_no_event(name: str) -> None:
    assert _translated(name) == []


def test_auth_failed_after_connecting_reconnects() -> None:
    with pytest.raises(LinkClosed):
        _translated("ws.auth_failed.ok")


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=12), inner, max_size=4)
            ),
            max_leaves=12,
        ).map(lambda data: json.dumps({"event": "buy_item", "data": data})),
    )
)
def test_no_frame_ever_raises(frame: str) -> None:
    for event in _feed().translate(None, frame):  # type: ignore[arg-type]
        assert event.market == MARKET


@pytest.mark.parametrize("event", ["buy_item", "status_change", "balance_change"])
def test_a_webhook_and_a_frame_of_the_same_event_give_the_same_events(event: str) -> None:
    body = load_fixture("skinsback", f"events.{event}")["body"]
    at = datetime(2024, 1, 1, tzinfo=UTC)
    from_webhook = account_events(
        parse_event(json.dumps(body)), market=MARKET, received_at=at, raw={}
    )
    from_socket = [attrs.evolve(e, received_at=at) for e in _translated(f"ws.{event}.ok")]
    assert from_webhook == from_socket


# ---------------------------------------------------------------------- against the stand-in


def test_fixture_frames_arrive_as_typed_events_with_exact_money(
    live: Skinsback, server: FakeSkinsback
) -> None:
    server.push(
        frame_text("ws.buy_item.ok"),
        frame_text("ws.status_change.ok"),
        frame_text("ws.balance_change.ok"),
    )
    with live.events() as stream:
        bought, debited, sent, balance = _events(stream, 4)
    assert isinstance(bought, PurchaseUpdated) and bought.market == MARKET
    assert (bought.purchase_id, bought.status) == ("65", TradeStatus.PENDING)
    assert isinstance(debited, BalanceChanged) and debited.available is None
    assert isinstance(sent, PurchaseUpdated) and sent.trade_offer_id == "4176876858"
    assert isinstance(balance, BalanceChanged) and balance.available == Money("100.50", "USD")
    assert server.queries == [{"shopid": [CLIENT_ID], "signature": [server.signature]}]
    assert server.paths == ["/ws/"]


def test_malformed_frames_over_the_socket_are_unknown_events_and_the_stream_goes_on(
    live: Skinsback, server: FakeSkinsback
) -> None:
    server.push(
        frame_text("ws.malformed.not_json"),
        frame_text("ws.buy_item.no_buy_id"),
        frame_text("ws.balance_change.ok"),
    )
    with live.events(kinds={"account"}) as stream:
        first, second, third = _events(stream, 3)
    assert isinstance(first, UnknownEvent) and isinstance(second, UnknownEvent)
    assert isinstance(third, BalanceChanged)


def test_reconnects_after_the_server_drops_the_connection(
    live: Skinsback, server: FakeSkinsback
) -> None:
    server.push(frame_text("ws.buy_item.ok"), drop=True)
    server.push(frame_text("ws.status_change.ok"))
    states: list[tuple[str, bool]] = []
    with live.events() as stream:
        seen: list[Event] = []
        while not any(isinstance(e, PurchaseUpdated) and e.trade_offer_id for e in seen):
            event = stream.get(timeout=5)
            assert event is not None
            if isinstance(event, StreamStatus):
                states.append((event.state, event.will_retry))
            else:
                seen.append(event)
    assert states[:3] == [("connected", False), ("disconnected", True), ("connected", False)]
    assert len(server.queries) == 2
    assert all(q["signature"] == [server.signature] for q in server.queries)


def test_a_connection_the_server_dropped_is_closed_at_once(
    live: Skinsback, server: FakeSkinsback
) -> None:
    server.push(drop=True)
    with live.events():
        assert server.wait_for(lambda: server.drop_seconds, timeout=5)
    assert server.drop_seconds[0] < 1.0  # float ok: seconds


def test_keepalive_pings_are_sent_and_pongs_give_no_event(
    live: Skinsback, server: FakeSkinsback, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AccountFeed, "keepalive_every", 0.2)  # float ok: seconds
    with live.events() as stream:
        assert server.wait_for(lambda: server.received.count("ping") >= 2)
        stream.close()
        left = [stream.get(timeout=0) for _ in range(10)]
    assert all(e is None or isinstance(e, StreamStatus) for e in left)
    assert set(server.received) == {"ping"}


def test_auth_failed_twice_raises_authentication_error_after_two_attempts(
    live: Skinsback, server: FakeSkinsback
) -> None:
    server.refuse = True
    with live.events() as stream, pytest.raises(errors.AuthenticationError, match="auth_failed"):
        for _ in stream:
            pass
    assert len(server.queries) == 2


def test_close_returns_within_two_seconds_and_leaves_no_thread(
    live: Skinsback, server: FakeSkinsback
) -> None:
    stream = live.events()
    assert server.wait_for(lambda: len(server.queries) == 1)
    assert isinstance(stream.get(timeout=5), StreamStatus)  # connected
    started = time.monotonic()
    stream.close()
    assert time.monotonic() - started < 2.0  # float ok: seconds
    assert _skinsback_threads() == []
    assert stream.get(timeout=0) is None


def test_listings_are_not_supported_before_connecting(
    live: Skinsback, server: FakeSkinsback
) -> None:
    with pytest.raises(errors.NotSupported, match="listings"):
        live.events(kinds={"listings"})
    assert server.queries == [] and _skinsback_threads() == []


def test_without_websocket_client_events_names_the_extra(
    live: Skinsback, server: FakeSkinsback, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "websocket", None)
    with pytest.raises(errors.ConfigurationError, match=r"pip install 'skinmarkets\[realtime\]'"):
        live.events()
    assert server.queries == [] and _skinsback_threads() == []


# ---------------------------------------------------------------------- secrets


def test_the_signature_and_secret_are_in_no_log_repr_raw_or_error(
    live: Skinsback, server: FakeSkinsback, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secrets = (server.signature, CLIENT_SECRET)
    server.push(frame_text("ws.buy_item.ok"), frame_text("ws.balance_change.ok"), drop=True)
    shown: list[str] = []
    with live.events() as stream:
        events = _events(stream, 3)
        shown += [repr(stream), repr(stream._feeds[0]), *map(repr, events)]
        shown += [json.dumps(e.raw, default=str) for e in events]
        assert server.wait_for(lambda: len(server.queries) >= 2)  # a reconnect happened
    opened = _opened_link(server)
    shown.append(repr(opened))
    opened.close()
    server.refuse = True
    with live.events() as refused, pytest.raises(errors.AuthenticationError) as failure:
        for event in refused:
            shown.append(repr(event))
    shown += [str(failure.value), repr(failure.value), _library_log(caplog)]
    for text in shown:
        for secret in secrets:
            assert secret not in text


def _library_log(caplog: pytest.LogCaptureFixture) -> str:
    """What every logger but the test's own stand-in server wrote (the server sees secrets)."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("tests."))


def _opened_link(server: FakeSkinsback) -> Any:
    feed = AccountFeed(
        market=MARKET,
        client_id=Secret(CLIENT_ID),
        client_secret=Secret(CLIENT_SECRET),
        origin=server.origin,
    )
    return feed.open()
