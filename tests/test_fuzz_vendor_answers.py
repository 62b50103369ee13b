"""Whatever a vendor answers, every public adapter method keeps its contract (all four vendors).

Each property connects one vendor's adapter (``store="memory"``, limiter and back-off on a fake
clock: nothing sleeps) and calls one public read or write while every HTTP request is answered
with a generated answer: most often a documented answer of ``fixtures/<vendor>/`` for that
operation, mutated (a key dropped, a value nulled, retyped, made huge, negative or a NaN string,
wrapped in a list), else another documented refusal of the vendor, any JSON (bare or inside the
vendor's success envelope), text, HTML or bytes, under the documented or a random HTTP status.

The contract checked, and nothing more:

- the method returns its documented typed result (every identifier a ``str``, money a finite,
  non-negative ``Decimal`` in a 3-letter currency, dates timezone-aware, no ``float``), or raises
  a ``SkinMarketsError`` -- never a bare ``KeyError``/``TypeError``/``ValueError``/... ;
  ``UnexpectedResponse`` keeps the raw answer;
- a write whose request was sent and answered with something that is neither a success nor a
  refusal (HTTP 5xx, a body that is not JSON, a JSON value that is not an object, ``{}``) ends as
  its result or ``OutcomeUnknown`` -- never as a refusal (which would free its ``custom_id``);
  a ``buy`` is then looked up; ``OutcomeUnknown`` of a ``buy`` carries its ``custom_id``.

Each answer is chosen by the operation the client names and, among the 1-2 answers drawn for
that operation, by a checksum of the request (so that parallel requests get the same answers on
every run). The operations each method can ask for are listed per vendor below; a request for
another operation gets one more drawn answer (``OTHER``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from unittest import mock as um

import attrs
import pytest
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import skinmarkets as sm
from skinmarkets import _ratelimit, _secret, _store, errors
from skinmarkets._batch import BatchItemResult
from skinmarkets._http import Transport
from skinmarkets._ratelimit import RateLimit, SlidingWindowLimiter
from tests.support import FIXTURES, FakeClock, copy_json, exact_json, json_paths

#: SKINMARKETS_FUZZ_EXAMPLES=1000 for a longer hunt (100 keeps the file well under a minute)
PROPERTY = settings(
    max_examples=int(os.environ.get("SKINMARKETS_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    report_multiple_bugs=False,
)

BASE_URL = "https://x.test"
CUSTOM_ID = "fuzz-order-0001"
MAX_REQUESTS = 200  # per call: more means a loop the answers never end
OTHER = "*"

# --------------------------------------------------------------------------- JSON values

LONG_DIGITS = "9" * 4400  # beyond int()'s digit limit for strings
NASTY = st.sampled_from(
    [
        0,
        -1,
        -100,
        2**31,
        2**63,
        -(2**63),
        10**20,
        10**400,
        -(10**400),
        Decimal("0.5"),
        Decimal("-0.01"),
        Decimal("-0"),
        Decimal("1E+400"),
        Decimal("1E-400"),
        Decimal("123.456789"),
        Decimal("1E+999999999"),
        "",
        " ",
        "0",
        "-1",
        "-3.50",
        "3.573",
        "1e400",
        "1E-400",
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "sNaN",
        "1,5",
        "²",
        "٣",
        LONG_DIGITS,
        "USD",
        "usd",
        "EUR",
        "XX",
        "None",
        "null",
        "true",
        "<html>",
        True,
        False,
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    NASTY,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.text(max_size=8), children, max_size=3),
    ),
    max_leaves=8,
)


def _get(document: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


def _retyped(value: Any) -> list[Any]:
    """The same value written as another JSON type."""
    if isinstance(value, bool):
        return [str(value).lower(), int(value)]
    if isinstance(value, int | Decimal):
        out = [str(value), [value], {"value": value}]
        with contextlib.suppress(ArithmeticError):
            out += [-value, value * 10**30]
        return out
    if isinstance(value, str):
        out: list[Any] = [[value], {"value": value}, 0]
        with contextlib.suppress(ArithmeticError, ValueError):
            out.append(Decimal(value))
        return out
    if isinstance(value, list):
        return [value[0] if value else None, {str(i): v for i, v in enumerate(value)}, ""]
    if isinstance(value, dict):
        return [list(value.values()), list(value), "", 1]
    return [0, "", [], {}]


def _pick(draw: st.DrawFn, options: Sequence[Any]) -> Any:
    """One of ``options`` (an index drawn: no new strategy per draw)."""
    return options[draw(st.integers(0, len(options) - 1))]


MUTATIONS = ["drop", "null", "nasty", "retype", "json"]


def mutate(draw: st.DrawFn, document: Any) -> Any:
    """A copy of ``document`` with 0-3 mutations: drop, null, nasty scalar, retype, any JSON."""
    document = copy_json(document)
    for _ in range(draw(st.integers(0, 3))):
        paths = list(json_paths(document))
        if not paths or draw(st.integers(0, 19)) == 0:
            document = _pick(draw, [[document], {}, []])
            continue
        path = _pick(draw, paths)
        parent = _get(document, path[:-1])
        kind = _pick(draw, MUTATIONS)
        if kind == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
            continue
        current = parent[path[-1]]
        if kind == "null":
            replacement = None
        elif kind == "nasty":
            replacement = draw(NASTY)
        elif kind == "retype":
            replacement = _pick(draw, _retyped(current))
        else:
            replacement = draw(JSON_VALUES)
        parent[path[-1]] = replacement
    return document


# --------------------------------------------------------------------------- HTTP answers


@attrs.frozen
class Answer:
    """One HTTP answer for ``responses``."""

    status: int
    body: bytes = attrs.field(repr=lambda b: repr(b[:400]))
    headers: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def garbled(self) -> bool:
        """Neither a success nor a refusal of any vendor: an answer to a write that hides
        whether it happened (HTTP 5xx, 2xx that is not JSON, a JSON value that is not an
        object, an empty object)."""
        if self.status >= 500:
            return True
        if not 200 <= self.status < 300:
            return False
        try:
            data = json.loads(self.body, parse_float=Decimal, parse_constant=_no_constant)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return True
        return not isinstance(data, dict) or not data


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def json_answer(body: Any, status: int = 200) -> Answer:
    return Answer(status, exact_json(body).encode(), {"Content-Type": "application/json"})


JSON_HEADERS = {"Content-Type": "application/json"}
STATUSES = [200, 201, 204, 300, 302, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503]
HEADERS = st.one_of(
    st.just(JSON_HEADERS),
    st.sampled_from(
        [
            {"Content-Type": "text/html"},
            {"Content-Type": "text/plain"},
            {"Content-Type": "application/json", "Retry-After": "9" * 400},
            {"Content-Type": "application/json", "Retry-After": "-5"},
            {"Content-Type": "application/json", "Retry-After": "nan"},
            {"Content-Type": "application/json", "X-RateLimit-Reset": "1" + "0" * 30},
        ]
    ),
)
HTML = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
TEXTS = st.one_of(
    st.just(HTML),
    st.sampled_from([b"", b"null", b"[", b'{"success": tr', b"NaN", b"[" * 5000 + b"]" * 5000]),
    st.text(max_size=40).map(str.encode),
    st.binary(max_size=40),
)


@attrs.frozen
class Documented:
    """A documented answer: its body and status."""

    status: int
    body: Any
    case: str = ""


def _documented(vendor: str) -> tuple[dict[str, list[Documented]], list[Documented]]:
    """The JSON answers of fixtures/<vendor> by operation, and every refusal among them."""
    by_op: dict[str, list[Documented]] = {}
    refusals: list[Documented] = []
    for path in sorted((FIXTURES / vendor).glob("*.json")):
        operation, case = path.name.split(".")[:2]
        if operation in {"ws", "events", "signature"}:
            continue
        fixture = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        response = fixture.get("response") or {}
        if "json" not in response:
            continue
        documented = Documented(int(response.get("status", 200)), response["json"], case)
        by_op.setdefault(operation, []).append(documented)
        if not case.startswith(("ok", "valid")) or documented.status >= 300:
            refusals.append(documented)
    return by_op, refusals


@attrs.frozen(repr=False)
class Vendor:
    """How to reach one vendor's answers."""

    name: str
    connect: Callable[[], Any]
    #: the client's operation name -> the fixture operation whose answers it gets
    aliases: Mapping[str, str]
    #: wraps a JSON value in the vendor's success envelope
    envelope: Callable[[Any], Any]
    #: more documented-like answers by operation (what a call needs to reach a further step)
    extra: Mapping[str, list[Any]] = attrs.field(factory=dict)
    documented: dict[str, list[Documented]] = attrs.field(init=False)
    refusals: list[Documented] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        by_op, refusals = _documented(self.name)
        for operation, bodies in self.extra.items():
            by_op.setdefault(operation, []).extend(Documented(200, b, "ok_extra") for b in bodies)
        object.__setattr__(self, "documented", by_op)
        object.__setattr__(self, "refusals", refusals)

    def __repr__(self) -> str:
        return self.name

    def fixture_op(self, operation: str) -> str:
        return self.aliases.get(operation, operation)


