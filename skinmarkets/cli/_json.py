"""Machine output for ``--json``: one envelope for every command, no JSON number with a fraction.

Every command prints one object::

    {"result": ..., "failures": {market: message}, "skipped": {market: reason}}

``result`` is the command's own answer (see each command); ``failures`` the markets that were
asked and did not answer (exit code 1), ``skipped`` those not asked and why. ``watch`` is the
one exception: a stream, it prints one JSON object per event per line.

How numbers are written, so that no parser reads a price as a binary float:

- money is ``{"amount": "12.03", "currency": "USD"}``, the amount a decimal string with the
  digits it has (amounts skinmarkets computed are rounded to the currency's minor unit before
  they get here: see the commands);
- other Decimals (ratios) are decimal strings;
- durations are seconds as a decimal string, never negative, to the millisecond ("95",
  "0.133");
- the few non-money floats (a vendor's requests per second) are decimal strings rounded to 2
  places ("8.33" for 500 requests a minute): a float's 17 digits are noise, not data;
- whole numbers (quantities, days) stay JSON integers.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs

from skinmarkets._seconds import Ratio
from skinmarkets.money import Money

__all__ = ["dumps", "envelope", "to_json_value"]


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


def _float_text(value: Ratio) -> str:  # requests per second, or seconds
    if not math.isfinite(value):
        return str(value)
    rounded = Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    text = format(rounded, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _seconds_text(value: timedelta) -> str:
    micro = max(value // timedelta(microseconds=1), 0)
    seconds = (Decimal(micro) / 10**6).quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)
    text = format(seconds, "f")
    return text.rstrip("0").rstrip(".")


def to_json_value(value: Any) -> Any:
    """``value`` as plain JSON data: Money -> {"amount": "4.10", "currency": "USD"}, and so on.

    Decimals become strings (a JSON number is read back as a binary float by most parsers),
    timestamps ISO 8601, durations a decimal string of seconds, enums their value; attrs
    models become objects without their ``raw`` vendor payload, which may hold anything.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Money):
        return {"amount": _decimal_text(value.amount), "currency": value.currency}
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, float):  # float ok: never money here; still no JSON float
        return _float_text(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return _seconds_text(value)
    if isinstance(value, enum.Enum):
        return to_json_value(value.value)
    if isinstance(value, frozenset | set):
        return sorted(to_json_value(item) for item in value)
    if isinstance(value, Mapping):
        return {str(key): to_json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_value(item) for item in value]
    if attrs.has(type(value)):
        return {
            field.name.lstrip("_"): to_json_value(getattr(value, field.name))
            for field in attrs.fields(type(value))
            if field.name != "raw"
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: to_json_value(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if field.name != "raw"
        }
    return str(value)


def dumps(value: Any) -> str:
    """``value`` as indented JSON text (see :func:`to_json_value`)."""
    return json.dumps(to_json_value(value), indent=2, ensure_ascii=False)


def envelope(result: Any, failures: Mapping[str, str], skipped: Mapping[str, str]) -> str:
    """The one JSON object every command prints: its result, and the markets it missed."""
    return dumps(
        {
            "result": result,
            "failures": dict(sorted(failures.items())),
            "skipped": dict(sorted(skipped.items())),
        }
    )
