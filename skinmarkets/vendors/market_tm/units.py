"""Market TM units and codes per endpoint, each row with the doc line it comes from; ``scale``
and ``money`` read a trading endpoint's minor units by them.

Docs: ``market-tm-v2-detailed.txt`` (market.dota2.net) and ``market-tm-v2-rust.txt`` (rust.tm).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from skinmarkets import errors
from skinmarkets._fees import Fees
from skinmarkets._wire import unix_utc
from skinmarkets.models import TradeStatus
from skinmarkets.money import Money

VENDOR = "market_tm"

#: Minor units per major unit on the trading endpoints (buy, buy-for, add-to-sale, set-price,
#: set-order, search-*, history, operation-history):
#: "the price in kopecks (1 RUB=100, 1 USD=1000, 1 EUR=1000) is an integer number" (buy);
#: "amount, integer (1 USD=1000, 1 RUB=100, 1 EUR=1000)" (add-to-sale).
#: history / operation-history amounts are the same minor units, as strings: the rust doc's
#: operation-history sells a Glock-18 for "price": "500" USD, i.e. 0.500 USD.
MINOR_UNITS: Mapping[str, int] = {
    "RUB": 100,
    "USD": 1000,
    "EUR": 1000,
}

#: Endpoints whose amounts are NOT minor units:
#: - get-money ``money``: JSON number in major units — {"money": 123.456, "currency": "USD"}
#:   ("For USD and EUR currencies, there is an accuracy of 1000 … 3 digits after the point").
#: - get-buy-info-by-custom-id ``paid``: major units — "paid": 0.5 for a "Spectrum 2 Case".
#: - prices/*.json ``price``/``buy_order``: decimal strings in major units — price: "0.50".
#: - my-inventory ``market_price``: major units — "market_price": 10.34 ("recommended price").
#: - items ``price``: major units (inferred: the sample "price": 4, "currency": "USD"; public
#:   clients read it as a decimal amount).
MAJOR_UNIT_FIELDS = (
    "get-money.money",
    "get-buy-info.paid",
    "prices.price",
    "my-inventory.market_price",
    "items.price",
)

#: Purchase ``stage`` (get-buy-info-by-custom-id, history): "TRADE_STAGE_NEW = 1,
#: TRADE_STAGE_ITEM_GIVEN = 2, TRADE_STAGE_TIMED_OUT = 5"; README: "other values: still pending".
STAGE_STATUS: Mapping[int, TradeStatus] = {
    1: TradeStatus.PENDING,  # TRADE_STAGE_NEW (SENT once a trade_id exists)
    2: TradeStatus.COMPLETED,  # TRADE_STAGE_ITEM_GIVEN
    5: TradeStatus.TIMED_OUT,  # TRADE_STAGE_TIMED_OUT: the money is returned
}

#: ``items`` status: "1 — Item is set for sale. 2 — You sold the item and must give it to the
#: bot. 3 — Waiting for the transfer of the item you bought from the seller to the bot.
#: 4 — You can pick up the purchased item."
ITEM_ON_SALE = 1
ITEM_SOLD_MUST_GIVE = 2
ITEM_WAITING_FOR_SELLER = 3
ITEM_READY_TO_TAKE = 4

#: The same ``items`` statuses as the realtime wsn socket sends them (``additem_go``
#: ``ui_status``, ``itemstatus_go`` ``status``: "status (1–5, as the `items` statuses)",
#: vendor-docs/realtime.md), as the one lifecycle. Nothing in 1–4 has left the market yet, so
#: they are all PENDING; TradeStatus has no "ready to take". Any other value is UNKNOWN (the
#: event's raw keeps it).
ITEM_STATUS: Mapping[int, TradeStatus] = {
    1: TradeStatus.PENDING,  # "Item is set for sale."
    2: TradeStatus.PENDING,  # "You sold the item and must give it to the bot."
    3: TradeStatus.PENDING,  # "Waiting for the transfer of the item you bought … to the bot."
    4: TradeStatus.PENDING,  # "You can pick up the purchased item." (withdraw() takes it)
    # 5 is not in the items doc; public clients name it "ITEM_STATUS_GIVEN" (handed over) and
    # one C# bot stops selling on it: the item has left the market.
    5: TradeStatus.COMPLETED,
}

#: trade-request-take: "Possible errors: 3001 — nothing to transfer."
NOTHING_TO_TAKE = 3001

#: trades ``dir``: "in - transfer of the item that was sold; out - the withdrawal of the item
#: that was purchased" — so "out" means items come to the user.
DIRECTION_INCOMING = "out"
DIRECTION_OUTGOING = "in"

#: Hosts per game (vendor-docs/README.md: "Hosts: CS2 https://market.csgo.com, Dota 2
#: https://market.dota2.net, Rust https://rust.tm, TF2 https://tf2.tm; all under /api/v2/").
HOSTS: Mapping[str, str] = {
    "cs2": "https://market.csgo.com",
    "dota2": "https://market.dota2.net",
    "rust": "https://rust.tm",
    "tf2": "https://tf2.tm",
}
GAME_ALIASES: Mapping[str, str] = {"csgo": "cs2"}
#: Steam app id per game.
APP_IDS: Mapping[str, int] = {"cs2": 730, "dota2": 570, "rust": 252490, "tf2": 440}

#: "If you send more than 5 requests per second to our server, your key will be deleted."
REQUESTS_PER_SECOND = 5
#: buy: "custom_id - your unique ID (string [50])".
CUSTOM_ID_MAX_LENGTH = 50


def scale(currency: str) -> int:
    """Minor units per major unit of ``currency`` on the trading endpoints (``MINOR_UNITS``); a
    currency TM does not trade in is ``UnexpectedResponse`` (it came from an answer)."""
    minor = MINOR_UNITS.get(currency.upper())
    if minor is None:
        raise errors.UnexpectedResponse(
            f"the account currency {currency!r} is not one of "
            f"{', '.join(MINOR_UNITS)}; its minor unit is unknown",
            vendor=VENDOR,
        )
    return minor


def money(minor: int, currency: str) -> Money:
    """Minor units of a trading endpoint as Money (``MINOR_UNITS``)."""
    return Money.from_minor(minor, currency, scale=scale(currency))


#: Unix seconds (or milliseconds) as aware UTC (``time``, ``timestamp``); None when absent or
#: out of range.
utc = unix_utc


#: The selling fee and the days sold items are held (``compare.Fees``; see ``skinmarkets._fees``).
# sale_fee: assumed 5 %. market.csgo.com publishes no seller commission in
# market-tm-v2-*.txt or on its rules page (market.csgo.com/en/content-pages/information);
# third-party bots default to 5 % (two) or 7 % (one); the operation-history example in
# market-tm-v2-rust.txt ("price": "500", "received": "468", 2020) implies 6.4 %.
# trade_hold_days: 7 for cs2, r/MarketCSGO post by u/market_csgo, 16 Jul 2025: the money
# "is reserved on the Market.CSGO side and is automatically unlocked for withdrawal once
# the full week has expired" (API field `settlement`). rust.tm / dota2 / tf2: no source;
# 7 kept as the conservative value (see the Trade Protection note above).
FEES = Fees(Decimal("0.05"), 7)