KINDS = ["documented"] * 6 + ["refusal", "json", "enveloped", "text"]
KINDS_UNDOCUMENTED = ["refusal", "json", "enveloped", "enveloped", "text"]
ANY_STATUS = st.one_of(st.just(200), st.sampled_from(STATUSES))


@st.composite
def answers(draw: st.DrawFn, vendor: Vendor, operation: str) -> Answer:
    """One answer to ``operation``: mostly its documented answers mutated (see the module)."""
    documented = vendor.documented.get(vendor.fixture_op(operation), [])
    kind = _pick(draw, KINDS if documented else KINDS_UNDOCUMENTED)
    headers: Mapping[str, str] = JSON_HEADERS
    if kind == "text":
        body = draw(TEXTS)
        status = draw(ANY_STATUS)
        headers = draw(HEADERS)
        return Answer(status, body, headers)
    if kind in ("documented", "refusal"):
        pool = documented if kind == "documented" else vendor.refusals
        chosen = _pick(draw, pool)
        value = mutate(draw, chosen.body)
        status = chosen.status if draw(st.booleans()) else draw(ANY_STATUS)
    elif kind == "json":
        value = draw(JSON_VALUES)
        status = draw(ANY_STATUS)
    else:
        value = vendor.envelope(draw(JSON_VALUES))
        status = 200
    if draw(st.integers(0, 9)) == 0:
        headers = draw(HEADERS)
    return Answer(status, exact_json(value).encode(), headers)


