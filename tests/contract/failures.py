"""Every way the contract suite makes an adapter fail, as one catalogue.

``test_errors`` checks that each failure raises the right ``SkinMarketsError``; ``test_secrets``
checks that none of them shows a credential. A failure is a function of the harness that returns
the exception the adapter raised.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import attrs
import pytest

import skinmarkets as sm
from skinmarkets import errors
from tests.contract.harness import AMBIGUOUS_FAILURES, BUY_REFUSALS, VendorHarness

CUSTOM_ID = "contract-order-0001"
UNKNOWN_CODE = "contract_unmapped_code_2718"


def raised(action: Callable[[], object]) -> BaseException:
    """The exception ``action`` raises; the test fails when it returns normally."""
    try:
        result = action()
    except BaseException as exc:
        return exc
    pytest.fail(f"expected an error, got {result!r}")


def closed_loopback_port() -> int:
    """A 127.0.0.1 port that nothing listens on (bound, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@attrs.frozen
class Failure:
    """One failure: how to provoke it and what it must raise."""

    name: str
    provoke: Callable[[VendorHarness], BaseException]
    expected: tuple[type[BaseException], ...]
    #: The one documented non-SkinMarketsError: a float where Money is required.
    type_error: bool = False


def _read_failure(kind: str) -> Callable[[VendorHarness], BaseException]:
    def provoke(h: VendorHarness) -> BaseException:
        market = h.connect()
        with h.mock() as mock:
            if kind == "connect_timeout":
                h.add_transport_failure(mock, h.balance_endpoint, kind)
            else:
                h.add_ambiguous(mock, h.balance_endpoint, kind)
            return raised(market.balance)

    return provoke


def _read_answer(
    status: int, text: str, headers: dict[str, str] | None = None
) -> Callable[[VendorHarness], BaseException]:
    def provoke(h: VendorHarness) -> BaseException:
        market = h.connect()
        with h.mock() as mock:
            h.add_answer(mock, h.balance_endpoint, status=status, text=text, headers=headers)
            return raised(market.balance)

    return provoke


def _auth_refusal(status: int) -> Callable[[VendorHarness], BaseException]:
    def provoke(h: VendorHarness) -> BaseException:
        market = h.connect()
        with h.mock() as mock:
            h.add_auth_refusal(mock, status)
            return raised(market.balance)

    return provoke


def _unknown_refusal(h: VendorHarness) -> BaseException:
    market = h.connect()
    with h.mock() as mock:
        refusal = h.add_refusal(mock, UNKNOWN_CODE)
        return raised(lambda: refusal.act(market))


def _buy_unsettled(kind: str) -> Callable[[VendorHarness], BaseException]:
    def provoke(h: VendorHarness) -> BaseException:
        market = h.connect()
        listing = h.listing(market)
        with h.mock() as mock:
            h.add_buy_ambiguous(mock, kind)
            h.add_lookup_not_found(mock, CUSTOM_ID)
            return raised(lambda: market.buy(listing, custom_id=CUSTOM_ID))

    return provoke


def _buy_refused(kind: str) -> Callable[[VendorHarness], BaseException]:
    def provoke(h: VendorHarness) -> BaseException:
        market = h.connect()
        listing = h.listing(market)
        with h.mock() as mock:
            h.add_buy_refusal(mock, kind)
            return raised(lambda: market.buy(listing, custom_id=CUSTOM_ID))

    return provoke


def _buy_never_sent(h: VendorHarness) -> BaseException:
    market = h.connect()
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_transport_failure(mock, h.buy_endpoint, "connect_timeout")
        return raised(lambda: market.buy(listing, custom_id=CUSTOM_ID))


def _bad_cap(make_cap: Callable[[sm.Listing], object]) -> Callable[[VendorHarness], BaseException]:
    def provoke(h: VendorHarness) -> BaseException:
        market = h.connect()
        listing = h.listing(market)
        with h.mock():
            return raised(lambda: market.buy(listing, max_price=make_cap(listing)))  # type: ignore[arg-type]

    return provoke


def _refused_port_read(h: VendorHarness) -> BaseException:
    market = h.connect(base_url=f"http://127.0.0.1:{closed_loopback_port()}")
    return raised(market.balance)


def _refused_port_buy(h: VendorHarness) -> BaseException:
    listing = h.listing(h.connect())
    market = h.connect(base_url=f"http://127.0.0.1:{closed_loopback_port()}")
    return raised(lambda: market.buy(listing, custom_id=CUSTOM_ID))


def other_currency(money: sm.Money) -> str:
    """A currency that is not ``money``'s."""
    return "EUR" if money.currency != "EUR" else "USD"


_READ_EXPECTED: dict[str, tuple[type[BaseException], ...]] = {
    "read_timeout": (errors.Timeout,),
    "connection_reset": (errors.NetworkError,),
    "http_500": (errors.ServiceUnavailable,),
    "http_503_json": (errors.ServiceUnavailable,),
    "html_502": (errors.ServiceUnavailable,),
    "html_200": (errors.ServiceUnavailable, errors.APIError),
    "truncated_json": (errors.ServiceUnavailable, errors.APIError),
    "empty_body": (errors.ServiceUnavailable, errors.APIError),
}

FAILURES: list[Failure] = [
    *(Failure(f"read_{k}", _read_failure(k), v) for k, v in _READ_EXPECTED.items()),
    Failure("read_connect_timeout", _read_failure("connect_timeout"), (errors.Timeout,)),
    Failure("read_json_array", _read_answer(200, "[]"), (errors.APIError,)),
    Failure(
        "read_rate_limited",
        _read_answer(429, "{}", {"Retry-After": "7"}),
        (errors.RateLimited,),
    ),
    *(
        Failure(f"auth_refused_{s}", _auth_refusal(s), (errors.AuthenticationError,))
        for s in (200, 401, 403)
    ),
    Failure("unknown_refusal", _unknown_refusal, (errors.APIError,)),
    *(
        Failure(f"buy_{k}_unsettled", _buy_unsettled(k), (errors.OutcomeUnknown,))
        for k in AMBIGUOUS_FAILURES
    ),
    *(Failure(f"buy_refused_{k}", _buy_refused(k), (e,)) for k, e in BUY_REFUSALS.items()),
    Failure("buy_connect_timeout", _buy_never_sent, (errors.NetworkError,)),
    Failure(
        "buy_float_max_price",
        _bad_cap(lambda listing: float(listing.price.amount)),  # float ok: the refused input
        (TypeError,),
        type_error=True,
    ),
    Failure(
        "buy_other_currency_cap",
        _bad_cap(lambda listing: sm.Money(listing.price.amount, other_currency(listing.price))),
        (errors.InvalidRequest,),
    ),
    Failure(
        "buy_cap_below_price",
        _bad_cap(lambda listing: listing.price / 2),
        (errors.PriceExceeded,),
    ),
    Failure("read_connection_refused", _refused_port_read, (errors.NetworkError,)),
    Failure("buy_connection_refused", _refused_port_buy, (errors.NetworkError,)),
]

FAILURE_IDS = [f.name for f in FAILURES]
