"""Market TM's two sockets behind ``events()``: the Centrifugo price feed and wsn.

Stand-ins on 127.0.0.1 (``ws_server.py``), REST answered by ``responses`` (or, for the rate
limit, a real loopback HTTP server), frames from ``fixtures/market_tm/ws.*.json``.
"""

from __future__ import annotations

import collections
import json
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import pytest
import responses
from hypothesis import given, settings
from hypothesis import strategies as st

import skinmarkets as sm
from skinmarkets import Money, errors
from skinmarkets._ratelimit import RateLimit, SlidingWindowLimiter
from skinmarkets._realtime import AuthRefused, FeedStream, LinkClosed
from skinmarkets.events import (
    BalanceChanged,
    Event,
    ListingChanged,
    Notification,
    PurchaseUpdated,
    StreamStatus,
    UnknownEvent,
)
from skinmarkets.models import TradeStatus
from skinmarkets.vendors.market_tm import MarketTM
from skinmarkets.vendors.market_tm.realtime import (
    FeedContext,
    NameBook,
    PriceFeed,
    WsnFeed,
    endpoint,
)
from tests.integration.loopback import LoopbackServer, RecordedRequest, Reply, loopback
from tests.support import FakeClock, add_fixture, fixture_names, load_fixture
from tests.vendors.market_tm.conftest import API_KEY, BASE_URL
from tests.vendors.market_tm.ws_server import FakeMarketTMSockets, frame_text

__all__ = ["loopback"]  # the fixture, imported so pytest finds it

MARKET = "market_tm:cs2"
TOKEN_PATH, AUTH_PATH = "/api/v2/get-ws-token", "/api/v2/get-ws-auth"
NAMES_PATH, MONEY_PATH = "/api/v2/dictionary/names.json", "/api/v2/get-money"
NAMES = load_fixture("market_tm", "dictionary_names.ok")["response"]["json"]


# ---------------------------------------------------------------------- set-up


class Rest:
    """The REST side of the sockets: get-money, the names, a fresh token or key per call."""

    def __init__(self, mock: responses.RequestsMock, money: str = "get_money.usd") -> None:
        self.mock = mock
        self.tokens: list[str] = []
        self.keys: list[str] = []
        self._lock = threading.Lock()
        add_fixture(mock, load_fixture("market_tm", money), base_url=BASE_URL)
        add_fixture(mock, load_fixture("market_tm", "dictionary_names.ok"), base_url=BASE_URL)
        mock.add_callback(
            "GET",
            BASE_URL + TOKEN_PATH,
            self._issue("tokens", "token"),
            content_type="application/json",
        )
        mock.add_callback(
            "GET",
            BASE_URL + AUTH_PATH,
            self._issue("keys", "wsAuth"),
            content_type="application/json",
        )

    def _issue(self, into: str, field: str) -> Callable[[Any], tuple[int, dict[str, str], str]]:
        def answer(request: Any) -> tuple[int, dict[str, str], str]:
            with self._lock:
                issued: list[str] = getattr(self, into)
                value = f"tm-{field}-{len(issued) + 1:04d}-d41d8cd98f00b204"
                issued.append(value)
            return 200, {}, json.dumps({"success": True, field: value})

        return answer

    def calls(self, path: str) -> int:
        return sum(1 for c in self.mock.calls if c.request.path_url.split("?")[0] == path)


@pytest.fixture
def sockets() -> Iterator[FakeMarketTMSockets]:
    """Both stand-in sockets on one port, started for the test and stopped after it."""
    with FakeMarketTMSockets().running() as fake:
        yield fake


@pytest.fixture
def rest(mock: responses.RequestsMock) -> Rest:
    return Rest(mock)


def _quick(market: MarketTM, clock: FakeClock) -> MarketTM:
    """The market's limiter and retry backoff on the fake clock (as conftest's ``market``)."""
    transport = market.client.transport
    transport._sleep = clock.sleep
    transport._jitter = lambda: 0.0  # float ok: seconds
    transport.limiter = SlidingWindowLimiter(RateLimit(5, 1.0), clock=clock, sleep=clock.sleep)
    return market


@pytest.fixture
def live(sockets: FakeMarketTMSockets, rest: Rest, clock: FakeClock) -> MarketTM:
    """A CS2 market whose ``ws_url`` is the stand-in and whose REST is ``rest``."""
    market = sm.connect(
        "market_tm", api_key=API_KEY, game="cs2", base_url=BASE_URL, ws_url=sockets.origin
    )
    assert isinstance(market, MarketTM)
    return _quick(market, clock)