Table = dict[str, list[Answer]]


@st.composite
def _mostly(draw: st.DrawFn, good: list[Answer], fuzzed: st.SearchStrategy[list[Answer]]) -> Any:
    """``good`` 4 times in 5, else a ``fuzzed`` draw."""
    return good if draw(st.integers(0, 4)) else draw(fuzzed)


_tables: dict[tuple[str, tuple[str, ...], tuple[str, ...]], st.SearchStrategy[Table]] = {}


def tables(
    vendor: Vendor, operations: Sequence[str], setup: Sequence[str] = ()
) -> st.SearchStrategy[Table]:
    """1-2 answers for each operation a method may ask for, and for any other (``OTHER``).

    The ``setup`` operations (a login, the account currency, the re-read before paying …)
    answer their documented success 4 times in 5, so that the call gets past them to the
    steps after them."""
    key = (vendor.name, tuple(operations), tuple(setup))
    if key not in _tables:
        happy = _happy_table(vendor)
        strategies: dict[str, st.SearchStrategy[list[Answer]]] = {}
        for op in [*operations, OTHER]:
            fuzzed = st.lists(answers(vendor, op), min_size=1, max_size=2)
            if op in setup and op in happy:
                fuzzed = _mostly(happy[op], fuzzed)
            strategies[op] = fuzzed
        _tables[key] = st.fixed_dictionaries(strategies)
    return _tables[key]


# --------------------------------------------------------------------------- serving

_current = threading.local()
_real_request = Transport.request


def _naming_request(self: Transport, method: str, path: str, **kwargs: Any) -> Any:
    """``Transport.request`` that leaves the operation's name where the mock can read it."""
    _current.operation = kwargs.get("operation")
    _current.write = bool(kwargs.get("write"))
    return _real_request(self, method, path, **kwargs)  # type: ignore[arg-type]


@attrs.define
class Exchange:
    operation: str
    write: bool
    answer: Answer


@attrs.define
class Served:
    """What one call asked for, in order."""

    exchanges: list[Exchange] = attrs.field(factory=list)
    lock: threading.Lock = attrs.field(factory=threading.Lock)

    def ops(self) -> list[str]:
        return [e.operation for e in self.exchanges]


WRITE_METHODS = {"POST", "PUT", "DELETE"}


@contextlib.contextmanager
def serving(table: Mapping[str, list[Answer]]) -> Iterator[Served]:
    served = Served()

    def callback(request: Any) -> tuple[int, dict[str, str], bytes]:
        operation = getattr(_current, "operation", None) or "?"
        answers_ = table.get(operation) or table[OTHER]
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        key = f"{request.method} {request.url} ".encode() + body
        answer = answers_[zlib.crc32(key) % len(answers_)]
        with served.lock:
            if len(served.exchanges) >= MAX_REQUESTS:
                answer = json_answer({"error": "too many requests in one call"}, 404)
            served.exchanges.append(Exchange(operation, getattr(_current, "write", False), answer))
        return answer.status, dict(answer.headers), answer.body

    with (
        um.patch.object(Transport, "request", _naming_request),
        responses.RequestsMock(assert_all_requests_are_fired=False) as mock,
    ):
        for method in ("GET", "POST", "PUT", "DELETE"):
            mock.add_callback(method, re.compile(re.escape(BASE_URL) + r".*"), callback=callback)
        yield served
    assert len(served.exchanges) <= MAX_REQUESTS, f"endless requests: {served.ops()[-10:]}"


# --------------------------------------------------------------------------- vendors


