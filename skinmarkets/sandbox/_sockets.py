"""The vendors' sockets, emulated: what the sandbox's actions cause, pushed as each vendor does.

One :class:`Session` per accepted websocket (``_websocket.py``): it subscribes to its vendor's
records on the state's bus (``_bus.py``) and turns them into that vendor's frames
(``vendor-docs/realtime.md``). Paths sit under the vendor's prefix, as the REST emulation's do,
so ``ws_url=ws://127.0.0.1:<port>/<vendor>`` plus the documented path reaches them:

==============  ==========================  ==================================================
vendor          path                        what it speaks
==============  ==========================  ==================================================
market_tm       ``/connection/websocket``   Centrifugo JSON: connect with a ``get-ws-token``
                                            token, subscribe ``public:items:<app>:usd``,
                                            ``{}`` pings, pushes ``new|change|delete``
market_tm       ``/wsn/``                   wsn: the ``get-ws-auth`` key as a text frame
                                            (``auth`` back when refused), ``ping``/``pong``,
                                            ``money``, ``additem_go``, ``itemstatus_go``,
                                            ``webnotify`` with ``data`` JSON-encoded again
swapgg          ``/socket.io/``             Engine.IO v4 over a websocket (no polling), the
                                            ``auth`` event with a ``user/websocket`` token,
                                            ``item:state``, ``user:notification``,
                                            ``user:ready`` (the balance moved)
skinsback       ``/ws/``                    ``shopid`` + ``signature`` (md5) in the query;
                                            ``auth_success``/``auth_failed``, ``buy_item``,
                                            ``status_change``, ``balance_change``
mannco          ``/ws``                     no auth; ``listing_added``, ``price_changed``,
                                            ``listing_removed`` in USD cents
==============  ==========================  ==================================================

A session holds back what happens between its socket opening and its authentication (or
subscription) and delivers it once authenticated: a bot that acts as soon as its stream says
"connected" never loses the first event to a race. Refused, it gets nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

from skinmarkets._seconds import Seconds
from skinmarkets.sandbox._bus import (
    BalanceEvent,
    ListingEvent,
    PurchaseEvent,
    SaleEvent,
    SandboxEvent,
    Subscription,
)
from skinmarkets.sandbox._state import State
from skinmarkets.sandbox._websocket import ServerWebSocket, WebSocketClosed
from skinmarkets.sandbox.mannco import ITEM_IDS as MANNCO_ITEM_IDS
from skinmarkets.sandbox.market_tm import NAME_IDS

__all__ = [
    "CENTRIFUGO_TOKEN_TTL",
    "SOCKET_PATHS",
    "SWAPGG_TOKEN_TTL",
    "WSN_KEY_TTL",
    "OpenSocket",
    "Session",
    "Sockets",
]

#: How often a session's pump looks at the clock (keepalives) when nothing happens.
TICK: Seconds = 0.1
#: Records held back for a session not yet authenticated (beyond: the oldest go).
MAX_PENDING = 10_000

#: market_tm: "Token: GET /api/v2/get-ws-token … lives ≈ 10 min"; "wsAuth … use within 60 s".
CENTRIFUGO_TOKEN_TTL = 600
WSN_KEY_TTL = 60
#: market_tm: the ``ping`` (seconds) the connect reply announces; a ``{}`` is sent that often.
CENTRIFUGO_PING = 25
CENTRIFUGO_VERSION = "5.4.9 (skinmarkets sandbox)"
#: swapgg: "GET /v1/user/websocket … This JWT token expires after 10 minutes."
SWAPGG_TOKEN_TTL = 600
#: swapgg: Engine.IO's defaults, announced in the open packet (milliseconds).
ENGINEIO_PING_INTERVAL = 25_000
ENGINEIO_PING_TIMEOUT = 20_000
ENGINEIO_MAX_PAYLOAD = 1_000_000

#: (vendor, path) of every socket; the path without its trailing slash (both are served).
SOCKET_PATHS: Mapping[tuple[str, str], str] = {
    ("market_tm", "/connection/websocket"): "centrifugo",
    ("market_tm", "/wsn"): "wsn",
    ("swapgg", "/socket.io"): "socketio",
    ("skinsback", "/ws"): "skinsback",
    ("mannco", "/ws"): "mannco",
}

_CHANNEL = re.compile(r"public:items:(\d+):([a-z]{3})")


def _json(data: Any) -> str:
    """Compact JSON; ``Decimal`` written exactly (callers pass strings for money anyway)."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str)


