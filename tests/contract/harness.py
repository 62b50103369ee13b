"""Per-vendor harnesses for the contract suite: one class per adapter, no per-vendor tests.

A harness knows how to connect to its vendor and how to make ``responses`` answer like the
vendor in each situation the contract tests need. The tests only speak the shared protocol, so
adding a vendor means writing one subclass of :class:`VendorHarness` in
``harness_<vendor>.py`` and adding an instance of it to ``HARNESSES`` in ``harnesses.py``.

Answers that are the same for every vendor (a read timeout, an HTML 502 page, a truncated body)
are built here from the endpoint alone; vendor envelopes come from ``fixtures/<vendor>/``.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import urlsplit

import attrs
import requests
import responses
import urllib3.exceptions

import skinmarkets as sm
from skinmarkets._http import Transport
from tests.contract.inspection import reachable

#: The origin every ``responses`` test connects to; nothing resolves it, ``responses`` answers.
BASE = "https://vendor.contract.test"

#: Ways a write can fail with no usable answer: it may or may not have happened.
AMBIGUOUS_FAILURES = (
    "read_timeout",
    "connection_reset",
    "http_500",
    "http_503_json",
    "html_502",
    "html_200",
    "truncated_json",
    "empty_body",
    # JSON of an unexpected shape: neither an understood success nor a well-formed refusal
    "json_empty_object",
    "json_array",
    "json_null",
    "flag_null",
    "flag_false_as_text",
    "flag_as_list",
)

#: Answers of an unexpected shape, given the vendor's success flag ("success", "status").
_WRONG_SHAPES: Mapping[str, Callable[[str], Any]] = {
    "json_empty_object": lambda flag: {},
    "json_array": lambda flag: [],
    "json_null": lambda flag: None,
    "flag_null": lambda flag: {flag: None},
    "flag_false_as_text": lambda flag: {flag: "false"},
    "flag_as_list": lambda flag: {flag: []},
}

#: Well-formed refusals of a buy (the vendor answered "no") and the error each must raise.
BUY_REFUSALS: Mapping[str, type[sm.errors.SkinMarketsError]] = {
    "insufficient_funds": sm.errors.InsufficientFunds,
    "price_exceeded": sm.errors.PriceExceeded,
    "item_unavailable": sm.errors.ItemUnavailable,
    "rate_limited": sm.errors.RateLimited,
}

_NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_MAINTENANCE_200 = "<!DOCTYPE html><html><body><h1>Maintenance</h1>Back soon.</body></html>"


@attrs.frozen
class Endpoint:
    """One vendor endpoint: HTTP method and path below the base URL."""

    method: str
    path: str


@attrs.frozen
class Refusal:
    """A registered vendor refusal: what was sent back, and the call that gets it."""

    body: Any
    http_status: int
    act: Callable[[sm.Marketplace], object]
    operations: frozenset[str]  # names the error's ``.operation`` may carry


@attrs.frozen
class Seen:
    """A request as a loopback server received it."""

    method: str
    target: str  # path and query
    headers: Mapping[str, str]
    body: bytes


def _raising(make: Callable[[str], Exception]) -> Callable[[requests.PreparedRequest], Any]:
    """A ``responses`` callback raising what ``requests`` would, URL in the message as it does."""

    def callback(request: requests.PreparedRequest) -> Any:
        return make(request.url or "")

    return callback


def _transport_exception(kind: str) -> Callable[[str], Exception]:
    if kind == "read_timeout":
        return lambda url: requests.ReadTimeout(
            f"HTTPSConnectionPool: Read timed out. (read timeout=20) url: {url}"
        )
    if kind == "connect_timeout":
        return lambda url: requests.ConnectTimeout(
            f"HTTPSConnectionPool: Max retries exceeded with url: {url} (connect timeout=5)"
        )
    if kind == "connection_reset":
        return lambda url: requests.ConnectionError(
            urllib3.exceptions.ProtocolError(
                f"Connection aborted. url: {url}",
                ConnectionResetError(104, "Connection reset by peer"),
            )
        )
    raise ValueError(f"not a transport failure: {kind}")


class VendorHarness(abc.ABC):
    """How the contract suite talks to one vendor through ``responses`` and a loopback server."""

    vendor: ClassVar[str]
    #: connect() option -> credential value; every value here must stay secret.
    credentials: ClassVar[Mapping[str, str]]
    #: Non-secret connect() options this harness always passes.
    options: ClassVar[Mapping[str, object]] = {}
    #: The item name ``add_listings`` answers for.
    item_name: ClassVar[str]
    #: The exact amount ``add_balance`` answers with, in major units.
    balance_amount: ClassVar[Decimal]
    base_url: ClassVar[str] = BASE
    #: The envelope's success flag ("success" or "status"), for answers of a wrong shape.
    success_flag: ClassVar[str] = "success"

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    # ------------------------------------------------------------------ connecting

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every credential value the harness connects with."""
        return tuple(self.credentials.values())

    def connect(self, **extra: object) -> sm.Marketplace:
        """``sm.connect`` with the harness credentials, ``BASE`` and no retries unless ``extra``."""
        options: dict[str, object] = {
            "base_url": self.base_url,
            "max_retries": 0,
            **self.credentials,
            **self.options,
        }
        options.update(extra)
        return sm.connect(self.vendor, **options)

    def connect_retrying(self, **extra: object) -> tuple[sm.Marketplace, list[float]]:
        """Connected with the default ``max_retries``; every transport's back-off is recorded
        in the returned list instead of slept, so a retry costs no time and can be seen."""
        options: dict[str, object] = {"base_url": self.base_url, **self.credentials}
        options.update(self.options)
        options.update(extra)
        market = sm.connect(self.vendor, **options)
        sleeps: list[float] = []  # float ok: seconds
        transports = [o for o in reachable(market) if isinstance(o, Transport)]
        assert transports, f"{self.vendor}: no Transport found on the market"
        for transport in transports:
            transport._sleep = sleeps.append
        return market, sleeps

    def mock(self) -> responses.RequestsMock:
        """A ``responses`` mock with whatever the vendor needs before any call (e.g. a login)."""
        return responses.RequestsMock(assert_all_requests_are_fired=False)

    def listing(self, market: sm.Marketplace) -> sm.Listing:
        """The cheapest listing of ``item_name``, fetched through ``market`` from a mock."""
        with self.mock() as mock:
            self.add_listings(mock)
            listings = market.list_for_sale(self.item_name, limit=10)
        assert listings, f"{self.vendor}: the listing fixture gave no listings"
        return listings[0]

    # ------------------------------------------------------------------ endpoints

    @property
    @abc.abstractmethod
    def buy_endpoint(self) -> Endpoint:
        """Where ``buy`` sends the purchase."""

    @property
    @abc.abstractmethod
    def lookup_endpoint(self) -> Endpoint:
        """Where a purchase is looked up by ``custom_id``."""

    @property
    @abc.abstractmethod
    def balance_endpoint(self) -> Endpoint:
        """Where ``balance`` reads the balance (the suite's typical read)."""

    # ------------------------------------------------------------------ vendor answers

    @abc.abstractmethod
    def add_listings(self, mock: responses.RequestsMock) -> None:
        """Answer the listing search for ``item_name`` with at least two listings."""

    @abc.abstractmethod
    def add_buy_ok(self, mock: responses.RequestsMock) -> None:
        """Answer one buy with success."""

    @abc.abstractmethod
    def add_buy_duplicate(self, mock: responses.RequestsMock) -> None:
        """Answer one buy with the vendor's refusal of an already used custom_id."""

    @abc.abstractmethod
    def add_buy_refusal(self, mock: responses.RequestsMock, kind: str) -> None:
        """Answer one buy with a well-formed refusal, ``kind`` a key of ``BUY_REFUSALS``."""

    @abc.abstractmethod
    def add_lookup_found(self, mock: responses.RequestsMock, custom_id: str) -> None:
        """Answer the lookup of ``custom_id`` (and only of it) with the bought item."""

    @abc.abstractmethod
    def add_lookup_not_found(self, mock: responses.RequestsMock, custom_id: str) -> None:
        """Answer the lookup of ``custom_id`` with "no such purchase"."""

    @abc.abstractmethod
    def add_balance(self, mock: responses.RequestsMock) -> None:
        """Answer the balance with an amount that has a fraction (a JSON number where usual)."""

    @abc.abstractmethod
    def add_active_trades(self, mock: responses.RequestsMock) -> None:
        """Answer the active trades with at least one trade."""

    @abc.abstractmethod
    def add_withdraw_nothing(self, mock: responses.RequestsMock) -> None:
        """Answer a withdraw of everything with "nothing to withdraw"."""

    @abc.abstractmethod
    def add_refusal(self, mock: responses.RequestsMock, message: str) -> Refusal:
        """Answer a read with the vendor's failure envelope carrying ``message`` as its code."""

    @abc.abstractmethod
    def add_auth_refusal(self, mock: responses.RequestsMock, status: int) -> None:
        """Answer the balance with the vendor's refusal of the credential at HTTP ``status``."""

    def add_price_list(self, mock: responses.RequestsMock) -> None:
        """Answer ``prices()``; required when the vendor advertises ``price_list``."""
        raise NotImplementedError(f"{self.vendor}: no price list answer in the harness")

    @abc.abstractmethod
    def loopback_answer(self, method: str, path: str) -> tuple[int, Any] | None:
        """For a real loopback server: (status, JSON body) for a request path, None for 404."""

    @abc.abstractmethod
    def credential_in(self, seen: Seen) -> bool:
        """True when ``seen`` carries the harness credential the way the vendor expects it."""

    def send_secret_in_query(self, market: sm.Marketplace, value: str) -> None:
        """Make one call that puts ``value`` (someone's key) in the query string, if any exists."""
        raise NotImplementedError(f"{self.vendor}: no call sends a secret in the query")

    # ------------------------------------------------------------------ generic answers

    def add_answer(
        self,
        mock: responses.RequestsMock,
        endpoint: Endpoint,
        *,
        status: int = 200,
        json_body: Any = None,
        text: str | None = None,
        content_type: str = "application/json",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Register one answer at ``endpoint``: a JSON body, or ``text`` as given."""
        body = text if text is not None else json.dumps(json_body, ensure_ascii=False)
        mock.add(
            endpoint.method,
            self.base_url + endpoint.path,
            status=status,
            body=body.encode("utf-8"),
            content_type=content_type,
            headers=dict(headers or {}),
        )

    def add_transport_failure(
        self, mock: responses.RequestsMock, endpoint: Endpoint, kind: str
    ) -> None:
        """``read_timeout``, ``connect_timeout`` or ``connection_reset`` at ``endpoint``."""
        mock.add_callback(
            endpoint.method,
            self.base_url + endpoint.path,
            callback=_raising(_transport_exception(kind)),
        )

    def add_ambiguous(self, mock: responses.RequestsMock, endpoint: Endpoint, kind: str) -> None:
        """One of ``AMBIGUOUS_FAILURES`` at ``endpoint``: no usable answer came back."""
        if kind in ("read_timeout", "connection_reset"):
            self.add_transport_failure(mock, endpoint, kind)
        elif kind == "http_500":
            self.add_answer(
                mock, endpoint, status=500, text="Internal Server Error", content_type="text/plain"
            )
        elif kind == "http_503_json":
            self.add_answer(mock, endpoint, status=503, json_body={"error": "Service Unavailable"})
        elif kind == "html_502":
            self.add_answer(mock, endpoint, status=502, text=_NGINX_502, content_type="text/html")
        elif kind == "html_200":
            self.add_answer(mock, endpoint, text=_MAINTENANCE_200, content_type="text/html")
        elif kind == "truncated_json":
            self.add_answer(mock, endpoint, text='{"success": true, "id": "1362')
        elif kind == "empty_body":
            self.add_answer(mock, endpoint, text="")
        elif kind in _WRONG_SHAPES:
            body = _WRONG_SHAPES[kind](self.success_flag)
            self.add_answer(mock, endpoint, text=json.dumps(body), content_type="application/json")
        else:
            raise ValueError(f"unknown ambiguous failure {kind!r}")

    def add_buy_ambiguous(self, mock: responses.RequestsMock, kind: str) -> None:
        """The buy request fails in one of the ``AMBIGUOUS_FAILURES`` ways."""
        self.add_ambiguous(mock, self.buy_endpoint, kind)

    # ------------------------------------------------------------------ counting

    def calls_to(self, mock: responses.RequestsMock, endpoint: Endpoint) -> list[Any]:
        """The calls ``mock`` received for ``endpoint`` (answered or not)."""
        return [
            call
            for call in mock.calls
            if call.request.method == endpoint.method
            and urlsplit(call.request.url).path == urlsplit(self.base_url + endpoint.path).path
        ]

    def buy_calls(self, mock: responses.RequestsMock) -> int:
        """How many buy requests were sent."""
        return len(self.calls_to(mock, self.buy_endpoint))

    def lookup_calls(self, mock: responses.RequestsMock) -> int:
        """How many purchase lookups were sent."""
        return len(self.calls_to(mock, self.lookup_endpoint))

    def sent_custom_ids(self, mock: responses.RequestsMock) -> list[str | None]:
        """The custom_id each buy request carried (None where the vendor takes none)."""
        return [None for _ in self.calls_to(mock, self.buy_endpoint)]
