"""SkinsBack units, limits and codes, each row with the doc line it comes from.

Doc: ``skinsback-api.md`` (compiled SkinsBack API v1 reference), ``skinsback.txt`` (the
``market_getinfo`` page) and the skinsback section of ``vendor-docs/README.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import ROUND_DOWN, Decimal

from skinmarkets._fees import Fees
from skinmarkets._seconds import Ratio, Seconds
from skinmarkets._trades import sent_if_offered
from skinmarkets._wire import to_int
from skinmarkets.models import TradeStatus
from skinmarkets.money import Money

#: "There is one endpoint for everything: POST https://skinsback.com/api.php".
BASE_URL = "https://skinsback.com"
API_PATH = "/api.php"

#: Websocket: "wss://skinsback.com/ws/?shopid=<Client ID>&signature=<md5 hex of ClientID +
#: ClientSecret>" (``ws_url=`` replaces the origin; the path is kept).
WS_ORIGIN = "wss://skinsback.com"
WS_PATH = "/ws/"

#: "Money: all market prices, max_price and purchase amounts are USD floats" (sent as strings
#: such as "0.4" and "29.93"); ``balance_debited_sum`` "The amount debited … (USD)".
CURRENCY = "USD"
#: Money we send (``max_price``) is formatted with two decimals: "format money yourself
#: (f"{d:.2f}" from a Decimal) and send that same string". A cap is rounded down, never up.
MONEY_QUANTUM = Decimal("0.01")

#: "Games: the docs list 'cs2', 'dota2' and 'rust'." Old SDKs used 'csgo' (accepted here as an
#: alias and sent as cs2: "Send cs2").
DEFAULT_GAME = "cs2"
GAME_ALIASES: Mapping[str, str] = {"csgo": "cs2"}
APP_IDS: Mapping[str, int] = {"cs2": 730, "dota2": 570, "rust": 252490}

#: "The limit is 500 requests per minute per project." (-7 request_limit_reached beyond it)
RATE_LIMIT_REQUESTS = 500
RATE_LIMIT_SECONDS: Seconds = 60.0
REQUESTS_PER_SECOND: Ratio = RATE_LIMIT_REQUESTS / RATE_LIMIT_SECONDS

#: Envelope: "Success: {"status":"success", …}"; "Error: {"status":"error","error_code":…}";
#: "Also treat status == "fail" as an error".
STATUS_SUCCESS = "success"

#: Header auth: "Send X-CLIENT-ID: <Client ID> and X-CLIENT-SECRET: <Client Secret>".
HEADER_CLIENT_ID = "X-CLIENT-ID"
HEADER_CLIENT_SECRET = "X-CLIENT-SECRET"  # noqa: S105 (a header name)
AUTH_MODES = frozenset({"signature", "headers"})

#: market_history: "At most 1000 results are returned per page"; active_trades looks back this far
#: ("timeout — not accepted within 10 minutes": a day covers every offer still waiting, including
#: ones stuck in creating_trade), following ``start_from`` at most this many pages.
HISTORY_WINDOW_SECONDS = 24 * 3600
HISTORY_MAX_PAGES = 20

#: custom_id: "your unique ID" (no documented bound; ours keeps it sane).
CUSTOM_ID_MAX_LENGTH = 100

#: ``offer_status`` (market_getinfo page, "Skin purchase status") -> the shared lifecycle.
OFFER_STATUS: Mapping[str, TradeStatus] = {
    "creating_trade": TradeStatus.PENDING,  # "trade in the process of creation"
    "waiting_accept": TradeStatus.SENT,  # "waiting for trade accept" (the offer exists)
    "accepted": TradeStatus.COMPLETED,  # "trade accepted" (ON_HOLD while in_hold is true)
    "canceled": TradeStatus.CANCELLED,  # "the trade was rejected by the user"
    "timeout": TradeStatus.TIMED_OUT,  # "timeout (10 minutes)"
    "invalid_trade_token": TradeStatus.FAILED,  # "invalid trade token"
    "user_not_tradable": TradeStatus.FAILED,  # "the user has trade restrictions"
    "trade_create_error": TradeStatus.FAILED,  # "error of creating a trade (try again)"
    "rollback_user": TradeStatus.REVERSED,  # "skin has been returned by user (Steam Trade Protection)"
    "rollback_supplier": TradeStatus.REVERSED,  # "skin has been returned by supplier (…)"
}

#: Offer statuses of a delivery still under way (active_trades, withdraw).
UNDER_WAY = frozenset({"creating_trade", "waiting_accept"})


def money(amount: Decimal) -> Money:
    """A USD amount from the wire (already a bounded Decimal) as Money."""
    return Money(amount, CURRENCY)


def money_text(amount: Money) -> str:
    """A USD amount as the string sent and signed: two decimals, rounded down (a cap)."""
    return f"{amount.amount.quantize(MONEY_QUANTUM, rounding=ROUND_DOWN):.2f}"


def offer_status(code: str, *, in_hold: bool = False, has_offer: bool = False) -> TradeStatus:
    """The shared status of an ``offer_status``; ``UNKNOWN`` for a code nobody mapped."""
    status = OFFER_STATUS.get(code, TradeStatus.UNKNOWN)
    if status is TradeStatus.COMPLETED and in_hold:
        return TradeStatus.ON_HOLD  # "in_hold … Is the skin in hold or not" (rollback possible)
    return sent_if_offered(status, has_offer)


#: The selling fee and the days sold items are held (``compare.Fees``; see ``skinmarkets._fees``).
# sale_fee: assumed 5 %. SkinsBack publishes no fee schedule (skinsback-api.md "Not
# documented: a fee schedule"); it is a deposit/payment service whose market side only
# sells (no bids, no user listings), so this fee only prices a sell leg you cannot place.
# trade_hold_days: 8, skinsback.com/docs/api/v1/offers_with_hold: "Deposit will remain in
# pending state for 8-day Steam Trade Protection completion" (skinsback.txt "Deposit
# approval with 8-day hold").
FEES = Fees(Decimal("0.05"), 8)


#: What reading a price list's ``last_update`` may raise for a value it refuses.
OBSERVED_REFUSED = (TypeError, ValueError, OverflowError, OSError)


def observed_at(last_update: object) -> datetime:
    """market_pricelist ``last_update`` (unix seconds) as aware UTC; now when missing, null or
    0. A value no clock can show raises one of :data:`OBSERVED_REFUSED`."""
    seconds = None if last_update is None else to_int(last_update)
    return datetime.fromtimestamp(seconds, tz=UTC) if seconds else datetime.now(tz=UTC)
