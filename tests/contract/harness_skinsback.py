"""The skinsback harness: answers built from ``fixtures/skinsback/*.json``.

SkinsBack has one endpoint (``POST /api.php``) and names the operation in the form field
``method``, so each :class:`ApiEndpoint` carries that name and every answer registered here
matches it: a buy, a lookup and a balance read are told apart by their ``method``. Requests are
checked the way the server checks them: the loopback's ``credential_in`` recomputes the HMAC.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import urlsplit

import attrs
import requests
import responses

from tests.contract.harness import (
    Endpoint,
    Refusal,
    Seen,
    VendorHarness,
    _raising,
    _transport_exception,
)
from tests.support import load_fixture
from tests.vendors.skinsback.phpform import php_form, signed_by

_CLIENT_ID = "CONTRACT-skinsback-id-5521"
_CLIENT_SECRET = "CONTRACT-skinsback-secret-8c1d7e"


@attrs.frozen
class ApiEndpoint(Endpoint):
    """``POST /api.php`` with ``method`` = ``api``."""

    api: str = ""


def _method_is(api: str) -> Any:
    def match(request: requests.PreparedRequest) -> tuple[bool, str]:
        got = php_form(request.body).get("method")  # type: ignore[arg-type]
        return got == api, f"method {got!r} != {api!r}"

    return match


class SkinsbackHarness(VendorHarness):
    """skinsback.com: signed form requests (shopid + HMAC-SHA1 sign), USD decimal strings.

    One story: market_search.ok lists two copies of SSG 08 | Fever Dream (Field-Tested); the
    cheapest (id 2715, 77.02 USD) is bought (market_buy.ok_by_name's answer: buy_id 66) and the
    lookup by custom_id (market_getinfo custom_ids) finds buy 66 with that custom_id.
    """

    vendor = "skinsback"
    success_flag = "status"
    credentials: ClassVar[Mapping[str, str]] = {
        "client_id": _CLIENT_ID,
        "client_secret": _CLIENT_SECRET,
    }
    options: ClassVar[Mapping[str, object]] = {
        "trade_url": "https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=AbCdEfGh"
    }
    item_name = "SSG 08 | Fever Dream (Field-Tested)"
    balance_amount = Decimal("123.456")  # balance.ok: balance_in_currencies.usd "123.456"

    buy_endpoint = ApiEndpoint("POST", "/api.php", "market_buy")
    lookup_endpoint = ApiEndpoint("POST", "/api.php", "market_getinfo")
    balance_endpoint = ApiEndpoint("POST", "/api.php", "balance")
    history_endpoint = ApiEndpoint("POST", "/api.php", "market_history")
    pricelist_endpoint = ApiEndpoint("POST", "/api.php", "market_pricelist")
    search_endpoint = ApiEndpoint("POST", "/api.php", "market_search")

    # ------------------------------------------------------------------ one endpoint, many methods

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
        body = text if text is not None else json.dumps(json_body, ensure_ascii=False)
        api = endpoint.api if isinstance(endpoint, ApiEndpoint) else None
        mock.add(
            endpoint.method,
            self.base_url + endpoint.path,
            status=status,
            body=body.encode("utf-8"),
            content_type=content_type,
            headers=dict(headers or {}),
            match=[_method_is(api)] if api else [],
        )

    def add_transport_failure(
        self, mock: responses.RequestsMock, endpoint: Endpoint, kind: str
    ) -> None:
        api = endpoint.api if isinstance(endpoint, ApiEndpoint) else None
        mock.add_callback(
            endpoint.method,
            self.base_url + endpoint.path,
            callback=_raising(_transport_exception(kind)),
            match=[_method_is(api)] if api else [],
        )

    def calls_to(self, mock: responses.RequestsMock, endpoint: Endpoint) -> list[Any]:
        api = endpoint.api if isinstance(endpoint, ApiEndpoint) else None
        return [
            call
            for call in mock.calls
            if call.request.method == endpoint.method
            and urlsplit(call.request.url).path == endpoint.path
            and (api is None or php_form(call.request.body).get("method") == api)  # type: ignore[arg-type]
        ]

    def sent_custom_ids(self, mock: responses.RequestsMock) -> list[str | None]:
        return [
            php_form(call.request.body).get("custom_id")  # type: ignore[arg-type]
            for call in self.calls_to(mock, self.buy_endpoint)
        ]

    # ------------------------------------------------------------------ answers

    def _json(self, name: str) -> Any:
        return copy.deepcopy(load_fixture(self.vendor, name)["response"]["json"])

    def add_listings(self, mock: responses.RequestsMock) -> None:
        body = self._json("market_search.ok")
        # A third, dearer copy listed first (constructed): the adapter must sort and cut.
        dearer = {**body["items"][1], "id": "2717", "price": "79.50"}
        body["items"].insert(0, dearer)
        self.add_answer(mock, self.search_endpoint, json_body=body)

    def add_buy_ok(self, mock: responses.RequestsMock) -> None:
        self.add_answer(mock, self.buy_endpoint, json_body=self._json("market_buy.ok_by_name"))

    def add_buy_duplicate(self, mock: responses.RequestsMock) -> None:
        body = self._json("market_buy.custom_id_exists")
        self.add_answer(mock, self.buy_endpoint, json_body=body)

    def add_buy_refusal(self, mock: responses.RequestsMock, kind: str) -> None:
        name = {
            "insufficient_funds": "market_buy.insufficient_funds",
            "price_exceeded": "market_buy.skins_not_found_at_specified_price",
            "item_unavailable": "market_buy.skin_unavailable",
            "rate_limited": "errors.request_limit_reached",
        }[kind]
        self.add_answer(mock, self.buy_endpoint, json_body=self._json(name))

    def add_lookup_found(self, mock: responses.RequestsMock, custom_id: str) -> None:
        bought = self._json("market_buy.ok_by_name")
        del bought["status"]
        bought["custom_id"] = custom_id
        body = {"status": "success", "items": [bought]}
        self.add_answer(mock, self.lookup_endpoint, json_body=body)

    def add_lookup_not_found(self, mock: responses.RequestsMock, custom_id: str) -> None:
        body = self._json("market_getinfo.offer_not_found")
        self.add_answer(mock, self.lookup_endpoint, json_body=body)

    def add_balance(self, mock: responses.RequestsMock) -> None:
        self.add_answer(mock, self.balance_endpoint, json_body=self._json("balance.ok"))

    def add_active_trades(self, mock: responses.RequestsMock) -> None:
        history = self._json("market_history.ok")
        history["has_more"] = False
        self.add_answer(mock, self.history_endpoint, json_body=history)

    def add_withdraw_nothing(self, mock: responses.RequestsMock) -> None:
        body = self._json("market_history.last_page")
        self.add_answer(mock, self.history_endpoint, json_body=body)

    def add_refusal(self, mock: responses.RequestsMock, message: str) -> Refusal:
        body = {"status": "error", "error_message": message}  # no number: the name is the code
        self.add_answer(mock, self.balance_endpoint, json_body=body)
        return Refusal(
            body=body,
            http_status=200,
            act=lambda market: market.balance(),
            operations=frozenset({"balance"}),
        )

    def add_auth_refusal(self, mock: responses.RequestsMock, status: int) -> None:
        body = self._json("errors.invalid_signature")
        self.add_answer(mock, self.balance_endpoint, status=status, json_body=body)

    def add_price_list(self, mock: responses.RequestsMock) -> None:
        body = self._json("market_pricelist.ok")
        self.add_answer(mock, self.pricelist_endpoint, json_body=body)

    def loopback_answer(self, method: str, path: str) -> tuple[int, Any] | None:
        if method != "POST" or path.split("?")[0] != "/api.php":
            return None
        response = load_fixture(self.vendor, "balance.ok")["response"]
        return response["status"], response["json"]

    def credential_in(self, seen: Seen) -> bool:
        return signed_by(php_form(seen.body), _CLIENT_ID, _CLIENT_SECRET)
