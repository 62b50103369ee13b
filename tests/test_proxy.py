"""``proxy=``: every REST request of a market goes through it, its password stays a secret, and
a bad proxy URL is a ``ConfigurationError`` at connect (stand-in proxies on 127.0.0.1)."""

from __future__ import annotations

import logging

import pytest
import requests

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets._http import Proxy, TransportOptions, proxy
from skinmarkets._secret import Secret
from skinmarkets.sandbox import Sandbox
from tests.proxy_support import (  # the fixtures, imported so pytest finds them
    PASSWORD,
    USER,
    ForwardProxy,
    SocksProxy,
    basic,
    closed_port,
    forward,
    no_proxy_variables,
    sandbox,
    socks,
)

__all__ = ["forward", "no_proxy_variables", "sandbox", "socks"]  # fixtures, found by pytest
from tests.transport_support import make_transport

pytestmark = pytest.mark.integration

VENDORS = ["market_tm", "swapgg", "skinsback", "mannco"]


@pytest.fixture(autouse=True)
def _no_proxy_variables(no_proxy_variables: None) -> None:
    """No proxy variable of the machine running the tests applies."""


def _options(value: object, **others: object) -> TransportOptions:
    return TransportOptions.from_connect(
        "swapgg", default_base_url="https://market-api.swap.gg", proxy=value, **others
    )


# ---------------------------------------------------------------------- REST through the proxy


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_rest_request_goes_through_the_proxy_with_its_credentials(
    vendor: str, sandbox: Sandbox, forward: ForwardProxy
) -> None:
    market = sandbox.connect(vendor, proxy=forward.url())

    market.balance()

    assert forward.seen, "nothing went through the proxy"
    assert all(seen.target.startswith(sandbox.url) for seen in forward.seen)
    assert {seen.proxy_authorization for seen in forward.seen} == {basic(USER, PASSWORD)}


def test_a_percent_encoded_password_is_sent_decoded(sandbox: Sandbox) -> None:
    with ForwardProxy(credentials=("bot", "p@ss:w/rd")) as stand_in:
        market = sandbox.connect("swapgg", proxy=stand_in.url(password="p%40ss%3Aw%2Frd"))
        market.balance()
    assert stand_in.seen[-1].proxy_authorization == basic("bot", "p@ss:w/rd")


@pytest.mark.parametrize("scheme", ["socks5", "socks5h"])
def test_rest_requests_go_through_a_socks_proxy(
    scheme: str, sandbox: Sandbox, socks: SocksProxy
) -> None:
    market = sandbox.connect("market_tm", proxy=socks.url(scheme=scheme))

    market.balance()

    host_and_port = sandbox.url.split("://", 1)[1]
    assert [seen.target for seen in socks.seen] == [host_and_port] * len(socks.seen) != []
    assert socks.seen[0].proxy_authorization == f"{USER}:{PASSWORD}"


