"""The shared wire conversion (skinmarkets._wire): bounded hooks, raw kept, shaped errors."""

from __future__ import annotations

import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
import pytest

from skinmarkets import _wire, errors
from skinmarkets._wire import Currency, Raw


@attrs.frozen
class Thing:
    """A wire class of this module: read by the converter made for ``__name__``."""

    id: str
    price: int
    currency: Currency
    class_: str | None = attrs.field(default=None, alias="class_")
    amount: Decimal | None = None
    active: bool | None = None
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class Kept(_wire.KeepsRaw):
    """A wire class that gets ``raw`` from the shared base, as the vendors' classes do."""

    id: str
    price: int = 0


@attrs.frozen
class Plain:
    """A wire class without ``raw``."""

    name: str


@attrs.frozen
class Holder:
    """A wire class with a ``dict`` field, as PHP vendors send them."""

    items: dict[str, int] = attrs.field(factory=dict)


CONVERTER = _wire.make_converter(__name__)
PHP_CONVERTER = _wire.make_converter(__name__, empty_list_as_dict=True)


def structure(data: object, cls: Any, converter: Any = CONVERTER) -> Any:
    return _wire.structure(converter, data, cls, vendor="acme", operation="get_thing")


# --------------------------------------------------------------------------- to_int


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5, 5), ("42", 42), (" -7 ", -7), (Decimal("3"), 3), (Decimal("3.000"), 3)],
)
def test_to_int_accepts_ints_whole_decimals_and_digit_strings(value: object, expected: int) -> None:
    assert _wire.to_int(value) == expected


def test_to_int_accepts_the_largest_number_below_the_bound() -> None:
    assert _wire.to_int(10**18 - 1) == 10**18 - 1
    assert _wire.to_int(-(10**18) + 1) == -(10**18) + 1


@pytest.mark.parametrize(
    "value",
    [
        10**18,
        -(10**18),
        "1" * 19,
        Decimal("1E18"),
        Decimal("1E999999999"),
        Decimal("1.5"),
        Decimal("NaN"),
        "1.5",
        "1E3",
        "",
        True,
        False,
        None,
        1.0,
        [1],
    ],
)
def test_to_int_refuses_what_is_not_a_bounded_whole_number(value: object) -> None:
    with pytest.raises(TypeError):
        _wire.to_int(value)


def test_to_int_refuses_a_huge_exponent_without_building_the_number() -> None:
    started = time.perf_counter()
    with pytest.raises(TypeError):
        _wire.to_int(Decimal("1E999999999"))
    assert time.perf_counter() - started < 1


# --------------------------------------------------------------------------- to_decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.50", Decimal("0.50")), (3, Decimal(3)), (Decimal("1E30"), Decimal("1E30")), (" 2 ", 2)],
)
def test_to_decimal_accepts_numbers_and_decimal_strings(value: object, expected: Decimal) -> None:
    result = _wire.to_decimal(value)
    assert result == expected
    assert isinstance(result, Decimal)


@pytest.mark.parametrize(
    "value",
    [
        Decimal("1E31"),
        Decimal("1E-31"),
        "1E999999999",
        Decimal("NaN"),
        "Infinity",
        "-Infinity",
        "abc",
        "",
        True,
        None,
        0.5,
    ],
)
def test_to_decimal_refuses_non_finite_out_of_range_and_non_numbers(value: object) -> None:
    with pytest.raises(TypeError):
        _wire.to_decimal(value)


def test_to_decimal_accepts_zero_whatever_its_exponent() -> None:
    assert _wire.to_decimal(Decimal("0E-100")) == 0


# --------------------------------------------------------------------------- impossible values


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", 0), (0, 0), ("0.50", Decimal("0.50")), (Decimal("123.456"), Decimal("123.456"))],
)
def test_to_amount_accepts_zero_and_more(value: object, expected: Decimal) -> None:
    assert _wire.to_amount(value) == expected


