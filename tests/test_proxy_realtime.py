"""``proxy=`` reaches the realtime sockets too: websocket-client through an HTTP CONNECT tunnel
or SOCKS (swap.gg's socket.io included), and a proxy a socket cannot use fails at
``events()`` instead of connecting directly (the sandbox's sockets, stand-in proxies)."""

from __future__ import annotations

import time

import pytest

from skinmarkets import errors
from skinmarkets._http import Proxy
from skinmarkets._realtime import socket_proxy_options, websocket
from skinmarkets.events import EventStream, StreamStatus
from skinmarkets.sandbox import Sandbox
from tests.proxy_support import (  # the fixtures, imported so pytest finds them
    PASSWORD,
    USER,
    ForwardProxy,
    SocksProxy,
    basic,
    forward,
    no_proxy_variables,
    sandbox,
    socks,
)

__all__ = ["forward", "no_proxy_variables", "sandbox", "socks"]  # fixtures, found by pytest

pytest.importorskip("websocket")
pytest.importorskip("socketio")
pytestmark = pytest.mark.integration

VENDORS = ["market_tm", "swapgg", "skinsback", "mannco"]
#: Sockets per vendor: market_tm opens two (the price feed and wsn).
SOCKETS = {"market_tm": 2, "swapgg": 1, "skinsback": 1, "mannco": 1}


@pytest.fixture(autouse=True)
def _no_proxy_variables(no_proxy_variables: None) -> None:
    """No proxy variable of the machine running the tests applies."""


def _connected(stream: EventStream, count: int, within: float = 15.0) -> list[StreamStatus]:
    """The first ``count`` "connected" statuses (fails after ``within`` seconds)."""
    found: list[StreamStatus] = []
    ends = time.monotonic() + within
    while len(found) < count and time.monotonic() < ends:
        event = stream.get(timeout=0.5)
        if isinstance(event, StreamStatus) and event.state == "connected":
            found.append(event)
    assert len(found) == count, f"connected {len(found)} of {count} sockets within {within} s"
    return found


def _sockets_host(sandbox: Sandbox, vendor: str) -> str:
    return sandbox.ws_url(vendor).split("://", 1)[1].split("/", 1)[0]


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_sockets_go_through_an_http_proxy_tunnel(
    vendor: str, sandbox: Sandbox, forward: ForwardProxy
) -> None:
    market = sandbox.connect(vendor, proxy=forward.url())

    with market.events() as stream:  # type: ignore[attr-defined]
        _connected(stream, SOCKETS[vendor])

    tunnels = [seen for seen in forward.seen if seen.method == "CONNECT"]
    assert [t.target for t in tunnels] == [_sockets_host(sandbox, vendor)] * SOCKETS[vendor]
    assert {t.proxy_authorization for t in tunnels} == {basic(USER, PASSWORD)}


@pytest.mark.parametrize("vendor", ["swapgg", "skinsback"])
def test_the_sockets_go_through_a_socks_proxy(
    vendor: str, sandbox: Sandbox, socks: SocksProxy
) -> None:
    market = sandbox.connect(vendor, proxy=socks.url(scheme="socks5"))

    with market.events() as stream:  # type: ignore[attr-defined]
        _connected(stream, 1)

    assert _sockets_host(sandbox, vendor) in [seen.target for seen in socks.seen]
    assert {seen.proxy_authorization for seen in socks.seen} == {f"{USER}:{PASSWORD}"}


@pytest.mark.parametrize("vendor", VENDORS)
def test_an_https_proxy_is_refused_at_events_not_bypassed(vendor: str, sandbox: Sandbox) -> None:
    market = sandbox.connect(vendor, proxy=f"https://{USER}:{PASSWORD}@127.0.0.1:9")

    with pytest.raises(errors.ConfigurationError, match="cannot go through the proxy") as e:
        market.events()  # type: ignore[attr-defined]

    assert "https://***@127.0.0.1:9" in str(e.value)
    assert PASSWORD not in str(e.value)


@pytest.mark.parametrize("vendor", VENDORS)
def test_socks_without_python_socks_names_the_extra_at_events(
    vendor: str, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    market = sandbox.connect(vendor, proxy="socks5h://127.0.0.1:9")
    monkeypatch.setattr(websocket, "has_module", lambda name: name != "python_socks")

    with pytest.raises(errors.ConfigurationError, match=r"pip install 'skinmarkets\[socks\]'"):
        market.events()  # type: ignore[attr-defined]


def test_credentials_the_proxy_refuses_end_the_stream_with_an_authentication_error(
    sandbox: Sandbox, forward: ForwardProxy
) -> None:
    market = sandbox.connect("skinsback", proxy=forward.url(password="wrong-password"))

    with market.events() as stream, pytest.raises(errors.AuthenticationError) as e:  # type: ignore[attr-defined]
        ends = time.monotonic() + 10
        while time.monotonic() < ends:
            stream.get(timeout=0.5)

    assert "refused its credentials" in str(e.value)
    assert "wrong-password" not in str(e.value)


def test_the_socket_options_of_an_http_proxy() -> None:
    given = Proxy.from_connect("mannco", f"http://{USER}:p%40ss@proxy.example:3128")

    options = socket_proxy_options("mannco", given, timeout=4.0)

    assert options["http_proxy_host"] == "proxy.example"
    assert options["http_proxy_port"] == 3128
    assert options["http_proxy_auth"] == (USER, "p@ss")
    assert options["proxy_type"] == "http"
    assert options["http_proxy_timeout"] == 4.0
    # no_proxy from the environment must not apply: the list names no real host
    assert options["http_no_proxy"] and all(" " in host for host in options["http_no_proxy"])


def test_no_proxy_means_no_socket_options() -> None:
    assert socket_proxy_options("mannco", None) == {}
