"""The ``fast`` extra (msgspec) changes nothing but speed.

- ``decode_json`` through msgspec gives what ``json.loads(parse_float=Decimal)`` gives, or
  refuses what it refuses, for strings and UTF-8 bytes;
- the credential search on a body's bytes answers as the search on its text;
- an answer's text is made from its bytes when first read;
- SkinsBack's price list decoded into typed rows gives the quotes (and errors) of the general
  reader;
- without msgspec everything still works (a subprocess that cannot import it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skinmarkets import errors
from skinmarkets._http import answers
from skinmarkets._http.answers import HttpAnswer, decode_json
from skinmarkets._secret import Secret, may_hold_secret, register_secret
from skinmarkets.vendors.skinsback import fastlist
from skinmarkets.vendors.skinsback.pricelist import quotes_from_pricelist
from tests.test_pricelist_vendors import (
    SKINSBACK,
    SKINSBACK_BAD,
    assert_same,
    assert_same_outcome,
    pricelists,
    skinsback_fast,
)

PROPERTY = settings(max_examples=150, deadline=None)


def outcome(decode: Any, text: str | bytes) -> tuple[str, Any]:
    try:
        return "ok", decode(text)
    except RecursionError:
        return "deep", None
    except ValueError as exc:
        return "refused", type(exc).__name__


def spelled(value: Any) -> tuple[Any, ...] | str:
    """A decoded value with every Decimal's spelling (equal Decimals may differ in digits)."""
    if isinstance(value, Decimal):
        return ("D", str(value))
    if isinstance(value, dict):
        return ("O", tuple((k, spelled(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("A", tuple(spelled(v) for v in value))
    return (type(value).__name__, value)


def same(text: str | bytes) -> None:
    fast, stdlib = outcome(decode_json, text), outcome(answers._decode_stdlib, text)
    if fast[0] == "ok" and stdlib[0] == "ok":
        assert spelled(fast[1]) == spelled(stdlib[1])
    else:
        assert fast == stdlib


numbers = st.sampled_from(
    [
        "0",
        "-0",
        "1",
        "10",
        "0.10",
        "1.0e+1",
        "1E-7",
        "2.5e-3",
        "-0.0",
        "1e400",
        "123456789012345678901234",
    ]
)
scalars = st.one_of(
    numbers.map(json.loads),  # ints here; non-integers are written literally below
    st.text(max_size=6),
    st.booleans(),
    st.none(),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=12,
)


@PROPERTY
@given(values, st.sampled_from([None, 0, 2]), st.booleans())
def test_decoding_json_through_msgspec_gives_what_the_stdlib_gives(
    value: Any, indent: int | None, ascii_only: bool
) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    same(text)
    same(text.encode())


@PROPERTY
@given(st.lists(numbers, min_size=1, max_size=5))
def test_numbers_keep_the_digits_they_were_written_with(written: list[str]) -> None:
    text = "[" + ", ".join(written) + "]"
    same(text)
    same(text.encode())


@PROPERTY
@given(st.text(max_size=30))
def test_anything_else_is_refused_alike(text: str) -> None:
    same(text)


@pytest.mark.parametrize(
    "text",
    [
        "[NaN]",
        "[Infinity]",
        "\ufeff[1]",
        '["\\ud800"]',
        "[1,]",
        '{"a":"\x01"}',
        "[01]",
        "1" * 5000,
        "[" * 100_000 + "]" * 100_000,
        '{"a":1,"a":2}',
        '"\\u0000"',
    ],
)
def test_edge_cases_are_decoded_or_refused_alike(text: str) -> None:
    same(text)
    same(text.encode("utf-8", errors="surrogatepass"))


def test_undecodable_bytes_read_as_replacement_characters_as_the_text_had_them() -> None:
    body = b'{"name": "AK \xff"}'
    assert decode_json(body) == {"name": "AK \ufffd"}
    assert decode_json(body) == decode_json(body.decode("utf-8", errors="replace"))


def test_without_msgspec_the_stdlib_decodes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "msgspec", None)  # import msgspec -> ImportError
    assert answers._decoder() is answers._decode_stdlib


# --------------------------------------------------------------------------- credentials

KEY = "ad4625ae-8c9e-4c3b-8854-b4b649a0182d"
pieces = st.sampled_from([KEY, KEY[:12], KEY[12:], "\\u0041", "\\u2605", "★", '"', "\\", " ", "7"])


@PROPERTY
@given(st.lists(st.one_of(pieces, st.text(max_size=4)), max_size=8))
def test_searching_the_bytes_answers_as_searching_the_text(parts: list[str]) -> None:
    register_secret(Secret(KEY), owner="market_tm")
    text = "".join(parts)
    body = text.encode("utf-8", errors="surrogatepass")
    assert may_hold_secret(body, "market_tm") == may_hold_secret(text, "market_tm")
    assert may_hold_secret(body, None) == may_hold_secret(text, None)


def test_a_key_in_the_bytes_is_found_and_an_escaped_one_is_suspected() -> None:
    register_secret(Secret(KEY), owner="market_tm")
    assert may_hold_secret(f'{{"k": "{KEY}"}}'.encode(), "market_tm")
    assert may_hold_secret(b'{"k": "\\u0061d4625ae"}', "market_tm")
    assert not may_hold_secret(b'{"k": "nothing here"}', "market_tm")


# --------------------------------------------------------------------------- lazy text


def test_an_answers_text_is_made_from_its_bytes_when_read() -> None:
    answer = HttpAnswer(
        status=200,
        headers={},
        data=None,
        text=None,
        is_json=False,
        body=b"caf\xe9",
        charset="latin-1",
    )
    assert answer.text == "café"
    assert answer.text is answer.text  # made once
    unknown = HttpAnswer(
        status=200, headers={}, data=None, text=None, is_json=False, body=b"ok", charset="nope"
    )
    assert unknown.text == "ok"
    given_text = HttpAnswer(status=200, headers={}, data=None, text="kept", is_json=False)
    assert given_text.text == "kept"
    assert given_text.raw == "kept"


# --------------------------------------------------------------------------- SkinsBack rows


def encoded(answer: Any) -> bytes:
    """``answer`` as JSON bytes, each Decimal written as the number it spells."""
    marks: dict[str, str] = {}

    def mark(value: Any) -> Any:
        if isinstance(value, Decimal):
            key = f"@@{len(marks)}@@"
            marks[key] = str(value)
            return key
        raise TypeError(type(value).__name__)

    text = json.dumps(answer, default=mark)
    for key, number in marks.items():
        text = text.replace(f'"{key}"', number)
    return text.encode()


def read_as_rows(body: bytes, wanted: Any = None) -> list[Any]:
    """The adapter's path: the rows decoder, else the general decoder; then the reader."""
    answer = fastlist.decoder(body)
    if answer is None:
        answer = decode_json(body)
    return skinsback_fast(answer, wanted)


@PROPERTY
@given(pricelists(True))
def test_skinsback_rows_give_the_quotes_of_the_general_reader(answer: Any) -> None:
    body = encoded(answer)
    assert_same(read_as_rows(body), skinsback_fast(decode_json(body)))


@PROPERTY
@given(pricelists(False))
def test_skinsback_rows_refuse_what_the_general_reader_refuses(answer: Any) -> None:
    body = encoded(answer)
    assert_same_outcome(lambda: read_as_rows(body), lambda: skinsback_fast(decode_json(body)))


@PROPERTY
@given(pricelists(True), st.lists(st.sampled_from(["AWP", "★ Karambit", "7", "nope"]), max_size=4))
def test_skinsback_rows_give_the_named_quotes(answer: Any, wanted: list[str]) -> None:
    body = encoded(answer)
    assert_same(
        read_as_rows(body, frozenset(wanted)), skinsback_fast(decode_json(body), frozenset(wanted))
    )


@PROPERTY
@given(pricelists(True), st.sampled_from(sorted(SKINSBACK_BAD)), st.data())
def test_skinsback_a_bad_value_among_rows_is_named_and_the_answer_kept_as_dicts(
    answer: Any, field: str, data: st.DataObject
) -> None:
    items = answer["items"]
    index = data.draw(st.integers(min_value=0, max_value=len(items)))
    items.insert(index, {"name": "AK", "price": "1", field: data.draw(SKINSBACK_BAD[field])})
    body = encoded(answer)
    try:  # a bad value may read well as JSON (Decimal("12") is written 12: an int id)
        want = skinsback_fast(decode_json(body))
    except errors.UnexpectedResponse as refused:
        with pytest.raises(errors.UnexpectedResponse) as raised:
            read_as_rows(body)
        assert str(raised.value) == str(refused)
        assert f"@ $.items[{index}]" in str(raised.value)
        assert raised.value.raw == refused.raw == decode_json(body)
    else:
        assert_same(read_as_rows(body), want)


def test_the_documented_grouped_list_is_read_as_typed_rows() -> None:
    body = json.dumps(
        {
            "status": "success",
            "last_update": "1700000000",
            "items": [
                {
                    "name": "AK-47 | Safari Mesh (Minimal Wear)",
                    "price": "0.40",
                    "classid": "3940562910",
                    "count": "12",
                },
                {
                    "name": "AWP | Asiimov (Field-Tested)",
                    "price": "29.93",
                    "classid": "1",
                    "count": 3,
                },
            ],
        }
    ).encode()
    answer = fastlist.decoder(body)
    assert answer is not None and isinstance(answer["items"], fastlist.Rows)
    quotes = quotes_from_pricelist(answer, market=SKINSBACK)
    assert [(q.market_hash_name, str(q.lowest_ask), q.quantity) for q in quotes] == [
        ("AK-47 | Safari Mesh (Minimal Wear)", "0.40 USD", 12),
        ("AWP | Asiimov (Field-Tested)", "29.93 USD", 3),
    ]
    assert quotes[0].raw == {
        "name": "AK-47 | Safari Mesh (Minimal Wear)",
        "price": "0.40",
        "classid": "3940562910",
        "count": "12",
    }
    assert type(quotes[0].raw) is dict


@pytest.mark.parametrize(
    "body",
    [
        b'{"status": "error", "error_code": -6, "error_message": "market_disabled", "items": []}',
        b'{"status": "success", "items": [{"name": "AK", "price": 1.5}]}',  # a number: general
        b'{"status": "success", "items": [{"name": "AK", "price": "1", "instanceid": "0"}]}',
        b'{"status": "success", "items": [{"name": "AK", "price": "1", "count": true}]}',
        b'{"status": "success", "items": []',
        b"\xff",
    ],
)
def test_other_shapes_are_left_to_the_general_reader(body: bytes) -> None:
    assert fastlist.decoder(body) is None


def test_without_msgspec_the_price_list_is_read_as_before() -> None:
    code = """
import sys
sys.modules["msgspec"] = None  # import msgspec -> ImportError
from skinmarkets._http import answers
from skinmarkets.vendors.skinsback import client, pricelist
assert answers._decoder() is answers._decode_stdlib
assert client.fastlist_decoder() is None and not pricelist.FAST
body = b'{"status": "success", "items": [{"name": "AK", "price": "1.50", "count": "2"}]}'
answer = answers.decode_json(body)
(quote,) = pricelist.quotes_from_pricelist(answer, market="skinsback:cs2")
print(quote.market_hash_name, quote.lowest_ask, quote.quantity)
"""
    done = subprocess.run(  # noqa: S603 (this interpreter, our own code)
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "AK 1.50 USD 2"