@pytest.mark.parametrize("value", ["-0", Decimal("-0.00"), "-0E+5"])
def test_to_amount_reads_a_negative_zero_as_zero(value: object) -> None:
    result = _wire.to_amount(value)
    assert result == 0
    assert not result.is_signed()


def test_to_amount_keeps_every_digit_of_a_long_amount() -> None:
    long = "1.2345678901234567890123456789012"  # more digits than the default context's 28
    assert str(_wire.to_amount(long)) == long


@pytest.mark.parametrize(
    "value", [-1, "-501", Decimal("-12.031"), "-0.001", Decimal("-1E-30"), "-1E+30"]
)
def test_to_amount_refuses_a_negative_amount(value: object) -> None:
    with pytest.raises(TypeError, match="an amount of 0 or more"):
        _wire.to_amount(value)


@pytest.mark.parametrize("value", [-1, "-1", Decimal("-1")])
def test_to_cents_refuses_a_negative_amount(value: object) -> None:
    with pytest.raises(TypeError, match="from 0"):
        _wire.to_cents(value)


@pytest.mark.parametrize(("value", "expected"), [("a1", "a1"), ("", ""), (123, "123"), (0, "0")])
def test_to_id_accepts_strings_and_json_integers(value: object, expected: str) -> None:
    assert _wire.to_id(value) == expected


@pytest.mark.parametrize(
    "value",
    [Decimal("1E+400"), Decimal("1.5"), Decimal("123.0"), Decimal("1E+5"), True, None, 1.0, []],
)
def test_to_id_refuses_a_number_with_a_fraction_or_an_exponent_and_non_ids(
    value: object,
) -> None:
    with pytest.raises(TypeError, match="expected an id"):
        _wire.to_id(value)


@attrs.frozen
class Priced:
    """A wire class with every bounded kind of field the vendors' wire.py files declare."""

    id: _wire.Id
    cents: _wire.Cents | None = None
    amount: _wire.Amount | None = None
    ids: list[_wire.Id] = attrs.field(factory=list)
    raw: Raw = attrs.field(factory=dict, eq=False, repr=False)


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"id": "1", "cents": -501}, "$.cents"),
        ({"id": "1", "amount": "-12.031"}, "$.amount"),
        ({"id": Decimal("1E+400")}, "$.id"),
        ({"id": Decimal("1.5")}, "$.id"),
        ({"id": "1", "ids": ["2", Decimal("3.0")]}, "$.ids[1]"),
    ],
)
def test_an_impossible_value_is_unexpected_response_naming_it_with_raw_kept(
    data: dict[str, Any], path: str
) -> None:
    with pytest.raises(errors.UnexpectedResponse) as raised:
        structure(data, Priced)
    assert f"@ {path}" in str(raised.value)
    assert raised.value.raw == data


def test_zero_amounts_and_integer_ids_are_read() -> None:
    result = structure({"id": 42, "cents": 0, "amount": "0.00", "ids": [7, "8"]}, Priced)
    assert (result.id, result.cents, result.amount, result.ids) == ("42", 0, 0, ["7", "8"])


# --------------------------------------------------------------------------- to_str, to_currency


@pytest.mark.parametrize(("value", "expected"), [("a", "a"), (5, "5"), (Decimal("5.10"), "5.10")])
def test_to_str_accepts_strings_and_numbers(value: object, expected: str) -> None:
    assert _wire.to_str(value) == expected


@pytest.mark.parametrize("value", [True, False, None, 1.5, [], {}])
def test_to_str_refuses_bools_floats_and_containers(value: object) -> None:
    with pytest.raises(TypeError):
        _wire.to_str(value)


@pytest.mark.parametrize(
    "hook",
    [
        _wire.to_str,
        _wire.to_int,
        _wire.to_decimal,
        _wire.to_currency,
        _wire.to_bool,
        _wire.to_amount,
        _wire.to_id,
        _wire.to_cents,
    ],
)
def test_hook_errors_quote_at_most_40_characters_of_the_value(hook: Any) -> None:
    with pytest.raises(TypeError) as raised:
        hook(["x" * 1000])
    assert "x" * 40 not in str(raised.value)
    assert len(str(raised.value)) < 120