def _stream(market: MarketTM, kinds: object) -> FeedStream:
    """``events(kinds)`` with no jitter, so the first reconnect waits 0.25 s."""
    return market._events(kinds, jitter=lambda: 0.0)  # float ok: seconds


def _events(stream: FeedStream, count: int, timeout: float = 5.0) -> list[Event]:  # float ok
    """The next ``count`` events that are not ``StreamStatus``."""
    found: list[Event] = []
    while len(found) < count:
        event = stream.get(timeout=timeout)
        assert event is not None, f"only {found} came"
        if not isinstance(event, StreamStatus):
            found.append(event)
    return found


def _statuses_until(stream: FeedStream, done: Callable[[list[StreamStatus]], bool]) -> list[Any]:
    seen: list[StreamStatus] = []
    deadline = time.monotonic() + 5
    while not done(seen):
        assert time.monotonic() < deadline, f"statuses so far: {seen}"
        event = stream.get(timeout=0.5)  # float ok: seconds
        if isinstance(event, StreamStatus):
            seen.append(event)
    return seen


def _feed_threads() -> list[threading.Thread]:
    names = {"skinmarkets-price feed", "skinmarkets-wsn"}
    return [t for t in threading.enumerate() if t.name in names and t.is_alive()]


# ---------------------------------------------------------------------- without sockets


class ScriptedLink:
    """A link whose incoming frames are scripted; records what the feed sent."""

    def __init__(self, *frames: str | Exception) -> None:
        self.frames: collections.deque[str | Exception] = collections.deque(frames)
        self.sent: list[str] = []
        self.closed = False

    def recv(self, timeout: float) -> str | None:  # float ok: seconds
        if not self.frames:
            return None
        frame = self.frames.popleft()
        if isinstance(frame, Exception):
            raise frame
        return frame

    def send(self, text: str) -> None:
        self.sent.append(text)

    def close(self) -> None:
        self.closed = True


class StubClient:
    """The REST calls the feeds make, each answering a fresh credential."""

    def __init__(self) -> None:
        self.issued = 0

    def get_ws_token(self) -> Mapping[str, Any]:
        self.issued += 1
        return {"success": True, "token": f"stub-token-{self.issued:04d}"}

    def get_ws_auth(self) -> Mapping[str, Any]:
        self.issued += 1
        return {"success": True, "wsAuth": f"stub-key-{self.issued:04d}"}


def _context(link: ScriptedLink, *, currency: str = "USD", app_id: int = 730) -> FeedContext:
    return FeedContext(
        market=MARKET,
        client=StubClient(),  # type: ignore[arg-type]
        currency=lambda: currency,
        app_id=app_id,
        names=NameBook(lambda: NAMES),
        origin="ws://127.0.0.1:1",
        connect=lambda vendor, url, timeout, proxy=None: link,
    )


def _opened_price_feed(
    *after: str | Exception, clock: Callable[[], float] = time.monotonic, **context: Any
) -> tuple[PriceFeed, ScriptedLink]:
    link = ScriptedLink(frame_text("ws.connect.ok"), frame_text("ws.subscribe.ok"), *after)
    feed = PriceFeed(_context(link, **context), clock=clock)
    feed.open()
    return feed, link


def _opened(socket: str) -> tuple[PriceFeed | WsnFeed, ScriptedLink]:
    if socket == "price":
        return _opened_price_feed()
    link = ScriptedLink("pong")
    feed = WsnFeed(_context(link))
    feed.open()
    return feed, link


def _translated(name: str) -> list[Event]:
    feed, link = _opened(load_fixture("market_tm", name)["socket"])
    return list(feed.translate(link, frame_text(name)))


def _has_float(value: Any) -> bool:
    if isinstance(value, float):  # float ok: the check itself
        return True
    if isinstance(value, Mapping):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_float(v) for v in value)
    return False


SAMPLES = [
    name
    for name in fixture_names("market_tm")
    if name.startswith("ws.") and "event" in load_fixture("market_tm", name).get("expected", {})
]


