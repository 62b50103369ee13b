"""The sandbox streams: ``sb.connect(v).events()`` yields the events its actions cause.

Through the real adapters and their real feeds, over real websockets on 127.0.0.1: the sandbox's
RFC 6455 server side (``_websocket.py``) and its emulation of each vendor's socket
(``_sockets.py``), fed by the state's event bus (``_bus.py``). The framing and the emulations'
protocols are also checked with a bare stdlib client, so they need no feed and no extra.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
import requests

import skinmarkets as sm
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
from skinmarkets.sandbox import Sandbox, _sockets
from skinmarkets.sandbox._sandbox import _accepts_ws_url
from skinmarkets.sandbox._websocket import (
    OP_BINARY,
    OP_CLOSE,
    OP_PING,
    OP_PONG,
    OP_TEXT,
    Frame,
    ProtocolViolation,
    WebSocketClosed,
    accept_key,
    encode_frame,
    read_frame,
)

pytestmark = pytest.mark.integration

E = TypeVar("E", bound=Event)

ROOT = Path(__file__).parents[2]
AK = "AK-47 | Redline (Field-Tested)"
#: How long a test waits for one event (the sandbox answers in milliseconds).
WAIT = 5.0


def needs_feed(vendor: str) -> pytest.MarkDecorator:
    """Skip while ``vendor``'s realtime feed is not written yet (nothing to stream through)."""
    missing = not (ROOT / "skinmarkets" / "vendors" / vendor / "realtime.py").exists()
    return pytest.mark.skipif(
        missing, reason=f"skinmarkets/vendors/{vendor}/realtime.py does not exist yet"
    )


@contextmanager
def streaming(market: Any, kinds: set[str] | None = None) -> Iterator[Any]:
    """The market's open stream, once every feed of it said "connected"."""
    vendor = market.name
    wanted = len(kinds if kinds is not None else market.capabilities.events)
    with market.events(kinds) as stream:
        connected = 0
        deadline = time.monotonic() + WAIT
        while connected < wanted:
            event = stream.get(timeout=max(0.0, deadline - time.monotonic()))
            assert event is not None, f"{vendor}: not connected within {WAIT} s"
            assert isinstance(event, StreamStatus), f"{vendor}: {event!r} before connecting"
            assert event.state == "connected", f"{vendor}: {event!r}"
            connected += 1
        yield stream


def next_event(
    stream: Any, kind: type[E], where: Callable[[E], bool] = lambda e: True, timeout: float = WAIT
) -> E:
    """The next event of type ``kind`` matching ``where``; others (and statuses) are passed."""
    seen: list[Event] = []
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        event = stream.get(timeout=left)
        if event is None:
            break
        if isinstance(event, kind) and where(event):
            return event
        seen.append(event)
    raise AssertionError(f"no {kind.__name__} within {timeout} s; came: {seen!r}")


# ---------------------------------------------------------------------- RFC 6455 framing


def test_accept_key_is_rfc_6455s_example() -> None:
    # RFC 6455 §1.3: key "dGhlIHNhbXBsZSBub25jZQ==" -> "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" (a SHA-1
    # in base64: 28 characters, one "=" of padding).
    assert accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def reader(data: bytes) -> Callable[[int], bytes]:
    stream = iter([data])
    buffer = bytearray()

    def read(n: int) -> bytes:
        while len(buffer) < n:
            chunk = next(stream, b"")
            if not chunk:
                break
            buffer.extend(chunk)
        out = bytes(buffer[:n])
        del buffer[:n]
        return out

    return read


def test_a_masked_client_frame_is_unmasked_rfc_6455s_hello() -> None:
    masked_hello = bytes.fromhex("818537fa213d7f9f4d5158")  # RFC 6455 §5.7
    assert read_frame(reader(masked_hello)) == Frame(True, OP_TEXT, b"Hello")


def test_server_frames_are_unmasked_rfc_6455s_hello() -> None:
    assert encode_frame(OP_TEXT, b"Hello") == bytes.fromhex("810548656c6c6f")


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536])
def test_masked_frames_of_every_length_encoding_round_trip(size: int) -> None:
    payload = os.urandom(size)
    frame = encode_frame(OP_BINARY, payload, mask=b"\x01\x02\x03\x04")
    assert read_frame(reader(frame)) == Frame(True, OP_BINARY, payload)


