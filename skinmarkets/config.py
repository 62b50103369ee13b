"""Markets named in a TOML file, with credentials taken from the environment.

    currency = "USD"                 # optional
    store = "/srv/bots/store.sqlite3"  # optional: shared state (see skinmarkets._store)

    [rates]                          # optional: how many units one `base` unit buys
    base = "USD"
    EUR = "0.92"

    [[markets]]
    name = "tm"                      # optional, defaults to the vendor id
    vendor = "market_tm"
    game = "cs2"
    api_key_env = "TM_KEY"           # option api_key, read from $TM_KEY

Any ``<option>_env = "VAR"`` becomes option ``<option>`` read from the environment variable
``VAR``. Credentials never print: an option whose name looks like a credential (contains
``key``, ``secret``, ``token``, ``password`` or is ``client_id``), from the environment or
written inline, is held as a ``Secret``; other ``*_env`` options (e.g. ``trade_url_env``) stay
plain strings, which every vendor accepts. Numbers in the file are read as Decimal (exact
rates); a Decimal for a non-money option such as ``timeout`` or ``deadline`` (``deadline =
2.5``) is handed to the vendor as a float.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from skinmarkets._secret import Secret, register_secret
from skinmarkets.errors import ConfigurationError
from skinmarkets.money import Money, Rates
from skinmarkets.protocol import Marketplace
from skinmarkets.registry import connect, vendors

__all__ = ["CONFIG_ENV", "DEFAULT_PATH", "Config", "MarketConfig", "connect_all", "load_config"]

CONFIG_ENV = "SKINMARKETS_CONFIG"
DEFAULT_PATH = "skinmarkets.toml"

# Literal options whose names contain one of these are credentials even when written inline.
_CREDENTIAL_WORDS = ("key", "secret", "token", "password", "client_id")

_EXAMPLE = '[[markets]]\nname = "tm"\nvendor = "market_tm"\ngame = "cs2"\napi_key_env = "TM_KEY"'


@attrs.frozen
class MarketConfig:
    """One configured market: its name, vendor id and the options for ``sm.connect``."""

    name: str
    vendor: str
    # Credentials inside are Secret, whose repr is Secret('***').
    options: Mapping[str, Any]


@attrs.frozen
class Config:
    """Every configured market, the currency to compare in, and optional exchange rates."""

    markets: tuple[MarketConfig, ...]
    currency: str = "USD"
    rates: Rates | None = None
    #: Where the rate limits and the write journal live (``connect(store=…)``); None: the
    #: environment variable ``SKINMARKETS_STORE``, else the default SQLite file.
    store: str | None = None


def _is_credential(option: str) -> bool:
    return any(word in option.lower() for word in _CREDENTIAL_WORDS)


def _credential(value: str) -> Secret:
    """``value`` as a Secret, also scrubbed from every log line and error message."""
    secret = Secret(value)
    register_secret(secret)
    return secret


def _option_value(value: Any) -> Any:
    """A TOML value as a vendor option: Decimal (from parse_float) becomes float, not money."""
    if isinstance(value, Decimal):
        return float(value)  # float ok: timeouts, deadline and similar, never a price
    return value


def _market(
    index: int, table: Any, origin: str, environ: Mapping[str, str], known: list[str]
) -> MarketConfig:
    """One ``[[markets]]`` table, validated, with ``*_env`` options read from ``environ``."""
    where = f"{origin}: [[markets]] #{index + 1}"
    if not isinstance(table, dict):
        raise ConfigurationError(f"{where}: expected a table like\n{_EXAMPLE}")
    vendor = table.get("vendor")
    if not isinstance(vendor, str) or not vendor.strip():
        raise ConfigurationError(f'{where}: missing vendor = "..." (one of {", ".join(known)})')
    vendor = vendor.strip().lower()
    if vendor not in known:
        raise ConfigurationError(
            f"{where}: unknown vendor {table['vendor']!r}: choose one of {', '.join(known)}"
        )
    name = table.get("name", vendor)
    if not isinstance(name, str) or not name.strip():
        raise ConfigurationError(f"{where}: name must be a non-empty string, got {name!r}")
    name = name.strip()
    where = f"{origin}: market {name!r}"
    options: dict[str, Any] = {}
    for key, value in table.items():
        if key in ("name", "vendor"):
            continue
        if key.endswith("_env"):
            option = key.removesuffix("_env")
            if not isinstance(value, str) or not value:
                raise ConfigurationError(
                    f"{where}: {key} must name an environment variable, got {value!r}"
                )
            found = environ.get(value)
            if found is None or not found.strip():
                raise ConfigurationError(
                    f"{where}: environment variable {value} ({key}) is not set; "
                    f"export {value}=... before running",
                    vendor=vendor,
                )
            options[option] = _credential(found.strip()) if _is_credential(option) else found
        elif _is_credential(key) and isinstance(value, str):
            options[key] = _credential(value)
        else:
            options[key] = _option_value(value)
    return MarketConfig(name=name, vendor=vendor, options=MappingProxyType(options))


def _rates(table: Any, origin: str) -> Rates:
    """The ``[rates]`` table as Rates; ConfigurationError naming the problem."""
    if not isinstance(table, dict):
        raise ConfigurationError(f'{origin}: [rates] must be a table like base = "USD", EUR = 0.92')
    given = dict(table)
    base = given.pop("base", "USD")
    try:
        return Rates(given, base=base)
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(f"{origin}: [rates]: {exc}") from None


def _path(path: str | os.PathLike[str] | None, environ: Mapping[str, str]) -> Path:
    if path is not None:
        return Path(path)
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV])
    return Path(DEFAULT_PATH)


def load_config(
    path: str | os.PathLike[str] | None = None, *, environ: Mapping[str, str] | None = None
) -> Config:
    """Read a TOML config: ``path``, else ``$SKINMARKETS_CONFIG``, else ``./skinmarkets.toml``.

    A missing file, bad TOML, an unknown vendor or an unset environment variable raises
    ``ConfigurationError`` saying which and how to fix it, before any market is contacted.
    """
    env = os.environ if environ is None else environ
    file = _path(path, env)
    origin = str(file)
    try:
        with file.open("rb") as handle:
            document = tomllib.load(handle, parse_float=Decimal)
    except FileNotFoundError:
        raise ConfigurationError(
            f"no config file at {origin}: create it (or point ${CONFIG_ENV} or --config at "
            f"one) with a market per table, e.g.\n{_EXAMPLE}"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{origin}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigurationError(f"{origin}: cannot read the config: {exc}") from None
    unknown = sorted(set(document) - {"markets", "currency", "rates", "store"})
    if unknown:
        raise ConfigurationError(
            f"{origin}: unknown top-level key(s) {', '.join(unknown)}; "
            f"expected markets, currency, rates, store"
        )
    store = document.get("store")
    if store is not None and (not isinstance(store, str) or not store.strip()):
        raise ConfigurationError(
            f'{origin}: store must be a string such as "memory", "/path/store.sqlite3" or '
            f'"redis://host:6379/0", got {store!r}'
        )
    tables = document.get("markets", [])
    if not isinstance(tables, list) or not tables:
        raise ConfigurationError(f"{origin}: no markets configured; add e.g.\n{_EXAMPLE}")
    known = vendors()
    markets = tuple(_market(i, t, origin, env, known) for i, t in enumerate(tables))
    names = [m.name for m in markets]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigurationError(
            f"{origin}: market name(s) {', '.join(duplicates)} used twice; give each "
            f'[[markets]] its own name = "..."'
        )
    currency = document.get("currency", "USD")
    try:
        currency = Money(0, currency).currency
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(f"{origin}: currency: {exc}") from None
    rates = _rates(document["rates"], origin) if "rates" in document else None
    return Config(markets=markets, currency=currency, rates=rates, store=store)


def connect_all(
    config: Config | str | os.PathLike[str] | None = None, *, store: str | None = None
) -> dict[str, Marketplace]:
    """Connect every configured market: ``{name: market}``, in the config's order.

    ``config`` is a loaded :class:`Config` or a path for :func:`load_config` (``None``: the
    default lookup). ``store`` (else the config's top-level ``store``, else a market's own
    ``store`` option, else ``SKINMARKETS_STORE``) names where shared state lives. No request is
    sent; a bad option, or a store that cannot be opened, raises ``ConfigurationError``.
    """
    loaded = config if isinstance(config, Config) else load_config(config)
    chosen = store if store is not None else loaded.store
    shared = {} if chosen is None else {"store": chosen}
    return {m.name: connect(m.vendor, **(dict(m.options) | shared)) for m in loaded.markets}
