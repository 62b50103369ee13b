"""A market's session reads the proxy and CA-bundle variables once, at connect; never ~/.netrc."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import responses

from tests.transport_support import BASE_URL, make_transport

HOST = BASE_URL.split("://", 1)[1].split("/", 1)[0]


@pytest.fixture(autouse=True)
def _no_proxy_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)


def test_the_proxy_variables_are_read_at_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    session = make_transport().session
    assert session.trust_env is False  # not scanned again at every request
    assert session.proxies.get("https") == "http://proxy.invalid:3128"


def test_a_later_change_applies_to_markets_connected_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = make_transport().session
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    assert "https" not in before.proxies
    assert make_transport().session.proxies.get("https") == "http://proxy.invalid:3128"


def test_no_proxy_naming_the_vendor_host_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", HOST)
    assert "https" not in make_transport().session.proxies


def test_the_ca_bundle_variable_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    assert make_transport().session.verify == str(bundle)


@responses.activate
def test_netrc_credentials_are_never_sent(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    netrc = tmp_path / ".netrc"
    netrc.write_text(f"machine {HOST} login someone password netrc-password\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("HOME", str(tmp_path))
    responses.get(f"{BASE_URL}/x", json={"ok": True})
    transport = make_transport()
    transport.auth = None  # a vendor without an auth header: requests would fall back to netrc
    transport.request("GET", "/x", operation="read")
    sent = responses.calls[0].request
    assert "Authorization" not in sent.headers
    # and requests itself would have sent it, so the test can fail
    assert requests.utils.get_netrc_auth(f"{BASE_URL}/x") == ("someone", "netrc-password")
