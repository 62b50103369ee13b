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
    # enabled = false                # keep the table but leave the market out

Where the file is looked for (:func:`find_config`): ``$SKINMARKETS_CONFIG``, else
``./skinmarkets.toml``, else the user's file (:func:`user_config_path`:
``$XDG_CONFIG_HOME/skinmarkets/config.toml``, else ``~/.config/…``; macOS
``~/Library/Application Support/skinmarkets/config.toml``; Windows
``%APPDATA%\\skinmarkets\\config.toml``).

Any ``<option>_env = "VAR"`` becomes option ``<option>`` read from the environment variable
``VAR``. Credentials never print: an option whose name looks like a credential (contains
``key``, ``secret``, ``token``, ``password`` or is ``client_id``) is held as a ``Secret``;
other ``*_env`` options (e.g. ``trade_url_env``) stay plain strings, which every vendor
accepts. Numbers in the file are read as Decimal (exact rates); a Decimal for a non-money
option such as ``timeout`` or ``deadline`` (``deadline = 2.5``) is handed to the vendor as a
float.

A credential written in the file itself (``api_key = "…"``) is refused by the command line and
by ``load_config(..., allow_inline_secrets=False)``. The Python API accepts it with a
:class:`ConfigWarning` by default, so configs that worked before keep working: the file is
then a secret of its own (anyone who reads it, a backup or a commit holds the key), which is
why the warning says how to move it to the environment. Every message speaks in the file's
own terms (``[[markets]] "tm"``, ``api_key_env = "TM_KEY"``), not in Python's.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import sys
import tomllib
import warnings
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from skinmarkets import _plugins
from skinmarkets._seconds import Seconds
from skinmarkets._secret import Secret, register_secret
from skinmarkets.errors import ConfigurationError
from skinmarkets.money import Money, Rates
from skinmarkets.protocol import Marketplace
from skinmarkets.registry import connect, vendors

__all__ = [
    "CONFIG_ENV",
    "CONFIG_EXAMPLE",
    "DEFAULT_PATH",
    "Config",
    "ConfigWarning",
    "MarketConfig",
    "connect_all",
    "example_config",
    "find_config",
    "load_config",
    "permission_problem",
    "user_config_path",
]

CONFIG_ENV = "SKINMARKETS_CONFIG"
DEFAULT_PATH = "skinmarkets.toml"

#: The top of every example: what each vendor's ``[[markets]]`` table follows.
_EXAMPLE_HEADER = """\
currency = "USD"                # what compare and arbitrage convert every price to

[rates]                         # how many units of each currency one base unit buys
base = "USD"
EUR = "0.92"
RUB = "92.5"
"""

#: The header and each built-in vendor's table (:func:`example_config` with ``plugins=False``),
#: made by the module's ``__getattr__`` on first use: declared, not assigned, here.
CONFIG_EXAMPLE: str

#: A table the example leaves out (``enabled = false``) goes after the ones to fill in.
_DISABLED = re.compile(r"^\s*enabled\s*=\s*false\b", re.MULTILINE)


def example_config(*, plugins: bool = True) -> str:
    """An example config file: currency and ``[rates]``, then each vendor's ``config_example``.

    The vendors are those ``connect`` knows (``plugins=False``: the built-ins only, which is
    :data:`CONFIG_EXAMPLE`); one that states no example, or fails to load, is left out (its
    failure is ``connect``'s to report). A disabled table goes last.
    """
    found = _plugins.targets() if plugins else _plugins.BUILT_IN
    tables: list[str] = []
    for vendor, target in found.items():
        try:
            factory = _plugins.load(vendor, target)
        except ConfigurationError:
            continue
        table = getattr(factory, "config_example", "")
        if isinstance(table, str) and table.strip():
            tables.append(table.strip("\n") + "\n")
    tables.sort(key=lambda table: _DISABLED.search(table) is not None)
    return "\n".join([_EXAMPLE_HEADER, *tables])


def __getattr__(name: str) -> str:
    """``CONFIG_EXAMPLE``, built from the built-in adapters on first use, so that importing
    this module loads no vendor."""
    if name == "CONFIG_EXAMPLE":
        example = example_config(plugins=False)
        globals()[name] = example
        return example
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Literal options whose names contain one of these are credentials even when written inline.
_CREDENTIAL_WORDS = ("key", "secret", "token", "password", "client_id")

_TOP_LEVEL = ("currency", "markets", "rates", "store")
#: A URL with ``user:password@`` (a proxy's or a base_url's): a credential in the file too.
_USERINFO = re.compile(r"[a-z][a-z0-9+.-]*://[^/?#@\s]*@", re.IGNORECASE)
_RESERVED = ("enabled", "name", "vendor")

_EXAMPLE = '[[markets]]\nname = "tm"\nvendor = "market_tm"\ngame = "cs2"\napi_key_env = "TM_KEY"'


