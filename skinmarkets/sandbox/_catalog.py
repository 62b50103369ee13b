"""SANDBOX DATA: the sandbox's catalogue. Invented, plausible prices; not market data.

Every item is listed on every sandbox market at a price derived from its reference price
(``USD``) by a per-market factor and a few offsets, so the markets disagree (which is what a
comparison or arbitrage script wants to see) while staying deterministic from run to run.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

__all__ = ["CATALOGUE", "OFFSETS", "CatalogueItem"]


class CatalogueItem(NamedTuple):
    """One SANDBOX item: its Steam name, app id and an invented reference price in USD."""

    market_hash_name: str
    app_id: int
    reference_usd: Decimal


#: SANDBOX DATA — invented reference prices, clearly not quotes from any market.
CATALOGUE: tuple[CatalogueItem, ...] = (
    CatalogueItem("AK-47 | Redline (Field-Tested)", 730, Decimal("12.40")),
    CatalogueItem("AWP | Asiimov (Field-Tested)", 730, Decimal("98.50")),
    CatalogueItem("M4A1-S | Hyper Beast (Minimal Wear)", 730, Decimal("24.10")),
    CatalogueItem("Glock-18 | Water Elemental (Field-Tested)", 730, Decimal("3.20")),
    CatalogueItem("USP-S | Kill Confirmed (Field-Tested)", 730, Decimal("41.00")),
    CatalogueItem("Desert Eagle | Printstream (Field-Tested)", 730, Decimal("36.75")),
    CatalogueItem("Spectrum 2 Case", 730, Decimal("0.85")),
    CatalogueItem("AWP | Worm God (Factory New)", 730, Decimal("3.60")),
    CatalogueItem("Mann Co. Supply Crate Key", 440, Decimal("2.05")),
    CatalogueItem("Team Captain", 440, Decimal("7.30")),
)

#: SANDBOX DATA — each item is listed three times per market, at these multiples of its price.
OFFSETS: tuple[Decimal, ...] = (Decimal("1.00"), Decimal("1.03"), Decimal("1.11"))
