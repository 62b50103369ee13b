"""TransportOptions: the ``connect()`` options every vendor accepts, validated.

A password in ``base_url`` (``https://user:pass@proxy``, or a token as the user) or in
``proxy`` is a secret: registered for scrubbing, and the whole ``user:pass`` is shown as
``https://***@proxy`` by ``repr`` and by every message that names the URL (:mod:`.urls`).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from urllib.parse import urlsplit

import attrs
import requests

from skinmarkets import errors
from skinmarkets._http.deadline import DEFAULT_DEADLINE
from skinmarkets._http.proxy import Proxy
from skinmarkets._http.urls import register_userinfo, shown_url
from skinmarkets._seconds import Seconds

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "TransportOptions",
    "shown_url",
]

DEFAULT_TIMEOUT: tuple[Seconds, Seconds] = (5.0, 20.0)  # (connect, read)
DEFAULT_MAX_RETRIES = 2


def _seconds(value: object, what: str, vendor: str, example: str = "") -> Seconds:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise errors.ConfigurationError(
            f"{vendor}: {what} must be a number of seconds, got {value!r}{example}", vendor=vendor
        )
    try:
        seconds = Seconds(value)
    except (OverflowError, ValueError):  # an int too big for a float, a signalling NaN
        seconds = math.nan
    if not (seconds > 0 and math.isfinite(seconds)):
        # NaN fails every comparison; an infinite timeout is no timeout at all.
        raise errors.ConfigurationError(
            f"{vendor}: {what} must be a finite number of seconds more than 0, "
            f"got {value!r}{example}",
            vendor=vendor,
        )
    return seconds


#: An http(s) origin, optionally with a path prefix (a proxy); no query, fragment or whitespace.
_BASE_URL = re.compile(r"https?://[^/\s?#]+(/[^\s?#]*)?", re.IGNORECASE)


def _host_and_port(url: str) -> bool:
    """True when ``url`` names a host and no port, or a port 1-65535."""
    try:
        parts = urlsplit(url)
        return bool(parts.hostname) and parts.port != 0
    except ValueError:  # a port that is not a number or out of range, an unclosed "[::1"
        return False


def _shown_repr(url: str) -> str:
    return repr(shown_url(url))


@attrs.frozen
class TransportOptions:
    """The ``connect()`` options every vendor accepts, validated."""

    base_url: str = attrs.field(repr=_shown_repr)  # a password in it is shown as ***
    timeout: tuple[Seconds, Seconds]
    max_retries: int
    #: Seconds one exchange may last in all, body included (see :mod:`.deadline`).
    deadline: Seconds = DEFAULT_DEADLINE
    session: requests.Session | None = attrs.field(default=None, repr=False)
    #: ``proxy=``: every request of the market goes through it (and the realtime sockets,
    #: where they can); None: ``HTTP(S)_PROXY``/``ALL_PROXY`` read at connect (see .proxy).
    proxy: Proxy | None = None

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
        deadline: object = None,
        proxy: object = None,
    ) -> TransportOptions:
        """Validate the shared options; every mistake is a ``ConfigurationError``.

        ``timeout`` bounds connecting and each socket read; ``deadline`` (default 60 s) bounds
        a whole exchange, body included, which a server trickling bytes would otherwise stretch
        without end (see :mod:`.deadline`). Both are finite numbers of seconds more than 0.
        ``proxy`` is a proxy URL (:class:`~skinmarkets._http.proxy.Proxy`); it cannot be
        combined with ``session``, which is used as it is (give that session its own
        ``session.proxies`` instead).
        """
        url = default_base_url if base_url is None else base_url
        if isinstance(url, str):
            register_userinfo(url)
        if not isinstance(url, str) or not _BASE_URL.fullmatch(url) or not _host_and_port(url):
            shown = repr(shown_url(base_url)) if isinstance(base_url, str) else repr(base_url)
            raise errors.ConfigurationError(
                f"{vendor}: base_url must be an http(s) origin like 'https://host:port', "
                f"got {shown}",
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
        limit = DEFAULT_DEADLINE
        if deadline is not None:
            example = f"; pass e.g. sm.connect({vendor!r}, deadline=60)"
            limit = _seconds(deadline, "deadline", vendor, example)
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
        via = Proxy.from_connect(vendor, proxy)
        if via is not None and session is not None:
            raise errors.ConfigurationError(
                f"{vendor}: proxy= and session= were both given, but an injected session is "
                f"used as it is: drop proxy= and set session.proxies = "
                f"{{'http': URL, 'https': URL}} on your session, or drop session=",
                vendor=vendor,
            )
        return cls(
            base_url=url.rstrip("/"),
            timeout=pair,
            max_retries=retries,
            deadline=limit,
            session=session,
            proxy=via,
        )
