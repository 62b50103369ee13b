from __future__ import annotations

import decimal
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs
import pytest

from skinmarkets.money import Money, Rates

# --- construction: amount -----------------------------------------------------------------


def test_str_amount_is_stored_as_decimal() -> None:
    m = Money("3.573", "USD")
    assert type(m.amount) is Decimal
    assert m.amount == Decimal("3.573")


def test_int_amount_is_stored_as_decimal() -> None:
    m = Money(4, "USD")
    assert type(m.amount) is Decimal
    assert m.amount == 4


def test_decimal_amount_keeps_its_exponent() -> None:
    assert Money(Decimal("4.00"), "USD").amount.as_tuple().exponent == -2


def test_str_amount_keeps_its_exponent() -> None:
    assert str(Money("4.00", "USD").amount) == "4.00"


def test_decimal_subclass_amount_is_stored_as_plain_decimal() -> None:
    class MyDecimal(Decimal):
        pass

    assert type(Money(MyDecimal("1.5"), "USD").amount) is Decimal


def test_float_amount_raises_type_error() -> None:
    with pytest.raises(TypeError):
        Money(4.0, "USD")  # type: ignore[arg-type]


def test_float_amount_error_explains_cents_and_alternative() -> None:
    with pytest.raises(TypeError) as excinfo:
        Money(4.1, "USD")  # type: ignore[arg-type]
    message = str(excinfo.value)
    assert "binary floats" in message
    assert "cent" in message
    assert "str or Decimal" in message
    assert 'Money("4.00", "USD")' in message


def test_bool_amount_raises_type_error() -> None:
    with pytest.raises(TypeError, match="bool"):
        Money(True, "USD")


def test_non_numeric_str_amount_raises_value_error_naming_it() -> None:
    with pytest.raises(ValueError, match="'12,50'"):
        Money("12,50", "USD")


def test_empty_str_amount_raises_value_error() -> None:
    with pytest.raises(ValueError, match="not a decimal number"):
        Money("", "USD")


