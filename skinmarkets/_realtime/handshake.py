"""Pieces of a feed's ``open``: a fresh credential kept secret, the first answer, a replay.

- :func:`issued_secret` / :func:`credential`: a token or key the vendor just issued (fetched
  through the REST client, so the rate limit holds), registered as a secret before anything
  else, with ``from_answers=False``: the client must read it back from the next answer unharmed.
- :func:`first_frame`: the first frame within a deadline (the answer to an auth frame).
- :class:`ReplayLink`: a link that first hands out what the handshake read and kept.
"""

from __future__ import annotations

import collections
import time
from collections.abc import Callable, Mapping
from typing import Any

from skinmarkets import errors
from skinmarkets._realtime.feed import Link
from skinmarkets._seconds import Seconds
from skinmarkets._secret import Secret, register_secret

__all__ = ["ReplayLink", "credential", "first_frame", "issued_secret"]


def issued_secret(value: str) -> Secret:
    """A token the vendor issued, as a registered secret (in no log, repr, message or raw)."""
    secret = Secret(value)
    register_secret(secret, from_answers=False)  # the client reads it back from the answer
    return secret


def credential(vendor: str, answer: Mapping[str, Any], field: str, operation: str) -> str:
    """The token or key at ``field`` of an ``operation`` answer, registered as a secret (as
    sent and stripped) before anything else; ``UnexpectedResponse`` when there is none."""
    value = answer.get(field)
    if not isinstance(value, str) or not value.strip():
        raise errors.UnexpectedResponse(
            f"{operation} answered without a {field!r}; the socket cannot be opened",
            vendor=vendor,
            operation=operation,
            raw=dict(answer),
        )
    token = value.strip()
    issued_secret(value)
    issued_secret(token)
    return token


def first_frame(
    link: Link,
    wait: Seconds,
    *,
    tick: Seconds,
    skip: Callable[[str], bool] = lambda frame: False,
    clock: Callable[[], Seconds] = time.monotonic,
) -> str | None:
    """The first frame ``link`` receives within ``wait`` seconds, passing over those ``skip``
    calls noise (keepalive replies); None when none came. ``recv`` waits ``tick`` at most."""
    deadline = clock() + wait
    while (left := deadline - clock()) > 0:
        frame = link.recv(min(left, tick))
        if frame is not None and not skip(frame):
            return frame
    return None


class ReplayLink:
    """A link that first hands out what was read during the handshake, then reads on."""

    def __init__(self, link: Link, frames: collections.deque[str]) -> None:
        self._link = link
        self._frames = frames

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._link!r})"

    def recv(self, timeout: Seconds) -> str | None:
        if self._frames:
            return self._frames.popleft()
        return self._link.recv(timeout)

    def send(self, text: str) -> None:
        self._link.send(text)

    def close(self) -> None:
        self._link.close()
