"""Fuzz: every realtime reader turns any frame into events without raising.

Frames are mostly mutations of the real shapes (vendor-docs/realtime.md, the readers'
docstrings, ``fixtures/<vendor>/ws.*.json``) plus arbitrary JSON and raw text: nested
JSON-in-strings, huge and negative numbers, ``NaN``, non-ASCII digits, lone surrogates, deep
nesting, megabyte strings, a registered secret placed anywhere. The only things asserted are the
contract: each reader gives events (never an exception, but ``LinkClosed`` where the frame means
"reconnect"); ``raw`` holds no float and no secret; money is an exact ``Decimal`` and a price is
never negative; no secret reaches an event's ``repr`` or a log line. SkinsBack's ``parse_event``
gives a typed event or ``UnexpectedResponse``; ``verify_event_signature`` never raises and is
True only for the right HMAC.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skinmarkets import errors
from skinmarkets._realtime import LinkClosed
from skinmarkets._realtime.socketio import Refusals
from skinmarkets._secret import Secret, register_secret
from skinmarkets.events import (
    BalanceChanged,
    ListingChanged,
    Notification,
    PurchaseUpdated,
    StreamStatus,
    UnknownEvent,
)
from skinmarkets.money import Money
from skinmarkets.vendors.mannco.realtime import ListingsFeed
from skinmarkets.vendors.market_tm import realtime_frames
from skinmarkets.vendors.market_tm.realtime import FeedContext, NameBook, PriceFeed, WsnFeed
from skinmarkets.vendors.skinsback import events as webhook
from skinmarkets.vendors.skinsback.realtime import AccountFeed as SkinsbackFeed
from skinmarkets.vendors.swapgg.realtime import AccountFeed as SwapggFeed
from skinmarkets.vendors.swapgg.realtime import SocketIOLink
from tests.support import exact_json

PROPERTY = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EVENT_TYPES = (ListingChanged, PurchaseUpdated, BalanceChanged, Notification, UnknownEvent)

#: Registered before every example; placed anywhere in the frames.
SECRET = "fz-Secret-7Qx93kLmWv"
SECRET_ODD = "pä$s/wörd+Ünï 42"  # percent-encodes, escapes in JSON
SECRETS = (SECRET, SECRET_ODD)

# ---------------------------------------------------------------------- values


NASTY = st.sampled_from(
    [
        0,
        -1,
        -5,
        2**63,
        -(2**63),
        10**20,
        10**400,
        -(10**400),
        Decimal("0.1"),
        Decimal("-0"),
        Decimal("-0.0"),
        Decimal("-1.5"),
        Decimal("1E+400"),
        Decimal("1E-400"),
        Decimal("1E+17"),
        Decimal("61.0"),
        "",
        " ",
        "0",
        "-1",
        "-0",
        "-0.0",
        "0.623",
        " 12.50 ",
        "1e400",
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "²",
        "٣",
        "１２",
        "9" * 5000,
        "1" * 300 + ".5",
        "\ud800",
        "a\udfffb",
        "\x00",
        "1 234,56 ₽",
        "12.34<small>₽</small>",
        "-12.34",
        "<b>-</b>5",
        "1,234,567",
        "1.2.3",
        "—",
        "USD",
        "true",
        "null",
        "{}",
        "[]",
        '{"id": 1, "status": 5}',
        '"\\"12.34\\""',
        SECRET,
        f"prefix {SECRET} suffix",
        SECRET_ODD,
        f"x{SECRET_ODD}y",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    NASTY,
)
KEYS = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["token", "key", "jwt", "sign", "data", "event", "type", SECRET, SECRET_ODD]),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)
    ),
    max_leaves=10,
)


def encoded(value: Any, times: int) -> Any:
    """``value`` JSON-encoded ``times`` times (wsn's data is encoded up to three times)."""
    for _ in range(times):
        value = exact_json(value)
    return value


@st.composite
def shaped(draw: st.DrawFn, fields: Mapping[str, st.SearchStrategy[Any]]) -> dict[str, Any]:
    """An object with some of ``fields`` (each a good value or anything), maybe more keys."""
    out: dict[str, Any] = {}
    for name, good in fields.items():
        if draw(st.integers(0, 5)) == 0:
            continue  # absent
        out[name] = draw(st.one_of(good, good, SCALARS, JSON_VALUES))
    if draw(st.booleans()):
        out.update(draw(st.dictionaries(KEYS, JSON_VALUES, max_size=3)))
    return out


SECRETISH = st.sampled_from([SECRET, f"x{SECRET}", f"{SECRET} 1", SECRET_ODD, f"{SECRET_ODD}!"])
IDS = st.one_of(
    st.integers(0, 10**12), st.from_regex(r"[0-9A-Za-z-]{1,20}", fullmatch=True), SECRETISH
)
NEGATIVE_ZERO = st.sampled_from([Decimal("-0"), Decimal("-0.0"), Decimal("-0E+3"), "-0.00"])
CENTS = st.one_of(st.integers(-100, 10**9), st.decimals(-100, 10**6, places=2), NEGATIVE_ZERO)
PRICES = st.one_of(
    st.decimals(0, 10**6, places=3).map(str), st.decimals(-10, 10**6, places=3), CENTS
)

#: Megabyte frames, built once (hypothesis would take long to build them).
HUGE_TEXTS = [
    "9" * 1_000_000,
    '{"event": "x", "data": "' + "a" * 1_000_000 + SECRET + '"}',
    "[" * 100_000 + "]" * 100_000,
    '{"a":' * 50_000 + "1" + "}" * 50_000,
    '{"type": "webnotify", "data": "' + "[" * 3000 + "]" * 3000 + '"}',
    "\ud800" * 10_000,
]


def texts_around(documents: st.SearchStrategy[Any]) -> st.SearchStrategy[str]:
    """Frame texts: the document as JSON (ASCII or not), cut short, or anything at all."""
    as_json = st.builds(lambda d, a: exact_json(d, ascii_only=a), documents, st.booleans())
    return st.one_of(
        as_json,
        as_json,
        as_json,
        st.builds(lambda t, n: t[:n], as_json, st.integers(0, 60)),
        JSON_VALUES.map(exact_json),
        st.text(max_size=40),
        st.sampled_from(HUGE_TEXTS),
        st.sampled_from(
            ["", " ", "\n", "{}", "[]", "null", "NaN", '{"event": NaN}', "pong", "auth"]
        ),
    )


# ---------------------------------------------------------------------- checks


def _walk(value: Any) -> Iterator[Any]:
    """Every value in ``value`` (keys included), without recursion (raw may be deep)."""
    stack = [value]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _secret_in(text: str) -> bool:
    """A secret anywhere in ``text`` (``raw``, log lines and messages are scrubbed so)."""
    return any(secret in text for secret in SECRETS)


_WHOLE = [re.compile(rf"(?<![0-9A-Za-z]){re.escape(s)}(?![0-9A-Za-z])") for s in SECRETS]


def _secret_shown(text: str) -> bool:
    """A secret standing as a whole token in ``text``: what ids and names are scrubbed of, as
    the data of REST answers (``scrub_data``: never inside a longer run of letters and digits,
    so that an id keeps its digits)."""
    return any(pattern.search(text) for pattern in _WHOLE)


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@contextmanager
def logged() -> Iterator[list[str]]:
    """Every line logged under ``skinmarkets`` meanwhile."""
    logger = logging.getLogger("skinmarkets")
    handler, level = _Lines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def check_money(money: object, *, price: bool) -> None:
    if money is None:
        return
    assert isinstance(money, Money)
    assert type(money.amount) is Decimal and money.amount.is_finite()
    if price:
        assert money.amount >= 0, f"negative price {money!r}"
        assert not money.amount.is_signed(), f"negative zero price {money!r}"


def check_event(event: object) -> None:
    assert isinstance(event, EVENT_TYPES), f"not an event: {event!r:.200}"
    assert isinstance(event.market, str) and event.received_at.tzinfo is not None
    for item in _walk(event.raw):
        assert not isinstance(item, float), f"float in raw: {item!r}"
        if isinstance(item, str):
            assert not _secret_in(item), "a secret in raw"
    assert not _secret_shown(repr(event)), f"a secret in repr: {event!r:.300}"
    for field in attrs.fields(type(event)):
        value = getattr(event, field.name)
        if field.name != "raw":
            assert not isinstance(value, float)
        if isinstance(value, str):
            assert not _secret_shown(value), f"a secret in {field.name}"
    if isinstance(event, Notification):
        assert not _secret_in(event.text), "a secret in a notification's text"
    if isinstance(event, ListingChanged):
        check_money(event.price, price=True)
        assert isinstance(event.listing_id, str) and event.listing_id
    elif isinstance(event, BalanceChanged):
        check_money(event.available, price=False)
    elif isinstance(event, PurchaseUpdated):
        assert isinstance(event.purchase_id, str)


def check_all(read: Callable[[], Any], *, may_close: bool = False) -> list[Any]:
    """Run ``read``; check what it gives and what was logged."""
    for secret in SECRETS:
        register_secret(Secret(secret))
    with logged() as lines:
        try:
            events = list(read())
        except LinkClosed as closed:
            assert may_close, f"LinkClosed for a frame that does not close: {closed}"
            # the engine shows why the connection ended in a StreamStatus
            status = StreamStatus(
                market="m",
                received_at=datetime.now(tz=UTC),
                state="disconnected",
                will_retry=True,
                reason=f"connection lost ({closed})",
            )
            assert not _secret_in(repr(status)), f"a secret in {status!r:.300}"
            events = []
    for event in events:
        check_event(event)
    for line in lines:
        assert not _secret_in(line), f"a secret logged: {line[:300]}"
    return events


# ---------------------------------------------------------------------- Market TM


NAMES = {"items": [{"id": 1234, "hash_name": "AK-47 | Redline (Field-Tested)"}]}


class _Link:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def recv(self, timeout: float) -> str | None:  # float ok: seconds
        return None

    def send(self, text: str) -> None:
        self.sent.append(text)

    def close(self) -> None:
        pass


def _context(currency: str = "USD") -> FeedContext:
    return FeedContext(
        market="market_tm:cs2",
        client=None,  # type: ignore[arg-type]
        currency=lambda: currency,
        app_id=730,
        names=NameBook(lambda: NAMES),
    )


PUBLICATION_DATA = shaped(
    {
        "event": st.one_of(
            st.sampled_from(["new", "change", "delete", "bulk_update", ""]), SECRETISH
        ),
        "name_id": st.one_of(st.just(1234), IDS),
        "id": IDS,
        "price": PRICES,
    }
)


@st.composite
def publications(draw: st.DrawFn) -> Any:
    data = draw(PUBLICATION_DATA)
    pub: Any = {"data": data} if draw(st.integers(0, 6)) else draw(JSON_VALUES)
    push: Any = {"channel": "public:items:730:usd", "pub": pub}
    if not draw(st.integers(0, 6)):
        push = draw(st.one_of(JSON_VALUES, shaped({"pub": st.just(pub)})))
    message: Any = {"push": push}
    if not draw(st.integers(0, 8)):
        message = draw(
            st.one_of(
                JSON_VALUES,
                shaped({"id": IDS, "refresh": JSON_VALUES, "error": JSON_VALUES}),
                st.builds(
                    lambda d, p: {"push": {"disconnect": d}} if p else {"disconnect": d},
                    shaped(
                        {"code": st.integers(3000, 4999), "reason": st.one_of(SECRETISH, NASTY)}
                    ),
                    st.booleans(),
                ),
                st.just({}),
            )
        )
    return message


PRICE_LINES = texts_around(publications())


@PROPERTY
@given(st.lists(PRICE_LINES, min_size=1, max_size=3), st.sampled_from(["USD", "EUR", "RUB", ""]))
def test_price_feed_translates_any_frame(lines: list[str], currency: str) -> None:
    feed = PriceFeed(_context(currency))
    feed._channel()  # the currency and names, as open() sets them
    text = "\n".join(lines)
    closes = "disconnect" in text or "unsubscribe" in text
    check_all(lambda: feed.translate(_Link(), text), may_close=closes)


@PROPERTY
@given(publications(), st.sampled_from(["USD", "EUR", "RUB", "", "usd", "X1"]))
def test_publication_event_reads_any_message(message: Any, currency: str) -> None:
    if not isinstance(message, Mapping):
        message = {"push": message}
    check_all(
        lambda: [
            realtime_frames.publication_event(
                message,
                market="market_tm:cs2",
                currency=currency,
                name_of=NameBook(lambda: NAMES).name,
                received_at=datetime.now(tz=UTC),
            )
        ]
    )


WSN_PAYLOADS = st.one_of(
    shaped(
        {"ui_id": IDS, "ui_status": st.sampled_from(["1", "3", "5", 5, "²"]), "ui_price": PRICES}
    ),
    shaped({"id": IDS, "status": st.integers(0, 9), "bid": IDS, "left": st.integers()}),
    shaped({"text": st.text(max_size=20), "message": JSON_VALUES, "msg": NASTY}),
    st.sampled_from(["12.34", "1 234,5 ₽", "1 234.56 <small>₽</small>", "—", "-3.5", "²"]),
    PRICES,
    JSON_VALUES,
    shaped({"money": st.one_of(PRICES, NASTY)}),
)


@st.composite
def wsn_messages(draw: st.DrawFn) -> Any:
    kind = draw(
        st.one_of(
            st.sampled_from(
                [
                    "money",
                    "additem_go",
                    "itemstatus_go",
                    "itemout_new_go",
                    "webnotify",
                    "history_go",
                    "newitems_go",
                    "",
                ]
            ),
            SCALARS,
            SECRETISH,
        )
    )
    data = encoded(draw(WSN_PAYLOADS), draw(st.integers(0, 4)))
    message: Any = {"type": kind, "data": data}
    if not draw(st.integers(0, 8)):
        message = draw(
            st.one_of(JSON_VALUES, shaped({"type": st.just(kind), "data": st.just(data)}))
        )
    return message


@PROPERTY
@given(texts_around(wsn_messages()))
def test_wsn_feed_translates_any_frame(text: str) -> None:
    feed = WsnFeed(_context())
    check_all(lambda: feed.translate(_Link(), text), may_close=text.strip() == "auth")


@PROPERTY
@given(wsn_messages(), st.sampled_from(["USD", "EUR", "RUB", "", "X1"]))
def test_wsn_event_reads_any_message(message: Any, currency: str) -> None:
    if not isinstance(message, Mapping):
        message = {"type": "money", "data": message}
    check_all(
        lambda: [
            realtime_frames.wsn_event(
                message, market="market_tm:cs2", currency=currency, received_at=datetime.now(tz=UTC)
            )
        ]
    )


# ---------------------------------------------------------------------- swap.gg


SWAPGG_PAYLOADS = st.one_of(
    shaped(
        {
            "saleId": IDS,
            "itemId": IDS,
            "id": IDS,
            "state": st.one_of(st.integers(0, 5), st.sampled_from(["sold", "0", "held"])),
            "status": st.sampled_from(["0", 0, "sold"]),
            "tradeOfferId": IDS,
            "sale": shaped({"saleId": IDS}),
            "item": shaped({"itemId": IDS, "sale": shaped({"saleId": IDS})}),
        }
    ),
    shaped({"message": st.text(max_size=30), "text": NASTY, "title": JSON_VALUES}),
    shaped({"inspectLink": st.text(max_size=20), "imageLink": st.text(max_size=20)}),
    JSON_VALUES,
)
SWAPGG_NAMES = st.one_of(
    st.sampled_from(
        ["item:state", "user:notification", "user:ready", "screenshot:ready", "user:balance"]
    ),
    SCALARS,
    SECRETISH,
)


@st.composite
def swapgg_messages(draw: st.DrawFn) -> Any:
    message: Any = {"event": draw(SWAPGG_NAMES), "data": draw(SWAPGG_PAYLOADS)}
    if not draw(st.integers(0, 8)):
        message = draw(JSON_VALUES)
    return message


@PROPERTY
@given(texts_around(swapgg_messages()))
def test_swapgg_feed_translates_any_frame(text: str) -> None:
    feed = SwapggFeed(market="swapgg", fetch_token=lambda: "unused")
    check_all(lambda: feed.translate(None, text))


PY_VALUES = st.recursive(
    st.one_of(
        SCALARS,
        st.floats(),  # python-socketio decodes with json.loads: floats, NaN, inf
        st.binary(max_size=8),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(KEYS, children, max_size=3)
    ),
    max_leaves=8,
)


@PROPERTY
@given(SWAPGG_NAMES, st.lists(st.one_of(SWAPGG_PAYLOADS, PY_VALUES), max_size=3))
def test_swapgg_socketio_events_become_frames_the_feed_reads(name: Any, args: list[Any]) -> None:
    """What python-socketio hands over (decoded JSON, floats included) through the link."""
    link = SocketIOLink(Secret("tok-" + SECRET), Refusals(quick=1.0))
    feed = SwapggFeed(market="swapgg", fetch_token=lambda: "unused")

    def read() -> list[Any]:
        link._on_event(name, *args)
        try:
            frame = link.recv(0)
        except LinkClosed:
            raise
        return [] if frame is None else feed.translate(None, frame)

    refusal = str(name).lower() in SocketIOLink.refusal_events
    check_all(read, may_close=refusal)


# ---------------------------------------------------------------------- SkinsBack


SKINSBACK_DATA = st.one_of(
    shaped(
        {
            "buy_id": IDS,
            "custom_id": IDS,
            "offer_status": st.sampled_from(
                ["creating_trade", "waiting_accept", "accepted", "canceled", "timeout", ""]
            ),
            "balance_debited_sum": PRICES,
            "tradeofferid": IDS,
            "error_reason": st.one_of(st.none(), st.text(max_size=10)),
            "item": shaped({"id": IDS, "name": st.text(max_size=20), "price": PRICES}),
        }
    ),
    shaped({"balance_value": st.one_of(PRICES, NASTY)}),
    st.just([]),
    JSON_VALUES,
)
SKINSBACK_NAMES = st.one_of(
    st.sampled_from(
        ["buy_item", "status_change", "balance_change", "auth_success", "withdraw", "ping", "PONG"]
    ),
    SCALARS,
    SECRETISH,
)


@st.composite
def skinsback_messages(draw: st.DrawFn) -> Any:
    message: Any = {"event": draw(SKINSBACK_NAMES), "data": draw(SKINSBACK_DATA)}
    if not draw(st.integers(0, 8)):
        message = draw(JSON_VALUES)
    return message


def _skinsback_feed() -> SkinsbackFeed:
    return SkinsbackFeed(
        market="skinsback:cs2", client_id=Secret("4242"), client_secret=Secret(SECRET)
    )


@PROPERTY
@given(texts_around(skinsback_messages()))
def test_skinsback_feed_translates_any_frame(text: str) -> None:
    feed = _skinsback_feed()
    check_all(lambda: feed.translate(None, text), may_close="auth_failed" in text)  # type: ignore[arg-type]


def test_skinsback_auth_failed_mid_stream_closes_the_link() -> None:
    with pytest.raises(LinkClosed):
        _skinsback_feed().translate(None, '{"event": "auth_failed"}')  # type: ignore[arg-type]


BODIES = st.one_of(
    texts_around(skinsback_messages()),
    texts_around(skinsback_messages()).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=40),
    skinsback_messages().filter(lambda m: isinstance(m, Mapping)),
    st.dictionaries(KEYS, PY_VALUES, max_size=3),
    st.fixed_dictionaries({"event": SKINSBACK_NAMES, "data": st.one_of(SKINSBACK_DATA, PY_VALUES)}),
    st.fixed_dictionaries(
        {
            "event": st.sampled_from(["buy_item", "status_change", "balance_change"]),
            "data": st.fixed_dictionaries(
                {
                    "buy_id": st.just(10**5000),
                    "balance_value": st.floats(),
                    "balance_debited_sum": st.sampled_from([10**5000, 1.5, Decimal("NaN")]),
                }
            ),
        }
    ),
)


