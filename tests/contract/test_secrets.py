"""A credential never shows: not in reprs, errors, tracebacks, nor any DEBUG log line."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator

import pytest
import requests
import requests.auth

from tests.contract.failures import FAILURE_IDS, FAILURES, Failure, raised
from tests.contract.harness import VendorHarness
from tests.contract.inspection import reachable
from tests.contract.loopback import serving

#: Another account's key, handed to a call that puts it in the query string.
OTHER_KEY = "CONTRACT-someone-elses-key-5c1d9e"


def _chain(error: BaseException) -> Iterator[BaseException]:
    """``error`` and every exception chained to it by ``__cause__`` or ``__context__``."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)


def _error_texts(error: BaseException) -> list[str]:
    texts = ["".join(traceback.format_exception(error))]
    for link in _chain(error):
        texts.extend([str(link), repr(link), *(repr(arg) for arg in link.args)])
    return texts


def _debug_everywhere(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("urllib3", "requests", "skinmarkets"):
        caplog.set_level(logging.DEBUG, logger=name)


def _lines_showing(records: list[logging.LogRecord], secret: str) -> list[str]:
    return [
        f"{r.name}: {r.getMessage()} args={r.args!r}"
        for r in records
        if secret in r.getMessage() or secret in str(r.args)
    ]


# ---------------------------------------------------------------------- objects


def test_market_repr_and_str_hide_the_credential(h: VendorHarness) -> None:
    market = h.connect()
    for secret in h.secrets:
        assert secret not in repr(market)
        assert secret not in str(market)


def test_no_object_reachable_from_the_market_shows_the_credential(h: VendorHarness) -> None:
    market = h.connect()
    with h.mock() as mock:
        h.add_balance(mock)
        market.balance()
    objects = [o for o in reachable(market) if not isinstance(o, str | bytes)]
    # The walk must reach the plumbing that handles the credential, or it proves nothing.
    assert any(isinstance(o, requests.auth.AuthBase) for o in objects)
    assert any(isinstance(o, requests.Session) for o in objects)
    for secret in h.secrets:
        showing = [type(o).__name__ for o in objects if secret in repr(o) or secret in str(o)]
        assert showing == []


def test_credential_is_held_only_inside_secret_objects(h: VendorHarness) -> None:
    market = h.connect()
    strings = [o for o in reachable(market) if isinstance(o, str | bytes)]
    assert strings
    for secret in h.secrets:
        assert [s for s in strings if secret in str(s)] == []


# ---------------------------------------------------------------------- errors


@pytest.mark.parametrize("failure", FAILURES, ids=FAILURE_IDS)
def test_errors_and_their_tracebacks_never_show_the_credential(
    h: VendorHarness, failure: Failure
) -> None:
    texts = _error_texts(failure.provoke(h))
    for secret in h.secrets:
        assert [t for t in texts if secret in t] == []


@pytest.mark.parametrize("failure", FAILURES, ids=FAILURE_IDS)
def test_failing_calls_log_no_credential_at_debug(
    h: VendorHarness, failure: Failure, caplog: pytest.LogCaptureFixture
) -> None:
    _debug_everywhere(caplog)
    failure.provoke(h)
    for secret in h.secrets:
        assert _lines_showing(caplog.records, secret) == []


def test_credential_echoed_by_the_vendor_is_scrubbed_from_the_error(h: VendorHarness) -> None:
    market = h.connect()
    (secret, *_) = h.secrets
    with h.mock() as mock:
        refusal = h.add_refusal(mock, f"invalid key {secret}")
        error = raised(lambda: refusal.act(market))
    assert [t for t in _error_texts(error) if secret in t] == []


# ---------------------------------------------------------------------- logs over real HTTP


def test_credential_reaches_the_server_but_no_debug_log_line(
    h: VendorHarness, caplog: pytest.LogCaptureFixture
) -> None:
    _debug_everywhere(caplog)
    with serving(h.loopback_answer) as server:
        market = h.connect(base_url=server.base_url)
        market.balance()
    assert any(h.credential_in(seen) for seen in server.seen)
    assert any(r.name.startswith("urllib3") for r in caplog.records)
    assert any(r.name.startswith("skinmarkets") for r in caplog.records)
    for secret in h.secrets:
        assert _lines_showing(caplog.records, secret) == []


def _send_other_key(h: VendorHarness, caplog: pytest.LogCaptureFixture) -> None:
    _debug_everywhere(caplog)
    with serving(h.loopback_answer) as server:
        market = h.connect(base_url=server.base_url)
        try:
            h.send_secret_in_query(market, OTHER_KEY)
        except NotImplementedError:
            pytest.skip(f"{h.vendor} has no call that sends a secret in the query")
    assert any(OTHER_KEY in seen.target for seen in server.seen), "the key was not sent"


def test_secret_in_a_query_is_redacted_in_skinmarkets_debug_lines(
    h: VendorHarness, caplog: pytest.LogCaptureFixture
) -> None:
    _send_other_key(h, caplog)
    ours = [r for r in caplog.records if r.name.startswith("skinmarkets")]
    assert ours
    assert _lines_showing(ours, OTHER_KEY) == []


def test_secret_in_a_query_is_redacted_in_urllib3_debug_lines(
    h: VendorHarness, caplog: pytest.LogCaptureFixture
) -> None:
    _send_other_key(h, caplog)
    theirs = [r for r in caplog.records if r.name.startswith("urllib3")]
    assert theirs
    assert _lines_showing(theirs, OTHER_KEY) == []
