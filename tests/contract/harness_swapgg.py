"""The swapgg harness: answers built from ``fixtures/swapgg/*.json``."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

import pytest
import requests
import responses

from tests.contract.harness import Endpoint, Refusal, Seen, VendorHarness
from tests.support import load_fixture, response_body


def _skip_is(skip: int) -> Any:
    """A ``responses`` matcher: a browse asking for the page that starts at ``skip``."""

    def match(request: requests.PreparedRequest) -> tuple[bool, str]:
        try:
            body = json.loads(request.body or b"{}")
            asked = body.get("pagination", {}).get("skip", 0)
        except (ValueError, AttributeError):
            return False, "not a JSON browse body"
        return asked == skip, f"skip {asked} != {skip}"

    return match


class SwapGGHarness(VendorHarness):
    """market.swap.gg: raw key in ``Authorization``, failures as ``status`` strings, EUR cents.

    One story across the answers: the two pages of ``sales_browse.page1``/``page2`` list four
    AK-47 | Redline (Field-Tested) sales; the cheapest, rdLnPg1aA at 850 cents, is bought
    (sales_purchase.ok with that sale id and amount), and the "lookup" — swap.gg has no purchase
    lookup, so the adapter searches the on-site inventory — finds that same item there.
    """

    vendor = "swapgg"
    success_flag = "status"
    credentials: ClassVar[Mapping[str, str]] = {"api_key": "CONTRACT-swapgg-key-7b2e94d1c0"}
    item_name = "AK-47 | Redline (Field-Tested)"
    balance_amount = Decimal("23.38")  # user_balance.ok: "balance": 2338 (cents)

    buy_endpoint = Endpoint("POST", "/v1/sales/purchase")
    lookup_endpoint = Endpoint("POST", "/v1/inventory/browse")
    balance_endpoint = Endpoint("GET", "/v1/user/balance")

    def _fixture(
        self, mock: responses.RequestsMock, name: str, *, status: int | None = None
    ) -> None:
        fixture = load_fixture(self.vendor, name)
        kwargs = response_body(fixture)
        if status is not None:
            kwargs["status"] = status
        mock.add(fixture["request"]["method"], self.base_url + fixture["request"]["path"], **kwargs)

    def _envelope(self, mock: responses.RequestsMock, endpoint: Endpoint, body: Any) -> None:
        self.add_answer(mock, endpoint, json_body=body)

    def _first_sale(self) -> dict[str, Any]:
        item: dict[str, Any] = load_fixture(self.vendor, "sales_browse.page1")["response"]["json"][
            "result"
        ][0]
        return item

    def mock(self) -> responses.RequestsMock:
        """Also answers the sale's price re-check (sales/browse) before every buy."""
        mock = super().mock()
        self.add_listings(mock)
        return mock

    def add_listings(self, mock: responses.RequestsMock) -> None:
        for name, skip in (("sales_browse.page1", 0), ("sales_browse.page2", 2)):
            fixture = load_fixture(self.vendor, name)
            mock.add(
                "POST",
                self.base_url + fixture["request"]["path"],
                match=[_skip_is(skip)],
                **response_body(fixture),
            )

    def add_buy_ok(self, mock: responses.RequestsMock) -> None:
        body = copy.deepcopy(load_fixture(self.vendor, "sales_purchase.ok")["response"]["json"])
        sale = self._first_sale()["sale"]
        body["result"] = {"saleIds": [sale["saleId"]], "purchaseAmount": sale["price"]}
        self._envelope(mock, self.buy_endpoint, body)

    def add_buy_duplicate(self, mock: responses.RequestsMock) -> None:
        pytest.skip("swapgg has no server-side custom_id, so no duplicate refusal")

    def add_buy_refusal(self, mock: responses.RequestsMock, kind: str) -> None:
        if kind == "price_exceeded":
            # swap.gg takes no price cap, so it never refuses a buy for its price; the local
            # refusal is test_max_price_below_the_listing_price_raises_price_exceeded_...
            pytest.skip("swapgg takes no price cap: no vendor price refusal exists")
        if kind == "rate_limited":
            fixture = load_fixture(self.vendor, "http.rate_limited_429")
            self.add_answer(
                mock,
                self.buy_endpoint,
                status=429,
                json_body=fixture["response"]["json"],
                headers={"Retry-After": "7"},
            )
            return
        name = {
            "insufficient_funds": "sales_purchase.insufficient_balance",
            "item_unavailable": "sales_purchase.no_items_found",
        }[kind]
        self._fixture(mock, name)

    def add_lookup_found(self, mock: responses.RequestsMock, custom_id: str) -> None:
        item = self._first_sale()
        del item["sale"]
        item["status"] = 0  # inventory_browse.ok: an on-site item without a sale has status 0
        body = {"status": "OK", "result": [item], "pagination": {"more": False, "total": 1}}
        self._envelope(mock, self.lookup_endpoint, body)

    def add_lookup_not_found(self, mock: responses.RequestsMock, custom_id: str) -> None:
        self._fixture(mock, "inventory_browse.ok")  # holds another item only

    def add_balance(self, mock: responses.RequestsMock) -> None:
        self._fixture(mock, "user_balance.ok")

    def add_active_trades(self, mock: responses.RequestsMock) -> None:
        self._fixture(mock, "user_tradeoffers.ok")

    def add_withdraw_nothing(self, mock: responses.RequestsMock) -> None:
        body = {"status": "OK", "result": [], "pagination": {"more": False, "total": 0}}
        self._envelope(mock, self.lookup_endpoint, body)

    def add_refusal(self, mock: responses.RequestsMock, message: str) -> Refusal:
        body = {"time": 1575652535000, "status": message}
        self.add_answer(mock, self.balance_endpoint, json_body=body)
        return Refusal(
            body=body,
            http_status=200,
            act=lambda market: market.balance(),
            operations=frozenset({"balance", "user_balance"}),
        )

    def add_auth_refusal(self, mock: responses.RequestsMock, status: int) -> None:
        self._fixture(mock, "errors.INVALID_API_KEY", status=status)

    def add_price_list(self, mock: responses.RequestsMock) -> None:
        self._fixture(mock, "pricing_lowest.ok")
        self._fixture(mock, "buyorders_summary.ok")

    def loopback_answer(self, method: str, path: str) -> tuple[int, Any] | None:
        if method != "GET" or path.split("?")[0] != "/v1/user/balance":
            return None
        response = load_fixture(self.vendor, "user_balance.ok")["response"]
        return response["status"], response["json"]

    def credential_in(self, seen: Seen) -> bool:
        return seen.headers.get("Authorization") == self.credentials["api_key"]