@PROPERTY
@given(BODIES)
def test_parse_event_gives_an_event_or_unexpected_response(body: Any) -> None:
    for secret in SECRETS:
        register_secret(Secret(secret))
    try:
        event = webhook.parse_event(body)
    except errors.UnexpectedResponse as exc:
        assert not _secret_in(str(exc))
        assert not any(isinstance(v, str) and _secret_in(v) for v in _walk(exc.raw))
        return
    assert isinstance(
        event,
        webhook.PurchaseEvent
        | webhook.StatusChangeEvent
        | webhook.BalanceChangeEvent
        | webhook.UnknownEvent,
    )
    if isinstance(event, webhook.PurchaseEvent):
        check_money(event.price, price=True)
    if isinstance(event, webhook.BalanceChangeEvent) and event.balance_value is not None:
        assert type(event.balance_value) is Decimal and event.balance_value >= 0


SIGNATURE_ARGS = st.one_of(
    st.text(max_size=70),
    st.binary(max_size=70),
    st.from_regex(r"[0-9a-fA-F]{64}", fullmatch=True),
    st.none(),
    st.integers(),
    st.just(Secret(SECRET)),
    st.just("\ud800"),
)


@PROPERTY
@given(
    st.one_of(st.binary(max_size=80), SIGNATURE_ARGS, st.just(memoryview(b"x"))),
    SIGNATURE_ARGS,
    st.one_of(st.text(max_size=20), SIGNATURE_ARGS),
)
def test_verify_event_signature_never_raises_and_is_true_only_for_the_right_hmac(
    body: Any, signature: Any, client_secret: Any
) -> None:
    result = webhook.verify_event_signature(body, signature, client_secret)
    assert result is True or result is False
    if result:
        key = client_secret.reveal() if isinstance(client_secret, Secret) else client_secret
        expected = hmac.new(key.encode(), bytes(body), hashlib.sha256).hexdigest()
        assert signature.strip().lower() == expected