class ConfigWarning(UserWarning):
    """The config works but should be fixed (a credential written in the file itself)."""


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
    #: Markets left out because a variable they read is unset (``load_config(...,
    #: skip_unset=True)``): name -> what to do, in the file's terms.
    skipped: Mapping[str, str] = attrs.field(factory=lambda: MappingProxyType({}))
    #: Markets whose table says ``enabled = false``.
    disabled: tuple[str, ...] = ()
    #: The file this was read from (None when built in Python); messages name it.
    path: Path | None = None


def user_config_path(environ: Mapping[str, str] | None = None, *, platform: str = "") -> Path:
    """The user-level config file: ``skinmarkets/config.toml`` in the platform's config folder.

    ``$XDG_CONFIG_HOME`` (else ``~/.config``) on Linux and other Unix systems,
    ``~/Library/Application Support`` on macOS, ``%APPDATA%`` on Windows. ``platform``
    (default ``sys.platform``) is there for tests.
    """
    env = os.environ if environ is None else environ
    system = platform or sys.platform
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    if system == "win32":
        appdata = env.get("APPDATA")
        base = Path(appdata) if appdata else home / "AppData" / "Roaming"
    elif system == "darwin":
        base = home / "Library" / "Application Support"
    else:
        xdg = env.get("XDG_CONFIG_HOME")
        base = Path(xdg) if xdg and os.path.isabs(xdg) else home / ".config"
    return base / "skinmarkets" / "config.toml"


def find_config(environ: Mapping[str, str] | None = None) -> Path | None:
    """The config file to read: ``$SKINMARKETS_CONFIG`` (set: even if missing), else
    ``./skinmarkets.toml``, else :func:`user_config_path`, when it exists; else ``None``."""
    env = os.environ if environ is None else environ
    named = env.get(CONFIG_ENV)
    if named:
        return Path(named)
    for candidate in (Path(DEFAULT_PATH), user_config_path(env)):
        if candidate.is_file():
            return candidate
    return None


def permission_problem(path: str | os.PathLike[str]) -> str | None:
    """What is wrong with who may read or change ``path``, or ``None`` (always on Windows).

    Others who can change the file can point ``base_url`` at their own server and receive the
    credentials; others who can read it learn which variables hold them and where they go.
    """
    if os.name == "nt":
        return None
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None
    if not mode & (stat.S_IRWXG | stat.S_IRWXO):
        return None
    verb = "changed" if mode & (stat.S_IWGRP | stat.S_IWOTH) else "read"
    return f"{os.fspath(path)} can be {verb} by other users (mode {mode:o}): chmod 600 {path}"


def _did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """``; did you mean "x"?`` for the closest of ``choices``, or nothing."""
    lowered = {c.lower(): c for c in choices}
    found = lowered.get(word.lower()) or next(
        iter(difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)), None
    )
    if found is None:
        return ""
    return f'; did you mean "{lowered.get(found, found)}"?'


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
        return Seconds(value)  # timeouts, deadlines and the like, never a price
    return value


def _variable_for(market: str, option: str) -> str:
    """A suggested environment variable name: market "tm", option api_key -> TM_API_KEY."""
    return re.sub(r"[^A-Z0-9]+", "_", f"{market}_{option}".upper()).strip("_")


def _accepted_options(vendor: str) -> tuple[str, ...] | None:
    """The keyword options ``connect(vendor, ...)`` takes, or None when it takes any."""
    return _plugins.accepted_options(_plugins.load(vendor, _plugins.targets()[vendor]))


@attrs.frozen
class _Market:
    """One ``[[markets]]`` table as read: the market, or why it is left out."""

    config: MarketConfig | None
    disabled: bool = False
    unset: str | None = None  # what to do, when a variable it reads is unset
    inline: tuple[str, ...] = ()  # how to move each credential written in the file