@pytest.mark.parametrize(("value", "expected"), [("USD", "USD"), ("eur", "EUR"), ("RuB", "RUB")])
def test_to_currency_upper_cases_a_three_letter_code(value: str, expected: str) -> None:
    assert _wire.to_currency(value) == expected


@pytest.mark.parametrize("value", ["US", "USDT", "U$D", " USD", "", 840, None, True])
def test_to_currency_refuses_anything_but_three_letters(value: object) -> None:
    with pytest.raises(TypeError):
        _wire.to_currency(value)


# --------------------------------------------------------------------------- to_bool


@pytest.mark.parametrize("value", [True, False])
def test_to_bool_accepts_json_booleans(value: bool) -> None:
    assert _wire.to_bool(value) is value


@pytest.mark.parametrize("value", ["false", "true", "0", "", 0, 1, None, []])
def test_to_bool_refuses_strings_and_numbers(value: object) -> None:
    # cattrs' default would be bool(value): "false" would be True.
    with pytest.raises(TypeError):
        _wire.to_bool(value)


def test_converter_refuses_the_string_false_for_a_bool_field() -> None:
    with pytest.raises(errors.UnexpectedResponse):
        structure({"id": "1", "price": 1, "currency": "USD", "active": "false"}, Thing)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("1", True),
        ("0", False),
        (" TRUE ", True),
        ("false", False),
        ("", False),
    ],
)
def test_to_php_bool_reads_how_php_writes_a_flag(value: object, expected: bool) -> None:
    assert _wire.to_php_bool(value) is expected


@pytest.mark.parametrize("value", [2, -1, "yes", "2", None, [], Decimal("1")])
def test_to_php_bool_refuses_anything_else(value: object) -> None:
    with pytest.raises(TypeError):
        _wire.to_php_bool(value)


# --------------------------------------------------------------------------- wire classes


def test_wire_class_keeps_the_vendor_dict_in_raw() -> None:
    data = {"id": 7, "price": "350", "currency": "usd", "class": "310", "extra": [1, 2]}
    thing = structure(data, Thing)
    assert thing == Thing(id="7", price=350, currency=Currency("USD"), class_="310")
    assert thing.raw == data
    assert thing.raw["id"] == 7  # the vendor's own value types, not the converted ones


def test_wire_class_reads_json_key_class_into_class_() -> None:
    assert structure({"id": "1", "price": 1, "currency": "USD", "class": "9"}, Thing).class_ == "9"


def test_raw_is_never_read_from_a_json_key_named_raw() -> None:
    data = {"id": "1", "price": 1, "currency": "USD", "raw": {"forged": True}}
    assert structure(data, Thing).raw == data


def test_keeps_raw_base_keeps_the_vendor_dict_out_of_repr_and_equality() -> None:
    data = {"id": 7, "extra": True}
    kept = structure(data, Kept)
    assert kept.raw == data
    assert kept == Kept("7")  # its own fields stay positional: raw is keyword-only
    assert "extra" not in repr(kept)


def test_wire_class_without_raw_is_structured_from_its_fields() -> None:
    assert structure({"name": "x", "other": 1}, Plain) == Plain(name="x")


@pytest.mark.parametrize("data", [[], ["id"], "id", 5, None])
def test_wire_class_is_read_from_a_json_object_only(data: object) -> None:
    with pytest.raises(errors.UnexpectedResponse):
        structure(data, Plain)


def test_classes_of_other_modules_get_no_raw_keeping_hook() -> None:
    converter = _wire.make_converter("some.other.module")
    data = {"id": "1", "price": 1, "currency": "USD"}
    assert converter.structure(data, Thing).raw == {}


def test_nested_wire_classes_and_generics_use_the_bounded_hooks() -> None:
    with pytest.raises(errors.UnexpectedResponse):
        structure([{"id": "1", "price": "1E999999999", "currency": "USD"}], list[Thing])


# --------------------------------------------------------------------------- PHP []