@PROPERTY
@given(st.binary(max_size=200), st.text(min_size=1, max_size=20).filter(lambda s: s.isprintable()))
def test_verify_event_signature_takes_the_right_hmac_and_refuses_others(
    body: bytes, client_secret: str
) -> None:
    right = hmac.new(client_secret.encode(), body, hashlib.sha256).hexdigest()
    assert webhook.verify_event_signature(body, right, client_secret)
    assert webhook.verify_event_signature(body, right.upper(), client_secret)
    wrong = ("0" if right[0] != "0" else "1") + right[1:]
    assert not webhook.verify_event_signature(body, wrong, client_secret)
    assert not webhook.verify_event_signature(body + b"x", right, client_secret)
    assert not webhook.verify_event_signature(body.decode("latin-1"), right, client_secret)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- Mannco


MANNCO_DATA = st.one_of(
    shaped(
        {
            "id": IDS,
            "assetId": IDS,
            "itemId": st.one_of(st.just(16145), IDS),
            "price": CENTS,
            "oldPrice": CENTS,
            "newPrice": CENTS,
            "amount": st.integers(),
        }
    ),
    JSON_VALUES,
)
MANNCO_NAMES = st.one_of(
    st.sampled_from(
        ["listing_added", "price_changed", "listing_removed", "buyorder_added", "item_sold"]
    ),
    SCALARS,
    SECRETISH,
)


