"""The exchange rates SkinsBack publishes (its ``currencies`` method), as ``Rates`` against USD.

The answer's shape is undocumented (vendor-docs/skinsback-api.md §3.8); read here are a
``{code: rate}`` object, at the top or under ``currencies``/``rates``/``data``, or a list of
``{"currency"|"code"|"name": ..., "rate"|"value": ...}``, each rate taken as how many units one
USD buys (SkinsBack prices are USD). No real sample of the answer was found (docs page, public
SDKs and their logs), so the direction is an assumption too; a table whose USD entry is not 1
(rates against the shop's own currency, e.g. RUB) is refused rather than misread.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

from skinmarkets import errors
from skinmarkets.money import AmountLike, Rates

__all__ = ["published_rates", "rates_from"]

VENDOR = "skinsback"

_RATE_CONTAINERS: Final = ("currencies", "rates", "data")
_CODE_KEYS: Final = ("currency", "code", "name")
_VALUE_KEYS: Final = ("rate", "value")


def published_rates(answer: Any) -> dict[str, AmountLike]:
    """The code -> rate pairs in a vendor's currencies answer; {} when none are recognised."""
    if isinstance(answer, dict):
        for key in _RATE_CONTAINERS:
            if isinstance(answer.get(key), dict | list):
                return published_rates(answer[key])
        return {
            code.upper(): value
            for code, value in answer.items()
            if isinstance(code, str)
            and len(code) == 3
            and code.isalpha()
            and isinstance(value, Decimal | int | str)
            and not isinstance(value, bool)
        }
    if isinstance(answer, list):
        found: dict[str, AmountLike] = {}
        for entry in answer:
            if not isinstance(entry, dict):
                continue
            code = next((entry[k] for k in _CODE_KEYS if isinstance(entry.get(k), str)), None)
            value = next((entry[k] for k in _VALUE_KEYS if k in entry), None)
            if code is not None and isinstance(value, Decimal | int | str):
                found[code.upper()] = value
        return found
    return {}


def rates_from(answer: Any, *, market: str) -> Rates:
    """The ``currencies`` answer as ``Rates`` against USD; ``UnexpectedResponse`` (raw kept)
    for an answer with no rates in it or a table not against USD."""
    table = published_rates(answer)
    reason = "no currency rates found in the answer"
    if table:
        try:
            return Rates(table, base="USD")
        except (TypeError, ValueError) as exc:
            reason = str(exc)
    raise errors.UnexpectedResponse(
        f"{market}: currencies: {reason}; kept in .raw",
        vendor=VENDOR,
        operation="currencies",
        raw=answer if isinstance(answer, dict | list | str) else None,
    )