@pytest.mark.parametrize("name", SAMPLES)
def test_each_sample_frame_becomes_its_typed_event_with_exact_money(name: str) -> None:
    expected = dict(load_fixture("market_tm", name)["expected"])
    (event,) = _translated(name)
    assert type(event).__name__ == expected.pop("event")
    currency = expected.pop("currency", None)
    for field, value in expected.items():
        actual = getattr(event, field)
        if field in {"price", "available"}:
            assert actual == (None if value is None else Money(value, currency))
            if actual is not None:  # the same digits, not only an equal value
                assert str(actual.amount) == value
        elif field == "status":
            assert actual is TradeStatus(value)
        else:
            assert actual == value
    assert event.market == MARKET and event.received_at.tzinfo is not None
    assert event.raw and not _has_float(event.raw)


def test_several_replies_in_one_frame_are_each_read() -> None:
    added, removed = _translated("ws.push.batch")
    assert isinstance(added, ListingChanged) and added.action == "added"
    assert added.price == Money("0.50", "USD")
    assert isinstance(removed, ListingChanged) and removed.action == "removed"
    assert removed.market_hash_name == "AWP | Asiimov (Field-Tested)"


def test_the_servers_empty_ping_is_answered_with_an_empty_object_and_gives_no_event() -> None:
    feed, link = _opened_price_feed()
    link.sent.clear()
    assert list(feed.translate(link, frame_text("ws.ping.empty"))) == []
    assert link.sent == ["{}"]


def test_wsn_pong_gives_no_event_and_auth_later_on_reconnects() -> None:
    feed, link = _opened("wsn")
    assert list(feed.translate(link, frame_text("ws.pong.text"))) == []
    with pytest.raises(LinkClosed):
        list(feed.translate(link, frame_text("ws.auth.refused")))


def test_the_price_handshake_connects_with_the_token_and_subscribes_the_account_currency() -> None:
    feed, link = _opened_price_feed(currency="EUR", app_id=570)
    connect, subscribe = (json.loads(text) for text in link.sent)
    assert connect == {"id": 1, "connect": {"token": "stub-token-0001"}}
    assert subscribe == {"id": 2, "subscribe": {"channel": "public:items:570:eur"}}
    (event,) = feed.translate(link, frame_text("ws.push.new"))
    assert isinstance(event, ListingChanged) and event.price == Money("0.623", "EUR")


def test_silence_limit_is_the_connect_replys_ping_plus_ten_seconds() -> None:
    feed, _ = _opened_price_feed()
    assert feed.silence_limit == 35
    link = ScriptedLink(
        json.dumps({"id": 1, "connect": {"client": "c", "ping": 5}}), frame_text("ws.subscribe.ok")
    )
    feed = PriceFeed(_context(link))
    feed.open()
    assert feed.silence_limit == 15


def test_the_token_is_refreshed_a_minute_before_its_ttl_with_a_fresh_one() -> None:
    clock = FakeClock()
    feed, link = _opened_price_feed(clock=clock)  # ttl 600 in ws.connect.ok
    link.sent.clear()
    clock.now += 539
    feed.keepalive(link)
    assert link.sent == []
    clock.now += 1
    feed.keepalive(link)
    assert [json.loads(t) for t in link.sent] == [
        {"id": 3, "refresh": {"token": "stub-token-0002"}}
    ]
    feed.keepalive(link)  # waiting for the reply: not twice
    assert len(link.sent) == 1
    assert list(feed.translate(link, frame_text("ws.refresh.ok"))) == []
    clock.now += 540
    feed.keepalive(link)
    assert json.loads(link.sent[-1])["refresh"] == {"token": "stub-token-0003"}


def test_a_refused_refresh_reconnects_with_a_fresh_token() -> None:
    clock = FakeClock()
    feed, link = _opened_price_feed(clock=clock)
    clock.now += 540
    feed.keepalive(link)
    refused = json.dumps({"id": 3, "error": {"code": 109, "message": "token expired"}})
    with pytest.raises(LinkClosed, match="109"):
        list(feed.translate(link, refused))


@pytest.mark.parametrize(
    "answer",
    [
        frame_text("ws.connect.token_expired"),
        LinkClosed("invalid token", 3500),  # Centrifugo closes on a token it cannot verify
    ],
)
def test_a_refused_connect_is_auth_refused(answer: str | Exception) -> None:
    link = ScriptedLink(answer)
    with pytest.raises(AuthRefused):
        PriceFeed(_context(link)).open()
    assert link.closed


