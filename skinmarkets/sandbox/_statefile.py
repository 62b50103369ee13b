"""Paper trading that outlives a process: a sandbox's state saved to a JSON file and read back.

One JSON object, version 1::

    {"format": "skinmarkets-sandbox-state", "version": 1,
     "next_id": 700000042, "clock_offset": 0.0,
     "accounts": {"market_tm": {"currency": "USD", "balance": "487.97"}, ...},
     "offers": {"market_tm": [offer, ...], ...},
     "purchases": {"market_tm": [purchase, ...], ...},
     "trades": {"market_tm": [trade, ...], ...}}

Amounts are decimal strings (a JSON number with a fraction is read back as a binary float by
most parsers); times are epoch seconds on the sandbox clock (not money). A trade names its
purchases by id. What is never written: credentials (the sandbox accounts' keys are fixed and
fake, but a state file is no place for a key of any kind), realtime tokens, queued faults and
the event bus — they belong to one process.

:func:`write` is atomic: a temporary file in the same folder, flushed to disk, then
``os.replace``, so a reader sees the old file or the new one, never half of either; the file is
private to the user (mode 600). A file that is not such an object, of another version, or with
a value that cannot be true (a missing field, an amount that is not a decimal string, a trade
naming an unknown purchase) is :class:`StateFileError` and is left as it is: nothing of it is
loaded.

Two processes on one file never corrupt it (the replace is atomic), but each saves the whole
state it loaded, so the last one to save wins. Who shares a file serialises the runs that
write: the CLI holds a lock on ``PATH.lock`` from loading to saving (``skinmarkets.cli._paper``).
"format" is the file's first key, so even a cut file can be told for a sandbox state.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import os
import tempfile
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from skinmarkets._seconds import Seconds
from skinmarkets.errors import ConfigurationError
from skinmarkets.sandbox._state import Account, Offer, SandboxPurchase, SandboxTrade, State

__all__ = [
    "FORMAT",
    "VERSION",
    "StateFileError",
    "load",
    "read",
    "restore",
    "save",
    "snapshot",
    "write",
]

FORMAT = "skinmarkets-sandbox-state"
VERSION = 1

_PURCHASE_STATES = frozenset({"held", "sent", "delivered", "listed", "sold"})
_TRADE_STATES = frozenset({"sent", "accepted", "expired"})


class StateFileError(ConfigurationError):
    """A sandbox state file that cannot be read or is not a sandbox state of this version."""


class _Bad(Exception):
    """A value of the file that cannot be true; the message says where."""


# ---------------------------------------------------------------------- state -> JSON data


def _offer_data(offer: Offer) -> dict[str, Any]:
    return {
        "id": offer.id,
        "market_hash_name": offer.market_hash_name,
        "app_id": offer.app_id,
        "price": format(offer.price, "f"),
        "asset_id": offer.asset_id,
        "class_id": offer.class_id,
        "instance_id": offer.instance_id,
        "float_value": offer.float_value,
        "owner": offer.owner,
    }


def _purchase_data(purchase: SandboxPurchase) -> dict[str, Any]:
    return {
        "id": purchase.id,
        "custom_id": purchase.custom_id,
        "offer": _offer_data(purchase.offer),
        "paid": format(purchase.paid, "f"),
        "time": purchase.time,
        "state": purchase.state,
        "trade_id": purchase.trade_id,
        "bought": purchase.bought,
        "listing_id": purchase.listing_id,
        "recipient": purchase.recipient,
    }


def _trade_data(trade: SandboxTrade) -> dict[str, Any]:
    return {
        "id": trade.id,
        "purchases": [p.id for p in trade.purchases],
        "created": trade.created,
        "secret": trade.secret,
        "bot_id": trade.bot_id,
        "state": trade.state,
    }


def snapshot(state: State) -> dict[str, Any]:
    """Everything of ``state`` that paper trading needs later, as plain JSON data."""
    with state.locked():
        # itertools.count cannot be read without taking a value: take it and start again there.
        next_id = next(state._ids)
        state._ids = itertools.count(next_id)
        return {
            "format": FORMAT,
            "version": VERSION,
            "next_id": next_id,
            "clock_offset": state.offset,
            "accounts": {
                vendor: {"currency": account.currency, "balance": format(account.balance, "f")}
                for vendor, account in state.accounts.items()
            },
            "offers": {
                vendor: [_offer_data(o) for o in offers.values()]
                for vendor, offers in state.offers.items()
            },
            "purchases": {
                vendor: [_purchase_data(p) for p in purchases]
                for vendor, purchases in state.purchases.items()
            },
            "trades": {
                vendor: [_trade_data(t) for t in trades.values()]
                for vendor, trades in state.trades.items()
            },
        }


# ---------------------------------------------------------------------- JSON data -> state


def _field(data: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, dict):
        raise _Bad(f"{where} is not an object")
    if key not in data:
        raise _Bad(f"{where} has no {key!r}")
    value = data[key]
    # bool is an int to isinstance: refuse it where a number is wanted, and the reverse.
    if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
        raise _Bad(f"{where}.{key} has the wrong type ({type(value).__name__})")
    return value


def _optional_str(data: Any, key: str, where: str) -> str | None:
    value = _field(data, key, (str, type(None)), where)
    return value if isinstance(value, str) else None


def _amount(data: Any, key: str, where: str) -> Decimal:
    text = _field(data, key, str, where)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _Bad(f"{where}.{key} is not a decimal amount ({text!r:.40})") from None
    if not value.is_finite() or (value < 0 and key != "balance"):
        raise _Bad(f"{where}.{key} cannot be {text!r:.40}")
    return value


def _seconds(data: Any, key: str, where: str) -> Seconds:
    value = _field(data, key, (int, Seconds), where)
    try:
        seconds = Seconds(value)
    except OverflowError:
        seconds = math.inf
    if not math.isfinite(seconds):  # json reads NaN and Infinity; no clock can be there
        raise _Bad(f"{where}.{key} cannot be {value!r:.40}")
    return seconds


def _per_vendor(data: Any, key: str, currencies: Mapping[str, str]) -> dict[str, Any]:
    found = _field(data, key, dict, "the file")
    if set(found) != set(currencies):
        raise _Bad(f"{key} names vendors {sorted(found)}, expected {sorted(currencies)}")
    return found  # type: ignore[no-any-return]


def _offer(vendor: str, data: Any, where: str) -> Offer:
    return Offer(
        id=_field(data, "id", str, where),
        vendor=vendor,
        market_hash_name=_field(data, "market_hash_name", str, where),
        app_id=_field(data, "app_id", int, where),
        price=_amount(data, "price", where),
        asset_id=_field(data, "asset_id", str, where),
        class_id=_field(data, "class_id", str, where),
        instance_id=_field(data, "instance_id", str, where),
        float_value=_optional_str(data, "float_value", where),
        owner=_optional_str(data, "owner", where),
    )


def _purchase(vendor: str, data: Any, where: str) -> SandboxPurchase:
    state = _field(data, "state", str, where)
    if state not in _PURCHASE_STATES:
        raise _Bad(f"{where}.state cannot be {state!r:.40}")
    return SandboxPurchase(
        id=_field(data, "id", str, where),
        custom_id=_optional_str(data, "custom_id", where),
        offer=_offer(vendor, _field(data, "offer", dict, where), f"{where}.offer"),
        paid=_amount(data, "paid", where),
        time=_seconds(data, "time", where),
        state=state,
        trade_id=_optional_str(data, "trade_id", where),
        bought=_field(data, "bought", bool, where),
        listing_id=_optional_str(data, "listing_id", where),
        recipient=_optional_str(data, "recipient", where),
    )


def _trade(
    vendor: str, data: Any, where: str, purchases: Mapping[str, SandboxPurchase]
) -> SandboxTrade:
    state = _field(data, "state", str, where)
    if state not in _TRADE_STATES:
        raise _Bad(f"{where}.state cannot be {state!r:.40}")
    ids = _field(data, "purchases", list, where)
    if not all(isinstance(i, str) and i in purchases for i in ids):
        raise _Bad(f"{where}.purchases names a purchase that is not in the file")
    return SandboxTrade(
        id=_field(data, "id", str, where),
        vendor=vendor,
        purchases=[purchases[i] for i in ids],
        created=_seconds(data, "created", where),
        secret=_field(data, "secret", str, where),
        bot_id=_field(data, "bot_id", str, where),
        state=state,
    )


def _parsed(data: Any, currencies: Mapping[str, str]) -> dict[str, Any]:
    """The file's values, checked and built into the state's own types (nothing assigned).

    ``currencies``: vendor -> account currency of the state loading it (its profiles').
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _Bad(f'it is not a skinmarkets sandbox state (no "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise _Bad(f"its version is {data.get('version')!r:.20}; this skinmarkets reads {VERSION}")
    accounts_data = _per_vendor(data, "accounts", currencies)
    accounts = {}
    for vendor, account in accounts_data.items():
        currency = _field(account, "currency", str, f"accounts.{vendor}")
        if currency != currencies[vendor]:
            raise _Bad(f"accounts.{vendor}.currency is {currency!r:.10}, not {currencies[vendor]}")
        accounts[vendor] = Account(
            vendor, currency, _amount(account, "balance", f"accounts.{vendor}")
        )
    offers: dict[str, dict[str, Offer]] = {}
    for vendor, rows in _per_vendor(data, "offers", currencies).items():
        if not isinstance(rows, list):
            raise _Bad(f"offers.{vendor} is not a list")
        built = [_offer(vendor, row, f"offers.{vendor}[{n}]") for n, row in enumerate(rows)]
        offers[vendor] = {offer.id: offer for offer in built}
    purchases: dict[str, list[SandboxPurchase]] = {}
    trades: dict[str, dict[str, SandboxTrade]] = {}
    trades_data = _per_vendor(data, "trades", currencies)
    for vendor, rows in _per_vendor(data, "purchases", currencies).items():
        if not isinstance(rows, list) or not isinstance(trades_data[vendor], list):
            raise _Bad(f"purchases.{vendor} or trades.{vendor} is not a list")
        purchases[vendor] = [
            _purchase(vendor, row, f"purchases.{vendor}[{n}]") for n, row in enumerate(rows)
        ]
        by_id = {p.id: p for p in purchases[vendor]}
        built_trades = [
            _trade(vendor, row, f"trades.{vendor}[{n}]", by_id)
            for n, row in enumerate(trades_data[vendor])
        ]
        trades[vendor] = {trade.id: trade for trade in built_trades}
    next_id = _field(data, "next_id", int, "the file")
    offset = _seconds(data, "clock_offset", "the file")
    return {
        "next_id": next_id,
        "offset": offset,
        "accounts": accounts,
        "offers": offers,
        "purchases": purchases,
        "trades": trades,
    }


def restore(state: State, data: Any, *, source: str = "the sandbox state") -> None:
    """Put the saved ``data`` into ``state``, all of it or (``StateFileError``) none of it."""
    try:
        parsed = _parsed(data, {v: p.currency for v, p in state.profiles.items()})
    except _Bad as bad:
        raise StateFileError(f"{source} cannot be loaded: {bad}") from None
    with state.locked():
        state._ids = itertools.count(parsed["next_id"])
        state.offset = parsed["offset"]
        state.accounts = parsed["accounts"]
        state.offers = parsed["offers"]
        state.purchases = parsed["purchases"]
        state.trades = parsed["trades"]


# ---------------------------------------------------------------------- the file


def read(path: Path) -> Any | None:
    """The JSON data in ``path``; None when there is no such file (a fresh start)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise StateFileError(f"sandbox state file {str(path)!r} cannot be read: {reason}") from None
    try:
        return json.loads(text)  # amounts are strings; the only numbers with a fraction are times
    except (ValueError, RecursionError):
        raise StateFileError(
            f"sandbox state file {str(path)!r} cannot be loaded: it is not JSON"
        ) from None


def write(path: Path, data: Mapping[str, Any]) -> None:
    """Write ``data`` to ``path`` atomically (temporary file + ``os.replace``), mode 600."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def load(state: State, path: Path) -> bool:
    """Load ``path`` into ``state``; False (``state`` untouched) when the file does not exist."""
    data = read(path)
    if data is None:
        return False
    restore(state, data, source=f"sandbox state file {str(path)!r}")
    return True


def save(state: State, path: Path) -> None:
    """Write ``state`` to ``path`` (see :func:`write`)."""
    write(path, snapshot(state))
