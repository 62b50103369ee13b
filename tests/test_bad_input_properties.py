"""Bad input is refused before anything is sent, by every adapter.

Each vendor is connected to a ``responses`` mock that answers nothing, and the calls it saw are
counted: whatever bad value ``buy``, ``withdraw``, ``sell``, ``reprice`` or ``delist`` gets --
a Listing with a price not above 0, an empty id, a currency the market does not trade or of
another market, something that is not a Listing, a float cap, a cap below the price, a bad
custom_id, a string or a lone Purchase for ``withdraw`` -- the call raises ``TypeError`` or a
refusal (``InvalidRequest``, ``PriceExceeded``, ``ConfigurationError``; ``NotSupported`` where
the vendor cannot do it at all) and no request was made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import attrs
import pytest
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import skinmarkets as sm
from skinmarkets import Listing, Money, Purchase, TradeStatus, errors

PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TRADE_URL = "https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=AbCdEfGh"
#: store-free defaults; max_retries=0 so that a wrong read would fail fast instead of backing off.
CONNECT: dict[str, dict[str, Any]] = {
    "market_tm": {"api_key": "bad-input-key", "base_url": "https://tm.test"},
    "swapgg": {"api_key": "bad-input-key", "base_url": "https://swapgg.test"},
    "skinsback": {
        "client_id": "1",
        "client_secret": "bad-input-secret",
        "trade_url": TRADE_URL,  # so that a refusal is never just the missing trade_url
        "base_url": "https://skinsback.test",
    },
    "mannco": {"api_key": "bad-input-key", "base_url": "https://mannco.test"},
}
VENDORS = sorted(CONNECT)
SELLERS = [v for v in VENDORS if v != "skinsback"]  # SkinsBack only sells to the user

#: What a bad argument may raise: a wrong type, or a refusal made before sending.
REFUSALS = (
    TypeError,
    errors.InvalidRequest,
    errors.PriceExceeded,
    errors.ConfigurationError,
    errors.NotSupported,
)
#: Currencies none of the four markets trades.
FOREIGN = ["GBP", "CNY", "JPY", "PLN", "CHF", "TRY"]


def connect(vendor: str) -> Any:
    return sm.connect(vendor, max_retries=0, **CONNECT[vendor])


@contextmanager
def no_answers() -> Iterator[responses.RequestsMock]:
    """A mock with no URL registered: any request fails, and is counted in ``.calls``."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def assert_refused_without_sending(call: Callable[[], object]) -> BaseException:
    with no_answers() as mock:
        with pytest.raises(REFUSALS) as raised:
            call()
        assert len(mock.calls) == 0, f"sent {mock.calls[0].request.url} before refusing"
    return raised.value


def currency_of(market: Any) -> str:
    return sorted(market.capabilities.currencies)[0] if market.vendor != "market_tm" else "USD"


def good_listing(market: Any) -> Listing:
    return Listing(
        market=market.name,
        id="123456",
        market_hash_name="AK-47 | Redline (Field-Tested)",
        price=Money("4.00", currency_of(market)),
        app_id=730,
    )


def good_purchase(market: Any) -> Purchase:
    return Purchase(
        market=market.name,
        id="123456",
        custom_id="c0ffee",
        market_hash_name="AK-47 | Redline (Field-Tested)",
        price=Money("4.00", currency_of(market)),
        status=TradeStatus.PENDING,
    )


def tampered(listing: Listing, **fields: Any) -> Listing:
    """``listing`` with fields set past its converters, as a careless caller could."""
    copy = attrs.evolve(listing)
    for name, value in fields.items():
        object.__setattr__(copy, name, value)
    return copy


# --------------------------------------------------------------------------- strategies

NOT_A_LISTING = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(),
    st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2),
    st.just(Decimal("4.00")),
)
NOT_POSITIVE = st.decimals(min_value=-(10**6), max_value=0, places=3, allow_nan=False)
BLANK_IDS = st.text(alphabet=" \t\n", max_size=3)
NOT_STR_IDS = st.one_of(st.none(), st.integers(), st.binary(max_size=3), st.lists(st.just("1")))
NOT_MONEY = st.one_of(
    st.floats(allow_nan=False),
    st.text(max_size=6),
    st.integers(),
    st.decimals(allow_nan=False, allow_infinity=False),
)
BAD_CUSTOM_IDS = st.one_of(
    st.integers(),
    st.binary(max_size=4),
    st.lists(st.text(max_size=2), max_size=2),
    BLANK_IDS,
    st.text(min_size=101, max_size=140).filter(str.strip),  # longer than any vendor allows
)
#: Ids no Seller method accepts (an int >= 0 is an id spelled as a number: accepted).
BAD_SELLER_IDS = st.one_of(
    BLANK_IDS,
    st.none(),
    st.booleans(),
    st.integers(max_value=-1),
    st.floats(),
    st.binary(max_size=3),
    st.lists(st.just("1"), max_size=2),
)