def _market(
    index: int,
    table: Any,
    origin: str,
    environ: Mapping[str, str],
    known: list[str],
    allow_inline_secrets: bool,
) -> _Market:
    """One ``[[markets]]`` table, validated, with ``*_env`` options read from ``environ``."""
    where = f"{origin}: [[markets]] #{index + 1}"
    if not isinstance(table, dict):
        raise ConfigurationError(f"{where}: expected a table like\n{_EXAMPLE}")
    vendor = table.get("vendor")
    if not isinstance(vendor, str) or not vendor.strip():
        raise ConfigurationError(f'{where}: add vendor = "..." (one of {", ".join(known)})')
    name = table.get("name", vendor.strip().lower())
    if not isinstance(name, str) or not name.strip():
        raise ConfigurationError(f'{where}: name must be a non-empty string like name = "tm"')
    name = name.strip()
    where = f'{origin}: [[markets]] "{name}"'
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigurationError(f"{where}: write enabled = true or enabled = false")
    if not enabled:  # left out as it is: its vendor may not even be installed
        return _Market(MarketConfig(name=name, vendor=vendor, options={}), disabled=True)
    vendor = vendor.strip().lower()
    if vendor not in known:
        raise ConfigurationError(
            f'{where}: unknown vendor "{table["vendor"]}"{_did_you_mean(vendor, known)} '
            f"(known: {', '.join(known)})"
        )
    accepted = _accepted_options(vendor)
    options: dict[str, Any] = {}
    unset: list[tuple[str, str]] = []
    inline: list[str] = []
    for key, value in table.items():
        if key in _RESERVED:
            continue
        option = key.removesuffix("_env") if key.endswith("_env") else key
        if accepted is not None and option not in accepted:
            spellings = [*accepted, *(f"{a}_env" for a in accepted), *_RESERVED]
            raise ConfigurationError(
                f'{where}: unknown option "{key}"{_did_you_mean(key, spellings)} '
                f"({vendor} takes {', '.join(accepted)}; add _env to read one from a variable)"
            )
        if key.endswith("_env"):
            if not isinstance(value, str) or not value:
                raise ConfigurationError(
                    f'{where}: {key} must name an environment variable, like {key} = "'
                    f'{_variable_for(name, option)}"'
                )
            found = environ.get(value)
            if found is None or not found.strip():
                unset.append((key, value))
                continue
            # a proxy URL read from the environment may carry a password: held as a Secret
            as_secret = _is_credential(option) or option == "proxy"
            options[option] = _credential(found.strip()) if as_secret else found
        elif isinstance(value, str) and (_is_credential(key) or _USERINFO.match(value)):
            credential = _is_credential(key)
            held: Any = _credential(value) if credential else value  # a URL's own: scrubbed
            variable = _variable_for(name, key)
            advice = (
                f"{where} has {key} written in the file"
                f"{'' if credential else ' with a password in it'}: credentials never go in "
                f'the file. Use {key}_env = "{variable}" in [[markets]] "{name}" and export '
                f"{variable}=…"
            )
            if not allow_inline_secrets:
                raise ConfigurationError(advice)
            inline.append(advice)
            options[key] = held
        else:
            options[key] = _option_value(value)
    config = MarketConfig(name=name, vendor=vendor, options=MappingProxyType(options))
    if not unset:
        return _Market(config, inline=tuple(inline))
    named = ", ".join(f"${variable}" for _, variable in unset)
    keys = ", ".join(key for key, _ in unset)
    exports = " and ".join(f"export {variable}=…" for _, variable in unset)
    return _Market(
        config,
        unset=(
            f"{named} {'is' if len(unset) == 1 else 'are'} not set ({keys} in "
            f'[[markets]] "{name}"): {exports}, or set enabled = false in that table'
        ),
        inline=tuple(inline),
    )


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