def test_an_unmasked_client_frame_is_a_protocol_violation() -> None:
    with pytest.raises(ProtocolViolation, match="masked"):
        read_frame(reader(encode_frame(OP_TEXT, b"Hello")))


def test_a_frame_cut_short_is_the_connection_closing() -> None:
    with pytest.raises(WebSocketClosed):
        read_frame(reader(bytes.fromhex("818537fa21")))


# ---------------------------------------------------------------------- a bare stdlib client


class RawClient:
    """A minimal websocket client over a plain socket (masked frames, no extension)."""

    def __init__(self, sb: Sandbox, path: str, *, headers: dict[str, str] | None = None) -> None:
        port = int(sb.url.rsplit(":", 1)[1])
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        self.file = self.sock.makefile("rb")
        key = base64.b64encode(os.urandom(16)).decode()
        fields = {
            "Host": f"127.0.0.1:{port}",
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": key,
            "Sec-WebSocket-Version": "13",
        } | (headers or {})
        head = f"GET {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items())
        self.sock.sendall((head + "\r\n").encode())
        self.status = int(self.file.readline().split()[1])
        self.headers: dict[str, str] = {}
        while (line := self.file.readline().decode().strip()) != "":
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()
        self.key = key

    def send_frame(self, opcode: int, payload: bytes, *, fin: bool = True) -> None:
        self.sock.sendall(encode_frame(opcode, payload, mask=os.urandom(4), fin=fin))

    def send(self, text: str) -> None:
        self.send_frame(OP_TEXT, text.encode())

    def frame(self) -> Frame:
        return read_frame(self.file.read, require_mask=False)

    def recv(self) -> str:
        """The next text frame (a close frame is an AssertionError naming its code)."""
        frame = self.frame()
        if frame.opcode == OP_CLOSE:
            raise AssertionError(f"closed: {int.from_bytes(frame.payload[:2], 'big')}")
        assert frame.opcode == OP_TEXT, frame
        return frame.payload.decode()

    def close_code(self) -> int:
        """Read on to the server's close frame; its code."""
        while (frame := self.frame()).opcode != OP_CLOSE:
            pass
        return int.from_bytes(frame.payload[:2], "big")

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def raw(sb: Sandbox) -> Iterator[Callable[..., RawClient]]:
    opened: list[RawClient] = []

    def open_raw(path: str, **kwargs: Any) -> RawClient:
        client = RawClient(sb, path, **kwargs)
        opened.append(client)
        return client

    yield open_raw
    for client in opened:
        client.close()


def rest(sb: Sandbox, vendor: str, path: str) -> Any:
    headers = {
        "market_tm": {"X-API-KEY": sb.credentials("market_tm")["api_key"]},
        "swapgg": {"Authorization": sb.credentials("swapgg")["api_key"]},
    }[vendor]
    return requests.get(sb.base_url(vendor) + path, headers=headers, timeout=WAIT).json()


def test_the_upgrade_is_answered_101_with_the_accept_key(raw: Callable[..., RawClient]) -> None:
    client = raw("/mannco/ws")
    assert client.status == 101
    assert client.headers["upgrade"] == "websocket"
    assert client.headers["sec-websocket-accept"] == accept_key(client.key)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Sec-WebSocket-Version": "8"}, 426),
        ({"Sec-WebSocket-Key": "too-short"}, 400),
        ({"Connection": "keep-alive"}, 400),
    ],
)
def test_a_bad_opening_handshake_is_refused(
    raw: Callable[..., RawClient], headers: dict[str, str], status: int
) -> None:
    assert raw("/mannco/ws", headers=headers).status == status


def test_an_upgrade_where_no_socket_is_gets_404(raw: Callable[..., RawClient]) -> None:
    assert raw("/mannco/api/nothing").status == 404
    assert raw("/nosuchvendor/ws").status == 404