@st.composite
def bad_buys(draw: st.DrawFn, market: Any) -> tuple[object, dict[str, object]]:
    """A ``buy`` call that must be refused locally: (listing, keyword arguments)."""
    good = good_listing(market)
    currency = good.price.currency
    foreign = draw(st.sampled_from(FOREIGN))
    kind = draw(
        st.sampled_from(
            [
                "not_a_listing",
                "price_not_positive",
                "blank_id",
                "id_not_str",
                "price_not_money",
                "foreign_currency",
                "other_market",
                "cap_not_money",
                "cap_below_price",
                "cap_in_another_currency",
                "bad_custom_id",
            ]
        )
    )
    listing: object = good
    options: dict[str, object] = {}
    if kind == "not_a_listing":
        listing = draw(st.one_of(NOT_A_LISTING, st.just(good_purchase(market)), st.just([good])))
    elif kind == "price_not_positive":
        listing = attrs.evolve(good, price=Money(draw(NOT_POSITIVE), currency))
    elif kind == "blank_id":
        listing = attrs.evolve(good, id=draw(BLANK_IDS))
    elif kind == "id_not_str":
        listing = tampered(good, id=draw(NOT_STR_IDS))
    elif kind == "price_not_money":
        listing = tampered(good, price=draw(NOT_MONEY))
    elif kind == "foreign_currency":
        listing = attrs.evolve(good, price=Money("4.00", foreign))
        options["max_price"] = draw(st.sampled_from([None, Money("5.00", foreign)]))
    elif kind == "other_market":
        other = draw(st.text(max_size=20).filter(lambda name: name != market.name))
        listing = attrs.evolve(good, market=other)
    elif kind == "cap_not_money":
        options["max_price"] = draw(NOT_MONEY)
    elif kind == "cap_below_price":
        below = draw(st.decimals(min_value=-10, max_value=Decimal("3.99"), places=2))
        options["max_price"] = Money(below, currency)
    elif kind == "cap_in_another_currency":
        options["max_price"] = Money("5.00", foreign)
    else:
        options["custom_id"] = draw(BAD_CUSTOM_IDS)
    return listing, options


@st.composite
def bad_withdrawals(draw: st.DrawFn, market: Any) -> object:
    """A ``purchases`` argument ``withdraw`` must refuse."""
    purchase = good_purchase(market)
    other = attrs.evolve(purchase, market=draw(st.sampled_from(["elsewhere", "market_tm:dota2"])))
    stranger = draw(
        st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=8),
            st.just(good_listing(market)),
            st.just(other),
            st.just([purchase]),
        )
    )
    goods = draw(st.lists(st.just(purchase), max_size=2))
    at = draw(st.integers(min_value=0, max_value=len(goods)))
    mixed = [*goods[:at], stranger, *goods[at:]]
    return draw(
        st.one_of(
            st.text(max_size=12),  # a string is a sequence, of characters
            st.binary(max_size=4),
            st.integers(),
            st.just(purchase),  # one Purchase instead of a list of them
            st.dictionaries(st.text(max_size=3), st.just(purchase), max_size=2),
            st.frozensets(st.just(purchase), min_size=1),
            st.just(iter([purchase])),
            st.just(mixed),
            st.just(tuple(mixed)),
        )
    )


@st.composite
def bad_prices(draw: st.DrawFn, market: Any) -> object:
    """A ``price`` no Seller method accepts: not Money, not above 0, foreign, finer than a unit."""
    currency = currency_of(market)
    return draw(
        st.one_of(
            NOT_MONEY,
            st.none(),
            NOT_POSITIVE.map(lambda amount: Money(amount, currency)),
            st.sampled_from(FOREIGN).map(lambda code: Money("4.00", code)),
            st.just(Money("4.0001", currency)),  # finer than every vendor's unit
        )
    )