def _major(amount: Decimal, places: int = 2) -> str:
    return f"{amount:.{places}f}"


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


class Session:
    """One open socket of one vendor: frames in (:meth:`received`), records out (:meth:`push`).

    Subclasses send their opening frames in :meth:`opened`, answer client frames in
    :meth:`received`, turn bus records into frames in :meth:`frames`, and may send keepalives
    from :meth:`tick`. Records wait in ``pending`` until :meth:`ready` is called.
    """

    #: Seconds between :meth:`tick` keepalives (None: none).
    keepalive_every: ClassVar[Seconds | None] = None

    def __init__(
        self, vendor: str, state: State, ws: ServerWebSocket, query: Mapping[str, str]
    ) -> None:
        self.vendor = vendor
        self.state = state
        self.ws = ws
        self.query = query
        self._lock = threading.Lock()
        self._ready = False
        self._pending: list[SandboxEvent] = []

    def __repr__(self) -> str:
        return f"{type(self).__name__}(vendor={self.vendor!r}, ready={self._ready})"

    # ------------------------------------------------------------------ to override

    def opened(self) -> None:
        """The websocket is open: send what the vendor sends first."""

    def received(self, text: str) -> None:
        """One text frame from the client."""

    def frames(self, event: SandboxEvent) -> list[str]:
        """The frames one record becomes on this socket (none: not this socket's business)."""
        return []

    def tick(self) -> None:
        """A keepalive, every ``keepalive_every`` seconds."""

    # ------------------------------------------------------------------ plumbing

    def send(self, text: str) -> None:
        self.ws.send_text(text)

    def ready(self) -> None:
        """Authenticated (or subscribed): deliver what was held back, then everything new."""
        with self._lock:
            if self._ready:
                return
            self._ready = True
            pending, self._pending = self._pending, []
            for event in pending:
                self._deliver(event)

    def push(self, event: SandboxEvent) -> None:
        with self._lock:
            if not self._ready:
                self._pending.append(event)
                del self._pending[:-MAX_PENDING]
                return
            self._deliver(event)

    def _deliver(self, event: SandboxEvent) -> None:
        for frame in self.frames(event):
            self.send(frame)


# ---------------------------------------------------------------------- market_tm: Centrifugo


