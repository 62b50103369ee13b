"""The exception tree: the drawing in the errors docstring is the class hierarchy, exactly."""

from __future__ import annotations

import inspect
import pickle
import re
from decimal import Decimal

import pytest

from skinmarkets import errors

BRANCH = re.compile(r"^(?P<indent>(?:│   |    )*)(?:├── |└── )(?P<name>\w+)")


def drawn_tree() -> dict[str, str | None]:
    """Class name -> the parent drawn above it, read from the module docstring."""
    doc = errors.__doc__ or ""
    lines = [line.strip("\n") for line in doc.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.strip() == "SkinMarketsError")
    indent = len(lines[start]) - len(lines[start].lstrip())
    parents: dict[str, str | None] = {"SkinMarketsError": None}
    stack = ["SkinMarketsError"]
    for line in lines[start + 1 :]:
        match = BRANCH.match(line[indent:])
        if match is None:
            break
        depth = len(match["indent"]) // 4 + 1
        del stack[depth:]
        parents[match["name"]] = stack[-1]
        stack.append(match["name"])
    return parents


TREE = drawn_tree()


def test_the_drawing_is_read() -> None:
    assert len(TREE) > 15
    assert TREE["Timeout"] == "NetworkError"


def test_the_drawing_has_every_error_class_of_the_module() -> None:
    classes = {
        name
        for name, value in vars(errors).items()
        if inspect.isclass(value) and issubclass(value, errors.SkinMarketsError)
    }

    assert set(TREE) == classes


def test_the_module_exports_exactly_the_drawn_classes() -> None:
    assert sorted(errors.__all__) == sorted(TREE)


@pytest.mark.parametrize(("child", "parent"), [(c, p) for c, p in TREE.items() if p])
def test_each_drawn_edge_is_the_class_direct_base(child: str, parent: str) -> None:
    assert getattr(errors, child).__bases__ == (getattr(errors, parent),)


def test_the_root_is_an_exception() -> None:
    assert errors.SkinMarketsError.__bases__ == (Exception,)


@pytest.mark.parametrize(
    ("child", "ancestor"),
    [
        ("Timeout", "TransientError"),
        ("RateLimited", "TransientError"),
        ("ServiceUnavailable", "TransientError"),
        ("PriceExceeded", "APIError"),
        ("DuplicateCustomId", "APIError"),
        ("OutcomeUnknown", "SkinMarketsError"),
    ],
)
def test_the_design_edges_hold(child: str, ancestor: str) -> None:
    assert issubclass(getattr(errors, child), getattr(errors, ancestor))


def test_outcome_unknown_is_neither_transient_nor_a_refusal() -> None:
    assert not issubclass(errors.OutcomeUnknown, errors.TransientError | errors.APIError)


# --------------------------------------------------------------------------- attributes


def test_str_is_the_message() -> None:
    error = errors.InsufficientFunds("market_tm: buy refused: top up", vendor="market_tm")

    assert str(error) == "market_tm: buy refused: top up"
    assert error.message == str(error)


def test_every_error_carries_vendor_operation_and_raw() -> None:
    error = errors.NotSupported("no", vendor="swapgg", operation="prices", raw={"a": 1})

    assert (error.vendor, error.operation, error.raw) == ("swapgg", "prices", {"a": 1})


@pytest.mark.parametrize(
    "name", [n for n in TREE if issubclass(getattr(errors, n), errors.APIError)]
)
def test_every_api_error_carries_code_and_http_status(name: str) -> None:
    error = getattr(errors, name)(
        "no", vendor="mannco", operation="buy", code="E42", http_status=400, raw={"e": 42}
    )

    assert (error.vendor, error.operation, error.code, error.http_status, error.raw) == (
        "mannco",
        "buy",
        "E42",
        400,
        {"e": 42},
    )


def test_rate_limited_carries_retry_after_status_and_code() -> None:
    error = errors.RateLimited("slow", retry_after=2.5, http_status=429, code="RATE_LIMIT")

    assert (error.retry_after, error.http_status, error.code) == (2.5, 429, "RATE_LIMIT")


def test_rate_limited_retry_after_defaults_to_unknown() -> None:
    assert errors.RateLimited("slow").retry_after is None


def test_service_unavailable_carries_status_and_code() -> None:
    error = errors.ServiceUnavailable("down", http_status=503, code="maintenance")

    assert (error.http_status, error.code) == (503, "maintenance")


def test_outcome_unknown_carries_the_custom_id() -> None:
    assert errors.OutcomeUnknown("maybe", custom_id="c-1").custom_id == "c-1"


def test_price_exceeded_carries_price_and_cap() -> None:
    error = errors.PriceExceeded("too dear", price=Decimal("5"), max_price=Decimal("4"))

    assert (error.price, error.max_price) == (Decimal("5"), Decimal("4"))


@pytest.mark.parametrize(
    "error",
    [
        errors.OutcomeUnknown("maybe", custom_id="c-1", vendor="market_tm", operation="buy"),
        errors.RateLimited("slow", retry_after=3.0, vendor="swapgg", http_status=429),
        errors.ItemUnavailable("sold", vendor="mannco", code=404, http_status=404, raw={"a": 1}),
        errors.PriceExceeded("dear", price=Decimal("5"), max_price=Decimal("4")),
    ],
    ids=lambda e: type(e).__name__,
)
def test_an_error_survives_pickling_with_its_attributes(error: errors.SkinMarketsError) -> None:
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes

    assert type(copy) is type(error)
    assert (str(copy), vars(copy)) == (str(error), vars(error))
