"""Checks of the caller's arguments and options, made before anything is sent to SkinsBack.

Each raises ``InvalidRequest`` / ``ConfigurationError`` (or ``TypeError`` for a value of the wrong
type, such as a float where Money is required) naming what to pass instead.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import attrs

from skinmarkets import _checks, errors
from skinmarkets.money import Money
from skinmarkets.vendors.skinsback import units

VENDOR = "skinsback"

#: "partner and token are the two query parameters of the user's Steam trade URL,
#: https://steamcommunity.com/tradeoffer/new/?partner=…&token=…" (a token is 8 characters).
_TRADE_HOSTS = frozenset({"steamcommunity.com", "www.steamcommunity.com"})
_PARTNER = re.compile(r"[0-9]{1,10}")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{6,16}")


@attrs.frozen
class TradeUrl:
    """The recipient of SkinsBack's offers: ``partner`` and ``token`` of a Steam trade URL."""

    partner: str
    token: str = attrs.field(repr=False)


def parse_trade_url(trade_url: object) -> TradeUrl:
    """``partner`` and ``token`` of a Steam trade URL; anything else is ``ConfigurationError``."""
    example = "https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=AbCdEfGh"
    problem: str | None = None
    if not isinstance(trade_url, str) or not trade_url.strip():
        problem = f"trade_url must be a Steam trade URL like {example}"
    else:
        parts = urlsplit(trade_url.strip())
        query = parse_qs(parts.query)
        partner, token = query.get("partner", [""]), query.get("token", [""])
        if parts.scheme not in ("https", "http") or parts.hostname not in _TRADE_HOSTS:
            problem = f"trade_url must be on steamcommunity.com, like {example}"
        elif parts.path.rstrip("/") != "/tradeoffer/new":
            problem = f"trade_url must be a /tradeoffer/new/ URL, like {example}"
        elif len(partner) != 1 or not _PARTNER.fullmatch(partner[0]):
            problem = "trade_url has no valid partner=<digits> parameter"
        elif len(token) != 1 or not _TOKEN.fullmatch(token[0]):
            problem = "trade_url has no valid token=<8 characters> parameter"
        else:
            return TradeUrl(partner=partner[0], token=token[0])
    # The URL itself is not echoed: its token lets anyone send the user trade offers.
    raise errors.ConfigurationError(problem, vendor=VENDOR)


def check_game(game: object) -> str:
    """A SkinsBack game id (``cs2``, ``dota2``, ``rust``; ``csgo`` means ``cs2``)."""
    normal = game.strip().lower() if isinstance(game, str) else ""
    normal = units.GAME_ALIASES.get(normal, normal)
    if normal not in units.APP_IDS:
        raise errors.ConfigurationError(
            f"unknown game {game!r}: choose one of {', '.join(sorted(units.APP_IDS))}",
            vendor=VENDOR,
        )
    return normal


def check_auth(auth: object) -> str:
    """``"signature"`` (shopid + sign, the default) or ``"headers"`` (X-CLIENT-ID/SECRET)."""
    if not isinstance(auth, str) or auth not in units.AUTH_MODES:
        raise errors.ConfigurationError(
            f"auth must be 'signature' or 'headers', got {auth!r}", vendor=VENDOR
        )
    return auth


def check_name(name: object, operation: str) -> str:
    """A market_hash_name, stripped ("name_min_length_3": at least 3 characters)."""
    if not isinstance(name, str) or len(name.strip()) < 3:
        raise _checks.invalid(
            VENDOR,
            operation,
            "the item name must be a market_hash_name of at least 3 characters like "
            f"'AK-47 | Redline (Field-Tested)', got {name!r}",
        )
    return name.strip()


def check_money(value: object, what: str, operation: str) -> Money:
    """A positive USD ``Money``; a float is ``TypeError`` (the value not echoed), another currency
    ``InvalidRequest``."""
    return _checks.check_price(
        VENDOR, value, what, operation, currency=units.CURRENCY, venue="SkinsBack", echo=False
    )


def check_custom_id(custom_id: object, operation: str = "buy") -> str:
    """The caller's ``custom_id`` if it fits, or a new one (uuid4 hex) for ``None``.

    Unlike the other vendors, an id with surrounding spaces is refused too.
    """
    return _checks.check_custom_id(
        VENDOR,
        custom_id,
        max_length=units.CUSTOM_ID_MAX_LENGTH,
        operation=operation,
        unpadded=True,
    )
