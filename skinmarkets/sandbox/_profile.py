"""What the sandbox's state must know of each vendor it emulates: a :class:`VendorProfile`.

A sandbox vendor's emulation names its profile (``profile`` on the emulation class) and
:class:`~skinmarkets.sandbox._sandbox.Sandbox` hands the profiles of its emulations to
:class:`~skinmarkets.sandbox._state.State`. The four built-in profiles are defined here, not in
their emulation modules: those modules import the state, and ``State()`` with no argument starts
from these four, so the state must reach them without importing an emulation back.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

import attrs

from skinmarkets._seconds import Seconds

__all__ = [
    "BUILT_IN_PROFILES",
    "MANNCO",
    "MARKET_TM",
    "SKINSBACK",
    "SWAPGG",
    "TRADE_URL",
    "VendorProfile",
]


def _frozen(credentials: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(credentials))


@attrs.frozen
class VendorProfile:
    """One emulated vendor's account: its currency, its offers' timeout, where it sells from, the
    ``connect()`` credentials it accepts, and how its prices stand to the catalogue's."""

    #: The account's currency (the vendor's own account currency).
    currency: str
    #: Seconds a sent trade offer waits for the user before it times out.
    trade_offer_ttl: Seconds
    #: Where an item must be for the account to sell it: in the user's Steam inventory
    #: (``delivered``) or in the vendor's on-site inventory (``held``); None: it sells nothing.
    sell_from: Literal["delivered", "held"] | None
    #: The ``connect()`` options that log in to the account (``Sandbox.credentials``): fixed,
    #: so a saved sandbox state never holds them.
    credentials: Mapping[str, str] = attrs.field(converter=_frozen)
    #: SANDBOX DATA: how much dearer (or cheaper) this market is than the catalogue's reference.
    price_factor: Decimal = Decimal("1.00")


#: The trade URL the SkinsBack sandbox account sends purchases to.
TRADE_URL = "https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=SandBox1"

#: Market TM: a USD account; sells from the user's Steam inventory (items delivered); 15 minutes
#: for an offer, as the docs say nothing.
MARKET_TM = VendorProfile(
    currency="USD",
    trade_offer_ttl=15 * 60,
    sell_from="delivered",
    credentials={"api_key": "sandbox-market-tm-key"},
    price_factor=Decimal("0.97"),
)
#: swap.gg: a EUR account; cancels a sent offer after 5 minutes; sells from its on-site inventory.
SWAPGG = VendorProfile(
    currency="EUR",
    trade_offer_ttl=5 * 60,
    sell_from="held",
    credentials={"api_key": "sandbox-swapgg-key"},
    price_factor=Decimal("1.04"),
)
#: SkinsBack: a USD account; "timeout (10 minutes)"; takes no listings.
SKINSBACK = VendorProfile(
    currency="USD",
    trade_offer_ttl=10 * 60,
    sell_from=None,
    credentials={
        "client_id": "sandbox-skinsback-shop",
        "client_secret": "sandbox-skinsback-secret",
        "trade_url": TRADE_URL,
    },
    price_factor=Decimal("1.00"),
)
#: Mannco: a USD account; sells from its on-site inventory; 15 minutes for an offer, as the docs
#: say nothing.
MANNCO = VendorProfile(
    currency="USD",
    trade_offer_ttl=15 * 60,
    sell_from="held",
    credentials={"api_key": "sandbox-mannco-key"},
    price_factor=Decimal("1.02"),
)

#: The built-in sandbox vendors' profiles, in the order their accounts are stocked.
BUILT_IN_PROFILES: Mapping[str, VendorProfile] = MappingProxyType(
    {"market_tm": MARKET_TM, "swapgg": SWAPGG, "skinsback": SKINSBACK, "mannco": MANNCO}
)