# --------------------------------------------------------------------------- buy


@pytest.mark.parametrize("vendor", VENDORS)
@PROPERTY
@given(data=st.data())
def test_buy_refuses_bad_input_without_sending(vendor: str, data: st.DataObject) -> None:
    market = connect(vendor)
    listing, options = data.draw(bad_buys(market), label="buy")
    assert_refused_without_sending(lambda: market.buy(listing, **options))


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("listing", [None, "abc", 42, {"id": "1"}])
def test_buy_without_a_listing_says_to_pass_one_from_list_for_sale(
    vendor: str, listing: object
) -> None:
    market = connect(vendor)
    refusal = assert_refused_without_sending(lambda: market.buy(listing))
    assert type(refusal) is TypeError
    assert str(refusal).startswith(f"{vendor}: buy: pass a Listing from list_for_sale, got ")


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"price": Money("0", "USD")}, "listing.price"),
        ({"price": Money("-12.031", "USD")}, "listing.price"),
        ({"id": ""}, "listing.id"),
        ({"price": Money("4.00", "GBP")}, "listing.price"),
        ({"market": "elsewhere"}, "belongs to 'elsewhere'"),
    ],
)
def test_a_bad_listing_is_invalid_request_naming_the_field(
    vendor: str, change: dict[str, Any], field: str
) -> None:
    market = connect(vendor)
    listing = good_listing(market)
    if "price" in change and change["price"].currency == "USD":
        change = {"price": Money(change["price"].amount, currency_of(market))}
    refusal = assert_refused_without_sending(lambda: market.buy(attrs.evolve(listing, **change)))
    assert isinstance(refusal, errors.InvalidRequest)
    assert field in str(refusal)
    assert refusal.vendor == vendor


# --------------------------------------------------------------------------- withdraw


@pytest.mark.parametrize("vendor", VENDORS)
@PROPERTY
@given(data=st.data())
def test_withdraw_refuses_anything_but_a_list_of_this_markets_purchases(
    vendor: str, data: st.DataObject
) -> None:
    market = connect(vendor)
    purchases = data.draw(bad_withdrawals(market), label="purchases")
    assert_refused_without_sending(lambda: market.withdraw(purchases))


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("purchases", ["notalist", 5])
def test_withdraw_of_a_string_or_a_number_is_a_type_error_saying_what_to_pass(
    vendor: str, purchases: object
) -> None:
    market = connect(vendor)
    refusal = assert_refused_without_sending(lambda: market.withdraw(purchases))
    assert type(refusal) is TypeError
    assert "takes None (everything held) or a list of Purchase from buy" in str(refusal)


# --------------------------------------------------------------------------- Seller


@pytest.mark.parametrize("vendor", SELLERS)
@PROPERTY
@given(data=st.data())
def test_sell_refuses_a_bad_asset_id_or_price_without_sending(
    vendor: str, data: st.DataObject
) -> None:
    market = connect(vendor)
    good_price = Money("4.00", currency_of(market))
    asset_id, price = data.draw(
        st.one_of(
            st.tuples(BAD_SELLER_IDS, st.just(good_price)),
            st.tuples(st.just("123456"), bad_prices(market)),
        ),
        label="sell",
    )
    assert_refused_without_sending(lambda: market.sell(asset_id, price))


@pytest.mark.parametrize("vendor", SELLERS)
@PROPERTY
@given(data=st.data())
def test_reprice_refuses_a_bad_listing_id_or_price_without_sending(
    vendor: str, data: st.DataObject
) -> None:
    market = connect(vendor)
    good_price = Money("4.00", currency_of(market))
    listing_id, price = data.draw(
        st.one_of(
            st.tuples(BAD_SELLER_IDS, st.just(good_price)),
            st.tuples(st.just("123456"), bad_prices(market)),
        ),
        label="reprice",
    )
    assert_refused_without_sending(lambda: market.reprice(listing_id, price))


@pytest.mark.parametrize("vendor", SELLERS)
@PROPERTY
@given(listing_id=BAD_SELLER_IDS)
def test_delist_refuses_a_bad_listing_id_without_sending(vendor: str, listing_id: object) -> None:
    market = connect(vendor)
    assert_refused_without_sending(lambda: market.delist(listing_id))
