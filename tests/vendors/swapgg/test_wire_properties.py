"""Random JSON into every swap.gg wire class: a result or ``UnexpectedResponse``, nothing else."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skinmarkets import errors
from skinmarkets.vendors.swapgg import wire

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.decimals(allow_nan=False, allow_infinity=False).map(Decimal)
    | st.sampled_from(["", "730", "1E999999999", "EUR", "eur1", "OK", "-5", "abc"])
)
KEYS = st.sampled_from(
    [
        "itemId", "marketName", "appId", "assetId", "groupId", "sale", "saleId", "price", "meta",
        "FLOAT", "o", "balance", "withdrawableBalance", "saleIds", "purchaseAmount", "items",
        "tradeIds", "itemIds", "more", "total", "pagination", "tradeId", "userId", "currency",
        "localization", "maxPrice", "quantity", "remaining", "max", "orderId", "code", "value",
    ]
)  # fmt: skip
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=6),
    max_leaves=20,
)
CLASSES = [obj for obj in vars(wire).values() if isinstance(obj, type) and attrs.has(obj)] + [
    dict[str, wire.LowestPrice],
    list[wire.BuyOrder],
]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: getattr(c, "__name__", str(c)))
@settings(max_examples=60, deadline=None)
@given(data=JSON)
def test_random_json_is_a_result_or_unexpected_response(cls: Any, data: Any) -> None:
    with contextlib.suppress(errors.UnexpectedResponse):
        wire.structure(data, cls, operation="property")