@st.composite
def mannco_messages(draw: st.DrawFn) -> Any:
    message: Any = {"event": draw(MANNCO_NAMES), "ts": draw(SCALARS), "data": draw(MANNCO_DATA)}
    if not draw(st.integers(0, 8)):
        message = draw(JSON_VALUES)
    return message


@PROPERTY
@given(st.lists(texts_around(mannco_messages()), min_size=1, max_size=4))
def test_mannco_feed_translates_any_frame(texts: list[str]) -> None:
    feed = ListingsFeed(market="mannco", names={"16145": "Mann Co. Supply Crate Key"})
    for text in texts:  # one feed: removals look up what earlier frames added
        check_all(lambda text=text: feed.translate(None, text))  # type: ignore[arg-type,misc]


# ---------------------------------------------------------------------- what the fuzz found


def test_parse_event_refuses_a_mapping_whose_id_is_an_int_too_long_to_print() -> None:
    # str() of an int past 4300 digits raises ValueError: it escaped parse_event
    body = {"event": "buy_item", "data": {"buy_id": 10**5000, "offer_status": "accepted"}}
    with pytest.raises(errors.UnexpectedResponse, match="no buy_id"):
        webhook.parse_event(body)
    body = {"event": "status_change", "data": {"buy_id": "65", "custom_id": 10**5000}}
    event = webhook.parse_event(body)
    assert isinstance(event, webhook.StatusChangeEvent) and event.custom_id is None


