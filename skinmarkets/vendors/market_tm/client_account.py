"""Market TM account endpoints (balance, transfers, keys, money history) and realtime tokens: a
mixin of :class:`~skinmarkets.vendors.market_tm.client.MarketTMClient` (see there for ``_hide``).
"""

from __future__ import annotations

from urllib.parse import quote

from skinmarkets._client import given
from skinmarkets.vendors.market_tm import wire
from skinmarkets.vendors.market_tm.client_base import JSON, ClientBase, _hide


class AccountRoutes(ClientBase):
    """Account and realtime-token endpoints of the Market TM client."""

    # ------------------------------------------------------------------ account

    def get_money(self) -> wire.MoneyAnswer:
        """get-money: balance (major units) and account currency."""
        return self.typed(wire.MoneyAnswer, "GET", "/get-money", "get_money")

    def get_my_steam_id(self) -> JSON:
        """get-my-steam-id: the account's steamid32 and steamid64."""
        return self.call("GET", "/get-my-steam-id", "get_my_steam_id")

    def transfer_discounts(self, *, to: str) -> JSON:
        """transfer-discounts: move discounts to the account of API key ``to``."""
        _hide(to)
        return self.call(
            "GET", "/transfer-discounts", "transfer_discounts", params={"to": to}, write=True
        )

    def set_pay_password(self, *, old_password: str, new_password: str) -> JSON:
        """set-pay-password: set or change the payment password."""
        _hide(old_password, new_password)
        params = {"old_password": old_password, "new_password": new_password}
        return self.call("GET", "/set-pay-password", "set_pay_password", params=params, write=True)

    def money_send(self, *, amount: int, user_api_key: str, pay_pass: str) -> JSON:
        """money-send: transfer ``amount`` (minor units) to the account of ``user_api_key``.

        The recipient's key travels in the path, where no parameter redaction reaches it; it is
        registered as a secret first, so logs and errors show ``***`` instead.
        """
        recipient = quote(user_api_key, safe="")
        _hide(user_api_key, recipient, pay_pass)
        path, params = f"/money-send/{amount}/{recipient}", {"pay_pass": pay_pass}
        return self.call("GET", path, "money_send", params=params, write=True)

    def money_send_history(self, *, page: int = 0) -> JSON:
        """money-send-history: balance transfers from this account."""
        return self.call("GET", f"/money-send-history/{page}", "money_send_history")

    def set_steam_api_key(self, steam_api_key: str) -> JSON:
        """set-steam-api-key: link a Steam Web API key to the account."""
        _hide(steam_api_key)
        params = {"steam-api-key": steam_api_key}
        return self.call(
            "GET", "/set-steam-api-key", "set_steam_api_key", params=params, write=True
        )

    def set_trade_token(self, token: str) -> JSON:
        """set-trade-token: link the trade link's token to the account."""
        _hide(token)
        params = {"token": token}
        return self.call("GET", "/set-trade-token", "set_trade_token", params=params, write=True)

    def change_currency(self, currency: str) -> JSON:
        """change-currency: switch the account's currency."""
        path = f"/change-currency/{quote(currency, safe='')}"
        return self.call("GET", path, "change_currency", write=True)

    def get_api_key_via_access_token(
        self, *, access_token: str, proxy: str, currency: str | None = None
    ) -> JSON:
        """get-api-key-via-access-token: register a Steam account and get its market API key."""
        _hide(access_token)  # a Steam session: never in a log line or message
        body = {"access_token": access_token, "proxy": proxy} | given(currency=currency)
        return self.call(
            "POST",
            "/get-api-key-via-access-token",
            "get_api_key_via_access_token",
            json_body=body,
            write=True,
        )

    def checkout_history(self, *, page: int = 0) -> JSON:
        """checkout-history: withdrawals of money (100 per page)."""
        return self.call("GET", "/checkout-history", "checkout_history", params={"page": str(page)})

    def checkin_history(self, *, page: int = 0) -> JSON:
        """checkin-history: deposits of money (100 per page)."""
        return self.call("GET", "/checkin-history", "checkin_history", params={"page": str(page)})

    # ------------------------------------------------------------------ realtime tokens

    def get_ws_auth(self) -> JSON:
        """get-ws-auth: the key-token for personal notifications (wss://wsn.dota2.net/wsn/)."""
        return self.call("GET", "/get-ws-auth", "get_ws_auth")

    def get_ws_token(self) -> JSON:
        """get-ws-token: the token for the price websocket (wss://wsprice.csgo.com)."""
        return self.call("GET", "/get-ws-token", "get_ws_token")