def test_a_refused_wsn_key_is_auth_refused() -> None:
    link = ScriptedLink(frame_text("ws.auth.refused"))
    with pytest.raises(AuthRefused):
        WsnFeed(_context(link)).open()
    assert link.sent == ["stub-key-0001", "ping"]


def test_wsn_keepalive_is_a_text_ping_every_45_seconds() -> None:
    feed, link = _opened("wsn")
    link.sent.clear()
    feed.keepalive(link)
    assert link.sent == ["ping"] and feed.keepalive_every == 45 and feed.silence_limit == 60


@pytest.mark.parametrize(
    ("code", "terminal"),
    [
        (3000, False),
        (3499, False),
        (3500, True),
        (3999, True),
        (4000, False),
        (4500, True),
        (4999, True),
        (1006, False),
        (None, False),
    ],
)
def test_close_codes_3500_to_3999_and_4500_to_4999_are_terminal(
    code: int | None, terminal: bool
) -> None:
    assert PriceFeed(_context(ScriptedLink())).terminal(code) is terminal


def test_ws_url_replaces_the_origin_of_both_sockets_and_keeps_the_paths() -> None:
    assert endpoint(None, "wss://wsprice.csgo.com", "/connection/websocket") == (
        "wss://wsprice.csgo.com/connection/websocket"
    )
    assert endpoint("https://127.0.0.1:9000", "wss://wsn.dota2.net", "/wsn/") == (
        "wss://127.0.0.1:9000/wsn/"
    )
    assert endpoint("http://h:1/tm", "x", "/wsn/") == "ws://h:1/tm/wsn/"


def test_names_are_fetched_once_and_a_failure_is_retried_at_most_once_a_minute() -> None:
    clock = FakeClock()
    answers: list[Any] = [errors.ServiceUnavailable("down"), NAMES]

    def fetch() -> Mapping[str, Any]:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[no-any-return]

    book = NameBook(fetch, clock=clock)
    assert book.name(1234) is None  # the fetch failed
    clock.now += 59
    assert book.name(1234) is None and book.fetches == 1
    clock.now += 1
    assert book.name(1234) == "AK-47 | Redline (Field-Tested)"
    assert book.name("5678") == "AWP | Asiimov (Field-Tested)" and book.name(999) is None
    assert book.fetches == 2


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.text(max_size=120),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=12),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.sampled_from(["event", "id", "name_id", "price", "x"]), inner)
            ),
            max_leaves=10,
        ).map(lambda data: json.dumps({"push": {"channel": "c", "pub": {"data": data}}})),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=12),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.sampled_from(["id", "ui_id", "status", "ui_status"]), inner)
            ),
            max_leaves=10,
        ).map(lambda data: json.dumps({"type": "itemstatus_go", "data": json.dumps(data)})),
    )
)
def test_no_frame_ever_raises(frame: str) -> None:
    for socket in ("price", "wsn"):
        feed, link = _opened(socket)
        if frame.strip() in {"auth"}:
            continue
        for event in feed.translate(link, frame):
            assert event.market == MARKET


# ---------------------------------------------------------------------- configuration


def test_the_market_pushes_listings_and_account_events() -> None:
    assert MarketTM.capabilities.events == frozenset({"listings", "account"})


@pytest.mark.parametrize("ws_url", ["ftp://x", "not a url", 42, "wss://h/p?token=1"])
def test_a_bad_ws_url_is_a_configuration_error(ws_url: object) -> None:
    with pytest.raises(errors.ConfigurationError, match="ws_url"):
        sm.connect("market_tm", api_key=API_KEY, ws_url=ws_url)


def test_an_unknown_kind_is_invalid_request_before_anything_connects(
    live: MarketTM, rest: Rest, sockets: FakeMarketTMSockets
) -> None:
    with pytest.raises(errors.InvalidRequest, match="trades"):
        live.events({"trades"})
    assert not rest.mock.calls and not sockets.paths


def test_without_websocket_client_events_is_a_configuration_error_naming_the_extra(
    live: MarketTM, rest: Rest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "websocket", None)
    with pytest.raises(errors.ConfigurationError, match=r"pip install 'skinmarkets\[realtime\]'"):
        live.events()
    assert not rest.mock.calls and not _feed_threads()


# ---------------------------------------------------------------------- through the sockets