def _quiet(market: Any) -> Any:
    """The market's limiter and back-off on a fake clock: nothing really sleeps."""
    clock = FakeClock()
    limiter = SlidingWindowLimiter(RateLimit(1000, 1.0), clock=clock, sleep=clock.sleep)
    for transport in market._transports:
        transport._sleep = clock.sleep
        transport._jitter = lambda: 0.0
        transport.limiter = limiter
    return market


def _fresh() -> None:
    # Nothing carried over from the previous example: limiters, journals, caches, secrets.
    _ratelimit._reset_shared_limiters()
    _store._forget_open_stores()
    _secret._reset_secrets()


_adapters: dict[str, Any] = {}


def _connect(vendor: str, **credentials: Any) -> Any:
    """``sm.connect(vendor, …, base_url=BASE_URL, store="memory")``, quiet (see ``_quiet``).

    The first call goes through ``sm.connect``; later ones make the same adapter class with the
    same options directly (finding the plugin again costs more than the whole example)."""
    _fresh()
    options = {"base_url": BASE_URL, "store": "memory", **credentials}
    if vendor in _adapters:
        market = _adapters[vendor](**options)
    else:
        market = sm.connect(vendor, **options)
        _adapters[vendor] = type(market)
    market = _quiet(market)
    if vendor == "skinsback":
        market._now = lambda: 1_700_000_000.0
    if vendor == "mannco":
        market._now = lambda: 1706745600.0  # the payment fixtures' tos_timestamp
    return market


MARKET_TM = Vendor(
    "market_tm",
    lambda: _connect("market_tm", api_key="test-key-123456", game="cs2"),
    aliases={
        "prices_class_instance_json": "prices_class_instance",
        "prices_class_instance": "prices_class_instance",
    },
    envelope=lambda value: {"success": True, "data": value, "items": value},
    # an item ready to take (status 4), so that withdraw(purchases) reaches trade-request-take
    extra={
        "items": [
            {
                "success": True,
                "items": [
                    {
                        "item_id": "286316844",
                        "market_hash_name": "Horns of Monstrous Reprisal",
                        "price": 4,
                        "currency": "USD",
                        "status": "4",
                        "botid": "354589802",
                    }
                ],
            }
        ]
    },
)
SWAPGG = Vendor(
    "swapgg",
    lambda: _connect("swapgg", api_key="test-swapgg-key-123456"),
    aliases={},
    envelope=lambda value: {"status": "OK", "result": value},
    # the purchase of the sale the writes buy (sales_browse.ok's first sale)
    extra={
        "sales_purchase": [
            {"status": "OK", "result": {"saleIds": ["bylAJ3i4u"], "purchaseAmount": 3122}}
        ]
    },
)
SKINSBACK = Vendor(
    "skinsback",
    lambda: _connect(
        "skinsback",
        client_id="test-sb-client-4711",
        client_secret="test-sb-secret-9f3e2a",
        trade_url="https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=AbCdEfGh",
    ),
    aliases={},
    envelope=lambda value: {"status": "success", "items": value},
)
MANNCO = Vendor(
    "mannco",
    lambda: _connect("mannco", api_key="test-mannco-key"),
    aliases={},
    envelope=lambda value: {"success": True, "err": False, "content": value},
)
VENDORS = {v.name: v for v in (MARKET_TM, SWAPGG, SKINSBACK, MANNCO)}

# --------------------------------------------------------------------------- happy path

#: One item name per vendor that its documented listings answer has.
NAMES = {
    "market_tm": "AWP | Worm God (Factory New)",
    "swapgg": "AK-47 | Aquamarine Revenge (Factory New)",
    "skinsback": "SSG 08 | Fever Dream (Field-Tested)",
    "mannco": "Souvenir M4A1-S | Imminent Danger (Field-Tested)",
}


def _happy_table(vendor: Vendor) -> Table:
    """Every operation answered with its first documented success."""
    table: Table = {OTHER: [json_answer({"error": "not routed"}, 404)]}
    for operation, documented in vendor.documented.items():
        ok = sorted(
            (d for d in documented if d.status == 200),
            key=lambda d: not d.case.startswith(("ok", "usd")),
        )
        if ok:
            table[operation] = [json_answer(ok[0].body)]
    for client_op, fixture_op in vendor.aliases.items():
        if fixture_op in table:
            table[client_op] = table[fixture_op]
    return table


@attrs.frozen
class Goods:
    """What the writes of one vendor act on, read through its adapter from documented answers."""

    listing: sm.Listing
    purchase: sm.Purchase
    asset_id: str
    listing_id: str


_goods: dict[str, Goods] = {}