def test_a_plain_get_on_a_socket_path_asks_for_the_upgrade(sb: Sandbox) -> None:
    answer = requests.get(sb.base_url("market_tm") + "/wsn/", timeout=WAIT)
    assert answer.status_code == 426
    polling = requests.get(
        sb.base_url("swapgg") + "/socket.io/?EIO=4&transport=polling", timeout=WAIT
    )
    assert polling.status_code == 400  # Engine.IO's "Transport unknown": websocket only
    assert polling.json()["code"] == 0


def test_a_ping_is_answered_with_a_pong_carrying_its_payload(
    raw: Callable[..., RawClient],
) -> None:
    client = raw("/mannco/ws")
    client.send_frame(OP_PING, b"are you there")
    assert client.frame() == Frame(True, OP_PONG, b"are you there")


def test_a_close_frame_is_echoed(raw: Callable[..., RawClient]) -> None:
    client = raw("/mannco/ws")
    client.send_frame(OP_CLOSE, (1000).to_bytes(2, "big"))
    assert client.close_code() == 1000


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.send_frame(OP_TEXT, b"frag", fin=False),  # fragmented messages: refused
        lambda c: c.send_frame(OP_BINARY, b"\x00\x01"),  # the vendors speak text
    ],
)
def test_fragmented_and_binary_messages_are_refused_with_1003(
    raw: Callable[..., RawClient], send: Callable[[RawClient], None]
) -> None:
    client = raw("/mannco/ws")
    send(client)
    assert client.close_code() == 1003


def test_an_unmasked_client_frame_closes_with_1002(raw: Callable[..., RawClient]) -> None:
    client = raw("/mannco/ws")
    client.sock.sendall(encode_frame(OP_TEXT, b"no mask"))
    assert client.close_code() == 1002


def test_rest_keeps_answering_while_sockets_are_open(
    sb: Sandbox, raw: Callable[..., RawClient]
) -> None:
    clients = [raw("/mannco/ws") for _ in range(5)] + [raw("/market_tm/wsn/")]
    assert all(c.status == 101 for c in clients)
    assert sb.open_sockets() == 6
    for _ in range(3):
        assert sb.connect("market_tm").balance().available == sm.Money("500.00", "USD")
    sb.connect("mannco").list_for_sale("Team Captain")
    assert sb.open_sockets() == 6


def test_stop_closes_the_open_sockets_promptly() -> None:
    with sm.sandbox() as sb:
        clients = [RawClient(sb, "/mannco/ws"), RawClient(sb, "/market_tm/wsn/")]
        assert sb.open_sockets() == 2
        started = time.monotonic()
    took = time.monotonic() - started
    try:
        assert took < 0.5, f"stop took {took:.3f} s with sockets open"
        assert [c.close_code() for c in clients] == [1001, 1001]  # going away
    finally:
        for client in clients:
            client.close()


# ---------------------------------------------------------------------- the emulations, bare


def test_centrifugo_connects_with_a_token_of_get_ws_token_and_pushes_subscribed_changes(
    sb: Sandbox, raw: Callable[..., RawClient]
) -> None:
    token = rest(sb, "market_tm", "/api/v2/get-ws-token")["token"]
    client = raw("/market_tm/connection/websocket")
    client.send(json.dumps({"id": 1, "connect": {"token": token}}))
    connected = json.loads(client.recv())
    assert connected["id"] == 1
    assert connected["connect"]["ping"] == 25 and connected["connect"]["pong"] is True
    client.send(json.dumps({"id": 2, "subscribe": {"channel": "public:items:730:usd"}}))
    assert json.loads(client.recv()) == {"id": 2, "subscribe": {}}

    listing = sb.connect("market_tm").list_for_sale(AK)[0]
    sb.connect("market_tm").buy(listing)

    push = json.loads(client.recv())["push"]
    assert push["channel"] == "public:items:730:usd"
    names = requests.get(sb.base_url("market_tm") + "/api/v2/dictionary/names.json", timeout=WAIT)
    name_ids = {item["hash_name"]: item["id"] for item in names.json()["items"]}
    assert push["pub"]["data"] == {
        "event": "delete",
        "name_id": name_ids[AK],
        "id": int(listing.id),
        "price": f"{listing.price.amount:.3f}",
    }