def test_price_pushes_arrive_as_listing_changes_in_the_account_currency(
    live: MarketTM, rest: Rest, sockets: FakeMarketTMSockets
) -> None:
    sockets.script_price(frame_text("ws.push.new"), frame_text("ws.push.batch"))
    with live.events({"listings"}) as stream:
        new, added, removed = _events(stream, 3)
    assert isinstance(new, ListingChanged)
    assert (new.action, new.listing_id, new.market_hash_name) == (
        "added",
        "5123456789",
        "AK-47 | Redline (Field-Tested)",
    )
    assert new.price == Money("0.623", "USD") and new.price.amount == Decimal("0.623")
    assert [e.action for e in (added, removed)] == ["added", "removed"]  # type: ignore[union-attr]
    assert sockets.channels == ["public:items:730:usd"]
    assert sockets.paths == ["/connection/websocket"]  # listings only: no wsn


def test_wsn_frames_arrive_as_account_events_after_the_key(
    live: MarketTM, rest: Rest, sockets: FakeMarketTMSockets
) -> None:
    sockets.script_wsn(
        frame_text("ws.money.formatted"),
        frame_text("ws.itemstatus_go.given"),
        frame_text("ws.webnotify.ok"),
    )
    with live.events({"account"}) as stream:
        balance, purchase, note = _events(stream, 3)
    assert isinstance(balance, BalanceChanged) and balance.available == Money("1234.56", "USD")
    assert isinstance(purchase, PurchaseUpdated)
    assert (purchase.purchase_id, purchase.status) == ("173474064", TradeStatus.COMPLETED)
    assert isinstance(note, Notification) and "was sold" in note.text
    assert sockets.keys == rest.keys == ["tm-wsAuth-0001-d41d8cd98f00b204"]
    assert sockets.wait_for(lambda: "ping" in sockets.wsn_received)


def test_both_kinds_by_default_through_one_ws_url(
    live: MarketTM, rest: Rest, sockets: FakeMarketTMSockets
) -> None:
    sockets.script_price(frame_text("ws.push.change"))
    sockets.script_wsn(frame_text("ws.money.plain"))
    with live.events() as stream:
        kinds = {type(e) for e in _events(stream, 2)}
    assert kinds == {ListingChanged, BalanceChanged}
    assert sorted(sockets.paths) == ["/connection/websocket", "/wsn/"]


def test_the_servers_pings_are_answered(
    live: MarketTM, rest: Rest, sockets: FakeMarketTMSockets
) -> None:
    sockets.script_price("{}", frame_text("ws.push.new"))
    with live.events({"listings"}) as stream:
        _events(stream, 1)
        assert sockets.wait_for(lambda: "{}" in sockets.price_received)


def test_a_dropped_connection_reconnects_with_a_fresh_token(
    live: MarketTM, rest: Rest, sockets: FakeMarketTMSockets
) -> None:
    sockets.script_price(frame_text("ws.push.new"), drop_code=3001)
    sockets.script_price(frame_text("ws.push.change"))
    with _stream(live, {"listings"}) as stream:
        first, second = _events(stream, 2)
    assert (first.action, second.action) == ("added", "changed")  # type: ignore[union-attr]
    assert len(sockets.tokens) == 2 and len(set(sockets.tokens)) == 2
    assert sockets.tokens == rest.tokens and rest.calls(TOKEN_PATH) == 2
    assert rest.calls(NAMES_PATH) == 1  # the names once per market, not per connection


def test_a_dropped_wsn_reconnects_with_a_fresh_key(
    live: MarketTM, rest: Rest, sockets: FakeMarketTMSockets
) -> None:
    sockets.script_wsn(frame_text("ws.money.plain"), drop_code=1011)
    sockets.script_wsn(frame_text("ws.webnotify.ok"))
    with _stream(live, {"account"}) as stream:
        _events(stream, 2)
    assert len(set(sockets.keys)) == 2 and rest.calls(AUTH_PATH) == 2


def test_a_connection_the_server_closed_is_released_at_once(rest: Rest, clock: FakeClock) -> None:
    # websocket-client marks itself closed on the server's close frame; the link must still
    # shut the socket down, or the server waits for TCP to close until garbage collection.
    with FakeMarketTMSockets(close_timeout=3).running() as sockets:
        market = sm.connect("market_tm", api_key=API_KEY, base_url=BASE_URL, ws_url=sockets.origin)
        sockets.script_price(drop_code=3501)  # terminal: no reconnect
        with _stream(_quick(market, clock), {"listings"}) as stream:  # type: ignore[arg-type]
            _statuses_until(stream, lambda s: len(s) >= 2)
            dropped = time.monotonic()
            assert sockets.wait_for(lambda: bool(sockets.finished), timeout=3)
        assert sockets.finished[0] - dropped < 1