class CentrifugoSession(Session):
    """Market TM's price feed: Centrifugo's JSON protocol, one command or reply per line."""

    keepalive_every = Seconds(CENTRIFUGO_PING)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = str(uuid.uuid4())
        self.connected = False
        self.channels: set[str] = set()

    def received(self, text: str) -> None:
        for line in text.split("\n"):
            if not line.strip():
                continue
            try:
                command = json.loads(line)
            except ValueError:
                self.ws.close(3501, "bad request")  # Centrifugo's DisconnectBadRequest
                return
            if not isinstance(command, dict):
                self.ws.close(3501, "bad request")
                return
            if not command:
                continue  # {}: the client's pong
            self._command(command)

    def _command(self, command: dict[str, Any]) -> None:
        ident = command.get("id")
        if "connect" in command:
            self._connect(ident, command["connect"])
        elif not self.connected:
            self._error(ident, 101, "unauthorized")
        elif "subscribe" in command:
            self._subscribe(ident, command["subscribe"])
        elif "unsubscribe" in command:
            body = command["unsubscribe"]
            self.channels.discard(body.get("channel") if isinstance(body, dict) else None)
            self.send(_json({"id": ident, "unsubscribe": {}}))
        elif "refresh" in command:
            body = command["refresh"]
            token = self._valid_token(ident, body.get("token") if isinstance(body, dict) else None)
            if token is not None:
                self.send(_json({"id": ident, "refresh": self._session_info(token)}))
        else:
            self._error(ident, 104, "method not found")

    def _error(self, ident: object, code: int, message: str) -> None:
        self.send(_json({"id": ident, "error": {"code": code, "message": message}}))

    def _valid_token(self, ident: object, token: object) -> str | None:
        """``token`` when ``get-ws-token`` issued it and it is alive; else None, the error sent.

        A token never issued is refused and the connection closed (Centrifugo's
        DisconnectInvalidToken, 3500: do not reconnect with it); an expired one gets error 109
        ("token expired": fetch a fresh one), the connection kept.
        """
        age = (
            self.state.token_age("market_tm", "ws_token", token) if isinstance(token, str) else None
        )
        if age is None:
            self._error(ident, 101, "unauthorized")
            self.ws.close(3500, "invalid token")
            return None
        if age > CENTRIFUGO_TOKEN_TTL:
            self._error(ident, 109, "token expired")
            return None
        return token if isinstance(token, str) else None

    def _session_info(self, token: str) -> dict[str, Any]:
        age = self.state.token_age("market_tm", "ws_token", token) or 0.0
        return {
            "client": self.client,
            "version": CENTRIFUGO_VERSION,
            "expires": True,
            "ttl": max(1, int(CENTRIFUGO_TOKEN_TTL - age)),
        }

    def _connect(self, ident: object, body: object) -> None:
        token = body.get("token") if isinstance(body, dict) else None
        if self.connected:
            self._error(ident, 107, "bad request")
            return
        token = self._valid_token(ident, token)
        if token is None:
            return
        self.connected = True
        info = self._session_info(token) | {"ping": CENTRIFUGO_PING, "pong": True}
        self.send(_json({"id": ident, "connect": info}))

    def _subscribe(self, ident: object, body: object) -> None:
        channel = body.get("channel") if isinstance(body, dict) else None
        match = _CHANNEL.fullmatch(channel) if isinstance(channel, str) else None
        account_currency = self.state.accounts["market_tm"].currency.lower()
        if match is None or match[2] != account_currency:
            # The sandbox keeps one price list, in the account's currency.
            self._error(ident, 102, "unknown channel")
            return
        if channel in self.channels:
            self._error(ident, 105, "already subscribed")
            return
        assert isinstance(channel, str)
        self.channels.add(channel)
        self.send(_json({"id": ident, "subscribe": {}}))
        self.ready()

    def frames(self, event: SandboxEvent) -> list[str]:
        if not isinstance(event, ListingEvent):
            return []
        currency = self.state.accounts["market_tm"].currency.lower()
        channel = f"public:items:{event.app_id}:{currency}"
        if channel not in self.channels:
            return []
        action = {"added": "new", "changed": "change", "removed": "delete"}[event.action]
        data = {
            "event": action,
            "name_id": NAME_IDS.get(event.market_hash_name, 0),
            "id": int(event.offer_id),
            "price": _major(event.price, 3),
        }
        return [_json({"push": {"channel": channel, "pub": {"data": data}}})]

    def tick(self) -> None:
        if self.connected:
            self.send("{}")  # Centrifugo's ping: the client answers {} (pong: true)


# ---------------------------------------------------------------------- market_tm: wsn