def test_centrifugo_refuses_a_token_it_never_issued_and_closes_3500(
    raw: Callable[..., RawClient],
) -> None:
    client = raw("/market_tm/connection/websocket")
    client.send(json.dumps({"id": 1, "connect": {"token": "forged"}}))
    assert json.loads(client.recv())["error"]["code"] == 101
    assert client.close_code() == 3500  # DisconnectInvalidToken: do not reconnect with it


def test_centrifugo_refuses_an_expired_token_with_109(
    sb: Sandbox, raw: Callable[..., RawClient]
) -> None:
    token = rest(sb, "market_tm", "/api/v2/get-ws-token")["token"]
    sb.advance(601)  # the token lives 10 minutes
    client = raw("/market_tm/connection/websocket")
    client.send(json.dumps({"id": 1, "connect": {"token": token}}))
    assert json.loads(client.recv()) == {
        "id": 1,
        "error": {"code": 109, "message": "token expired"},
    }


def test_centrifugo_has_only_the_accounts_currency(
    sb: Sandbox, raw: Callable[..., RawClient]
) -> None:
    token = rest(sb, "market_tm", "/api/v2/get-ws-token")["token"]
    client = raw("/market_tm/connection/websocket")
    client.send(
        json.dumps({"id": 1, "connect": {"token": token}})
        + "\n"  # Centrifugo takes several commands per frame, one per line
        + json.dumps({"id": 2, "subscribe": {"channel": "public:items:730:rub"}})
    )
    client.recv()
    assert json.loads(client.recv())["error"]["code"] == 102  # unknown channel


def test_wsn_answers_auth_to_a_wrong_key_and_then_takes_a_good_one(
    sb: Sandbox, raw: Callable[..., RawClient]
) -> None:
    client = raw("/market_tm/wsn/")
    client.send("not-a-key")
    assert client.recv() == "auth"
    client.send(rest(sb, "market_tm", "/api/v2/get-ws-auth")["wsAuth"])
    client.send("ping")
    assert client.recv() == "pong"

    sb.set_balance("market_tm", "12.34")

    frame = json.loads(client.recv())
    assert frame["type"] == "money"
    assert isinstance(frame["data"], str) and json.loads(frame["data"]) == "12.34"  # twice


def test_wsn_refuses_a_key_older_than_60_seconds(
    sb: Sandbox, raw: Callable[..., RawClient]
) -> None:
    key = rest(sb, "market_tm", "/api/v2/get-ws-auth")["wsAuth"]
    sb.advance(61)
    client = raw("/market_tm/wsn/")
    client.send(key)
    assert client.recv() == "auth"


def test_socketio_opens_engineio_v4_joins_and_checks_the_auth_token(
    sb: Sandbox, raw: Callable[..., RawClient]
) -> None:
    client = raw("/swapgg/socket.io/?EIO=4&transport=websocket")
    opened = client.recv()
    assert opened[0] == "0"
    assert json.loads(opened[1:]) | {"sid": "x"} == {
        "sid": "x",
        "upgrades": [],
        "pingInterval": 25000,
        "pingTimeout": 20000,
        "maxPayload": 1000000,
    }
    client.send("40")
    joined = client.recv()
    assert joined.startswith("40") and "sid" in json.loads(joined[2:])
    client.send('42["auth","forged"]')
    assert json.loads(client.recv()[2:])[0] == "error"

    token = rest(sb, "swapgg", "/v1/user/websocket")["result"]["token"]
    client.send(json.dumps(["auth", token]).join(["42", ""]))
    sb.set_balance("swapgg", "3.00")
    assert json.loads(client.recv()[2:]) == ["user:ready", {}]