def test_a_publication_priced_minus_zero_is_priced_zero() -> None:
    event = realtime_frames.publication_event(
        {"push": {"pub": {"data": {"event": "new", "id": 7, "price": Decimal("-0.0")}}}},
        market="market_tm:cs2",
        currency="USD",
        name_of=lambda name_id: None,
        received_at=datetime.now(tz=UTC),
    )
    assert isinstance(event, ListingChanged) and event.price is not None
    assert event.price == Money("0.0", "USD") and not event.price.amount.is_signed()


def _unknown_names(text: str) -> list[str]:
    swapgg = SwapggFeed(market="swapgg", fetch_token=lambda: "unused")
    events = [
        *swapgg.translate(None, text),
        *_skinsback_feed().translate(None, text),  # type: ignore[arg-type]
        *ListingsFeed(market="mannco").translate(None, text),  # type: ignore[arg-type]
    ]
    return [repr(event) for event in events]


def test_an_event_name_that_is_a_secret_is_masked_in_the_unknown_events_repr() -> None:
    register_secret(Secret(SECRET))
    shown = _unknown_names(json.dumps({"event": SECRET, "data": {}}))
    wsn = realtime_frames.wsn_event(
        {"type": SECRET, "data": "1"}, market="m", currency="USD", received_at=datetime.now(tz=UTC)
    )
    publication = realtime_frames.publication_event(
        {"push": {"pub": {"data": {"event": SECRET}}}},
        market="m",
        currency="USD",
        name_of=lambda name_id: None,
        received_at=datetime.now(tz=UTC),
    )
    shown += [repr(wsn), repr(publication)]
    assert len(shown) == 5
    assert all(SECRET not in text and "name='***'" in text for text in shown)