def test_a_terminal_close_code_ends_the_feed_without_reconnecting(
    live: MarketTM, rest: Rest, sockets: FakeMarketTMSockets
) -> None:
    sockets.script_price(drop_code=3501)
    with _stream(live, {"listings"}) as stream:
        seen = _statuses_until(stream, lambda s: len(s) >= 2)
        assert stream.get(timeout=0.5) is None  # float ok: seconds
    assert [(s.state, s.will_retry) for s in seen] == [
        ("connected", False),
        ("disconnected", False),
    ]
    assert len(sockets.tokens) == 1


def test_the_token_is_refreshed_before_its_ttl_runs_out(
    live: MarketTM, rest: Rest, sockets: FakeMarketTMSockets
) -> None:
    sockets.ttl = 1  # refresh after half a second
    with _stream(live, {"listings"}) as stream:
        assert sockets.wait_for(lambda: len(sockets.refresh_tokens) >= 2, timeout=4)
        assert isinstance(stream.get(timeout=1), StreamStatus)
    assert len(sockets.tokens) == 1  # refreshed on the same connection
    assert set(sockets.refresh_tokens[:2]).isdisjoint(sockets.tokens)
    assert sockets.refresh_tokens[:2] == rest.tokens[1:3]


def test_error_109_on_connect_fetches_a_fresh_token(
    live: MarketTM, rest: Rest, sockets: FakeMarketTMSockets
) -> None:
    sockets.refuse_connects = 1
    sockets.script_price(frame_text("ws.push.new"))
    with _stream(live, {"listings"}) as stream:
        (event,) = _events(stream, 1)
    assert isinstance(event, ListingChanged)
    assert len(set(sockets.tokens)) == 2 and rest.calls(TOKEN_PATH) == 2


@pytest.mark.parametrize("refuse", ["error_109", "close_3500"])
def test_price_feed_refused_twice_raises_authentication_error_after_two_attempts(
    refuse: str, live: MarketTM, rest: Rest, sockets: FakeMarketTMSockets
) -> None:
    if refuse == "error_109":
        sockets.refuse_connects = 10
    else:
        sockets.close_connects_with = 3500
    with _stream(live, {"listings"}) as stream, pytest.raises(errors.AuthenticationError):
        for _ in stream:
            pass
    assert len(sockets.tokens) == 2 and rest.calls(TOKEN_PATH) == 2


def test_wsn_refused_twice_raises_authentication_error_after_two_attempts(
    live: MarketTM, rest: Rest, sockets: FakeMarketTMSockets
) -> None:
    sockets.refuse_keys = 10
    with _stream(live, {"account"}) as stream, pytest.raises(errors.AuthenticationError):
        for _ in stream:
            pass
    assert len(sockets.keys) == 2 and rest.calls(AUTH_PATH) == 2


def test_a_refused_api_key_at_get_ws_token_is_the_rest_authentication_error(
    mock: responses.RequestsMock, clock: FakeClock, sockets: FakeMarketTMSockets
) -> None:
    add_fixture(mock, load_fixture("market_tm", "get_money.usd"), base_url=BASE_URL)
    add_fixture(mock, load_fixture("market_tm", "dictionary_names.ok"), base_url=BASE_URL)
    refused = load_fixture("market_tm", "get_money.bad_key")
    refused = {**refused, "request": {**refused["request"], "path": TOKEN_PATH}}
    add_fixture(mock, refused, base_url=BASE_URL)
    market = _quick(
        sm.connect("market_tm", api_key=API_KEY, base_url=BASE_URL, ws_url=sockets.origin),
        clock,  # type: ignore[arg-type]
    )
    with _stream(market, {"listings"}) as stream, pytest.raises(errors.AuthenticationError) as e:
        list(stream)
    assert e.value.operation == "get_ws_token" and not sockets.tokens