def goods(vendor: Vendor) -> Goods:
    if vendor.name not in _goods:
        with serving(_happy_table(vendor)):
            market = vendor.connect()
            listing = market.list_for_sale(NAMES[vendor.name], limit=5)[0]
            inventory = market.my_inventory() if hasattr(market, "my_inventory") else []
            own = market.my_listings() if hasattr(market, "my_listings") else []
        # a purchase whose item the documented answers hold (withdraw(purchases) finds it)
        held = inventory[0] if inventory else listing
        purchase = sm.Purchase(
            market=listing.market,
            id="286316844" if vendor is MARKET_TM else held.id,
            custom_id="fuzz-bought-0001",
            market_hash_name=held.market_hash_name,
            price=held.price,
            status=sm.TradeStatus.PENDING,
            raw=held.raw,
        )
        _goods[vendor.name] = Goods(
            listing=listing,
            purchase=purchase,
            asset_id=(inventory[0].asset_id or inventory[0].id) if inventory else "30000000001",
            listing_id=own[0].id if own else "286316844",
        )
    return _goods[vendor.name]


# --------------------------------------------------------------------------- methods

SINCE = datetime(2024, 1, 1, tzinfo=UTC)


@attrs.frozen
class Method:
    """One public method of one vendor: how to call it, what it returns, what it asks for."""

    call: Callable[[Any, Goods], Any]
    returns: Callable[[Any], bool]
    operations: tuple[str, ...]
    #: the operation that sends the write (None: a read)
    write: str | None = None
    #: the operations a write's lookup asks for (a buy with a garbled answer asks one)
    lookup: tuple[str, ...] = ()
    #: the operations before the one under test, mostly answered well (see ``tables``)
    setup: tuple[str, ...] = ()


def list_of(cls: type) -> Callable[[Any], bool]:
    return lambda result: isinstance(result, list) and all(isinstance(r, cls) for r in result)


def one(cls: type | None) -> Callable[[Any], bool]:
    return lambda result: result is None if cls is None else isinstance(result, cls)


def _buy(market: Any, g: Goods) -> Any:
    return market.buy(g.listing, custom_id=CUSTOM_ID)


def _price(g: Goods) -> sm.Money:
    return sm.Money("2.50", g.listing.price.currency)


COMMON_READS: dict[str, Callable[[Any, Goods], Any]] = {
    "list_for_sale": lambda m, g: m.list_for_sale(g.listing.market_hash_name, limit=5),
    "balance": lambda m, g: m.balance(),
    "active_trades": lambda m, g: m.active_trades(),
    "prices_names": lambda m, g: m.prices(names=[g.listing.market_hash_name, "Other Item"]),
}
RETURNS: dict[str, Callable[[Any], bool]] = {
    "list_for_sale": list_of(sm.Listing),
    "balance": one(sm.Balance),
    "active_trades": list_of(sm.Trade),
    "all_trades": list_of(sm.Trade),
    "history": list_of(sm.Purchase),
    "withdraw": list_of(sm.Trade),
    "withdraw_purchases": list_of(sm.Trade),
    "prices": list_of(sm.PriceQuote),
    "prices_names": list_of(sm.PriceQuote),
    "get_purchase": one(sm.Purchase),
    "my_inventory": list_of(sm.Listing),
    "my_listings": list_of(sm.Listing),
    "buy": one(sm.Purchase),
    "buy_many": list_of(BatchItemResult),
    "sell": one(sm.Listing),
    "reprice": one(None),
    "delist": one(None),
    "payout": one(None),
    "resend_trade": one(sm.Trade),
}
CALLS: dict[str, Callable[[Any, Goods], Any]] = {
    **COMMON_READS,
    "all_trades": lambda m, g: m.all_trades(),
    "history": lambda m, g: m.history(SINCE),
    "withdraw": lambda m, g: m.withdraw(),
    "withdraw_purchases": lambda m, g: m.withdraw([g.purchase]),
    "prices": lambda m, g: m.prices(),
    "get_purchase": lambda m, g: m.get_purchase(CUSTOM_ID),
    "my_inventory": lambda m, g: m.my_inventory(),
    "my_listings": lambda m, g: m.my_listings(),
    "buy": _buy,
    "buy_many": lambda m, g: m.buy_many(
        [g.listing, attrs.evolve(g.listing, id=g.listing.id + "7")]
    ),
    "sell": lambda m, g: m.sell(g.asset_id, _price(g)),
    "reprice": lambda m, g: m.reprice(g.listing_id, _price(g)),
    "delist": lambda m, g: m.delist(g.listing_id),
    "payout": lambda m, g: m.payout(sm.Money("5.00", "EUR"), method="STRIPE"),
    "resend_trade": lambda m, g: m.resend_trade("123457"),
}

#: vendor -> method -> the operations it may ask for (found by running it), and for a write
#: the operation that sends it and those its lookup asks for.
PLAN: dict[str, dict[str, Method]] = {}


SETUP = {
    "market_tm": "get_money",
    "swapgg": "user_me",
    "skinsback": "",
    "mannco": "user_login item_details",
}


