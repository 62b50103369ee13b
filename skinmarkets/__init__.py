"""skinmarkets: one typed, money-safe interface to Steam-skin marketplaces.

    import skinmarkets as sm
    market = sm.connect("market_tm", api_key="...", game="cs2")
    listings = market.list_for_sale("AK-47 | Redline (Field-Tested)", limit=10)

This module imports no vendor adapter and no realtime library; vendors load on ``connect``.
``skinmarkets.sandbox`` is the sandbox module, callable: ``sm.sandbox()`` starts a sandbox and
``import skinmarkets.sandbox`` gives the module (``Sandbox``, ``default_sandbox``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from skinmarkets import _secret as _secret  # installs the scrubbing of every error first
from skinmarkets import errors
from skinmarkets import events as events  # the module, like errors (not in __all__)
from skinmarkets._version import __version__ as __version__
from skinmarkets.compare import arbitrage, compare
from skinmarkets.config import connect_all
from skinmarkets.models import Balance, Direction, Listing, PriceQuote, Purchase, Trade, TradeStatus
from skinmarkets.money import Money, Rates
from skinmarkets.protocol import Capabilities, Marketplace, PriceSource, PurchaseLookup, Seller
from skinmarkets.registry import connect, vendors

if TYPE_CHECKING:  # what calling it returns; at run time the name is the callable module
    from skinmarkets.sandbox import sandbox
else:
    from skinmarkets import sandbox

__all__ = [
    "Balance",
    "Capabilities",
    "Direction",
    "Listing",
    "Marketplace",
    "Money",
    "PriceQuote",
    "PriceSource",
    "Purchase",
    "PurchaseLookup",
    "Rates",
    "Seller",
    "Trade",
    "TradeStatus",
    "arbitrage",
    "compare",
    "connect",
    "connect_all",
    "errors",
    "sandbox",
    "vendors",
]