class WsnSession(Session):
    """Market TM's personal notifications: the key as the first frame, twice-encoded data."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authenticated = False

    def received(self, text: str) -> None:
        word = text.strip()
        if word == "ping":
            self.send("pong")
        elif not self.authenticated:
            age = self.state.token_age("market_tm", "ws_auth", word)
            if age is None or age > WSN_KEY_TTL:
                self.send("auth")  # refused: the client fetches a new key and sends it
                return
            self.authenticated = True
            self.ready()
        # Later frames subscribe to newitems_go or history_go: the sandbox has neither feed.

    @staticmethod
    def _frame(kind: str, data: Any) -> str:
        return _json({"type": kind, "data": _json(data)})  # data: JSON encoded again

    def frames(self, event: SandboxEvent) -> list[str]:
        if isinstance(event, BalanceEvent):
            return [self._frame("money", _major(event.balance))]
        if isinstance(event, SaleEvent):
            text = f"Your item {event.market_hash_name} was sold for {_major(event.price)} USD"
            return [self._frame("webnotify", {"text": text})]
        if not isinstance(event, PurchaseEvent):
            return []
        if event.status == "bought":
            return [
                self._frame(
                    "additem_go",
                    {
                        "ui_id": event.purchase_id,
                        # 4: "You can pick up the purchased item"; 5: handed over (buy-for)
                        "ui_status": "5" if event.recipient is not None else "4",
                        "ui_price": _major(event.paid),
                        "i_classid": event.class_id,
                        "i_instanceid": event.instance_id,
                        "i_market_hash_name": event.market_hash_name,
                        "ui_bid": "0",  # no bot yet: withdraw() picks one
                    },
                )
            ]
        ttl = self.state.profiles["market_tm"].trade_offer_ttl
        found = [
            self._frame(
                "itemstatus_go",
                {
                    "id": event.purchase_id,
                    "status": "5" if event.status == "accepted" else "4",
                    "bid": event.bot_id or "0",
                    "left": ttl if event.status == "sent" else 0,
                },
            )
        ]
        if event.status == "expired":
            text = f"The trade offer for {event.market_hash_name} expired: take it again"
            found.append(self._frame("webnotify", {"text": text}))
        return found


# ---------------------------------------------------------------------- swapgg: socket.io


class SocketIOSession(Session):
    """swap.gg's socket.io server: Engine.IO v4 over a websocket, namespace ``/`` only.

    The server pings (``2``) every ``pingInterval`` and the client answers ``3``; an ``auth``
    event with a token ``GET /v1/user/websocket`` issued starts the account's events.
    """

    keepalive_every = ENGINEIO_PING_INTERVAL / 1000  # seconds

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sid = secrets.token_urlsafe(15)
        self.namespace_joined = False

    def opened(self) -> None:
        if self.query.get("EIO") != "4":
            self.ws.close(1002, "unsupported Engine.IO version: the sandbox speaks EIO=4")
            return
        open_packet = {
            "sid": self.sid,
            "upgrades": [],
            "pingInterval": ENGINEIO_PING_INTERVAL,
            "pingTimeout": ENGINEIO_PING_TIMEOUT,
            "maxPayload": ENGINEIO_MAX_PAYLOAD,
        }
        self.send("0" + _json(open_packet))

    def received(self, text: str) -> None:
        kind, body = text[:1], text[1:]
        if kind == "2":  # a client ping (Engine.IO v3 habit): answered all the same
            self.send("3" + body)
        elif kind == "1":
            self.ws.close(1000, "")
        elif kind == "4":
            self._message(body)
        # "3" (pong) and "6" (noop): nothing to do

    def _message(self, body: str) -> None:
        kind, rest = body[:1], body[1:]
        namespace = "/"
        if rest.startswith("/"):
            namespace, _, rest = rest.partition(",")
        if kind == "0":
            if namespace != "/":
                self.send("44" + namespace + "," + _json({"message": "Invalid namespace"}))
                return
            self.namespace_joined = True
            self.send("40" + _json({"sid": secrets.token_urlsafe(15)}))
        elif kind == "1":
            self.ws.close(1000, "")
        elif kind == "2" and self.namespace_joined:
            payload = rest.lstrip("0123456789")  # an ack id may precede the array
            try:
                event = json.loads(payload)
            except ValueError:
                return
            if isinstance(event, list) and event and event[0] == "auth":
                self._auth(event[1] if len(event) > 1 else None)

    def _auth(self, token: object) -> None:
        age = self.state.token_age("swapgg", "websocket", token) if isinstance(token, str) else None
        if age is None or age > SWAPGG_TOKEN_TTL:
            self.send(self.event("error", {"message": "invalid token"}))
            return
        self.ready()

    @staticmethod
    def event(name: str, data: Mapping[str, Any]) -> str:
        return "42" + _json([name, data])

    def frames(self, event: SandboxEvent) -> list[str]:
        """``item:state`` payloads are unpublished ("State of an item has changed (sold,
        delisted etc)"): the sandbox sends the item as the REST Item Object has it (``saleId``,
        ``itemId``, ``status`` 0 = in the on-site inventory) plus ``tradeOfferId`` once a
        withdrawal offer exists; ``delivered`` and ``sold`` name the states without a known
        code. A balance change is ``user:ready`` ("something has changed on your account")."""
        if isinstance(event, BalanceEvent):
            return [self.event("user:ready", {})]
        if isinstance(event, SaleEvent):
            text = f"Your {event.market_hash_name} sold for €{_major(event.price)}"
            sold = self._item(event.offer_id, event.asset_id, event.market_hash_name, "sold")
            return [
                self.event("item:state", sold),
                self.event("user:notification", {"message": text}),
            ]
        if not isinstance(event, PurchaseEvent):
            return []
        status: int | str = "delivered" if event.status == "accepted" else 0
        data = self._item(event.offer_id, event.asset_id, event.market_hash_name, status)
        if event.status in ("sent", "accepted") and event.trade_id is not None:
            data |= {"tradeId": event.trade_id, "tradeOfferId": f"4{event.trade_id}"}
        found = [self.event("item:state", data)]
        if event.status == "expired":
            text = f"Your withdrawal of {event.market_hash_name} expired: it is back on site"
            found.append(self.event("user:notification", {"message": text}))
        return found

    @staticmethod
    def _item(sale_id: str, asset_id: str, name: str, status: int | str) -> dict[str, Any]:
        return {
            "saleId": sale_id,
            "itemId": f"item-{sale_id}",
            "marketName": name,
            "assetId": asset_id,
            "status": status,
        }

    def tick(self) -> None:
        self.send("2")


# ---------------------------------------------------------------------- skinsback


class SkinsbackSession(Session):
    """SkinsBack's websocket: ``shopid`` and ``signature`` in the query, checked on open."""

    def opened(self) -> None:
        credentials = self.state.credentials["skinsback"]
        client_id, secret = credentials["client_id"], credentials["client_secret"]
        expected = hashlib.md5((client_id + secret).encode(), usedforsecurity=False).hexdigest()
        good = self.query.get("shopid") == client_id and hmac.compare_digest(
            self.query.get("signature", ""), expected
        )
        if not good:
            self.send(_json({"event": "auth_failed"}))
            self.ws.close(1008, "auth_failed")
            return
        self.send(_json({"event": "auth_success"}))
        self.ready()

    def received(self, text: str) -> None:
        if text.strip() == "ping":
            self.send("pong")  # undocumented reply: a live socket answers something

    def frames(self, event: SandboxEvent) -> list[str]:
        if isinstance(event, BalanceEvent):
            data: dict[str, Any] = {"balance_value": _major(event.balance)}
            return [_json({"event": "balance_change", "data": data})]
        if not isinstance(event, PurchaseEvent):
            return []
        if event.status == "bought":
            data = {
                "item": {
                    "id": event.offer_id,
                    "name": event.market_hash_name,
                    "price": _major(event.paid),
                    "classid": event.class_id,
                },
                "buy_id": event.purchase_id,
                "offer_status": "creating_trade",
                "balance_debited_sum": _major(event.paid),
            }
            name = "buy_item"
        else:
            status = {"sent": "waiting_accept", "accepted": "accepted", "expired": "timeout"}
            data = {
                "item": {"id": event.offer_id},
                "buy_id": event.purchase_id,
                "offer_status": status[event.status],
                "error_reason": None,
                "tradeofferid": f"4{event.trade_id}" if event.trade_id else None,
            }
            name = "status_change"
        if event.custom_id is not None:
            data["custom_id"] = event.custom_id
        return [_json({"event": name, "data": data})]


