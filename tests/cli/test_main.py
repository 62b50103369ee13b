"""The ``skinmarkets`` commands, run in-process against fake markets: output, JSON envelope,
exit codes, progress, Ctrl-C and ``--timeout``."""

from __future__ import annotations

import io
import json
import queue
import re
import threading
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from skinmarkets import Rates
from skinmarkets.cli import main
from skinmarkets.compare import ArbitrageResult
from skinmarkets.errors import AuthenticationError, ServiceUnavailable
from tests.cli.conftest import (
    REDLINE,
    Comparison,
    FakeMarket,
    Fakes,
    StepClock,
    Terminal,
    opportunity,
    quote,
    trade,
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def strict_json(text: str) -> Any:
    """Parse ``text`` refusing any JSON float, the way money must travel."""

    def no_float(value: str) -> Decimal:
        raise AssertionError(f"a JSON float in the output: {value}")

    return json.loads(text, parse_float=no_float)


def envelope(text: str) -> dict[str, Any]:
    """The one JSON object every command prints, checked for its three keys."""
    data = strict_json(text)
    assert set(data) == {"result", "failures", "skipped"}
    return data  # type: ignore[no-any-return]


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """An Event that held fake markets wait on; set at teardown so no thread outlives the test."""
    event = threading.Event()
    yield event
    event.set()


# vendors


def test_vendors_lists_every_registered_vendor_with_capabilities(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "vendors")
    assert code == 0
    for vendor in ("market_tm", "swapgg", "skinsback", "mannco"):
        assert vendor in out
    assert "PRICE LIST" in out


def test_vendors_json_is_the_envelope_with_rates_as_short_decimal_strings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "vendors", "--json")
    assert code == 0
    data = envelope(out)
    by_id = {row["vendor"]: row["capabilities"] for row in data["result"]}
    assert by_id["market_tm"]["price_list"] is True
    assert by_id["skinsback"]["requests_per_second"] == "8.33"  # 500 a minute, no float noise
    for capabilities in by_id.values():
        assert re.fullmatch(r"\d+(\.\d{1,2})?", capabilities["requests_per_second"])
    assert data["failures"] == {} and data["skipped"] == {}


# compare


def test_compare_on_the_sandbox_prints_a_table_and_notes(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    code, out, err = run(capsys, "compare", "--sandbox", REDLINE, "Nope")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith(REDLINE))
    assert line.split()[-5:] == ["market_tm", "12.030", "10.83", "3", "1m"]
    assert "not listed: Nope" in out
    assert "skipped mannco: no price list" in err
    assert "market_tm: done in" in err


