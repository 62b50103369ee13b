"""The faults a test can inject (``Sandbox.fail_next``): when each strikes, what the client sees.

A fault that strikes **before** the vendor acts changes nothing on the account (the vendor never
saw the request); one that strikes **after** leaves the operation done and spoils only the
answer. The table is the whole story: the server (``_server.Server.dispatch``) looks the fault
up, lets the emulation act when the row says "after", and sends what the row makes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Literal, Protocol

import attrs

from skinmarkets._seconds import Seconds
from skinmarkets.sandbox._replies import Reply, html_reply

__all__ = ["FAULTS", "Fault"]

OVERLOADED_HTML = "<html><body><h1>Server overloaded, try later</h1></body></html>"


class _Emulation(Protocol):
    def rate_limited(self) -> Reply: ...


@attrs.frozen
class Fault:
    """One injectable fault: when it ``strikes`` and what the client ``sees``.

    ``reply(emulation, done, delay)``: the reply sent (None: the connection is dropped);
    ``done`` is the emulation's own reply when the fault strikes after it acted, else None;
    ``delay`` is the server's ``timeout_delay``.
    """

    strikes: Literal["before", "after"]
    sees: str
    reply: Callable[[_Emulation, Reply | None, Seconds], Reply | None]


def _dropped(_emulation: _Emulation, _done: Reply | None, delay: Seconds) -> None:
    time.sleep(delay)  # held past the client's read timeout, then closed unanswered
    return None


def _cut(_emulation: _Emulation, done: Reply | None, _delay: Seconds) -> Reply:
    assert done is not None  # strikes after: the emulation's reply exists
    return Reply(200, done.body[: max(1, len(done.body) // 2)], done.content_type)


FAULTS: Mapping[str, Fault] = MappingProxyType(
    {
        "rate_limit": Fault(
            "before", "the vendor's own rate-limit answer", lambda e, _d, _t: e.rate_limited()
        ),
        "http_502": Fault(
            "before", "HTTP 502 with nginx's HTML page", lambda _e, _d, _t: html_reply()
        ),
        "html": Fault(
            "before",
            "HTTP 200 with an HTML page instead of JSON",
            lambda _e, _d, _t: html_reply(OVERLOADED_HTML, 200),
        ),
        "timeout": Fault(
            "after",
            "no answer: the connection is held, then dropped (the action happened)",
            _dropped,
        ),
        "garbled": Fault("after", "HTTP 200 with the JSON cut in half (the action happened)", _cut),
    }
)