def test_socketio_pings_every_ping_interval_and_answers_a_client_ping(
    sb: Sandbox, raw: Callable[..., RawClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_sockets.SocketIOSession, "keepalive_every", 0.2)
    client = raw("/swapgg/socket.io/?EIO=4&transport=websocket")
    client.recv()  # the open packet
    assert client.recv() == "2"  # in Engine.IO v4 the server pings
    client.send("3")
    client.send("2probe")
    assert client.recv() in ("3probe", "2")


def test_socketio_refuses_engineio_v3(raw: Callable[..., RawClient]) -> None:
    client = raw("/swapgg/socket.io/?EIO=3&transport=websocket")
    assert client.close_code() == 1002


def test_skinsback_checks_shopid_and_the_md5_signature(
    sb: Sandbox, raw: Callable[..., RawClient]
) -> None:
    import hashlib

    credentials = sb.credentials("skinsback")
    shop, secret = credentials["client_id"], credentials["client_secret"]
    signature = hashlib.md5((shop + secret).encode(), usedforsecurity=False).hexdigest()
    refused = raw(f"/skinsback/ws/?shopid={shop}&signature={'0' * 32}")
    assert json.loads(refused.recv()) == {"event": "auth_failed"}
    assert refused.close_code() == 1008
    client = raw(f"/skinsback/ws/?shopid={shop}&signature={signature}")
    assert json.loads(client.recv()) == {"event": "auth_success"}
    client.send("ping")
    assert client.recv() == "pong"
    sb.set_balance("skinsback", "1.50")
    assert json.loads(client.recv()) == {
        "event": "balance_change",
        "data": {"balance_value": "1.50"},
    }


def test_mannco_pushes_listing_events_in_cents(sb: Sandbox, raw: Callable[..., RawClient]) -> None:
    client = raw("/mannco/ws")
    market: Any = sb.connect("mannco")
    asset = sb.give_item("mannco", "Team Captain")
    listing = market.sell(asset, sm.Money("9.00", "USD"))
    market.reprice(listing.id, sm.Money("8.50", "USD"))

    added, changed = json.loads(client.recv()), json.loads(client.recv())
    assert added["event"] == "listing_added"
    assert added["data"]["assetId"] == asset and added["data"]["price"] == 900
    assert isinstance(added["ts"], int)
    assert changed["event"] == "price_changed"
    assert (changed["data"]["oldPrice"], changed["data"]["newPrice"]) == (900, 850)


def test_what_happens_before_authentication_is_delivered_after_it(
    sb: Sandbox, raw: Callable[..., RawClient]
) -> None:
    client = raw("/market_tm/wsn/")  # open, not yet authenticated
    sb.set_balance("market_tm", "9.99")
    client.send(rest(sb, "market_tm", "/api/v2/get-ws-auth")["wsAuth"])
    assert json.loads(json.loads(client.recv())["data"]) == "9.99"


# ---------------------------------------------------------------------- connect(ws_url=...)


def test_connect_passes_ws_url_only_to_adapters_that_take_it() -> None:
    def with_ws(*, api_key: str, base_url: str, ws_url: object = None) -> None: ...
    def without(*, api_key: str, base_url: str) -> None: ...
    def anything(**options: object) -> None: ...

    assert _accepts_ws_url(with_ws) and _accepts_ws_url(anything)
    assert not _accepts_ws_url(without)


def test_the_sandbox_ws_url_is_the_vendor_prefix_on_ws(sb: Sandbox) -> None:
    assert sb.ws_url("mannco") == sb.url.replace("http://", "ws://") + "/mannco"


@needs_feed("mannco")
def test_a_ws_url_given_to_connect_is_kept(sb: Sandbox) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # closed below: nothing listens there
    market: Any = sb.connect("mannco", ws_url=f"ws://127.0.0.1:{port}")
    with market.events() as stream:
        event = stream.get(timeout=WAIT)
    assert isinstance(event, StreamStatus)
    assert event.state == "disconnected" and event.will_retry


# ---------------------------------------------------------------------- market_tm, end to end


@needs_feed("market_tm")
def test_market_tm_buy_streams_the_listing_removed_with_name_and_price(sb: Sandbox) -> None:
    market: Any = sb.connect("market_tm")
    with streaming(market, {"listings"}) as stream:
        listing = market.list_for_sale(AK)[0]
        market.buy(listing)
        event = next_event(stream, ListingChanged, lambda e: e.listing_id == listing.id)
    assert event.action == "removed"
    assert event.market_hash_name == AK
    assert event.price == listing.price


@needs_feed("market_tm")
def test_market_tm_sell_and_reprice_stream_listing_added_and_changed(sb: Sandbox) -> None:
    asset = sb.give_item("market_tm", AK)
    market: Any = sb.connect("market_tm")
    with streaming(market, {"listings"}) as stream:
        listing = market.sell(asset, sm.Money("20.00", "USD"))
        added = next_event(stream, ListingChanged, lambda e: e.listing_id == listing.id)
        market.reprice(listing.id, sm.Money("19.50", "USD"))
        changed = next_event(stream, ListingChanged, lambda e: e.listing_id == listing.id)
    assert (added.action, added.price) == ("added", sm.Money("20.00", "USD"))
    assert (changed.action, changed.price) == ("changed", sm.Money("19.50", "USD"))


@needs_feed("market_tm")
def test_market_tm_buy_streams_the_purchase_and_the_balance(sb: Sandbox) -> None:
    market: Any = sb.connect("market_tm")
    with streaming(market, {"account"}) as stream:
        purchase = market.buy(market.list_for_sale(AK)[0])
        updated = next_event(stream, PurchaseUpdated)
        balance = next_event(stream, BalanceChanged)
    assert updated.purchase_id == purchase.id
    assert updated.status is TradeStatus.PENDING  # "You can pick up the purchased item"
    assert balance.available == sb.balance_of("market_tm")


@needs_feed("market_tm")
def test_market_tm_accepted_trade_streams_the_purchase_completed(sb: Sandbox) -> None:
    market: Any = sb.connect("market_tm")
    purchase = market.buy(market.list_for_sale(AK)[0])
    (trade,) = market.withdraw()
    with streaming(market, {"account"}) as stream:
        sb.accept(trade)
        event = next_event(stream, PurchaseUpdated, lambda e: e.status.is_final)
    assert (event.purchase_id, event.status) == (purchase.id, TradeStatus.COMPLETED)


@needs_feed("market_tm")
def test_market_tm_set_balance_and_a_sale_stream_balance_and_notification(sb: Sandbox) -> None:
    market: Any = sb.connect("market_tm")
    listing = market.sell(sb.give_item("market_tm", AK), sm.Money("10.00", "USD"))
    with streaming(market, {"account"}) as stream:
        sb.set_balance("market_tm", "42.50")
        assert next_event(stream, BalanceChanged).available == sm.Money("42.50", "USD")
        sb.sell_to_buyer("market_tm", listing)
        sold = next_event(stream, Notification)
        credited = next_event(stream, BalanceChanged)
    assert AK in sold.text
    assert credited.available == sm.Money("52.00", "USD")  # 42.50 + 10.00 - 5 %


# ---------------------------------------------------------------------- swapgg, end to end


@needs_feed("swapgg")
def test_swapgg_buy_and_withdraw_stream_the_purchase_pending_then_sent(sb: Sandbox) -> None:
    market: Any = sb.connect("swapgg")
    with streaming(market) as stream:
        purchase = market.buy(market.list_for_sale(AK)[0])
        bought = next_event(stream, PurchaseUpdated)
        market.withdraw()
        sent = next_event(stream, PurchaseUpdated)
    assert (bought.purchase_id, bought.status) == (purchase.id, TradeStatus.PENDING)
    assert (sent.purchase_id, sent.status) == (purchase.id, TradeStatus.SENT)
    assert sent.trade_offer_id is not None


@needs_feed("swapgg")
def test_swapgg_an_expired_offer_streams_the_item_back_and_a_notification(sb: Sandbox) -> None:
    market: Any = sb.connect("swapgg")
    purchase = market.buy(market.list_for_sale(AK)[0])
    market.withdraw()
    with streaming(market) as stream:
        sb.advance(5 * 60 + 1)  # swap.gg cancels an offer after 5 minutes
        back = next_event(stream, PurchaseUpdated)
        told = next_event(stream, Notification)
    assert (back.purchase_id, back.status) == (purchase.id, TradeStatus.PENDING)
    assert AK in told.text


@needs_feed("swapgg")
def test_swapgg_a_sale_streams_a_notification_and_balance_user_ready(sb: Sandbox) -> None:
    market: Any = sb.connect("swapgg")
    listing = market.sell(sb.give_item("swapgg", AK), sm.Money("30.00", "EUR"))
    with streaming(market) as stream:
        sb.sell_to_buyer("swapgg", listing)
        told = next_event(stream, Notification)
        ready = next_event(stream, UnknownEvent)
    assert AK in told.text and "30.00" in told.text
    assert ready.name == "user:ready"  # "something has changed on your account"


# ---------------------------------------------------------------------- skinsback, end to end


@needs_feed("skinsback")
def test_skinsback_buy_streams_the_purchase_then_its_offer(sb: Sandbox) -> None:
    market: Any = sb.connect("skinsback")
    with streaming(market) as stream:
        purchase = market.buy(market.list_for_sale(AK)[0])
        bought = next_event(stream, PurchaseUpdated)
        sent = next_event(stream, PurchaseUpdated)
    assert (bought.purchase_id, bought.status) == (purchase.id, TradeStatus.PENDING)
    assert bought.custom_id == purchase.custom_id
    assert (sent.purchase_id, sent.status) == (purchase.id, TradeStatus.SENT)
    assert sent.trade_offer_id is not None


@needs_feed("skinsback")
@pytest.mark.parametrize(
    ("settle", "status"),
    [
        (lambda sb, trade: sb.accept(trade), TradeStatus.COMPLETED),
        (lambda sb, trade: sb.advance(10 * 60 + 1), TradeStatus.TIMED_OUT),  # "timeout (10 min)"
    ],
)
def test_skinsback_an_accepted_or_expired_offer_streams_its_final_status(
    sb: Sandbox, settle: Callable[[Sandbox, Any], None], status: TradeStatus
) -> None:
    market: Any = sb.connect("skinsback")
    purchase = market.buy(market.list_for_sale(AK)[0])
    (trade,) = market.active_trades()
    with streaming(market) as stream:
        settle(sb, trade)
        event = next_event(stream, PurchaseUpdated)
    assert (event.purchase_id, event.status) == (purchase.id, status)


@needs_feed("skinsback")
def test_skinsback_set_balance_streams_the_balance(sb: Sandbox) -> None:
    market: Any = sb.connect("skinsback")
    with streaming(market) as stream:
        sb.set_balance("skinsback", "42.50")
        event = next_event(stream, BalanceChanged)
    assert event.available == sm.Money("42.50", "USD")


# ---------------------------------------------------------------------- mannco, end to end


@needs_feed("mannco")
def test_mannco_sell_reprice_and_sale_stream_the_listing(sb: Sandbox) -> None:
    market: Any = sb.connect("mannco")
    market.list_for_sale("Team Captain")  # the adapter learns the item's name
    asset = sb.give_item("mannco", "Team Captain")
    with streaming(market) as stream:
        listing = market.sell(asset, sm.Money("9.00", "USD"))
        added = next_event(stream, ListingChanged)
        market.reprice(listing.id, sm.Money("8.50", "USD"))
        changed = next_event(stream, ListingChanged)
        sb.sell_to_buyer("mannco", listing)
        removed = next_event(stream, ListingChanged)
    assert [e.action for e in (added, changed, removed)] == ["added", "changed", "removed"]
    assert {e.listing_id for e in (added, changed, removed)} == {listing.id}
    assert (added.price, changed.price) == (sm.Money("9.00", "USD"), sm.Money("8.50", "USD"))
    assert added.market_hash_name == "Team Captain"


@needs_feed("mannco")
def test_mannco_a_buy_streams_the_listing_removed(sb: Sandbox) -> None:
    market: Any = sb.connect("mannco")
    with streaming(market) as stream:
        listing = market.list_for_sale("Team Captain")[0]
        market.buy(listing)
        event = next_event(stream, ListingChanged)
    assert (event.action, event.listing_id) == ("removed", listing.id)
