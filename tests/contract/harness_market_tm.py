"""The market_tm harness: answers built from ``fixtures/market_tm/*.json``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import responses

import skinmarkets as sm
from tests.contract.harness import Endpoint, Refusal, Seen, VendorHarness
from tests.support import load_fixture, response_body


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


class MarketTMHarness(VendorHarness):
    """market.csgo.com: API key in ``X-API-KEY``, failures as HTTP 200 ``success: false``.

    One story across the answers: listing 521320033 (3.573 USD) is bought as market item
    136256960 (buy.ok), and the lookup by custom_id finds that same item (the rust-doc sample
    of get-buy-info-by-custom-id with ``item_id`` set to it).
    """

    vendor = "market_tm"
    credentials: ClassVar[Mapping[str, str]] = {"api_key": "CONTRACT-tm-key-3f9a1c7e5b2d"}
    item_name = "AWP | Worm God (Factory New)"
    balance_amount = Decimal("123.456")  # get_money.usd: {"money": 123.456, "currency": "USD"}

    buy_endpoint = Endpoint("GET", "/api/v2/buy")
    lookup_endpoint = Endpoint("GET", "/api/v2/get-buy-info-by-custom-id")
    balance_endpoint = Endpoint("GET", "/api/v2/get-money")

    def _fixture(
        self, mock: responses.RequestsMock, name: str, *, status: int | None = None
    ) -> None:
        fixture = load_fixture(self.vendor, name)
        kwargs = response_body(fixture)
        if status is not None:
            kwargs["status"] = status
        mock.add(fixture["request"]["method"], self.base_url + fixture["request"]["path"], **kwargs)

    def add_listings(self, mock: responses.RequestsMock) -> None:
        self._fixture(mock, "search_item_by_hash_name_specific.ok")

    def add_buy_ok(self, mock: responses.RequestsMock) -> None:
        self._fixture(mock, "buy.ok")

    def add_buy_duplicate(self, mock: responses.RequestsMock) -> None:
        self._fixture(mock, "buy.duplicate_custom_id")

    def add_buy_refusal(self, mock: responses.RequestsMock, kind: str) -> None:
        if kind == "rate_limited":
            self.add_answer(
                mock,
                self.buy_endpoint,
                status=429,
                json_body={"success": False, "error": "Too many requests"},
                headers={"Retry-After": "7"},
            )
            return
        fixture = {
            "insufficient_funds": "buy.insufficient_funds",
            "price_exceeded": "buy.price_exceeded",
            "item_unavailable": "buy.offer_ended",
        }[kind]
        self._fixture(mock, fixture)

    def _lookup_body(self) -> dict[str, Any]:
        body: dict[str, Any] = load_fixture(self.vendor, "get_buy_info_by_custom_id.ok_rust_doc")[
            "response"
        ]["json"]
        body["data"]["item_id"] = load_fixture(self.vendor, "buy.ok")["response"]["json"]["id"]
        return body

    def add_lookup_found(self, mock: responses.RequestsMock, custom_id: str) -> None:
        mock.add(
            self.lookup_endpoint.method,
            self.base_url + self.lookup_endpoint.path,
            match=[responses.matchers.query_param_matcher({"custom_id": custom_id})],
            body=json.dumps(self._lookup_body()),
            content_type="application/json",
        )

    def add_lookup_not_found(self, mock: responses.RequestsMock, custom_id: str) -> None:
        # Not documented; the shape of every other TM refusal (illustrative).
        mock.add(
            self.lookup_endpoint.method,
            self.base_url + self.lookup_endpoint.path,
            match=[responses.matchers.query_param_matcher({"custom_id": custom_id})],
            body=json.dumps({"success": False, "error": "not found"}),
            content_type="application/json",
        )

    def add_balance(self, mock: responses.RequestsMock) -> None:
        self._fixture(mock, "get_money.usd")

    def add_active_trades(self, mock: responses.RequestsMock) -> None:
        self._fixture(mock, "trades.extended")

    def add_withdraw_nothing(self, mock: responses.RequestsMock) -> None:
        self._fixture(mock, "trade_request_take.nothing_to_transfer")

    def add_refusal(self, mock: responses.RequestsMock, message: str) -> Refusal:
        body = {"success": False, "error": message}
        self.add_answer(mock, self.balance_endpoint, json_body=body)
        return Refusal(
            body=body,
            http_status=200,
            act=lambda market: market.balance(),
            operations=frozenset({"balance", "get_money"}),
        )

    def add_auth_refusal(self, mock: responses.RequestsMock, status: int) -> None:
        self._fixture(mock, "get_money.bad_key", status=status)

    def add_price_list(self, mock: responses.RequestsMock) -> None:
        self._fixture(mock, "get_money.usd")
        self._fixture(mock, "prices_class_instance.usd")

    def loopback_answer(self, method: str, path: str) -> tuple[int, Any] | None:
        names = {
            "/api/v2/get-money": "get_money.usd",
            "/api/v2/transfer-discounts": "transfer_discounts.ok",
        }
        name = names.get(urlsplit(path).path)
        if method != "GET" or name is None:
            return None
        response = load_fixture(self.vendor, name)["response"]
        return response["status"], response["json"]

    def credential_in(self, seen: Seen) -> bool:
        return seen.headers.get("X-API-KEY") == self.credentials["api_key"]

    def send_secret_in_query(self, market: sm.Marketplace, value: str) -> None:
        market.client.transfer_discounts(to=value)  # type: ignore[attr-defined]

    def sent_custom_ids(self, mock: responses.RequestsMock) -> list[str | None]:
        return [
            _query(call.request.url).get("custom_id", [None])[0]
            for call in self.calls_to(mock, self.buy_endpoint)
        ]