def _plan(
    vendor: str,
    method: str,
    operations: str,
    write: str | None = None,
    lookup: str = "",
    setup: str = "",
    shared_setup: bool = True,
) -> None:
    ops = tuple(operations.split())
    setups = (*(SETUP[vendor].split() if shared_setup else ()), *setup.split())
    PLAN.setdefault(vendor, {})[method] = Method(
        call=CALLS[method],
        returns=RETURNS[method],
        operations=ops,
        write=write,
        lookup=tuple(lookup.split()),
        setup=tuple(op for op in setups if op in ops),
    )


_plan("market_tm", "list_for_sale", "search_item_by_hash_name_specific")
_plan("market_tm", "balance", "get_money", shared_setup=False)
_plan("market_tm", "active_trades", "trades")
_plan("market_tm", "history", "history get_money")
_plan("market_tm", "withdraw", "trade_request_take", write="trade_request_take")
_plan(
    "market_tm",
    "withdraw_purchases",
    "items trade_request_take",
    write="trade_request_take",
    setup="items",
)
_plan("market_tm", "prices", "get_money prices_class_instance")
_plan("market_tm", "prices_names", "get_money prices_class_instance")
_plan("market_tm", "get_purchase", "get_buy_info_by_custom_id")
_plan("market_tm", "my_inventory", "get_money my_inventory")
_plan("market_tm", "my_listings", "get_money items")
_plan("market_tm", "buy", "buy get_buy_info_by_custom_id", "buy", "get_buy_info_by_custom_id")
_plan("market_tm", "sell", "get_money add_to_sale items", "add_to_sale", "items")
_plan("market_tm", "reprice", "get_money set_price items", "set_price", "items")
_plan("market_tm", "delist", "get_money set_price items", "set_price", "items")

_plan("swapgg", "list_for_sale", "sales_browse")
_plan("swapgg", "balance", "user_balance")
_plan("swapgg", "active_trades", "user_tradeoffers")
_plan(
    "swapgg",
    "withdraw",
    "inventory_browse inventory_withdraw user_tradeoffers",
    "inventory_withdraw",
    setup="inventory_browse",
)
_plan(
    "swapgg",
    "withdraw_purchases",
    "inventory_browse inventory_withdraw user_tradeoffers",
    "inventory_withdraw",
    setup="inventory_browse",
)
_plan("swapgg", "prices", "pricing_lowest buyorders_summary")
_plan("swapgg", "prices_names", "pricing_lowest buyorders_summary")
_plan("swapgg", "my_inventory", "inventory_browse")
_plan("swapgg", "my_listings", "user_me sales_browse")
_plan(
    "swapgg",
    "buy",
    "sales_browse sales_purchase inventory_browse",
    "sales_purchase",
    "inventory_browse",
    setup="sales_browse",
)
_plan(
    "swapgg",
    "sell",
    "inventory_browse sales_list user_me sales_browse",
    "sales_list",
    "user_me",
    setup="inventory_browse",
)
_plan(
    "swapgg", "reprice", "user_me sales_browse sales_update", "sales_update", setup="sales_browse"
)
_plan("swapgg", "delist", "user_me sales_browse sales_delist", "sales_delist", setup="sales_browse")
_plan("swapgg", "payout", "payout", "payout")

_plan("skinsback", "list_for_sale", "market_search")
_plan("skinsback", "balance", "balance")
_plan("skinsback", "active_trades", "market_history")
_plan("skinsback", "withdraw", "market_history")
_plan("skinsback", "withdraw_purchases", "market_getinfo")
_plan("skinsback", "prices", "market_pricelist")
_plan("skinsback", "prices_names", "market_pricelist")
_plan("skinsback", "get_purchase", "market_getinfo")
_plan("skinsback", "buy", "market_buy market_getinfo", "market_buy", "market_getinfo")
_plan(
    "skinsback", "buy_many", "market_batch_buy market_getinfo", "market_batch_buy", "market_getinfo"
)

_plan("mannco", "list_for_sale", "user_login item_details item_listing")
_plan("mannco", "balance", "user_login user_balance")
_plan("mannco", "active_trades", "user_login trades_active")
_plan("mannco", "all_trades", "user_login trades_all")
_plan(
    "mannco",
    "withdraw",
    "user_login inventory_oninventory inventory_withdraw trades_active",
    "inventory_withdraw",
    setup="inventory_oninventory",
)
_plan(
    "mannco",
    "withdraw_purchases",
    "user_login inventory_oninventory inventory_withdraw trades_active",
    "inventory_withdraw",
    setup="inventory_oninventory",
)
_plan("mannco", "prices_names", "user_login item_details item_pricing_bulk")
_plan("mannco", "my_inventory", "user_login inventory_oninventory")
_plan("mannco", "my_listings", "user_login inventory_onsale")
_plan(
    "mannco",
    "buy",
    "user_login item_listing item_details payment_mannco inventory_oninventory",
    "payment_mannco",
    "inventory_oninventory",
    setup="item_listing",
)
_plan(
    "mannco",
    "sell",
    "user_login inventory_oninventory inventory_price inventory_onsale",
    "inventory_price",
    "inventory_onsale",
    setup="inventory_oninventory",
)
_plan("mannco", "reprice", "user_login inventory_price inventory_onsale", "inventory_price")
_plan("mannco", "resend_trade", "user_login trade_resend", "trade_resend")

