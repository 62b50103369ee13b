from __future__ import annotations

import decimal
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from skinmarkets.money import Money, Rates

SCALES = st.sampled_from([1, 10, 100, 1000])
CURRENCIES = st.sampled_from(["USD", "EUR", "RUB"])
ROUNDINGS = st.sampled_from(
    [
        decimal.ROUND_CEILING,
        decimal.ROUND_DOWN,
        decimal.ROUND_FLOOR,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_HALF_UP,
        decimal.ROUND_UP,
        decimal.ROUND_05UP,
    ]
)
AMOUNTS = st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**12), max_value=10**12)
# Wider than 28 significant digits so that any rounding by the default context would show.
WIDE_AMOUNTS = st.decimals(allow_nan=False, allow_infinity=False, places=6).filter(
    lambda d: abs(d) < Decimal(10) ** 40
)
FACTORS = st.one_of(st.integers(min_value=-(10**9), max_value=10**9), AMOUNTS)


def usd(amount: Decimal) -> Money:
    return Money(amount, "USD")


@given(st.integers(), SCALES, CURRENCIES)
def test_from_minor_to_minor_round_trips(minor: int, scale: int, currency: str) -> None:
    assert Money.from_minor(minor, currency, scale=scale).to_minor(scale=scale) == minor


@given(st.integers(), SCALES)
def test_from_minor_of_digit_str_equals_from_minor_of_int(minor: int, scale: int) -> None:
    assert Money.from_minor(str(minor), "USD", scale=scale) == Money.from_minor(
        minor, "USD", scale=scale
    )


@given(WIDE_AMOUNTS, WIDE_AMOUNTS)
def test_addition_is_commutative(a: Decimal, b: Decimal) -> None:
    assert usd(a) + usd(b) == usd(b) + usd(a)


@given(WIDE_AMOUNTS, WIDE_AMOUNTS, WIDE_AMOUNTS)
def test_addition_is_associative(a: Decimal, b: Decimal, c: Decimal) -> None:
    assert (usd(a) + usd(b)) + usd(c) == usd(a) + (usd(b) + usd(c))


@given(WIDE_AMOUNTS, WIDE_AMOUNTS)
def test_subtraction_undoes_addition(a: Decimal, b: Decimal) -> None:
    assert usd(a) + usd(b) - usd(b) == usd(a)


@given(AMOUNTS, AMOUNTS)
def test_ordering_is_consistent_with_amounts(a: Decimal, b: Decimal) -> None:
    x, y = usd(a), usd(b)
    assert (x < y) == (a < b)
    assert (x <= y) == (a <= b)
    assert (x > y) == (a > b)
    assert (x >= y) == (a >= b)
    assert (x == y) == (a == b)


@given(AMOUNTS, AMOUNTS)
def test_equal_money_hashes_equal(a: Decimal, b: Decimal) -> None:
    if usd(a) == usd(b):
        assert hash(usd(a)) == hash(usd(b))


@given(AMOUNTS, SCALES)
def test_to_minor_round_down_never_exceeds_magnitude(amount: Decimal, scale: int) -> None:
    m = usd(amount)
    back = Money.from_minor(
        m.to_minor(scale=scale, rounding=decimal.ROUND_DOWN), "USD", scale=scale
    )
    assert abs(back) <= abs(m)
    assert abs(m - back) < Money.from_minor(1, "USD", scale=scale)


@given(AMOUNTS.filter(lambda d: d >= 0), SCALES)
def test_to_minor_round_down_never_exceeds_exact_value(amount: Decimal, scale: int) -> None:
    m = usd(amount)
    assert (
        Money.from_minor(m.to_minor(scale=scale, rounding=decimal.ROUND_DOWN), "USD", scale=scale)
        <= m
    )


@given(AMOUNTS, SCALES)
def test_to_minor_round_floor_never_exceeds_exact_value(amount: Decimal, scale: int) -> None:
    m = usd(amount)
    assert (
        Money.from_minor(m.to_minor(scale=scale, rounding=decimal.ROUND_FLOOR), "USD", scale=scale)
        <= m
    )


@given(AMOUNTS, SCALES, ROUNDINGS)
def test_to_minor_with_any_rounding_is_within_one_unit(
    amount: Decimal, scale: int, rounding: str
) -> None:
    m = usd(amount)
    back = Money.from_minor(m.to_minor(scale=scale, rounding=rounding), "USD", scale=scale)
    assert abs(m - back) < Money.from_minor(1, "USD", scale=scale)


@given(
    WIDE_AMOUNTS,
    st.sampled_from(["2", "4", "0.5", "0.25", "8", "1.25"]),
    st.sampled_from(["2", "4", "0.5", "0.25", "8", "1.25"]),
)
def test_convert_round_trip_through_exact_rates(amount: Decimal, eur: str, gbp: str) -> None:
    rates = Rates({"EUR": eur, "GBP": gbp})
    m = Money(amount, "EUR")
    assert m.convert("GBP", rates).convert("EUR", rates) == m
    assert m.convert("USD", rates).convert("EUR", rates) == m


@given(AMOUNTS, AMOUNTS.filter(lambda d: d > 0), st.sampled_from(["USD", "EUR"]))
def test_convert_is_exact_multiplication_by_the_rate(
    amount: Decimal, rate: Decimal, to: str
) -> None:
    rates = Rates({"EUR": rate})
    converted = Money(amount, "USD").convert(to, rates)
    with decimal.localcontext() as ctx:
        ctx.prec = 200
        expected = amount * rates.rate("USD", to)
    assert converted == Money(expected, to)


@given(AMOUNTS, AMOUNTS, FACTORS, st.integers(min_value=1, max_value=10**6), SCALES)
def test_no_operation_produces_a_non_decimal_amount(
    a: Decimal, b: Decimal, factor: int | Decimal, divisor: int, scale: int
) -> None:
    x, y = usd(a), usd(b)
    rates = Rates({"EUR": "0.92", "GBP": "0.79"})
    results = [
        x + y,
        x - y,
        -x,
        abs(x),
        x * factor,
        factor * x,
        x / divisor,
        x / Decimal(divisor),
        x.quantize(2),
        x.quantize(Decimal("0.001"), decimal.ROUND_DOWN),
        x.convert("EUR", rates),
        x.convert("EUR", rates).convert("GBP", rates),
        Money.from_minor(
            x.to_minor(scale=scale, rounding=decimal.ROUND_HALF_UP), "USD", scale=scale
        ),
        Money.zero("USD"),
    ]
    for result in results:
        assert type(result.amount) is Decimal
    assert type(rates.rate("EUR", "GBP")) is Decimal


@given(WIDE_AMOUNTS, st.integers(min_value=-(10**20), max_value=10**20))
def test_multiplication_by_int_is_exact(amount: Decimal, factor: int) -> None:
    product = usd(amount) * factor
    assert product.to_minor(scale=10**6) == usd(amount).to_minor(scale=10**6) * factor


@given(WIDE_AMOUNTS, st.sampled_from([1, 2, 4, 5, 8, 10, 16, 20, 25, 125]))
def test_division_by_a_terminating_divisor_is_exact(amount: Decimal, divisor: int) -> None:
    assert (usd(amount) / divisor) * divisor == usd(amount)


@given(AMOUNTS)
def test_repr_round_trips(amount: Decimal) -> None:
    m = usd(amount)
    assert eval(repr(m)) == m  # noqa: S307 - a literal produced by repr above


@given(AMOUNTS)
def test_str_is_never_in_exponent_notation(amount: Decimal) -> None:
    assert "E" not in str(usd(amount)).removesuffix(" USD")
