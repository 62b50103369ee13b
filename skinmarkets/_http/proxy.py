"""Proxy: the ``proxy=`` connect option, validated, for REST and for the realtime sockets.

``proxy="http://user:password@host:3128"`` (schemes ``http``, ``https``, ``socks5``,
``socks5h``; ``user:password@`` optional; the port defaults to 80, 443, 1080, 1080) sends every
request of the market through that proxy, and its realtime sockets too where their client can
(:mod:`skinmarkets._realtime.websocket` says which). ``socks5h`` resolves the vendor's host name
at the proxy, ``socks5`` locally. SOCKS needs PySocks, the extra ``skinmarkets[socks]``.

Why the explicit option wins over the environment: ``HTTP_PROXY``, ``HTTPS_PROXY``,
``ALL_PROXY`` and ``NO_PROXY`` are read at connect only when ``proxy=`` is not given (see
``transport._read_environment_once``); given, it is used for every request of the market, the
vendor's host in ``NO_PROXY`` or not. A bot that names a proxy for one market means it.

The password (or a user name that stands alone, a token) is a secret: registered for scrubbing
as written, percent-decoded and as the ``Proxy-Authorization`` value it becomes, and shown as
``http://***@host:3128`` by ``repr`` and every message.
"""

from __future__ import annotations

import base64
import importlib.util
import re
from urllib.parse import unquote, urlsplit

import attrs

from skinmarkets import errors
from skinmarkets._http.urls import register_userinfo, shown_url
from skinmarkets._secret import Secret, register_secret

__all__ = ["DEFAULT_PORTS", "Proxy", "has_module"]

#: Scheme -> the port used when the URL names none.
DEFAULT_PORTS: dict[str, int] = {"http": 80, "https": 443, "socks5": 1080, "socks5h": 1080}
_SOCKS = frozenset({"socks5", "socks5h"})
_CHOICES = "http://, https://, socks5:// or socks5h://"
_EXAMPLE = "'http://user:password@proxy.example:3128'"
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*)://", re.IGNORECASE)


def has_module(name: str) -> bool:
    """True when ``name`` can be imported (without importing it); tests replace this."""
    return importlib.util.find_spec(name) is not None


def _shown_repr(url: str) -> str:
    return repr(shown_url(url))


@attrs.frozen
class Proxy:
    """A validated proxy URL; ``repr`` and ``shown`` hide its user and password."""

    #: As given (user info included, percent-encoded as written): what requests is handed.
    url: str = attrs.field(repr=_shown_repr)
    scheme: str
    host: str
    port: int
    username: str | None = attrs.field(default=None, repr=False)
    password: Secret | None = attrs.field(default=None, repr=False)

    @property
    def shown(self) -> str:
        """The URL with its user and password shown as ``***``."""
        return shown_url(self.url)

    @property
    def is_socks(self) -> bool:
        """True for ``socks5://`` and ``socks5h://``."""
        return self.scheme in _SOCKS

    @classmethod
    def from_connect(cls, vendor: str, value: object) -> Proxy | None:
        """``proxy=`` validated (None: no proxy); every mistake is a ``ConfigurationError``."""
        if value is None:
            return None
        if isinstance(value, Secret):  # a config file may hand it over as a credential
            value = value.reveal()
        if not isinstance(value, str):
            raise _bad(vendor, f"must be a URL string like {_EXAMPLE}, got {type(value).__name__}")
        text = value.strip()
        register_userinfo(text)  # first: every message below may name the URL
        shown = repr(shown_url(text))
        scheme = _SCHEME.match(text)
        if scheme is None:
            raise _bad(vendor, f"must start with {_CHOICES}, like {_EXAMPLE}; got {shown}")
        name = scheme.group(1).lower()
        if name not in DEFAULT_PORTS:
            raise _bad(
                vendor,
                f"has the scheme {name + '://'!r}, which is not one of {_CHOICES}; got {shown}",
            )
        if any(c.isspace() for c in text):
            raise _bad(vendor, f"must not contain spaces; got {shown}")
        text = f"{name}://{text[scheme.end() :]}".rstrip("/")
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError:
            raise _bad(
                vendor, f"has a bad host or port (a port is a whole number 1-65535); got {shown}"
            ) from None
        if not parts.hostname:
            raise _bad(vendor, f"names no host, like {_EXAMPLE}; got {shown}")
        if port == 0:
            raise _bad(vendor, f"has port 0 (a port is a whole number 1-65535); got {shown}")
        if parts.path or parts.query or parts.fragment or text.endswith(("?", "#")):
            raise _bad(
                vendor,
                f"must be scheme://[user:password@]host[:port] with nothing after the port; "
                f"got {shown}",
            )
        if name in _SOCKS and not has_module("socks"):
            raise errors.ConfigurationError(
                f"{vendor}: proxy {shown} is a SOCKS proxy, which needs PySocks: "
                "pip install 'skinmarkets[socks]'",
                vendor=vendor,
            )
        username = unquote(parts.username) if parts.username is not None else None
        password = unquote(parts.password) if parts.password is not None else None
        if username is not None:
            # What goes on the wire to an HTTP proxy: Proxy-Authorization: Basic base64(u:p).
            pair = f"{username}:{password or ''}".encode()
            register_secret(Secret(base64.b64encode(pair).decode("ascii")))
        return cls(
            url=text,
            scheme=name,
            host=parts.hostname,
            port=port if port is not None else DEFAULT_PORTS[name],
            username=username,
            password=Secret(password) if password is not None else None,
        )


def _bad(vendor: str, problem: str) -> errors.ConfigurationError:
    return errors.ConfigurationError(f"{vendor}: proxy {problem}", vendor=vendor)