CASES = [(vendor, method) for vendor, methods in PLAN.items() for method in methods]

# --------------------------------------------------------------------------- the contract

CURRENCY = re.compile(r"[A-Z]{3}")


def check_money(money: object, where: str) -> None:
    assert isinstance(money, sm.Money), f"{where}: {money!r} is not Money"
    amount = money.amount
    assert isinstance(amount, Decimal), f"{where}: amount {amount!r} is not a Decimal"
    assert amount.is_finite(), f"{where}: amount {amount!r} is not finite"
    assert amount >= 0, f"{where}: negative amount {amount!r}"
    assert isinstance(money.currency, str) and CURRENCY.fullmatch(money.currency), where


def check_str(value: object, where: str, *, optional: bool = False) -> None:
    if optional and value is None:
        return
    assert isinstance(value, str), f"{where}: {value!r} is not a str"


def check_date(value: object, where: str) -> None:
    if value is None:
        return
    assert isinstance(value, datetime), f"{where}: {value!r} is not a datetime"
    assert value.tzinfo is not None, f"{where}: {value!r} is naive"


def check_listing(listing: sm.Listing) -> None:
    check_str(listing.id, "Listing.id")
    check_str(listing.market_hash_name, "Listing.market_hash_name")
    check_money(listing.price, f"Listing {listing.id!r} price")
    assert isinstance(listing.app_id, int), listing.app_id
    check_str(listing.asset_id, "Listing.asset_id", optional=True)
    assert listing.float_value is None or isinstance(listing.float_value, Decimal)
    assert isinstance(listing.quantity, int)


def check_purchase(purchase: sm.Purchase) -> None:
    check_str(purchase.id, "Purchase.id")
    check_str(purchase.custom_id, "Purchase.custom_id", optional=True)
    check_str(purchase.market_hash_name, "Purchase.market_hash_name")
    check_money(purchase.price, f"Purchase {purchase.id!r} price")
    assert isinstance(purchase.status, sm.TradeStatus)
    check_str(purchase.trade_offer_id, "Purchase.trade_offer_id", optional=True)
    check_date(purchase.created_at, "Purchase.created_at")


def check_trade(trade: sm.Trade) -> None:
    check_str(trade.id, "Trade.id")
    assert isinstance(trade.status, sm.TradeStatus)
    assert isinstance(trade.direction, sm.Direction)
    for name in ("offer_id", "bot_id", "secret"):
        check_str(getattr(trade, name), f"Trade.{name}", optional=True)
    assert isinstance(trade.items, tuple)
    for item in trade.items:
        check_str(item, "Trade.items[]")
    check_date(trade.created_at, "Trade.created_at")


def check_quote(quote: sm.PriceQuote) -> None:
    check_str(quote.market_hash_name, "PriceQuote.market_hash_name")
    for name in ("lowest_ask", "highest_bid"):
        value = getattr(quote, name)
        if value is not None:
            check_money(value, f"PriceQuote {quote.market_hash_name!r} {name}")
    assert quote.quantity is None or (isinstance(quote.quantity, int) and quote.quantity >= 0)
    check_date(quote.observed_at, "PriceQuote.observed_at")
    assert quote.observed_at is not None


def check_balance(balance: sm.Balance) -> None:
    check_money(balance.available, "Balance.available")
    if balance.withdrawable is not None:
        check_money(balance.withdrawable, "Balance.withdrawable")


def _null(answer: Answer) -> bool:
    return answer.body.strip() in (b"", b"null")


def check_error(error: BaseException, served: Served) -> None:
    assert isinstance(error, errors.SkinMarketsError), f"escaped: {error!r}"
    if isinstance(error, errors.UnexpectedResponse) and error.raw is None:
        # None is the raw answer only when an answer was JSON null (or empty)
        assert any(_null(e.answer) for e in served.exchanges), (
            f"UnexpectedResponse without the raw answer: {error}"
        )


