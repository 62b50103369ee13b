"""What the sandbox's state must know of each vendor it emulates: a :class:`VendorProfile`.

A sandbox vendor's emulation names its profile (``profile`` on the emulation class) and
:class:`~skinmarkets.sandbox._sandbox.Sandbox` hands the profiles of its emulations to
:class:`~skinmarkets.sandbox._state.State`. The four built-in profiles are defined here, not in
their emulation modules: those modules import the state, and ``State()`` with no argument starts
from these four, so the state must reach them without importing an emulation back.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import attrs

from skinmarkets._seconds import Seconds

__all__ = ["BUILT_IN_PROFILES", "MANNCO", "MARKET_TM", "SKINSBACK", "SWAPGG", "VendorProfile"]


@attrs.frozen
class VendorProfile:
    """One emulated vendor's account: its currency, its offers' timeout, where it sells from."""

    #: The account's currency (the vendor's own account currency).
    currency: str
    #: Seconds a sent trade offer waits for the user before it times out.
    trade_offer_ttl: Seconds
    #: Where an item must be for the account to sell it: in the user's Steam inventory
    #: (``delivered``) or in the vendor's on-site inventory (``held``); None: it sells nothing.
    sell_from: Literal["delivered", "held"] | None


#: Market TM: a USD account; sells from the user's Steam inventory (items delivered); 15 minutes
#: for an offer, as the docs say nothing.
MARKET_TM = VendorProfile(currency="USD", trade_offer_ttl=15 * 60, sell_from="delivered")
#: swap.gg: a EUR account; cancels a sent offer after 5 minutes; sells from its on-site inventory.
SWAPGG = VendorProfile(currency="EUR", trade_offer_ttl=5 * 60, sell_from="held")
#: SkinsBack: a USD account; "timeout (10 minutes)"; takes no listings.
SKINSBACK = VendorProfile(currency="USD", trade_offer_ttl=10 * 60, sell_from=None)
#: Mannco: a USD account; sells from its on-site inventory; 15 minutes for an offer, as the docs
#: say nothing.
MANNCO = VendorProfile(currency="USD", trade_offer_ttl=15 * 60, sell_from="held")

#: The built-in sandbox vendors' profiles, in the order their accounts are stocked.
BUILT_IN_PROFILES: Mapping[str, VendorProfile] = MappingProxyType(
    {"market_tm": MARKET_TM, "swapgg": SWAPGG, "skinsback": SKINSBACK, "mannco": MANNCO}
)