def test_an_id_that_is_a_secret_is_masked_in_the_events_repr() -> None:
    register_secret(Secret(SECRET))
    swapgg = SwapggFeed(market="swapgg", fetch_token=lambda: "unused")
    (purchase,) = swapgg.translate(
        None, json.dumps({"event": "item:state", "data": {"saleId": SECRET, "state": 0}})
    )
    assert isinstance(purchase, PurchaseUpdated) and purchase.purchase_id == "***"
    (listing,) = ListingsFeed(market="mannco").translate(
        None,  # type: ignore[arg-type]
        json.dumps({"event": "listing_removed", "data": {"id": SECRET}}),
    )
    assert isinstance(listing, ListingChanged) and listing.listing_id == "listing:***"
    assert SECRET not in repr(purchase) + repr(listing)
    # an id that only contains it inside a run of letters and digits keeps its characters,
    # as in REST answers (a numeric shop id never eats into a longer id)
    assert (
        PurchaseUpdated(
            market="m",
            received_at=datetime.now(tz=UTC),
            purchase_id="a1234b",
            status=purchase.status,
        ).purchase_id
        == "a1234b"
    )


def test_a_disconnect_reason_holding_a_secret_is_scrubbed_from_the_stream_status() -> None:
    register_secret(Secret(SECRET))
    feed = PriceFeed(_context())
    frame = json.dumps({"disconnect": {"code": 3005, "reason": f"bad token {SECRET}"}})
    with pytest.raises(LinkClosed) as closed:
        list(feed.translate(_Link(), frame))
    status = StreamStatus(
        market="m",
        received_at=datetime.now(tz=UTC),
        state="disconnected",
        reason=f"price feed: connection lost ({closed.value})",
    )
    assert SECRET not in repr(status) and "bad token ***" in (status.reason or "")