def check_result(result: Any, served: Served) -> None:
    """Every model in ``result`` has its documented types (see the module docstring)."""
    for item in result if isinstance(result, list) else [result]:
        if isinstance(item, sm.Listing):
            check_listing(item)
        elif isinstance(item, sm.Purchase):
            check_purchase(item)
        elif isinstance(item, sm.Trade):
            check_trade(item)
        elif isinstance(item, sm.PriceQuote):
            check_quote(item)
        elif isinstance(item, sm.Balance):
            check_balance(item)
        elif isinstance(item, BatchItemResult):
            assert (item.purchase is None) != (item.error is None), item
            check_str(item.custom_id, "BatchItemResult.custom_id")
            if item.purchase is not None:
                check_purchase(item.purchase)
                assert item.purchase.custom_id == item.custom_id
            else:
                check_error(item.error, served)  # type: ignore[arg-type]


def check_outcome(method: Method, name: str, served: Served, outcome: Any) -> None:
    """The write rules of the module docstring, for a call that ended with ``outcome``."""
    garbled = [e for e in served.exchanges if e.write and e.answer.garbled]
    if name == "buy":
        if isinstance(outcome, errors.OutcomeUnknown):
            assert outcome.custom_id == CUSTOM_ID
        if isinstance(outcome, sm.Purchase):
            assert outcome.custom_id == CUSTOM_ID
    if not garbled:
        return
    if isinstance(outcome, BaseException):
        assert isinstance(outcome, errors.OutcomeUnknown), (
            f"the write {garbled[0].operation} was answered {garbled[0].answer!r}, which is "
            f"neither a success nor a refusal, yet the call ended as a refusal: {outcome!r}"
        )
    if name == "buy_many" and isinstance(outcome, list):
        for item in outcome:
            assert item.ok or isinstance(item.error, errors.OutcomeUnknown), (
                f"batch item {item.custom_id} refused after {garbled[0].answer!r}: {item.error!r}"
            )
    if name == "buy" and method.lookup:
        sent = served.ops().index(method.write) if method.write in served.ops() else -1
        asked = served.ops()[sent + 1 :]
        assert any(op in method.lookup for op in asked), (
            f"buy answered {garbled[0].answer!r} was not looked up ({method.lookup})"
        )


def run(vendor: Vendor, name: str, table: Table) -> tuple[Served, Any]:
    """Call one method against ``table``; its result or the exception it raised."""
    method = PLAN[vendor.name][name]
    g = goods(vendor)
    with serving(table) as served:
        market = vendor.connect()
        try:
            outcome = method.call(market, g)
        except Exception as exc:  # what escaped is the point
            outcome = exc
    return served, outcome


@pytest.mark.parametrize(("vendor", "name"), CASES, ids=[f"{v}-{m}" for v, m in CASES])
@PROPERTY
@given(data=st.data())
def test_every_answer_gives_the_typed_result_or_a_skinmarkets_error(
    vendor: str, name: str, data: st.DataObject
) -> None:
    spec = VENDORS[vendor]
    method = PLAN[vendor][name]
    table = data.draw(tables(spec, method.operations, method.setup), label="answers")
    served, outcome = run(spec, name, table)
    if isinstance(outcome, BaseException):
        check_error(outcome, served)
    else:
        assert method.returns(outcome), f"{name} returned {outcome!r}"
        check_result(outcome, served)
        if name == "list_for_sale":
            assert len(outcome) <= 5
            prices = [listing.price.amount for listing in outcome]
            assert prices == sorted(prices), "not cheapest first"
    if method.write is not None:
        check_outcome(method, name, served, outcome)


# --------------------------------------------------------------------------- pinned bugs
# One focused test per package bug the property found, with the smallest answer that showed it.


def answer_all(vendor: Vendor, name: str, **answers_: Answer) -> tuple[Served, Any]:
    """Call one method with these answers by operation (any other: HTTP 404)."""
    table: Table = {op: [a] for op, a in answers_.items()}
    table[OTHER] = [json_answer({"error": "not routed"}, 404)]
    return run(vendor, name, table)


@pytest.mark.parametrize("status", [["success"], {"ok": 1}, []], ids=["list", "dict", "empty"])
def test_skinsback_envelope_status_that_is_no_string_is_unexpected_response(status: Any) -> None:
    # Was: TypeError (unhashable type) out of skinsback read_envelope's FAILURE_STATUSES check.
    body = {"status": status, "balance_in_currencies": {"usd": "1.00"}}
    _, outcome = answer_all(SKINSBACK, "balance", balance=json_answer(body))
    assert isinstance(outcome, errors.UnexpectedResponse)
    assert outcome.raw == body


@pytest.mark.parametrize("code", ["²", "--5", "٣"], ids=["superscript-two", "two-signs", "arabic"])
def test_skinsback_error_code_int_refuses_is_a_refusal(code: str) -> None:
    # Was: ValueError out of skinsback errors._code ("²".isdigit() is true, int("²") fails).
    body = {"status": "error", "error_code": code, "error_message": "missing_starting_or_ending"}
    _, outcome = answer_all(SKINSBACK, "active_trades", market_history=json_answer(body))
    assert isinstance(outcome, errors.APIError)
    assert outcome.raw == body
