"""The mannco harness: answers built from ``fixtures/mannco/*.json``.

One story across the answers: ``item_details.ok`` resolves the harness name to item 101869,
``item_listing.ok`` lists three of it; the cheapest, asset 30000000001 at 65000 cents, is bought
(``payment_mannco.ok``), and the "lookup" — Mannco has no purchase lookup, so the adapter
searches the on-site inventory — finds that asset in ``inventory_oninventory.ok``.
Every ``mock()`` also answers the login (``user_login.ok``) and the listing the buy re-checks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

import pytest
import responses

from tests.contract.harness import Endpoint, Refusal, Seen, VendorHarness
from tests.support import load_fixture, response_body


class ManncoHarness(VendorHarness):
    """mannco.store: API key -> JWT (Bearer), {"err","success","content"}, HTTP 300, USD cents."""

    vendor = "mannco"
    credentials: ClassVar[Mapping[str, str]] = {"api_key": "CONTRACT-mannco-key-4f8a21c9e3"}
    item_name = "Souvenir M4A1-S | Imminent Danger (Field-Tested)"
    balance_amount = Decimal("123.45")  # user_balance.ok: "balance": 12345 (cents)

    buy_endpoint = Endpoint("POST", "/payment/mannco")
    lookup_endpoint = Endpoint("GET", "/inventory/onInventory")
    balance_endpoint = Endpoint("GET", "/user/balance")

    def _fixture(
        self, mock: responses.RequestsMock, name: str, *, status: int | None = None
    ) -> None:
        fixture = load_fixture(self.vendor, name)
        kwargs = response_body(fixture)
        if status is not None:
            kwargs["status"] = status
        mock.add(fixture["request"]["method"], self.base_url + fixture["request"]["path"], **kwargs)

    def mock(self) -> responses.RequestsMock:
        """Also answers the login and the listing re-read before every buy."""
        mock = super().mock()
        self._fixture(mock, "user_login.ok")
        self._fixture(mock, "item_details.ok")
        self._fixture(mock, "item_listing.ok")
        return mock

    def add_listings(self, mock: responses.RequestsMock) -> None:
        self._fixture(mock, "item_details.ok")
        self._fixture(mock, "item_listing.ok")

    def add_buy_ok(self, mock: responses.RequestsMock) -> None:
        self._fixture(mock, "payment_mannco.ok")

    def add_buy_duplicate(self, mock: responses.RequestsMock) -> None:
        pytest.skip("mannco has no server-side custom_id, so no duplicate refusal")

    def add_buy_refusal(self, mock: responses.RequestsMock, kind: str) -> None:
        if kind == "price_exceeded":
            # Mannco takes no price cap: the adapter re-reads the listing and refuses before
            # paying (tests/vendors/mannco/test_adapter_buy.py), so no buy request is sent.
            pytest.skip("mannco takes no price cap: no vendor price refusal exists")
        if kind == "rate_limited":
            fixture = load_fixture(self.vendor, "user_balance.rate_limited_429")
            self.add_answer(
                mock,
                self.buy_endpoint,
                status=429,
                json_body=fixture["response"]["json"],
                headers={"Retry-After": "7"},
            )
            return
        name = {
            "insufficient_funds": "payment_mannco.not_enough_balance",
            "item_unavailable": "payment_mannco.no_items_found",
        }[kind]
        self._fixture(mock, name)

    def add_lookup_found(self, mock: responses.RequestsMock, custom_id: str) -> None:
        self._fixture(mock, "inventory_oninventory.ok")  # holds asset 30000000001

    def add_lookup_not_found(self, mock: responses.RequestsMock, custom_id: str) -> None:
        body = {"err": False, "success": True, "content": {"items": [], "count": 0}}
        self.add_answer(mock, self.lookup_endpoint, json_body=body)

    def add_balance(self, mock: responses.RequestsMock) -> None:
        self._fixture(mock, "user_balance.ok")

    def add_active_trades(self, mock: responses.RequestsMock) -> None:
        self._fixture(mock, "trades_active.ok")

    def add_withdraw_nothing(self, mock: responses.RequestsMock) -> None:
        self.add_lookup_not_found(mock, "")

    def add_refusal(self, mock: responses.RequestsMock, message: str) -> Refusal:
        body = {"err": True, "success": False, "content": message}
        self.add_answer(mock, self.balance_endpoint, status=300, json_body=body)
        return Refusal(
            body=body,
            http_status=300,
            act=lambda market: market.balance(),
            operations=frozenset({"balance", "user_balance"}),
        )

    def add_auth_refusal(self, mock: responses.RequestsMock, status: int) -> None:
        body = {"err": True, "success": False, "content": "Invalid API key"}
        self.add_answer(mock, self.balance_endpoint, status=status, json_body=body)

    def loopback_answer(self, method: str, path: str) -> tuple[int, Any] | None:
        route = (method, path.split("?")[0])
        name = {
            ("POST", "/user/login"): "user_login.ok",
            ("GET", "/user/balance"): "user_balance.ok",
        }
        if route not in name:
            return None
        response = load_fixture(self.vendor, name[route])["response"]
        return response["status"], response["json"]

    def credential_in(self, seen: Seen) -> bool:
        if seen.method != "POST" or not seen.target.startswith("/user/login"):
            return False
        try:
            return bool(json.loads(seen.body).get("apiKey") == self.credentials["api_key"])
        except (ValueError, AttributeError):
            return False
