"""The contract suite runs every test once per vendor harness (test ids end in the vendor id)."""

from __future__ import annotations

import pytest

from tests.contract.harness import VendorHarness
from tests.contract.harnesses import HARNESSES


@pytest.fixture(params=HARNESSES, ids=lambda h: h.vendor)
def h(request: pytest.FixtureRequest) -> VendorHarness:
    """The vendor harness under test."""
    harness: VendorHarness = request.param
    return harness
