"""TransportOptions: the ``connect()`` options every vendor accepts, validated."""

from __future__ import annotations

import math
import re
from decimal import Decimal

import attrs
import requests

from skinmarkets import errors

__all__ = ["DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "TransportOptions"]

DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 20.0)  # float ok: seconds (connect, read)
DEFAULT_MAX_RETRIES = 2


def _seconds(value: object, what: str, vendor: str) -> float:  # float ok: seconds
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise errors.ConfigurationError(
            f"{vendor}: {what} must be a number of seconds, got {value!r}", vendor=vendor
        )
    seconds = float(value)  # float ok: seconds, not money
    if not (seconds > 0 and math.isfinite(seconds)):
        # NaN fails every comparison; an infinite timeout is no timeout at all.
        raise errors.ConfigurationError(
            f"{vendor}: {what} must be a finite number of seconds more than 0, got {value!r}",
            vendor=vendor,
        )
    return seconds


#: An http(s) origin, optionally with a path prefix (a proxy); no query, fragment or whitespace.
_BASE_URL = re.compile(r"https?://[^/\s?#]+(/[^\s?#]*)?", re.IGNORECASE)


@attrs.frozen
class TransportOptions:
    """The ``connect()`` options every vendor accepts, validated."""

    base_url: str
    timeout: tuple[float, float]  # float ok: seconds
    max_retries: int
    session: requests.Session | None = attrs.field(default=None, repr=False)

    @classmethod
    def from_connect(
        cls,
        vendor: str,
        *,
        default_base_url: str,
        base_url: str | None = None,
        timeout: object = None,
        max_retries: object = None,
        session: object = None,
    ) -> TransportOptions:
        """Validate the shared options; every mistake is a ``ConfigurationError``."""
        url = default_base_url if base_url is None else base_url
        if not isinstance(url, str) or not _BASE_URL.fullmatch(url):
            raise errors.ConfigurationError(
                f"{vendor}: base_url must be an http(s) origin like 'https://host:port', "
                f"got {base_url!r}",
                vendor=vendor,
            )
        if timeout is None:
            pair = DEFAULT_TIMEOUT
        elif isinstance(timeout, tuple | list) and len(timeout) == 2:
            pair = (
                _seconds(timeout[0], "timeout (connect)", vendor),
                _seconds(timeout[1], "timeout (read)", vendor),
            )
        else:
            both = _seconds(timeout, "timeout", vendor)
            pair = (both, both)
        retries = DEFAULT_MAX_RETRIES if max_retries is None else max_retries
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise errors.ConfigurationError(
                f"{vendor}: max_retries must be a whole number >= 0, got {max_retries!r}",
                vendor=vendor,
            )
        if session is not None and not isinstance(session, requests.Session):
            raise errors.ConfigurationError(
                f"{vendor}: session must be a requests.Session, got {type(session).__name__}",
                vendor=vendor,
            )
        if isinstance(session, requests.Session) and session.verify is False:
            # A CA bundle path (session.verify = "ca.pem") is fine: it still verifies.
            raise errors.ConfigurationError(
                f"{vendor}: the session does not verify TLS certificates "
                "(session.verify is False); skinmarkets never sends credentials without it: "
                "give a CA bundle path instead",
                vendor=vendor,
            )
        return cls(base_url=url.rstrip("/"), timeout=pair, max_retries=retries, session=session)