# ---------------------------------------------------------------------- mannco


class ManncoSession(Session):
    """Mannco's public market stream: no auth, listing events in USD cents."""

    def opened(self) -> None:
        self.ready()

    def frames(self, event: SandboxEvent) -> list[str]:
        if not isinstance(event, ListingEvent):
            return []
        ids = {
            "id": int(event.offer_id),
            "assetId": event.asset_id,
            "itemId": int(MANNCO_ITEM_IDS.get(event.market_hash_name, "0")),
        }
        if event.action == "added":
            name, data = "listing_added", ids | {"price": _cents(event.price)}
        elif event.action == "changed":
            old = event.old_price if event.old_price is not None else event.price
            name = "price_changed"
            data = ids | {"oldPrice": _cents(old), "newPrice": _cents(event.price)}
        else:
            name, data = "listing_removed", ids  # {id} in the docs; the asset id for callers
        ts = int(self.state.now() * 1000)
        return [_json({"event": name, "ts": ts, "data": data})]


SESSIONS: Mapping[str, Callable[..., Session]] = {
    "centrifugo": CentrifugoSession,
    "wsn": WsnSession,
    "socketio": SocketIOSession,
    "skinsback": SkinsbackSession,
    "mannco": ManncoSession,
}


class Sockets:
    """Every vendor's sockets on one state: what the server hands its upgraded connections."""

    def __init__(self, state: State) -> None:
        self.state = state

    def kind(self, vendor: str, path: str) -> str | None:
        """Which socket ``path`` (below the vendor prefix) is, or None when it is none."""
        return SOCKET_PATHS.get((vendor, path.rstrip("/") or "/"))

    def open(
        self, vendor: str, kind: str, ws: ServerWebSocket, query: Mapping[str, str]
    ) -> OpenSocket:
        """A socket about to be accepted, subscribed to its vendor's records from now on.

        Subscribed before the 101 goes out: what happens once the client sees its socket open
        is never lost, and is delivered when it authenticates.
        """
        session = SESSIONS[kind](vendor, self.state, ws, query)
        return OpenSocket(session, self.state.bus.subscribe(vendor))