@pytest.mark.parametrize("value", ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf"])
def test_non_finite_str_amount_raises_value_error(value: str) -> None:
    with pytest.raises(ValueError, match="finite"):
        Money(value, "USD")


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity")])
def test_non_finite_decimal_amount_raises_value_error(value: Decimal) -> None:
    with pytest.raises(ValueError, match="finite"):
        Money(value, "USD")


@pytest.mark.parametrize("value", [None, b"4.00", [4], object()])
def test_other_amount_types_raise_type_error(value: Any) -> None:
    with pytest.raises(TypeError, match="Decimal, int or str"):
        Money(value, "USD")


def test_fraction_amount_raises_type_error() -> None:
    from fractions import Fraction

    with pytest.raises(TypeError, match="Fraction"):
        Money(Fraction(1, 3), "USD")  # type: ignore[arg-type]


# --- construction: currency ---------------------------------------------------------------


def test_currency_is_upper_cased() -> None:
    assert Money("1", "usd").currency == "USD"


@pytest.mark.parametrize("code", ["US", "USDT", "", "U5D", "US ", " USD", "ÜSD", "us-"])
def test_currency_not_three_ascii_letters_raises_value_error(code: str) -> None:
    with pytest.raises(ValueError, match="3-letter"):
        Money("1", code)


def test_currency_that_upper_cases_to_ascii_is_rejected() -> None:
    # "ß".upper() == "SS": validation must look at the code as given.
    with pytest.raises(ValueError, match="3-letter"):
        Money("1", "ßd")


def test_non_str_currency_raises_type_error() -> None:
    with pytest.raises(TypeError, match="currency"):
        Money("1", 840)  # type: ignore[arg-type]


# --- immutability, equality, hashing ------------------------------------------------------


def test_money_is_frozen() -> None:
    m = Money("1", "USD")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        m.amount = Decimal("2")  # type: ignore[misc]


def test_money_has_slots() -> None:
    assert not hasattr(Money("1", "USD"), "__dict__")


def test_equal_values_with_different_exponents_are_equal() -> None:
    assert Money("4.00", "USD") == Money("4", "USD")


def test_equal_values_with_different_exponents_hash_equal() -> None:
    assert hash(Money("4.00", "USD")) == hash(Money("4", "USD"))


def test_equal_values_collapse_in_a_set() -> None:
    assert len({Money("4.00", "USD"), Money("4", "USD"), Money(Decimal("4.0"), "usd")}) == 1


def test_same_amount_in_different_currencies_is_not_equal() -> None:
    assert Money("4", "USD") != Money("4", "EUR")


def test_money_is_not_equal_to_a_bare_number() -> None:
    assert Money("4", "USD") != Decimal("4")
    assert Money("4", "USD") != 4  # type: ignore[comparison-overlap]


def test_equality_keeps_the_given_amount_unchanged() -> None:
    m = Money("4.00", "USD")
    assert m == Money("4", "USD")
    assert str(m) == "4.00 USD"


def test_money_has_no_truth_value_override() -> None:
    assert "__bool__" not in vars(Money)
    assert bool(Money("0", "USD")) is True


# --- str / repr ---------------------------------------------------------------------------


def test_str_shows_amount_as_given_and_currency() -> None:
    assert str(Money("3.573", "USD")) == "3.573 USD"


def test_str_keeps_trailing_zeros() -> None:
    assert str(Money("4.00", "EUR")) == "4.00 EUR"


def test_str_never_uses_exponent_notation() -> None:
    assert str(Money(Decimal("1E+3"), "USD")) == "1000 USD"
    assert str(Money(Decimal("1.5E-7"), "USD")) == "0.00000015 USD"


def test_repr_shows_constructor_call() -> None:
    assert repr(Money("3.573", "usd")) == "Money('3.573', 'USD')"


def test_repr_evaluates_back_to_an_equal_money() -> None:
    m = Money(Decimal("-12.3400"), "EUR")
    assert eval(repr(m)) == m  # noqa: S307 - a literal produced by repr above


# --- zero ---------------------------------------------------------------------------------


def test_zero_is_zero_in_the_currency() -> None:
    z = Money.zero("eur")
    assert z == Money("0", "EUR")
    assert z.currency == "EUR"


# --- from_minor ---------------------------------------------------------------------------


def test_from_minor_defaults_to_cents() -> None:
    assert Money.from_minor(5100, "EUR") == Money("51.00", "EUR")


def test_from_minor_keeps_the_scale_as_decimal_places() -> None:
    assert str(Money.from_minor(5100, "EUR")) == "51.00 EUR"


def test_from_minor_with_scale_1000_reads_market_tm_prices() -> None:
    assert str(Money.from_minor(5100, "USD", scale=1000)) == "5.100 USD"


def test_from_minor_with_scale_1_is_whole_units() -> None:
    assert Money.from_minor(7, "USD", scale=1) == Money("7", "USD")


def test_from_minor_accepts_negative_minor() -> None:
    assert Money.from_minor(-250, "USD") == Money("-2.50", "USD")


def test_from_minor_accepts_str_of_digits() -> None:
    assert Money.from_minor("5100", "EUR") == Money("51.00", "EUR")


def test_from_minor_accepts_signed_str_of_digits() -> None:
    assert Money.from_minor("-5100", "EUR") == Money("-51.00", "EUR")


def test_from_minor_is_exact_for_huge_values() -> None:
    minor = 10**40 + 1
    assert Money.from_minor(minor, "USD").to_minor() == minor


@pytest.mark.parametrize("minor", ["51.00", "5_100", " 5100", "", "٥١", "1e3", "abc"])
def test_from_minor_rejects_str_that_is_not_plain_digits(minor: str) -> None:
    with pytest.raises(ValueError, match="whole number of minor units"):
        Money.from_minor(minor, "USD")


def test_from_minor_decimal_str_error_points_to_money_constructor() -> None:
    with pytest.raises(ValueError, match=r'Money\("51.00", "USD"\)'):
        Money.from_minor("51.00", "USD")


def test_from_minor_float_raises_type_error_explaining_floats() -> None:
    with pytest.raises(TypeError, match="binary floats"):
        Money.from_minor(5100.0, "USD")  # type: ignore[arg-type]


def test_from_minor_bool_raises_type_error() -> None:
    with pytest.raises(TypeError, match="bool"):
        Money.from_minor(True, "USD")


def test_from_minor_decimal_raises_type_error() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        Money.from_minor(Decimal("5100"), "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize("scale", [0, -100, 2, 50, 99, 101, 1001])
def test_from_minor_scale_not_power_of_ten_raises_value_error(scale: int) -> None:
    with pytest.raises(ValueError, match="power of 10"):
        Money.from_minor(1, "USD", scale=scale)


@pytest.mark.parametrize("scale", [True, Decimal(100), "100", 100.0])
def test_from_minor_scale_not_int_raises_type_error(scale: Any) -> None:
    with pytest.raises(TypeError, match="scale"):
        Money.from_minor(1, "USD", scale=scale)


def test_from_minor_scale_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        Money.from_minor(1, "USD", 100)  # type: ignore[call-arg]


# --- to_minor -----------------------------------------------------------------------------


def test_to_minor_defaults_to_cents() -> None:
    assert Money("51.00", "EUR").to_minor() == 5100


def test_to_minor_returns_int() -> None:
    assert type(Money("51", "EUR").to_minor()) is int


def test_to_minor_with_scale_1000() -> None:
    assert Money("3.573", "USD").to_minor(scale=1000) == 3573


def test_to_minor_ignores_trailing_zeros_beyond_the_scale() -> None:
    assert Money("5.1000000", "USD").to_minor() == 510


def test_to_minor_of_negative_amount() -> None:
    assert Money("-2.50", "USD").to_minor() == -250


def test_to_minor_fraction_of_a_unit_raises_value_error() -> None:
    with pytest.raises(ValueError):
        Money("3.573", "USD").to_minor()


def test_to_minor_error_explains_and_suggests_rounding() -> None:
    with pytest.raises(ValueError) as excinfo:
        Money("3.573", "USD").to_minor()
    message = str(excinfo.value)
    assert "not a whole number of 1/100 USD units" in message
    assert "rounding=decimal.ROUND_DOWN" in message


def test_to_minor_round_down_truncates() -> None:
    assert Money("3.579", "USD").to_minor(rounding=decimal.ROUND_DOWN) == 357


def test_to_minor_round_down_goes_toward_zero_for_negatives() -> None:
    assert Money("-3.579", "USD").to_minor(rounding=decimal.ROUND_DOWN) == -357


def test_to_minor_round_half_up() -> None:
    assert Money("3.575", "USD").to_minor(rounding=decimal.ROUND_HALF_UP) == 358


def test_to_minor_round_half_even() -> None:
    assert Money("3.585", "USD").to_minor(rounding=decimal.ROUND_HALF_EVEN) == 358
    assert Money("3.575", "USD").to_minor(rounding=decimal.ROUND_HALF_EVEN) == 358


def test_to_minor_rounding_is_harmless_when_already_whole() -> None:
    assert Money("3.57", "USD").to_minor(rounding=decimal.ROUND_UP) == 357


def test_to_minor_is_exact_beyond_default_decimal_precision() -> None:
    amount = "1234567890123456789012345678901234.56"
    assert Money(amount, "USD").to_minor() == 123456789012345678901234567890123456


def test_to_minor_unknown_rounding_raises_value_error() -> None:
    with pytest.raises(ValueError, match="rounding mode"):
        Money("3.579", "USD").to_minor(rounding="ROUND_SIDEWAYS")


def test_to_minor_bad_scale_raises_value_error() -> None:
    with pytest.raises(ValueError, match="power of 10"):
        Money("1", "USD").to_minor(scale=12)


# --- arithmetic ---------------------------------------------------------------------------


def test_add_same_currency() -> None:
    assert Money("1.10", "USD") + Money("2.205", "USD") == Money("3.305", "USD")


def test_add_result_is_not_rounded_to_default_precision() -> None:
    big = Money("1" + "0" * 30, "USD")
    assert big + Money("0.01", "USD") == Money("1" + "0" * 30 + ".01", "USD")


def test_add_different_currencies_raises_value_error_naming_both() -> None:
    with pytest.raises(ValueError) as excinfo:
        Money("1", "USD") + Money("1", "EUR")
    assert "USD" in str(excinfo.value)
    assert "EUR" in str(excinfo.value)


def test_add_non_money_raises_type_error() -> None:
    with pytest.raises(TypeError):
        Money("1", "USD") + 1  # type: ignore[operator]


def test_add_non_money_returns_not_implemented() -> None:
    assert Money("1", "USD").__add__(1) is NotImplemented  # type: ignore[operator]


def test_sub_same_currency() -> None:
    assert Money("5.00", "EUR") - Money("0.01", "EUR") == Money("4.99", "EUR")


def test_sub_different_currencies_raises_value_error_naming_both() -> None:
    with pytest.raises(ValueError, match=r"USD.*EUR"):
        Money("1", "USD") - Money("1", "EUR")


def test_sub_non_money_raises_type_error() -> None:
    with pytest.raises(TypeError):
        Money("1", "USD") - Decimal(1)  # type: ignore[operator]


def test_neg() -> None:
    assert -Money("2.50", "USD") == Money("-2.50", "USD")


def test_neg_of_zero_is_not_negative_zero() -> None:
    assert str(-Money("0.00", "USD")) == "0.00 USD"


def test_abs() -> None:
    assert abs(Money("-2.50", "USD")) == Money("2.50", "USD")


def test_mul_by_int() -> None:
    assert Money("2.50", "USD") * 3 == Money("7.50", "USD")


def test_mul_by_decimal() -> None:
    assert Money("2.50", "USD") * Decimal("0.95") == Money("2.375", "USD")


def test_reversed_mul_by_int() -> None:
    assert 3 * Money("2.50", "USD") == Money("7.50", "USD")


def test_reversed_mul_by_decimal() -> None:
    assert Decimal("0.5") * Money("3", "USD") == Money("1.5", "USD")


def test_mul_is_exact_beyond_default_decimal_precision() -> None:
    m = Money("1234567890.123456789", "USD") * Decimal("9876543210.987654321")
    # 1234567890123456789 * 9876543210987654321, shifted 18 places: checked with int arithmetic.
    assert m.amount == Decimal("12193263113702179522.374638011112635269")


def test_mul_by_float_raises_type_error_explaining_floats() -> None:
    with pytest.raises(TypeError, match="binary floats"):
        Money("1", "USD") * 1.5  # type: ignore[operator]


def test_reversed_mul_by_float_raises_type_error() -> None:
    with pytest.raises(TypeError, match="binary floats"):
        1.5 * Money("1", "USD")  # type: ignore[operator]


def test_mul_by_money_raises_type_error() -> None:
    with pytest.raises(TypeError):
        Money("1", "USD") * Money("2", "USD")  # type: ignore[operator]


def test_mul_by_money_returns_not_implemented() -> None:
    assert Money("1", "USD").__mul__(Money("2", "USD")) is NotImplemented  # type: ignore[operator]


def test_mul_by_bool_raises_type_error() -> None:
    with pytest.raises(TypeError):
        Money("1", "USD") * True


def test_mul_by_str_raises_type_error() -> None:
    with pytest.raises(TypeError):
        Money("1", "USD") * "2"  # type: ignore[operator]


def test_mul_by_non_finite_decimal_raises_value_error() -> None:
    with pytest.raises(ValueError, match="finite"):
        Money("1", "USD") * Decimal("Infinity")


def test_div_by_int() -> None:
    assert Money("10.00", "USD") / 4 == Money("2.50", "USD")


def test_div_by_decimal() -> None:
    assert Money("3", "USD") / Decimal("0.5") == Money("6", "USD")


def test_exact_div_keeps_the_dividend_exponent() -> None:
    assert str(Money("10.00", "USD") / 4) == "2.50 USD"


def test_exact_div_is_not_rounded_to_default_precision() -> None:
    # 37 significant digits: the default 28-digit context would round this quotient.
    m = Money("1234567890123456789012345678901234567", "USD") / 8
    assert m == Money("154320986265432098626543209862654320.875", "USD")


def test_non_terminating_div_follows_the_decimal_context() -> None:
    with decimal.localcontext() as ctx:
        ctx.prec = 5
        assert Money("10", "USD") / 3 == Money("3.3333", "USD")


def test_div_by_zero_raises_zero_division_error() -> None:
    with pytest.raises(ZeroDivisionError):
        Money("1", "USD") / 0


def test_zero_div_by_zero_raises_zero_division_error() -> None:
    with pytest.raises(ZeroDivisionError):
        Money("0", "USD") / Decimal("0.00")


def test_div_by_float_raises_type_error() -> None:
    with pytest.raises(TypeError, match="binary floats"):
        Money("1", "USD") / 2.0  # type: ignore[operator]


def test_div_by_money_raises_type_error() -> None:
    with pytest.raises(TypeError):
        Money("1", "USD") / Money("2", "USD")  # type: ignore[operator]


def test_number_div_by_money_raises_type_error() -> None:
    with pytest.raises(TypeError):
        2 / Money("2", "USD")  # type: ignore[operator]


def test_floor_div_is_not_supported() -> None:
    with pytest.raises(TypeError):
        Money("1", "USD") // 2  # type: ignore[operator]


def test_arithmetic_keeps_the_currency() -> None:
    m = Money("1", "EUR")
    results = [m + m, m - m, -m, abs(m), m * 2, 2 * m, m / 2, m.quantize(2)]
    assert {r.currency for r in results} == {"EUR"}


# --- ordering -----------------------------------------------------------------------------


def test_ordering_within_one_currency() -> None:
    low, high = Money("1.99", "USD"), Money("2", "USD")
    assert low < high
    assert low <= high
    assert high > low
    assert high >= low


def test_ordering_treats_equal_values_as_equal() -> None:
    a, b = Money("2.00", "USD"), Money("2", "USD")
    assert a <= b
    assert a >= b
    assert not a < b
    assert not a > b


def test_sorting_money_of_one_currency() -> None:
    values = [Money("3", "USD"), Money("-1", "USD"), Money("2.5", "USD")]
    assert sorted(values) == [Money("-1", "USD"), Money("2.5", "USD"), Money("3", "USD")]


@pytest.mark.parametrize("op", ["__lt__", "__le__", "__gt__", "__ge__"])
def test_ordering_across_currencies_raises_value_error(op: str) -> None:
    with pytest.raises(ValueError, match=r"USD.*EUR"):
        getattr(Money("1", "USD"), op)(Money("1", "EUR"))


def test_ordering_against_a_number_raises_type_error() -> None:
    with pytest.raises(TypeError):
        assert Money("1", "USD") < 2  # type: ignore[operator]


def test_ordering_against_a_number_returns_not_implemented() -> None:
    assert Money("1", "USD").__lt__(2) is NotImplemented  # type: ignore[operator]


# --- quantize -----------------------------------------------------------------------------


def test_quantize_with_decimal_exponent() -> None:
    assert str(Money("3.573", "USD").quantize(Decimal("0.01"))) == "3.57 USD"


def test_quantize_with_int_places() -> None:
    assert str(Money("3.573", "USD").quantize(2)) == "3.57 USD"


def test_quantize_defaults_to_half_even() -> None:
    assert str(Money("2.665", "USD").quantize(2)) == "2.66 USD"
    assert str(Money("2.675", "USD").quantize(2)) == "2.68 USD"


def test_quantize_with_rounding_mode() -> None:
    assert str(Money("2.665", "USD").quantize(2, decimal.ROUND_HALF_UP)) == "2.67 USD"


def test_quantize_pads_to_the_exponent() -> None:
    assert str(Money("4", "USD").quantize(2)) == "4.00 USD"


def test_quantize_uses_only_the_exponent_of_a_decimal() -> None:
    assert Money("3.573", "USD").quantize(Decimal("0.05")) == Money("3.57", "USD")


def test_quantize_beyond_default_decimal_precision() -> None:
    amount = "12345678901234567890123456789.125"
    assert str(Money(amount, "USD").quantize(2)) == "12345678901234567890123456789.12 USD"


def test_quantize_unknown_rounding_raises_value_error() -> None:
    with pytest.raises(ValueError, match="rounding mode"):
        Money("1", "USD").quantize(2, "nearest")


def test_quantize_float_places_raises_type_error() -> None:
    with pytest.raises(TypeError, match="places"):
        Money("1", "USD").quantize(0.01)  # type: ignore[arg-type]


def test_quantize_non_finite_places_raises_value_error() -> None:
    with pytest.raises(ValueError, match="finite"):
        Money("1", "USD").quantize(Decimal("NaN"))


# --- Rates --------------------------------------------------------------------------------


def test_rates_store_values_as_decimal() -> None:
    rates = Rates({"EUR": "0.92", "GBP": Decimal("0.79"), "JPY": 150})
    assert all(type(v) is Decimal for v in rates.rates.values())


def test_rates_default_base_is_usd() -> None:
    assert Rates({"EUR": "0.92"}).base == "USD"


def test_rates_normalise_codes() -> None:
    rates = Rates({"eur": "0.92"}, base="usd")
    assert rates.base == "USD"
    assert rates.currencies == frozenset({"EUR", "USD"})


def test_rates_include_the_base_at_one() -> None:
    assert Rates({"EUR": "0.92"}).rates["USD"] == 1


def test_rates_mapping_is_read_only() -> None:
    rates = Rates({"EUR": "0.92"})
    assert isinstance(rates.rates, MappingProxyType)
    with pytest.raises(TypeError):
        rates.rates["EUR"] = Decimal(1)  # type: ignore[index]


def test_rates_do_not_alias_the_given_dict() -> None:
    given = {"EUR": "0.92"}
    rates = Rates(given)
    given["EUR"] = "100"
    assert rates.rate("USD", "EUR") == Decimal("0.92")


def test_rates_are_frozen() -> None:
    rates = Rates({"EUR": "0.92"})
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        rates.base = "EUR"  # type: ignore[misc]


def test_rates_equality_is_value_based() -> None:
    assert Rates({"EUR": "0.920", "GBP": "0.79"}) == Rates({"gbp": Decimal("0.79"), "EUR": "0.92"})


def test_rates_with_different_bases_are_not_equal() -> None:
    assert Rates({"EUR": "1"}) != Rates({"USD": "1"}, base="EUR")


def test_rates_listing_the_base_at_one_equal_rates_without_it() -> None:
    assert Rates({"EUR": "0.92", "USD": "1"}) == Rates({"EUR": "0.92"})


def test_equal_rates_hash_equal() -> None:
    assert hash(Rates({"EUR": "0.920"})) == hash(Rates({"EUR": "0.92"}))


def test_rates_float_value_raises_type_error_explaining_floats() -> None:
    with pytest.raises(TypeError, match="binary floats"):
        Rates({"EUR": 0.92})  # type: ignore[dict-item]


def test_rates_bool_value_raises_type_error() -> None:
    with pytest.raises(TypeError, match="bool"):
        Rates({"EUR": True})


@pytest.mark.parametrize("value", ["0", "-0.92", 0, Decimal("-1")])
def test_rates_non_positive_value_raises_value_error(value: Any) -> None:
    with pytest.raises(ValueError, match="> 0"):
        Rates({"EUR": value})


@pytest.mark.parametrize("value", ["NaN", "Infinity", Decimal("NaN")])
def test_rates_non_finite_value_raises_value_error(value: Any) -> None:
    with pytest.raises(ValueError, match="finite"):
        Rates({"EUR": value})


def test_rates_non_numeric_value_raises_value_error_naming_it() -> None:
    with pytest.raises(ValueError, match="'n/a'"):
        Rates({"EUR": "n/a"})


def test_rates_invalid_code_raises_value_error() -> None:
    with pytest.raises(ValueError, match="3-letter"):
        Rates({"EURO": "0.92"})


def test_rates_invalid_base_raises_value_error() -> None:
    with pytest.raises(ValueError, match="3-letter"):
        Rates({"EUR": "0.92"}, base="US")


def test_rates_code_given_twice_in_different_case_raises_value_error() -> None:
    with pytest.raises(ValueError, match="EUR appears twice"):
        Rates({"EUR": "0.92", "eur": "0.92"})


def test_rates_base_listed_with_rate_other_than_one_raises_value_error() -> None:
    with pytest.raises(ValueError, match="base currency USD must be 1"):
        Rates({"USD": "2", "EUR": "0.92"})


def test_rate_of_a_currency_to_itself_is_one() -> None:
    assert Rates({}).rate("RUB", "rub") == 1


def test_rate_from_base() -> None:
    assert Rates({"EUR": "0.92"}).rate("USD", "EUR") == Decimal("0.92")


def test_rate_to_base() -> None:
    assert Rates({"EUR": "0.5"}).rate("EUR", "USD") == 2


def test_rate_between_two_non_base_currencies_goes_via_the_base() -> None:
    assert Rates({"EUR": "2", "GBP": "4"}).rate("EUR", "GBP") == 2


def test_rate_accepts_lower_case_codes() -> None:
    assert Rates({"EUR": "0.92"}).rate("usd", "eur") == Decimal("0.92")


def test_rate_returns_decimal() -> None:
    assert type(Rates({"EUR": "0.92", "GBP": "0.79"}).rate("EUR", "GBP")) is Decimal


def test_rate_for_missing_currency_raises_value_error_not_key_error() -> None:
    with pytest.raises(ValueError):
        Rates({"EUR": "0.92"}).rate("USD", "RUB")


def test_rate_missing_currency_error_names_it_and_what_exists() -> None:
    with pytest.raises(ValueError) as excinfo:
        Rates({"EUR": "0.92"}).rate("USD", "RUB")
    message = str(excinfo.value)
    assert "no exchange rate for RUB in Rates(base=USD; has EUR, USD)" in message
    assert 'Rates({"RUB": "92.5", ...})' in message


def test_rate_missing_currency_error_shows_non_default_base() -> None:
    with pytest.raises(ValueError, match='base="EUR"'):
        Rates({"USD": "1.08"}, base="EUR").rate("RUB", "EUR")


def test_rate_error_names_every_missing_currency() -> None:
    with pytest.raises(ValueError, match="no exchange rate for RUB, GBP"):
        Rates({"EUR": "0.92"}).rate("RUB", "GBP")


def test_rates_contains_listed_and_base_currencies() -> None:
    rates = Rates({"EUR": "0.92"})
    assert "EUR" in rates
    assert "USD" in rates
    assert "RUB" not in rates


def test_rates_contains_ignores_case() -> None:
    assert "eur" in Rates({"EUR": "0.92"})


@pytest.mark.parametrize("code", ["EURO", "", 978, None])
def test_rates_contains_is_false_for_invalid_codes(code: object) -> None:
    assert code not in Rates({"EUR": "0.92"})


def test_rates_currencies_is_a_frozenset() -> None:
    assert Rates({"EUR": "0.92"}).currencies == frozenset({"EUR", "USD"})
    assert isinstance(Rates({}).currencies, frozenset)


def test_rates_repr_shows_amounts_and_base() -> None:
    assert repr(Rates({"eur": "0.92"})) == "Rates({'EUR': '0.92', 'USD': '1'}, base='USD')"


def test_rates_repr_evaluates_back_to_equal_rates() -> None:
    rates = Rates({"EUR": "0.92", "GBP": "0.79"}, base="USD")
    assert eval(repr(rates)) == rates  # noqa: S307 - a literal produced by repr above


# --- convert ------------------------------------------------------------------------------


def test_convert_to_same_currency_returns_self() -> None:
    m = Money("4.00", "USD")
    assert m.convert("usd", Rates({})) is m


def test_convert_from_base() -> None:
    assert Money("10", "USD").convert("EUR", Rates({"EUR": "0.92"})) == Money("9.2", "EUR")


def test_convert_to_base() -> None:
    assert Money("10", "EUR").convert("USD", Rates({"EUR": "0.5"})) == Money("20", "USD")


def test_convert_between_non_base_currencies() -> None:
    rates = Rates({"EUR": "2", "GBP": "4"})
    assert Money("3", "EUR").convert("GBP", rates) == Money("6", "GBP")


def test_convert_does_not_round() -> None:
    converted = Money("3.573", "USD").convert("RUB", Rates({"RUB": "92.4567"}))
    assert converted.amount == Decimal("3.573") * Decimal("92.4567")
    assert str(converted) == "330.3477891 RUB"


def test_convert_missing_rate_raises_value_error() -> None:
    with pytest.raises(ValueError, match="no exchange rate for RUB"):
        Money("1", "USD").convert("RUB", Rates({"EUR": "0.92"}))


def test_convert_invalid_target_code_raises_value_error() -> None:
    with pytest.raises(ValueError, match="3-letter"):
        Money("1", "USD").convert("EURO", Rates({"EUR": "0.92"}))
