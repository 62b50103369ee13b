"""Machine output for ``--json``: every amount a decimal string, never a binary float."""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs

from skinmarkets.money import Money

__all__ = ["dumps", "to_json_value"]


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


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
    if isinstance(value, float):  # requests per second and the like: still no JSON float
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        seconds = Decimal(value.days * 86400 + value.seconds) + Decimal(value.microseconds) / (
            10**6
        )
        return _decimal_text(seconds)
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
