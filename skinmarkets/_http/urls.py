"""The credentials a URL may carry (``https://user:password@host``): shown masked, scrubbed.

A password in ``base_url`` or ``proxy`` is a secret: registered for scrubbing, and the whole
``user:password`` is shown as ``https://***@host`` by ``repr`` and by every message that names
the URL.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from skinmarkets._secret import Secret, register_secret

__all__ = ["register_userinfo", "shown_url"]

#: The ``user:password@`` of a URL (the last ``@`` before the path ends it).
_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]*://)[^/?#]*@", re.IGNORECASE)
#: The same without a scheme (``user:password@host:3128``, a proxy written without one).
_BARE_USERINFO = re.compile(r"^[^/?#]*@")


def shown_url(url: str) -> str:
    """``url`` safe to show: a user and password in it become ``***`` (``https://***@host``)."""
    if _USERINFO.match(url):
        return _USERINFO.sub(r"\1***@", url)
    if "://" not in url:
        return _BARE_USERINFO.sub("***@", url)
    return url


def register_userinfo(url: str) -> None:
    """Scrub the password of ``url`` (as written and percent-decoded) from now on; the user
    too when there is no password (``https://TOKEN@host``: the user is the credential).

    A user name beside a password is left out: registered, a name like ``admin`` would be
    scrubbed from every word that contains it. ``shown_url`` hides it all the same.
    """
    if not _USERINFO.match(url):
        if "://" in url or not _BARE_USERINFO.match(url):
            return
        url = "scheme://" + url  # a proxy written without its scheme: still a secret
    try:
        parts = urlsplit(url)
        password, username = parts.password, parts.username
    except ValueError:  # an unparsable netloc: all of the user info is the secret
        password, username = None, url.split("://", 1)[1].rpartition("@")[0]
    secret = password if password is not None else username
    if secret:
        for spelling in {secret, unquote(secret)}:
            register_secret(Secret(spelling))
