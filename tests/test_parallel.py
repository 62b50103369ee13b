"""Two reads at once: both run together, both end before the caller goes on, errors surface."""

from __future__ import annotations

import threading

import pytest

from skinmarkets._parallel import both


def test_both_results_come_back_in_order_and_the_two_calls_overlap() -> None:
    meeting = threading.Barrier(2, timeout=5)  # broken (an error) unless both wait at once

    def call(value: str) -> str:
        meeting.wait()
        return value

    assert both(lambda: call("first"), lambda: call("second")) == ("first", "second")


def test_an_error_of_the_second_is_raised_in_the_caller() -> None:
    def fail() -> str:
        raise LookupError("second failed")

    with pytest.raises(LookupError, match="second failed"):
        both(lambda: "first", fail)


def test_the_first_error_wins_and_only_after_the_second_ended() -> None:
    second_done = threading.Event()
    first_may_fail = threading.Event()

    def first() -> str:
        first_may_fail.wait(5)
        raise KeyError("first failed")

    def second() -> str:
        first_may_fail.set()
        second_done.set()
        raise ValueError("second failed")

    with pytest.raises(KeyError, match="first failed"):
        both(first, second)
    assert second_done.is_set()


def test_the_caller_waits_for_a_slow_second_call() -> None:
    release = threading.Event()
    finished: list[str] = []

    def second() -> str:
        release.wait(5)
        finished.append("second")
        return "late"

    def first() -> str:
        release.set()
        return "early"

    assert both(first, second) == ("early", "late")
    assert finished == ["second"]
