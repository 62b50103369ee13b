"""``connect`` refuses bad vendors and options by name, before sending anything."""

from __future__ import annotations

import pytest
import requests

import skinmarkets as sm
from skinmarkets import errors, registry
from tests.contract.harness import VendorHarness

BLANKS = ["", "   "]


def _refusal(
    h: VendorHarness, vendor: str | None = None, **options: object
) -> errors.SkinMarketsError:
    """The ConfigurationError of ``sm.connect``, checking that nothing was sent."""
    with h.mock() as mock:
        with pytest.raises(errors.ConfigurationError) as caught:
            sm.connect(vendor or h.vendor, **options)
        assert len(mock.calls) == 0
    error = caught.value
    for secret in h.secrets:
        assert secret not in str(error)
    return error


def _options(h: VendorHarness) -> dict[str, object]:
    return {"base_url": h.base_url, "max_retries": 0, **h.credentials, **h.options}


def test_unknown_vendor_is_refused_naming_the_known_ones(h: VendorHarness) -> None:
    error = _refusal(h, "no_such_market", **_options(h))
    assert "no_such_market" in str(error)
    known = registry.vendors()
    assert h.vendor in known
    assert all(vendor in str(error) for vendor in known)


@pytest.mark.parametrize("blank", BLANKS, ids=["empty", "spaces"])
def test_blank_credential_is_refused_naming_it(h: VendorHarness, blank: str) -> None:
    for option in h.credentials:
        error = _refusal(h, **{**_options(h), option: blank})
        assert option in str(error)


def test_missing_credential_is_refused_naming_it(h: VendorHarness) -> None:
    for option in h.credentials:
        options = _options(h)
        del options[option]
        error = _refusal(h, **options)
        assert option in str(error)


def test_credential_given_as_none_is_refused_naming_it(h: VendorHarness) -> None:
    for option in h.credentials:
        error = _refusal(h, **{**_options(h), option: None})
        assert option in str(error)


def test_misspelt_credential_option_is_refused_naming_it(h: VendorHarness) -> None:
    for option, value in h.credentials.items():
        options = _options(h)
        del options[option]
        misspelt = option.replace("_", "") + "s"
        error = _refusal(h, **{**options, misspelt: value})
        assert misspelt in str(error)


@pytest.mark.parametrize("misspelt", ["max_retry", "baseurl", "time_out"])
def test_misspelt_shared_option_is_refused_naming_it(h: VendorHarness, misspelt: str) -> None:
    error = _refusal(h, **{**_options(h), misspelt: 1})
    assert misspelt in str(error)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("base_url", "vendor.contract.test"),
        ("timeout", 0),
        ("timeout", -1),
        ("max_retries", -1),
        ("session", "not a session"),
    ],
)
def test_bad_shared_option_is_refused_naming_it(
    h: VendorHarness, option: str, value: object
) -> None:
    error = _refusal(h, **{**_options(h), option: value})
    assert option in str(error)


def test_shared_options_are_accepted_without_sending_anything(h: VendorHarness) -> None:
    with h.mock() as mock, requests.Session() as session:
        market = h.connect(timeout=(3, 10), max_retries=1, session=session)
        assert len(mock.calls) == 0
    assert isinstance(market, sm.Marketplace)
    assert market.vendor == h.vendor