def load_config(
    path: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    skip_unset: bool = False,
    allow_inline_secrets: bool = True,
) -> Config:
    """Read a TOML config: ``path``, else the first found by :func:`find_config`.

    A missing file, bad TOML, an unknown vendor or option, or an unset environment variable
    raises ``ConfigurationError`` saying which and how to fix it, before any market is
    contacted. With ``skip_unset`` a market whose variables are unset is left out and named in
    ``Config.skipped`` instead. Tables with ``enabled = false`` are left out (named in
    ``Config.disabled``). A credential written in the file is refused when
    ``allow_inline_secrets`` is false, else accepted with a :class:`ConfigWarning`.
    """
    env = os.environ if environ is None else environ
    found = Path(path) if path is not None else find_config(env)
    if found is None:
        raise ConfigurationError(
            f"no config file at {DEFAULT_PATH} or {user_config_path(env)}: create one (or point "
            f"${CONFIG_ENV} at one) with a market per table, e.g.\n{_EXAMPLE}"
        )
    origin = str(found)
    try:
        with found.open("rb") as handle:
            document = tomllib.load(handle, parse_float=Decimal)
    except FileNotFoundError:
        raise ConfigurationError(
            f"no config file at {origin}: create it (or point ${CONFIG_ENV} or --config at "
            f"one) with a market per table, e.g.\n{_EXAMPLE}"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{origin}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigurationError(
            f"{origin}: not valid TOML: the file is not UTF-8 text; save it as UTF-8"
        ) from None
    except OSError as exc:
        raise ConfigurationError(
            f"{origin}: cannot read the config ({exc.strerror or exc}); check its permissions"
        ) from None
    unknown = sorted(set(document) - set(_TOP_LEVEL))
    if unknown:
        raise ConfigurationError(
            f'{origin}: unknown top-level key "{unknown[0]}"'
            f"{_did_you_mean(unknown[0], _TOP_LEVEL)} (expected {', '.join(_TOP_LEVEL)})"
        )
    store = document.get("store")
    if store is not None and (not isinstance(store, str) or not store.strip()):
        raise ConfigurationError(
            f'{origin}: store must be a string such as "memory", "/path/store.sqlite3" or '
            f'"redis://host:6379/0"'
        )
    inline: list[str] = []
    if isinstance(store, str) and _USERINFO.match(store):
        inline.append(
            f"{origin}: store has a password written in the file: credentials never go in the "
            "file. Leave store out and export SKINMARKETS_STORE=… (the URL) instead"
        )
        if not allow_inline_secrets:
            raise ConfigurationError(inline[-1])
    tables = document.get("markets", [])
    if not isinstance(tables, list) or not tables:
        raise ConfigurationError(f"{origin}: no markets configured; add e.g.\n{_EXAMPLE}")
    known = vendors()
    read = [_market(i, t, origin, env, known, allow_inline_secrets) for i, t in enumerate(tables)]
    names = [m.config.name for m in read if m.config is not None]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigurationError(
            f"{origin}: market name(s) {', '.join(duplicates)} used twice; give each "
            f'[[markets]] its own name = "..."'
        )
    for advice in [*inline, *(advice for market in read for advice in market.inline)]:
        warnings.warn(advice, ConfigWarning, stacklevel=2)
    skipped: dict[str, str] = {}
    for market in read:
        if market.unset is not None and market.config is not None:
            if not skip_unset:
                raise _in_file(f"{origin}: {market.unset}", market.config.vendor)
            skipped[market.config.name] = market.unset
    currency = document.get("currency", "USD")
    try:
        currency = Money(0, currency).currency
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(
            f'{origin}: currency: {exc}; write e.g. currency = "USD"'
        ) from None
    rates = _rates(document["rates"], origin) if "rates" in document else None
    return Config(
        markets=tuple(
            m.config
            for m in read
            if m.config is not None and not m.disabled and m.config.name not in skipped
        ),
        currency=currency,
        rates=rates,
        store=store,
        skipped=MappingProxyType(skipped),
        disabled=tuple(m.config.name for m in read if m.config is not None and m.disabled),
        path=found,
    )


#: "pass e.g. sm.connect('market_tm', deadline=60)" in a library message: the option and value
_PYTHON_HINT = re.compile(r"(?:pass (?:e\.g\. )?)?sm\.connect\('[^']*',\s*(\w+)=([^()]*)\)")


def _in_file_terms(error: ConfigurationError, market: MarketConfig, origin: str) -> str:
    """A ``connect`` error about a configured market, said in the file's terms."""
    message = str(error)
    accepted = _accepted_options(market.vendor) or ()
    for option in accepted:
        if _is_credential(option) and option not in market.options and option in message:
            variable = _variable_for(market.name, option)
            return (
                f'{origin}: [[markets]] "{market.name}" has no {option}: add '
                f'{option}_env = "{variable}" to it and export {variable}=…'
            )
    message = _PYTHON_HINT.sub(
        lambda hint: f'write e.g. {hint[1]} = {hint[2]} in [[markets]] "{market.name}"', message
    )
    return f'{origin}: [[markets]] "{market.name}": {message}'


def connect_all(
    config: Config | str | os.PathLike[str] | None = None,
    *,
    store: str | None = None,
    options: Mapping[str, Any] | None = None,
) -> dict[str, Marketplace]:
    """Connect every configured market: ``{name: market}``, in the config's order.

    ``config`` is a loaded :class:`Config` or a path for :func:`load_config` (``None``: the
    default lookup). ``store`` (else the config's top-level ``store``, else a market's own
    ``store`` option, else ``SKINMARKETS_STORE``) names where shared state lives. ``options``
    (e.g. ``{"timeout": 5}``) are given to every market, over the file's own. No request is
    sent; a bad option, or a store that cannot be opened, raises ``ConfigurationError``.
    """
    loaded = config if isinstance(config, Config) else load_config(config)
    chosen = store if store is not None else loaded.store
    shared = ({} if chosen is None else {"store": chosen}) | dict(options or {})
    connected: dict[str, Marketplace] = {}
    for market in loaded.markets:
        try:
            connected[market.name] = connect(market.vendor, **(dict(market.options) | shared))
        except ConfigurationError as exc:
            if loaded.path is None:
                raise
            raise _in_file(_in_file_terms(exc, market, str(loaded.path)), market.vendor) from None
    return connected


def _in_file(message: str, vendor: str) -> ConfigurationError:
    """A ``ConfigurationError`` about ``vendor``'s table, its message led by the file's place
    (``skinmarkets.toml: [[markets]] "tm": …``) instead of ``"vendor: "``."""
    error = ConfigurationError(message)
    error.vendor = vendor
    return error