class OpenSocket:
    """One accepted socket: :meth:`run` serves it on the calling thread until it closes."""

    def __init__(self, session: Session, subscription: Subscription) -> None:
        self.session = session
        self.subscription = subscription

    def __repr__(self) -> str:
        return f"OpenSocket({self.session!r})"

    def run(self) -> None:
        """Send the opening frames, then read (here) and push (a pump thread) until closed."""
        session, ws = self.session, self.session.ws
        pump = threading.Thread(
            target=_pump,
            args=(session, self.subscription),
            name="skinmarkets-sandbox-ws",
            daemon=True,
        )
        try:
            session.opened()
            pump.start()
            while not ws.closed:
                session.received(ws.recv())
        except WebSocketClosed:
            pass
        finally:
            self.end()

    def end(self) -> None:
        """Close the socket and stop its subscription (idempotent)."""
        self.session.ws.close(1001, "going away")
        self.subscription.close()


def _pump(session: Session, subscription: Subscription) -> None:
    """Push the bus records of one session, and its keepalives, until its socket closes."""
    every = session.keepalive_every
    next_tick = None if every is None else time.monotonic() + every
    try:
        while not session.ws.closed:
            event = subscription.get(TICK)
            if event is not None:
                session.push(event)
            if next_tick is not None and every is not None and time.monotonic() >= next_tick:
                session.tick()
                next_tick = time.monotonic() + every
    except WebSocketClosed:
        pass
    except Exception:  # an emulation bug: this socket ends (1011), the sandbox serves on
        session.ws.close(1011, "sandbox internal error")