def test_php_empty_array_reads_as_an_empty_dict_when_asked() -> None:
    assert structure({"items": []}, Holder, PHP_CONVERTER) == Holder(items={})
    assert structure([], dict[str, int], PHP_CONVERTER) == {}


def test_php_converter_still_reads_objects_with_the_bounded_hooks() -> None:
    assert structure({"items": {"a": "1"}}, Holder, PHP_CONVERTER) == Holder(items={"a": 1})
    with pytest.raises(errors.UnexpectedResponse):
        structure({"items": {"a": "1E999999999"}}, Holder, PHP_CONVERTER)


def test_php_converter_refuses_a_non_empty_list_for_a_dict() -> None:
    with pytest.raises(errors.UnexpectedResponse):
        structure({"items": [1]}, Holder, PHP_CONVERTER)


def test_empty_array_for_a_dict_is_refused_without_the_php_option() -> None:
    with pytest.raises(errors.UnexpectedResponse):
        structure({"items": []}, Holder)


def test_php_empty_array_reads_the_same_after_other_dicts_were_structured() -> None:
    # Generating another mapping's hook resets the converter's cache; the [] handling stays.
    converter = _wire.make_converter(__name__, empty_list_as_dict=True)
    structure({"items": {"a": 1}}, Holder, converter)
    structure({"x": {"a": "1"}}, dict[str, dict[str, str]], converter)
    assert structure({"items": []}, Holder, converter) == Holder(items={})


# --------------------------------------------------------------------------- structure


def test_structure_error_is_unexpected_response_with_raw_and_field_path() -> None:
    data = {"id": "1", "price": "cheap", "currency": "USD"}
    with pytest.raises(errors.UnexpectedResponse) as raised:
        structure(data, Thing)
    exc = raised.value
    assert exc.raw == data
    assert exc.vendor == "acme"
    assert exc.operation == "get_thing"
    assert str(exc).startswith("acme: get_thing: the answer does not have the documented shape")
    assert "@ $.price" in str(exc)
    assert "kept in .raw" in str(exc)


def test_structure_error_names_a_missing_field() -> None:
    with pytest.raises(errors.UnexpectedResponse) as raised:
        structure({"id": "1", "currency": "USD"}, Thing)
    assert "@ $.price" in str(raised.value)


def test_structure_error_names_the_path_inside_a_list() -> None:
    good = {"id": "1", "price": 1, "currency": "USD"}
    with pytest.raises(errors.UnexpectedResponse) as raised:
        structure([good, {**good, "currency": "dollars"}], list[Thing])
    assert "@ $[1].currency" in str(raised.value)


def test_structure_error_message_is_bounded() -> None:
    data = [{"id": None, "price": None, "currency": None} for _ in range(200)]
    with pytest.raises(errors.UnexpectedResponse) as raised:
        structure(data, list[Thing])
    assert len(str(raised.value)) < 700
    assert raised.value.raw == data


def test_structure_keeps_a_non_json_value_as_a_bounded_repr() -> None:
    with pytest.raises(errors.UnexpectedResponse) as raised:
        structure(b"x" * 10_000, Thing)
    raw = raised.value.raw
    assert isinstance(raw, str)
    assert len(raw) <= 2000


def test_structure_returns_the_structured_value() -> None:
    result = structure({"id": "1", "price": 2, "currency": "EUR"}, Thing)
    assert isinstance(result, Thing)
    assert isinstance(result.raw, Mapping)


def test_structure_for_binds_the_converter_and_the_vendor() -> None:
    structure_acme = _wire.structure_for(CONVERTER, "acme")
    assert structure_acme({"id": "1", "price": 2, "currency": "EUR"}, Thing, operation="x") == (
        structure({"id": "1", "price": 2, "currency": "EUR"}, Thing)
    )
    with pytest.raises(errors.UnexpectedResponse) as raised:
        structure_acme({"id": "1"}, Thing, operation="get_thing")
    assert (raised.value.vendor, raised.value.operation) == ("acme", "get_thing")
    assert str(raised.value).startswith("acme: get_thing: ")
    assert raised.value.raw == {"id": "1"}
