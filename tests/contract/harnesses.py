"""The harnesses the contract suite runs against: one per vendor adapter."""

from __future__ import annotations

from tests.contract.harness import VendorHarness
from tests.contract.harness_mannco import ManncoHarness
from tests.contract.harness_market_tm import MarketTMHarness
from tests.contract.harness_skinsback import SkinsbackHarness
from tests.contract.harness_swapgg import SwapGGHarness

HARNESSES: list[VendorHarness] = [
    MarketTMHarness(),
    ManncoHarness(),
    SwapGGHarness(),
    SkinsbackHarness(),
]
