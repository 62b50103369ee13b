"""Where the CLI's markets come from: the config file, or the built-in sandbox (``--sandbox``)."""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from skinmarkets.errors import ConfigurationError
from skinmarkets.money import Rates
from skinmarkets.protocol import Marketplace

__all__ = ["CONFIG_ENV", "DEFAULT_CONFIG", "NoConfig", "Session", "open_markets", "setup_help"]

CONFIG_ENV = "SKINMARKETS_CONFIG"
DEFAULT_CONFIG = "skinmarkets.toml"

# Shown when no config is found; skinmarkets.config may provide its own CONFIG_EXAMPLE.
_CONFIG_EXAMPLE = """\
currency = "USD"                # what compare and arbitrage convert every price to

[rates]                         # how many units of each currency one base unit buys
base = "USD"
EUR = "0.92"
RUB = "92.5"

[[markets]]
name = "tm"                     # optional, defaults to the vendor id
vendor = "market_tm"
game = "cs2"
api_key_env = "TM_KEY"          # option api_key, read from the environment variable TM_KEY

[[markets]]
vendor = "swapgg"
api_key_env = "SWAPGG_KEY"

[[markets]]
vendor = "skinsback"
client_id_env = "SKINSBACK_CLIENT_ID"
client_secret_env = "SKINSBACK_CLIENT_SECRET"

[[markets]]
vendor = "mannco"
api_key_env = "MANNCO_KEY"
"""


# SANDBOX DATA: invented rates so the sandbox's EUR and RUB markets compare out of the box,
# used only when the sandbox itself offers none.
_SANDBOX_RATES = Rates({"EUR": "0.92", "RUB": "92.5"}, base="USD")


class NoConfig(Exception):
    """No config file was named and none was found where one is looked for."""


@attrs.frozen
class Session:
    """The markets one command runs against, with the currency and rates to compare them in."""

    markets: Mapping[str, Marketplace]
    currency: str
    rates: Rates | None
    sandbox: bool


def _module(name: str) -> Any:
    """Import ``skinmarkets.<name>`` on first use, so ``skinmarkets vendors`` needs neither."""
    try:
        return importlib.import_module(f"skinmarkets.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"skinmarkets.{name}":
            raise
        raise ConfigurationError(
            f"this installation of skinmarkets has no skinmarkets.{name} module; "
            "reinstall skinmarkets"
        ) from None


def setup_help() -> str:
    """How to configure markets: where the file is looked for, an example, the variables."""
    example = getattr(_module_or_none("config"), "CONFIG_EXAMPLE", None) or _CONFIG_EXAMPLE
    indented = "".join(f"    {line}\n" if line else "\n" for line in example.splitlines())
    return (
        "no markets configured.\n\n"
        "skinmarkets reads its markets from --config PATH, else from the file named by\n"
        f"${CONFIG_ENV}, else from ./{DEFAULT_CONFIG}. Create one, for example:\n\n"
        f"{indented}\n"
        "Credentials are never written in the file: each *_env option names the environment\n"
        "variable that holds it (export TM_KEY=...).\n"
        "To try the commands without an account:\n\n"
        '    skinmarkets compare --sandbox "AK-47 | Redline (Field-Tested)"\n'
    )


def _module_or_none(name: str) -> Any:
    try:
        return _module(name)
    except ConfigurationError:
        return None


def _config_path(explicit: str | None) -> Path | None:
    """The config file the library will read, or ``None`` when nothing names or holds one."""
    if explicit is not None:
        return Path(explicit)
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env)
    default = Path(DEFAULT_CONFIG)
    return default if default.exists() else None


@contextlib.contextmanager
def open_markets(
    *, sandbox: bool, config_path: str | None, currency: str | None
) -> Iterator[Session]:
    """The configured markets, or the sandbox's when ``sandbox``; raises ``NoConfig`` if none."""
    if sandbox:
        sandbox_module = _module("sandbox")
        with sandbox_module.sandbox() as sb:
            yield Session(
                markets=sb.connect_all(),
                currency=(currency or "USD").upper(),
                rates=getattr(sb, "rates", None) or _SANDBOX_RATES,
                sandbox=True,
            )
        return
    path = _config_path(config_path)
    if path is None:
        raise NoConfig
    if not path.is_file():
        raise ConfigurationError(
            f"config file {str(path)!r} not found (named by "
            f"{'--config' if config_path is not None else '$' + CONFIG_ENV}); "
            "check the path, or run without it to see how to write one"
        )
    config_module = _module("config")
    config = config_module.load_config(path)
    yield Session(
        markets=config_module.connect_all(config),
        currency=(currency or config.currency or "USD").upper(),
        rates=config.rates,
        sandbox=False,
    )