def test_compare_asks_each_market_on_its_own_with_the_names_currency_and_rates(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    run(capsys, "compare", "--sandbox", REDLINE, "--currency", "eur")
    calls = fakes.asked("compare")
    assert sorted(name for call in calls for name in call["markets"]) == ["mannco", "market_tm"]
    assert all(len(call["markets"]) == 1 for call in calls)
    assert {tuple(call["names"]) for call in calls} == {(REDLINE,)}
    assert {call["currency"] for call in calls} == {"EUR"}
    assert all(isinstance(call["rates"], Rates) and "RUB" in call["rates"] for call in calls)


def test_compare_lists_cheapest_ask_first(capsys: pytest.CaptureFixture[str], fakes: Fakes) -> None:
    fakes.markets = {name: FakeMarket(name) for name in "abc"}
    fakes.comparison = Comparison(
        "USD",
        {
            REDLINE: {
                "a": quote("a", "13.00", None),
                "b": quote("b", None, "9"),
                "c": quote("c", "12", "9"),
            }
        },
    )
    _, out, _ = run(capsys, "compare", "--sandbox", REDLINE)
    markets = [line.split()[-5] for line in out.splitlines()[2:]]
    assert markets == ["c", "a", "b"]


def test_compare_json_is_the_envelope_with_exact_decimal_strings(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    code, out, _ = run(capsys, "compare", "--sandbox", "--json", REDLINE, "Nope")
    assert code == 0
    data = envelope(out)
    cell = data["result"]["rows"][REDLINE]["market_tm"]
    assert cell["lowest_ask"] == {"amount": "12.030", "currency": "USD"}  # as the vendor sent it
    assert cell["age"] == "95"
    assert data["result"]["not_listed"] == ["Nope"]
    assert data["result"]["currency"] == "USD"
    assert data["skipped"] == {"mannco": "no price list"}
    assert data["failures"] == {}


def test_compare_json_rounds_converted_prices_to_the_cent_and_keeps_the_others(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.markets = {"market_tm": FakeMarket("market_tm"), "swapgg": FakeMarket("swapgg")}
    fakes.currencies = {"swapgg": "EUR"}  # its prices were converted from EUR
    fakes.comparison = Comparison(
        "USD",
        {
            REDLINE: {
                "market_tm": quote("market_tm", "12.035", None),
                "swapgg": quote("swapgg", "14.02173913043478260869565217840", "12.3350"),
            }
        },
    )
    _, out, _ = run(capsys, "compare", "--sandbox", "--json", REDLINE)
    cells = envelope(out)["result"]["rows"][REDLINE]
    assert cells["swapgg"]["lowest_ask"]["amount"] == "14.02"
    assert cells["swapgg"]["highest_bid"]["amount"] == "12.34"  # half-even: 12.335 -> 12.34
    assert cells["market_tm"]["lowest_ask"]["amount"] == "12.035"  # never rounded: not converted


def test_compare_ages_are_never_negative(capsys: pytest.CaptureFixture[str], fakes: Fakes) -> None:
    fakes.comparison = Comparison(
        "USD", {REDLINE: {"market_tm": quote("market_tm", "1", "1", age=timedelta(seconds=-3))}}
    )
    _, out, _ = run(capsys, "compare", "--sandbox", "--json", REDLINE)
    assert envelope(out)["result"]["rows"][REDLINE]["market_tm"]["age"] == "0"


def test_compare_with_a_failed_market_still_prints_the_others_and_exits_1(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.markets["swapgg"] = FakeMarket("swapgg")
    fakes.comparison = Comparison(
        "USD",
        {REDLINE: {"market_tm": quote("market_tm", "12", "11")}},
        failures={"swapgg": "swapgg: service unavailable, try again later"},
    )
    code, out, err = run(capsys, "compare", "--sandbox", REDLINE)
    assert code == 1
    assert "market_tm" in out
    assert "failed swapgg: swapgg: service unavailable" in err


def test_a_missing_rate_is_a_configuration_error_naming_the_rates_table_and_exits_2(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, config_file: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("TM_API_KEY", "k")
    config_file.write_text(
        config_file.read_text() + '[[markets]]\nvendor = "swapgg"\napi_key_env = "TM_API_KEY"\n'
    )
    fakes.currencies = {"swapgg": "EUR"}  # and the config has no [rates] table
    fakes.comparison = Comparison(
        "USD",
        {REDLINE: {"tm": quote("tm", "12", "11"), "swapgg": quote("swapgg", "14", "12")}},
    )
    code, out, err = run(capsys, "compare", REDLINE)
    assert code == 2
    assert "tm" in out  # what arrived is still shown
    last = err.splitlines()[-1]
    assert last.startswith("error: no exchange rate for EUR: add EUR = ")
    assert "[rates]" in last and "skinmarkets.toml" in last
    assert "Rates(" not in err  # said in the file's terms, not Python's


def test_a_currency_the_sandbox_cannot_convert_to_says_which_it_can(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.currencies = {"market_tm": "USD"}
    code, out, err = run(capsys, "compare", "--sandbox", "--currency", "GBP", "--json", REDLINE)
    assert code == 2
    assert envelope(out)["failures"] == {"market_tm": "no exchange rate for GBP"}
    assert "--currency with one of them" in err.splitlines()[-1]


# the other commands' envelopes and exit codes


@pytest.mark.parametrize("command", ["compare", "arbitrage", "balance", "trades"])
def test_every_command_prints_one_envelope_naming_failed_and_skipped_markets(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, command: str
) -> None:
    fakes.markets["swapgg"] = FakeMarket("swapgg", error=ServiceUnavailable("swapgg: down"))
    fakes.comparison = Comparison(
        "USD",
        {REDLINE: {"market_tm": quote("market_tm", "12", "11")}},
        failures={"swapgg": "swapgg: down"},
        skipped={"mannco": "no price list"},
    )
    argv = [command, "--sandbox", "--json", *([REDLINE] if command == "compare" else [])]
    code, out, _ = run(capsys, *argv)
    data = envelope(out)
    assert code == 1
    assert data["failures"] == {"swapgg": "swapgg: down"}
    if command in ("compare", "arbitrage"):
        assert data["skipped"] == {"mannco": "no price list"}


def test_balance_json_result_is_keyed_by_market(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    code, out, _ = run(capsys, "balance", "--sandbox", "--json")
    assert code == 0
    result = envelope(out)["result"]
    assert list(result) == ["market_tm", "mannco"]  # the configured order
    assert result["market_tm"]["available"] == {"amount": "12.345", "currency": "USD"}


def test_balance_shows_every_market_and_reports_a_failed_one(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.markets["swapgg"] = FakeMarket("swapgg", error=ServiceUnavailable("swapgg: down"))
    code, out, err = run(capsys, "balance", "--sandbox")
    assert code == 1
    assert "12.345" in out
    assert "failed swapgg: swapgg: down" in err


def test_trades_lists_offers_with_their_codes(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.markets["market_tm"] = FakeMarket("market_tm", trades=[trade("market_tm", "T1")])
    code, out, _ = run(capsys, "trades", "--sandbox")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("market_tm"))
    assert row.split() == [
        "market_tm",
        "T1",
        "SENT",
        "INCOMING",
        "555",
        "2",
        "2024-05-01",
        "12:00",
        "QX7K",
    ]


def test_trades_json(capsys: pytest.CaptureFixture[str], fakes: Fakes) -> None:
    fakes.markets["market_tm"] = FakeMarket("market_tm", trades=[trade("market_tm", "T1")])
    _, out, _ = run(capsys, "trades", "--sandbox", "--json")
    (listed,) = envelope(out)["result"]["market_tm"]
    assert listed["status"] == "sent"
    assert listed["created_at"] == "2024-05-01T12:00:00+00:00"
    assert "raw" not in listed


def test_no_trades_says_so(capsys: pytest.CaptureFixture[str], fakes: Fakes) -> None:
    code, out, _ = run(capsys, "trades", "--sandbox")
    assert code == 0
    assert out == "no active trades on 2 markets\n"


def test_markets_are_asked_at_the_same_time(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    both = threading.Barrier(2, timeout=5)  # passes only when both calls are running at once

    class Meeting(FakeMarket):
        def balance(self) -> Any:
            both.wait()
            return super().balance()

    fakes.markets = {"a": Meeting("a"), "b": Meeting("b")}
    code, out, _ = run(capsys, "balance", "--sandbox")
    assert code == 0
    assert "a" in out and "b" in out


# arbitrage


@pytest.mark.parametrize("given", ["5%", "0.05", " 5 % ", "5.0%"])
def test_min_profit_takes_a_percentage_or_a_fraction(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, given: str
) -> None:
    run(capsys, "arbitrage", "--sandbox", "--min-profit", given)
    (call,) = fakes.asked("arbitrage")
    assert call["min_profit"] == Decimal("0.05")


@pytest.mark.parametrize("given", ["5", "-1%", "lots", "nan"])
def test_min_profit_refuses_what_it_cannot_read(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, given: str
) -> None:
    code, _, err = run(capsys, "arbitrage", "--sandbox", "--min-profit", given)
    assert code == 2
    assert "--min-profit" in err and len(err.splitlines()) == 1
    assert not fakes.asked("arbitrage")


def test_arbitrage_reads_the_merged_comparison_and_only_the_named_items(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    run(capsys, "arbitrage", "--sandbox", REDLINE)
    (call,) = fakes.asked("arbitrage")
    assert call["names"] == [REDLINE]
    assert set(call["comparison"].rows[REDLINE]) == {"market_tm"}


def test_arbitrage_shows_at_most_limit_and_says_how_many_more(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.opportunities = [opportunity(f"item {n}", "1.50", "0.15") for n in range(5)]
    code, out, err = run(capsys, "arbitrage", "--sandbox", "--limit", "2")
    assert code == 0
    assert "item 1" in out
    assert "item 2" not in out
    assert "15.0%" in out
    assert "3 more not shown" in err


def test_arbitrage_headers_name_the_buy_and_the_sell_price(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.opportunities = [opportunity("item", "1.50", "0.15")]
    _, out, _ = run(capsys, "arbitrage", "--sandbox")
    headers = re.split(r"\s{2,}", out.splitlines()[0])
    assert "BUY USD" in headers and "SELL USD" in headers
    assert len(headers) == len(set(headers))


def test_arbitrage_json_rounds_what_it_computed_and_names_failed_markets(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.markets["swapgg"] = FakeMarket("swapgg")
    fakes.comparison = Comparison(
        "USD", {}, failures={"swapgg": "swapgg: down"}, skipped={"mannco": "no price list"}
    )
    fakes.opportunities = [opportunity("item", "1.23456", "0.123456789")]
    code, out, _ = run(capsys, "arbitrage", "--sandbox", "--json")
    assert code == 1
    data = envelope(out)
    (row,) = data["result"]["opportunities"]
    assert row["profit"] == {"amount": "1.23", "currency": "USD"}
    assert row["profit_ratio"] == "0.1235"
    assert row["buy_price"] == {"amount": "10.00", "currency": "USD"}
    assert row["sell_kind"] == "bid" and row["sell_hold_days"] == 7
    assert data["result"]["total"] == 1
    assert data["failures"] == {"swapgg": "swapgg: down"}
    assert data["skipped"] == {"mannco": "no price list"}


def test_arbitrage_with_nothing_found_says_so(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    code, out, _ = run(capsys, "arbitrage", "--sandbox", "--min-profit", "5%")
    assert code == 0
    assert "no opportunity with at least 5.0% profit" in out


def test_arbitrage_with_every_market_down_says_nothing_is_known_and_exits_1(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.comparison = Comparison(
        "USD", {}, failures={"market_tm": "market_tm: prices: the site is down"}
    )
    fakes.opportunities = ArbitrageResult(
        currency="USD",
        opportunities=(),
        failures={"market_tm": "market_tm: prices: the site is down"},
        skipped={},
        not_listed=(),
        answered=(),
    )
    code, out, err = run(capsys, "arbitrage", "--sandbox")
    assert code == 1
    assert "no market answered" in out
    assert "the site is down" in err


# width


def _long_comparison() -> Comparison:
    name = "StatTrak™ M9 Bayonet | Crimson Web (Minimal Wear) with a very long name indeed"
    return Comparison("USD", {name: {"market_tm": quote("market_tm", "1234.567", "1000.00")}})


def test_tables_fit_the_width_in_columns_cutting_the_item_name(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    fakes.comparison = _long_comparison()
    _, out, _ = run(capsys, "compare", "--sandbox", *fakes.comparison.rows)
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 60
    assert lines[2].startswith("StatTrak™ M9 Bay") and "…" in lines[2]
    assert lines[2].split()[-5:] == ["market_tm", "1234.567", "1000.00", "3", "1m"]


def test_tables_keep_whole_names_when_stdout_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.comparison = _long_comparison()
    (name,) = fakes.comparison.rows
    _, out, _ = run(capsys, "compare", "--sandbox", name)
    assert out.splitlines()[2].startswith(name)


def test_arbitrage_fits_80_columns(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    fakes.opportunities = [
        opportunity("Desert Eagle | Printstream (Field-Tested)", "3.42", "0.096")
    ]
    _, out, _ = run(capsys, "arbitrage", "--sandbox")
    assert max(len(line) for line in out.splitlines()) <= 80


# progress, Ctrl-C and --timeout


def test_progress_on_a_terminal_redraws_a_status_line_naming_the_markets_awaited(
    fakes: Fakes, release: threading.Event
) -> None:
    fakes.markets = {"slow": FakeMarket("slow", hold=release), "fast": FakeMarket("fast")}
    clock = StepClock()
    out, err = io.StringIO(), Terminal()
    seen: list[str] = []
    real_get = queue.Queue.get

    def get(self: queue.Queue[Any], *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is threading.main_thread():
            seen.append(err.getvalue())
            if len(seen) == 3:
                release.set()  # the slow market answers after a few redraws
        return real_get(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(queue.Queue, "get", get)
        code = main(["balance", "--sandbox"], stdout=out, stderr=err, clock=clock)
    assert code == 0
    assert any("waiting for slow" in text for text in seen)
    final = err.getvalue()
    assert "\r" in final
    assert re.search(r"fast: done in \d+\.\d s\n", final)
    assert re.search(r"slow: done in \d+\.\d s\n", final)


def test_ctrl_c_prints_what_arrived_and_exits_130(
    capsys: pytest.CaptureFixture[str],
    fakes: Fakes,
    monkeypatch: pytest.MonkeyPatch,
    release: threading.Event,
) -> None:
    fakes.markets = {"stuck": FakeMarket("stuck", hold=release), "quick": FakeMarket("quick")}
    real_get = queue.Queue.get
    answered: list[object] = []

    def get(self: queue.Queue[Any], *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is threading.main_thread() and answered:
            raise KeyboardInterrupt  # as Ctrl-C lands in the main thread's wait
        item = real_get(self, *args, **kwargs)
        if threading.current_thread() is threading.main_thread():
            answered.append(item)
        return item

    monkeypatch.setattr(queue.Queue, "get", get)
    code, out, err = run(capsys, "balance", "--sandbox", "--json")
    assert code == 130
    data = envelope(out)
    assert list(data["result"]) == ["quick"]
    assert data["failures"] == {"stuck": "interrupted before it answered"}
    assert "interrupted" in err


def test_timeout_gives_up_on_a_silent_market_and_keeps_the_others(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, release: threading.Event
) -> None:
    fakes.markets = {"silent": FakeMarket("silent", hold=release), "quick": FakeMarket("quick")}
    code = main(["balance", "--sandbox", "--timeout", "2"], clock=StepClock(0.5))
    out, err = capsys.readouterr()
    assert code == 1
    assert "quick" in out
    assert "failed silent: no answer within 2.0 s (--timeout)" in err
    assert fakes.asked("sandbox.connect_all") == [{"timeout": 2.0, "deadline": 2.0}]


# errors


def test_an_unexpected_library_error_prints_error_and_exits_1(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.opportunities = ServiceUnavailable("swapgg: service unavailable")
    code, _, err = run(capsys, "arbitrage", "--sandbox")
    assert code == 1
    assert err.splitlines()[-1] == "error: swapgg: service unavailable"


def test_a_closed_stdout_ends_quietly_with_exit_0(fakes: Fakes) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    err = io.StringIO()
    code = main(["balance", "--sandbox", "--json"], stdout=ClosedPipe(), stderr=err)
    assert code == 0
    assert "Broken pipe" not in err.getvalue() and "error" not in err.getvalue()


def test_a_credential_in_the_environment_is_never_printed(
    capsys: pytest.CaptureFixture[str],
    fakes: Fakes,
    config_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TM_API_KEY", "s3cr3t-key-value")
    broken = FakeMarket("tm", error=AuthenticationError("tm: the API key was refused"))
    monkeypatch.setattr("skinmarkets.config.connect", lambda vendor, **options: broken)
    for argv in (["balance"], ["trades"], ["balance", "--json"], ["compare", REDLINE]):
        _, out, err = run(capsys, *argv)
        assert "s3cr3t" not in out + err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "compare" in capsys.readouterr().out


def test_amounts_in_json_are_never_json_numbers(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.markets["market_tm"] = FakeMarket(
        "market_tm", balance=None, trades=[trade("market_tm", "T")]
    )
    for argv in (["balance"], ["trades"], ["compare", REDLINE], ["arbitrage"]):
        _, out, _ = run(capsys, *argv, "--sandbox", "--json")
        envelope(out)  # strict: a float anywhere fails