def test_malformed_frames_are_unknown_events_and_the_stream_goes_on(
    live: MarketTM, rest: Rest, sockets: FakeMarketTMSockets
) -> None:
    sockets.script_price(
        frame_text("ws.malformed.not_json"),
        frame_text("ws.push.unknown_event"),
        frame_text("ws.push.new"),
    )
    with live.events({"listings"}) as stream:
        broken, unknown, good = _events(stream, 3)
    assert isinstance(broken, UnknownEvent) and broken.name == "malformed"
    assert isinstance(unknown, UnknownEvent) and unknown.name == "bulk_update"
    assert isinstance(good, ListingChanged)


def test_close_returns_within_two_seconds_and_leaves_no_thread(
    live: MarketTM, rest: Rest, sockets: FakeMarketTMSockets
) -> None:
    stream = live.events()
    _statuses_until(stream, lambda s: sum(x.state == "connected" for x in s) == 2)
    started = time.monotonic()
    stream.close()
    assert time.monotonic() - started < 2
    assert not _feed_threads()
    assert list(stream) == []


def test_secrets_never_reach_logs_reprs_or_raw(
    live: MarketTM,
    rest: Rest,
    sockets: FakeMarketTMSockets,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    echo = json.dumps(
        {
            "push": {
                "channel": "c",
                "pub": {
                    "data": {
                        "event": "new",
                        "id": 1,
                        "name_id": 1234,
                        "price": "1",
                        "note": "{token}",
                    }
                },
            }
        }
    )
    sockets.script_price(lambda token: echo.replace("{token}", token), drop_code=3001)
    sockets.script_price(frame_text("ws.push.new"))
    sockets.script_wsn(lambda key: json.dumps({"type": "webnotify", "data": json.dumps(key)}))
    with _stream(live, None) as stream:
        events = _events(stream, 3)
        shown = " ".join([repr(stream), repr(live), repr(live.client), *map(repr, events)])
        raws = json.dumps([e.raw for e in events], default=str)
        texts = " ".join(e.text for e in events if isinstance(e, Notification))
    secrets = [API_KEY, *rest.tokens, *rest.keys]
    assert len(rest.tokens) == 2 and rest.keys
    # every logger but the stand-in server's own (it is the vendor: it sees the secrets)
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("tests."))
    assert logged  # the library did log (DEBUG), so the check below means something
    for secret in secrets:
        assert secret not in logged
        assert secret not in shown
        assert secret not in raws and secret not in texts
    assert "***" in raws


# ---------------------------------------------------------------------- the REST rate limit


def _busiest_second(arrivals: list[float]) -> int:  # float ok: seconds
    times, best, start = sorted(arrivals), 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= 1.0:  # float ok: seconds
            start += 1
        best = max(best, end - start + 1)
    return best


def test_a_reconnect_storm_never_breaks_the_rest_rate_limit(
    sockets: FakeMarketTMSockets, loopback: Callable[[Callable[..., Reply]], LoopbackServer]
) -> None:
    issued = iter(range(1, 10_000))

    def answer(request: RecordedRequest) -> Reply:
        if request.path == TOKEN_PATH:
            return Reply.json({"success": True, "token": f"storm-token-{next(issued):05d}"})
        if request.path == AUTH_PATH:
            return Reply.json({"success": True, "wsAuth": f"storm-key-{next(issued):05d}"})
        if request.path == NAMES_PATH:
            return Reply.json(NAMES)
        return Reply.json({"success": True, "money": 1, "currency": "USD"})

    sockets.drop_every_connection = True
    for _ in range(200):
        sockets.script_wsn(drop_code=1011)
    server = loopback(answer)
    market = sm.connect("market_tm", api_key=API_KEY, base_url=server.url, ws_url=sockets.origin)
    assert isinstance(market, MarketTM)
    streams = [_stream(market, None) for _ in range(3)]  # six sockets, all dropped at once

    def fetches() -> int:
        return len(server.arrivals(path=TOKEN_PATH)) + len(server.arrivals(path=AUTH_PATH))

    # until the storm has run past its first second (10 fetches need >= 1.8 s at 5/s), not a
    # fixed sleep; the limit is checked on whatever arrived
    ends = time.monotonic() + 15
    while fetches() < 10 and time.monotonic() < ends:
        threading.Event().wait(0.05)
    for stream in streams:
        stream.close()
    arrivals = server.arrivals()
    assert fetches() >= 10, "no storm happened"
    assert _busiest_second(arrivals) <= 5, sorted(round(t - arrivals[0], 3) for t in arrivals)
    assert not _feed_threads()
