"""Transport: which failures are retried, how long it waits, and what each request carries."""

from __future__ import annotations

import email.utils
import json
from collections.abc import Iterator

import pytest
import requests
import responses

from skinmarkets import errors
from skinmarkets._http import (
    MAX_RETRY_AFTER_SECONDS,
    backoff_delay,
    parse_retry_after,
    should_retry,
)
from tests.support import FakeClock
from tests.transport_support import BASE_URL, EPOCH_NOW, make_transport

OK = json.dumps({"ok": True})


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as m:
        yield m


def _now() -> float:
    return EPOCH_NOW


def _http_date(epoch: float) -> str:
    return email.utils.formatdate(epoch, usegmt=True)


# --------------------------------------------------------------------------- parse_retry_after


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": " 1.5 "}, 1.5),
        ({"retry-after": "3"}, 3.0),
        ({"Retry-After": _http_date(EPOCH_NOW + 42)}, 42.0),
        ({"Retry-After": _http_date(EPOCH_NOW - 10)}, 0.0),
        ({"X-RateLimit-Reset": "30"}, 30.0),
        ({"X-RateLimit-Reset": str(int(EPOCH_NOW) + 12)}, 12.0),
        ({"X-RateLimit-Reset": str(int(EPOCH_NOW) * 1000 + 2500)}, 2.5),
        ({"X-RateLimit-Reset": str(int(EPOCH_NOW) - 100)}, 0.0),
        ({"Retry-After": "5", "X-RateLimit-Reset": "30"}, 5.0),
        ({"Retry-After": "soon", "X-RateLimit-Reset": "30"}, 30.0),
    ],
    ids=[
        "seconds",
        "fractional seconds",
        "lower-case name",
        "http date",
        "http date in the past",
        "reset in seconds",
        "reset as epoch seconds",
        "reset as epoch milliseconds",
        "reset epoch in the past",
        "retry-after wins",
        "unreadable retry-after falls back",
    ],
)
def test_parse_retry_after_reads_the_wait_in_seconds(
    headers: dict[str, str], seconds: float
) -> None:
    assert parse_retry_after(headers, now=_now) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "headers", [{}, {"Retry-After": "soon"}, {"Retry-After": "-5"}, {"X-RateLimit-Reset": "x"}]
)
def test_parse_retry_after_without_a_readable_wait_is_none(headers: dict[str, str]) -> None:
    assert parse_retry_after(headers, now=_now) is None


# --------------------------------------------------------------------------- backoff_delay


def test_backoff_with_jitter_0_is_half_of_a_doubling_delay() -> None:
    delays = [backoff_delay(n, jitter=lambda: 0.0) for n in range(4)]

    assert delays == [0.25, 0.5, 1.0, 2.0]


def test_backoff_with_jitter_near_1_is_nearly_the_whole_delay() -> None:
    delays = [backoff_delay(n, jitter=lambda: 0.999999) for n in range(4)]

    assert delays == pytest.approx([0.5, 1.0, 2.0, 4.0], rel=1e-5)
    assert all(d < full for d, full in zip(delays, [0.5, 1.0, 2.0, 4.0], strict=True))


@pytest.mark.parametrize("jitter", [0.0, 0.3, 0.7, 0.999999])
def test_backoff_jitter_spreads_the_delay_over_its_upper_half(jitter: float) -> None:
    full = 2.0  # attempt 2: 0.5 s doubled twice

    delay = backoff_delay(2, jitter=lambda: jitter)

    assert 0.5 * full <= delay < full


@pytest.mark.parametrize("attempt", [6, 10, 100, 5000])
def test_backoff_is_capped_at_8_seconds(attempt: int) -> None:
    assert backoff_delay(attempt, jitter=lambda: 0.999999) <= 8.0


def test_backoff_never_waits_less_than_retry_after() -> None:
    assert backoff_delay(0, jitter=lambda: 0.0, retry_after=3.0) == 3.0


# --------------------------------------------------------------------------- should_retry

SHOULD_RETRY = [
    # error, write, attempt, limit, expected
    (errors.ServiceUnavailable("down"), False, 0, 2, True),
    (errors.Timeout("slow"), False, 1, 2, True),
    (errors.NetworkError("reset"), False, 0, 2, True),
    (errors.RateLimited("slow down"), False, 0, 2, True),
    (errors.RateLimited("wait", retry_after=MAX_RETRY_AFTER_SECONDS), False, 0, 2, True),
    (errors.RateLimited("wait", retry_after=MAX_RETRY_AFTER_SECONDS + 1), False, 0, 2, False),
    (errors.ServiceUnavailable("down"), False, 2, 2, False),
    (errors.ServiceUnavailable("down"), False, 0, 0, False),
    (errors.ServiceUnavailable("down"), True, 0, 2, False),
    (errors.Timeout("slow"), True, 0, 2, False),
    (errors.APIError("no"), False, 0, 2, False),
    (errors.UnexpectedResponse("what"), False, 0, 2, False),
    (errors.OutcomeUnknown("maybe", custom_id=None), False, 0, 2, False),
    (errors.ConfigurationError("bad"), False, 0, 2, False),
]


@pytest.mark.parametrize(
    ("error", "write", "attempt", "limit", "expected"),
    SHOULD_RETRY,
    ids=[
        "5xx read",
        "timeout read, retries left",
        "network read",
        "429 without wait",
        "429 wait at the limit",
        "429 wait beyond the limit",
        "retries used up",
        "max_retries 0",
        "5xx write",
        "timeout write",
        "refusal",
        "unexpected answer",
        "outcome unknown",
        "configuration",
    ],
)
def test_should_retry_only_transient_reads_within_the_limit(
    error: errors.SkinMarketsError, write: bool, attempt: int, limit: int, expected: bool
) -> None:
    assert should_retry(error, write=write, attempt=attempt, limit=limit) is expected