def test_the_explicit_proxy_wins_over_the_environment(
    sandbox: Sandbox, forward: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    with closed_port() as port:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
        monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
        market = sandbox.connect("swapgg", proxy=forward.url())
        market.balance()
    assert forward.seen


def test_without_the_option_the_environment_proxy_is_used(
    sandbox: Sandbox, forward: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", forward.url())
    market = sandbox.connect("swapgg")
    market.balance()
    assert forward.seen


# ---------------------------------------------------------------------- failures


def test_credentials_the_proxy_refuses_are_an_authentication_error_naming_the_proxy(
    sandbox: Sandbox, forward: ForwardProxy
) -> None:
    market = sandbox.connect("swapgg", proxy=forward.url(password="wrong-password"))

    with pytest.raises(errors.AuthenticationError, match=r"proxy http://\*\*\*@127\.0\.0\.1") as e:
        market.balance()

    assert e.value.http_status == 407
    assert "wrong-password" not in str(e.value)


def test_a_refused_connect_tunnel_is_an_authentication_error(forward: ForwardProxy) -> None:
    # An https:// vendor goes through a CONNECT tunnel; the 407 comes before any TLS.
    market = sm.connect(
        "swapgg",
        api_key="k" * 20,
        base_url="https://127.0.0.1:9",
        proxy=forward.url(password="wrong-password"),
    )
    with pytest.raises(errors.AuthenticationError, match="refused its credentials"):
        market.balance()
    assert forward.seen[0].method == "CONNECT"


def test_socks_credentials_the_proxy_refuses_are_an_authentication_error(
    sandbox: Sandbox, socks: SocksProxy
) -> None:
    market = sandbox.connect("swapgg", proxy=socks.url(password="wrong-password"))
    with pytest.raises(errors.AuthenticationError, match="refused its credentials"):
        market.balance()


def test_a_write_through_a_proxy_that_is_down_was_never_sent() -> None:
    with closed_port() as port:
        transport = make_transport(
            base_url="http://127.0.0.1:9", proxy=f"http://{USER}:{PASSWORD}@127.0.0.1:{port}"
        )
        with pytest.raises(errors.NetworkError, match="nothing was sent") as e:
            # not OutcomeUnknown: the proxy was never reached, so neither was the vendor
            transport.request("POST", "/buy", operation="buy", write=True, json_body={"id": 1})
    assert "through the proxy http://***@127.0.0.1" in str(e.value)
    assert PASSWORD not in str(e.value)


# ---------------------------------------------------------------------- the password is a secret


def test_the_password_never_reaches_logs_errors_or_reprs(
    sandbox: Sandbox, forward: ForwardProxy, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    market = sandbox.connect("swapgg", proxy=forward.url(), max_retries=0)
    market.balance()
    with closed_port() as port:
        down = sandbox.connect(
            "swapgg", proxy=f"http://{USER}:{PASSWORD}@127.0.0.1:{port}", max_retries=0
        )
        with pytest.raises(errors.NetworkError) as e:
            down.balance()
    transport = market.client.transport  # type: ignore[attr-defined]
    shown = [
        caplog.text,
        str(e.value),
        repr(e.value),
        repr(market),
        repr(transport),
        repr(transport.options),
        repr(transport.options.proxy),
    ]
    assert forward.seen and caplog.records
    for text in shown:
        assert PASSWORD not in text
        assert basic(USER, PASSWORD).split()[1] not in text
    assert "http://***@127.0.0.1" in repr(transport.options.proxy)


def test_a_bad_proxy_url_never_shows_its_password() -> None:
    with pytest.raises(errors.ConfigurationError) as e:
        _options(f"ftp://{USER}:{PASSWORD}@proxy.example:21")
    assert PASSWORD not in str(e.value)
    assert "ftp://***@proxy.example:21" in str(e.value)


def test_a_proxy_without_a_scheme_never_shows_its_password() -> None:
    with pytest.raises(errors.ConfigurationError, match="must start with") as e:
        _options(f"{USER}:{PASSWORD}@proxy.example:3128")
    assert PASSWORD not in str(e.value)


def test_a_proxy_held_as_a_secret_is_accepted() -> None:
    options = _options(Secret("http://proxy:3128"))
    assert options.proxy is not None and options.proxy.host == "proxy"


# ---------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("url", "scheme", "host", "port"),
    [
        ("http://proxy.example:3128", "http", "proxy.example", 3128),
        ("http://proxy.example", "http", "proxy.example", 80),
        ("HTTPS://proxy.example/", "https", "proxy.example", 443),
        ("socks5://127.0.0.1", "socks5", "127.0.0.1", 1080),
        ("socks5h://u:p@[::1]:9050", "socks5h", "::1", 9050),
    ],
)
def test_a_good_proxy_url_is_read(url: str, scheme: str, host: str, port: int) -> None:
    read = _options(url).proxy
    assert read is not None
    assert (read.scheme, read.host, read.port) == (scheme, host, port)
    assert read.url.startswith(f"{scheme}://")


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://proxy.example:21", "not one of http://, https://, socks5:// or socks5h://"),
        ("socks4://proxy.example:1080", "not one of http://, https://, socks5:// or socks5h://"),
        ("proxy.example:3128", "must start with http://, https://, socks5:// or socks5h://"),
        ("http://:3128", "names no host"),
        ("http://proxy.example:port", "bad host or port"),
        ("http://proxy.example:70000", "bad host or port"),
        ("http://proxy.example:0", "port 0"),
        ("http://proxy.example:3128/path", "nothing after the port"),
        ("http://proxy.example:3128?x=1", "nothing after the port"),
        ("http://proxy example:3128", "must not contain spaces"),
    ],
)
def test_a_bad_proxy_url_is_a_configuration_error_naming_the_problem(
    url: str, problem: str
) -> None:
    with pytest.raises(errors.ConfigurationError, match="swapgg: proxy") as e:
        _options(url)
    assert problem in str(e.value)


@pytest.mark.parametrize("value", [3128, b"http://proxy:3128", ["http://proxy:3128"]])
def test_a_proxy_that_is_not_a_string_is_refused(value: object) -> None:
    with pytest.raises(errors.ConfigurationError, match="must be a URL string"):
        _options(value)


def test_a_bad_proxy_fails_at_connect_before_anything_is_sent(forward: ForwardProxy) -> None:
    with pytest.raises(errors.ConfigurationError, match="mannco: proxy"):
        sm.connect("mannco", api_key="k" * 20, proxy="gopher://proxy:70")
    assert forward.seen == []


def test_socks_without_pysocks_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(proxy, "has_module", lambda name: name != "socks")
    with pytest.raises(errors.ConfigurationError, match=r"pip install 'skinmarkets\[socks\]'"):
        _options("socks5h://proxy.example:1080")


def test_proxy_and_an_injected_session_together_are_refused() -> None:
    with pytest.raises(errors.ConfigurationError, match=r"session\.proxies"):
        _options("http://proxy.example:3128", session=requests.Session())


def test_an_injected_session_is_used_as_it_is(sandbox: Sandbox, forward: ForwardProxy) -> None:
    session = requests.Session()
    session.proxies = {"http": forward.url()}
    market = sm.connect(
        "swapgg",
        **sandbox.credentials("swapgg"),
        base_url=sandbox.base_url("swapgg"),
        session=session,
        store="memory",
    )
    market.balance()
    assert forward.seen


def test_proxy_is_a_connect_option_of_every_vendor(forward: ForwardProxy) -> None:
    keys = {
        "market_tm": {"api_key": "k" * 20},
        "swapgg": {"api_key": "k" * 20},
        "mannco": {"api_key": "k" * 20},
        "skinsback": {"client_id": "1234", "client_secret": "s" * 20},
    }
    for vendor, credentials in keys.items():
        market = sm.connect(vendor, **credentials, proxy=forward.url())
        options = market.client.transport.options  # type: ignore[attr-defined]
        assert options.proxy == Proxy.from_connect(vendor, forward.url())