# --------------------------------------------------------------------------- retries


@pytest.mark.parametrize("max_retries", [0, 1, 3])
def test_a_failing_read_is_sent_max_retries_plus_one_times(
    mock: responses.RequestsMock, max_retries: int
) -> None:
    mock.get(f"{BASE_URL}/x", status=503, body="")

    with pytest.raises(errors.ServiceUnavailable):
        make_transport(max_retries=max_retries).request("GET", "/x", operation="x")

    assert len(mock.calls) == max_retries + 1


def test_a_read_that_recovers_returns_the_answer(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/x", status=502, body="")
    mock.get(f"{BASE_URL}/x", status=200, body=OK)

    answer = make_transport(max_retries=2).request("GET", "/x", operation="x")

    assert answer.data == {"ok": True}
    assert len(mock.calls) == 2


def test_retries_of_a_read_sleep_a_doubling_backoff(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/x", body=requests.ReadTimeout("read timed out"))
    clock = FakeClock()

    with pytest.raises(errors.Timeout):
        make_transport(clock=clock, jitter=lambda: 0.0, max_retries=3).request(
            "GET", "/x", operation="x"
        )

    assert clock.sleeps == [0.25, 0.5, 1.0]


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": _http_date(EPOCH_NOW + 9)}, 9.0),
        ({"X-RateLimit-Reset": "4"}, 4.0),
        ({"X-RateLimit-Reset": str(int(EPOCH_NOW) + 6)}, 6.0),
        ({"X-RateLimit-Reset": str(int(EPOCH_NOW) * 1000 + 7000)}, 7.0),
    ],
    ids=["seconds", "http date", "reset seconds", "reset epoch", "reset epoch ms"],
)
def test_a_rate_limited_read_is_retried_after_the_wait_the_vendor_asked(
    mock: responses.RequestsMock, headers: dict[str, str], wait: float
) -> None:
    mock.get(f"{BASE_URL}/x", status=429, headers=headers, body="")
    mock.get(f"{BASE_URL}/x", status=200, body=OK)
    clock = FakeClock()

    answer = make_transport(clock=clock).request("GET", "/x", operation="x")

    assert answer.data == {"ok": True}
    assert len(clock.sleeps) == 1
    assert clock.sleeps[0] >= wait - 1e-6


def test_rate_limited_carries_the_parsed_retry_after(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/x", status=429, headers={"Retry-After": "12"}, body="")

    with pytest.raises(errors.RateLimited) as caught:
        make_transport(max_retries=0).request("GET", "/x", operation="x")

    assert (caught.value.retry_after, caught.value.http_status) == (12.0, 429)


def test_a_rate_limited_write_is_raised_at_once_without_retry(
    mock: responses.RequestsMock,
) -> None:
    mock.post(f"{BASE_URL}/buy", status=429, headers={"Retry-After": "1"}, body="")
    clock = FakeClock()

    with pytest.raises(errors.RateLimited):
        make_transport(clock=clock).request("POST", "/buy", operation="buy", write=True)

    assert (len(mock.calls), clock.sleeps) == (1, [])


def test_a_read_told_to_wait_beyond_the_maximum_is_not_retried(
    mock: responses.RequestsMock,
) -> None:
    too_long = str(int(MAX_RETRY_AFTER_SECONDS) + 1)
    mock.get(f"{BASE_URL}/x", status=429, headers={"Retry-After": too_long}, body="")
    clock = FakeClock()

    with pytest.raises(errors.RateLimited) as caught:
        make_transport(clock=clock).request("GET", "/x", operation="x")

    assert caught.value.retry_after == MAX_RETRY_AFTER_SECONDS + 1
    assert (len(mock.calls), clock.sleeps) == (1, [])


def test_a_refusal_on_a_read_is_not_retried(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/x", body=json.dumps({"ok": False, "error": "bad item"}))

    with pytest.raises(errors.APIError):
        make_transport(max_retries=3).request("GET", "/x", operation="x")

    assert len(mock.calls) == 1


# --------------------------------------------------------------------------- the request as sent


def test_the_configured_timeout_pair_is_sent(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/x", body=OK)

    make_transport(timeout=(3, 7.5)).request("GET", "/x", operation="x")

    assert mock.calls[0].request.req_kwargs["timeout"] == (3.0, 7.5)


def test_the_default_timeout_pair_is_sent(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/x", body=OK)

    make_transport().request("GET", "/x", operation="x")

    assert mock.calls[0].request.req_kwargs["timeout"] == (5.0, 20.0)


def test_tls_verification_is_on(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/x", body=OK)

    make_transport().request("GET", "/x", operation="x")

    assert mock.calls[0].request.req_kwargs["verify"] not in (False, None)


def test_requests_carry_a_skinmarkets_user_agent(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/x", body=OK)

    make_transport().request("GET", "/x", operation="x")

    assert mock.calls[0].request.headers["User-Agent"].startswith("skinmarkets/")


def test_an_injected_session_is_the_one_used(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE_URL}/x", body=OK)
    session = requests.Session()
    session.headers["X-Trace"] = "from-the-caller"

    make_transport(session=session).request("GET", "/x", operation="x")

    assert mock.calls[0].request.headers["X-Trace"] == "from-the-caller"


def test_query_params_form_and_json_body_are_sent(mock: responses.RequestsMock) -> None:
    mock.post(f"{BASE_URL}/buy", body=OK)

    make_transport().request(
        "POST", "/buy", operation="buy", write=True, params={"id": "42"}, form={"price": "400"}
    )

    request = mock.calls[0].request
    assert (request.params, request.body) == ({"id": "42"}, "price=400")
