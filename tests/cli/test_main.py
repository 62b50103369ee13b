"""The ``skinmarkets`` command line, run in-process against fake markets."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from skinmarkets.cli import main
from skinmarkets.compare import ArbitrageResult
from skinmarkets.errors import AuthenticationError, ConfigurationError, ServiceUnavailable
from tests.cli.conftest import (
    REDLINE,
    Comparison,
    FakeMarket,
    Fakes,
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


# vendors


def test_vendors_lists_every_registered_vendor_with_capabilities(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "vendors")
    assert code == 0
    for vendor in ("market_tm", "swapgg", "skinsback", "mannco"):
        assert vendor in out
    assert "PRICE LIST" in out


def test_vendors_json_holds_capabilities_without_floats(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "vendors", "--json")
    assert code == 0
    by_id = {row["vendor"]: row["capabilities"] for row in strict_json(out)}
    assert by_id["market_tm"]["price_list"] is True
    assert Decimal(by_id["market_tm"]["requests_per_second"]) > 0


# compare


def test_compare_on_the_sandbox_prints_a_table_and_notes(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.comparison = Comparison(
        "USD",
        {REDLINE: {"market_tm": quote("market_tm", "12.030", "10.83")}},
        skipped={"mannco": "no price list"},
        not_listed=("Nope",),
    )
    code, out, err = run(capsys, "compare", "--sandbox", REDLINE, "Nope")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith(REDLINE))
    assert line.split()[-5:] == ["market_tm", "12.030", "10.83", "3", "1m"]
    assert "not listed: Nope" in out
    assert "skipped mannco: no price list" in err
    assert "fetching prices from 1 market…" in err
    assert ("sandbox", 0.0) in fakes.calls


def test_compare_passes_names_currency_and_rates(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    run(capsys, "compare", "--sandbox", REDLINE, "--currency", "eur")
    ((_, call),) = [c for c in fakes.calls if c[0] == "compare"]
    assert call["names"] == [REDLINE]
    assert call["currency"] == "EUR"
    assert call["rates"] is not None
    assert call["markets"] is fakes.markets


def test_compare_lists_cheapest_ask_first(capsys: pytest.CaptureFixture[str], fakes: Fakes) -> None:
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


def test_compare_json_keeps_every_amount_an_exact_decimal_string(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.comparison = Comparison(
        "USD",
        {REDLINE: {"market_tm": quote("market_tm", "12.030", None)}},
        skipped={"mannco": "no price list"},
        not_listed=("Nope",),
    )
    code, out, _ = run(capsys, "compare", "--sandbox", "--json", REDLINE, "Nope")
    assert code == 0
    data = strict_json(out)
    cell = data["rows"][REDLINE]["market_tm"]
    assert cell["lowest_ask"] == {"amount": "12.030", "currency": "USD"}
    assert cell["highest_bid"] is None
    assert cell["age"] == "95"
    assert data["not_listed"] == ["Nope"]
    assert data["skipped"] == {"mannco": "no price list"}
    assert json.loads(out, parse_float=Decimal) == data


def test_compare_with_a_failed_market_still_prints_the_others_and_exits_1(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.comparison = Comparison(
        "USD",
        {REDLINE: {"market_tm": quote("market_tm", "12", "11")}},
        failures={"swapgg": "swapgg: service unavailable, try again later"},
    )
    code, out, err = run(capsys, "compare", "--sandbox", REDLINE)
    assert code == 1
    assert "market_tm" in out
    assert "failed swapgg: swapgg: service unavailable" in err


def test_compare_without_a_rate_says_which_rate_to_add(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.comparison = ValueError("no exchange rate for EUR in Rates(base=USD; has USD)")
    code, _, err = run(capsys, "compare", "--sandbox", REDLINE)
    assert code == 2
    assert err.splitlines()[-1].startswith("error: no exchange rate for EUR")
    assert "[rates]" in err


def test_compare_needs_at_least_one_name(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["compare", "--sandbox"])
    assert code == 2
    assert "NAME" in capsys.readouterr().err


# configuration


def test_without_config_or_sandbox_it_explains_how_to_configure(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    code, out, err = run(capsys, "compare", REDLINE)
    assert code == 2
    assert out == ""
    for needed in (
        "skinmarkets.toml",
        "SKINMARKETS_CONFIG",
        "--config",
        "vendor = ",
        "_env",
        "--sandbox",
    ):
        assert needed in err
    assert not [c for c in fakes.calls if c[0] == "load_config"]


def test_config_in_the_working_directory_is_used(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, config_file: Path
) -> None:
    code, out, _ = run(capsys, "balance")
    assert code == 0
    assert ("load_config", Path("skinmarkets.toml")) in fakes.calls
    assert "12.345" in out


def test_config_named_by_the_environment_is_used(
    capsys: pytest.CaptureFixture[str],
    fakes: Fakes,
    config_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    moved = config_file.rename(config_file.with_name("elsewhere.toml"))
    monkeypatch.setenv("SKINMARKETS_CONFIG", str(moved))
    code, _, _ = run(capsys, "balance")
    assert code == 0
    assert ("load_config", moved) in fakes.calls


def test_a_missing_config_file_is_an_error_naming_it(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    code, _, err = run(capsys, "balance", "--config", "nowhere.toml")
    assert code == 2
    assert err.startswith("error: config file 'nowhere.toml' not found")


@pytest.mark.parametrize(
    "message",
    [
        "unknown vendor 'steam': choose one of mannco, market_tm, skinsback, swapgg",
        "markets.tm: environment variable TM_API_KEY is not set",
    ],
)
def test_a_bad_config_prints_its_error_and_exits_2(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, config_file: Path, message: str
) -> None:
    fakes.config_error = ConfigurationError(message)
    code, out, err = run(capsys, "compare", REDLINE, "--config", str(config_file))
    assert code == 2
    assert out == ""
    assert err == f"error: {message}\n"


def test_an_unreadable_config_file_is_an_error_not_a_traceback(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, config_file: Path
) -> None:
    fakes.config_error = PermissionError(13, "Permission denied", str(config_file))
    code, _, err = run(capsys, "balance")
    assert code == 1
    assert err.startswith("error: [Errno 13] Permission denied")


def test_an_unexpected_library_error_prints_error_and_exits_1(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.opportunities = ServiceUnavailable("swapgg: service unavailable")
    code, _, err = run(capsys, "arbitrage", "--sandbox")
    assert code == 1
    assert err.splitlines()[-1] == "error: swapgg: service unavailable"


def test_a_credential_in_the_environment_is_never_printed(
    capsys: pytest.CaptureFixture[str],
    fakes: Fakes,
    config_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TM_API_KEY", "s3cr3t-key-value")
    fakes.markets = {
        "market_tm": FakeMarket(
            "market_tm", error=AuthenticationError("market_tm: the API key was refused")
        )
    }
    for argv in (["balance"], ["trades"], ["balance", "--json"], ["compare", REDLINE]):
        _, out, err = run(capsys, *argv)
        assert "s3cr3t" not in out + err


# arbitrage


@pytest.mark.parametrize("given", ["5%", "0.05", " 5 % ", "5.0%"])
def test_min_profit_takes_a_percentage_or_a_fraction(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, given: str
) -> None:
    run(capsys, "arbitrage", "--sandbox", "--min-profit", given)
    ((_, call),) = [c for c in fakes.calls if c[0] == "arbitrage"]
    assert call["min_profit"] == Decimal("0.05")


@pytest.mark.parametrize("given", ["5", "-1%", "lots", "nan"])
def test_min_profit_refuses_what_it_cannot_read(
    capsys: pytest.CaptureFixture[str], fakes: Fakes, given: str
) -> None:
    code, _, err = run(capsys, "arbitrage", "--sandbox", "--min-profit", given)
    assert code == 2
    assert "--min-profit" in err
    assert not [c for c in fakes.calls if c[0] == "arbitrage"]


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


def test_arbitrage_json_is_a_list_of_decimal_strings(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.opportunities = [opportunity("item", "1.50", "0.15")]
    code, out, _ = run(capsys, "arbitrage", "--sandbox", "--json")
    assert code == 0
    (row,) = strict_json(out)
    assert row["profit"] == {"amount": "1.50", "currency": "USD"}
    assert row["profit_ratio"] == "0.15"
    assert row["sell_kind"] == "bid"
    assert row["sell_hold_days"] == 7


def test_arbitrage_with_nothing_found_says_so(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    code, out, _ = run(capsys, "arbitrage", "--sandbox", "--min-profit", "5%")
    assert code == 0
    assert "no opportunity with at least 5.0% profit" in out


# balance and trades


def test_balance_shows_every_market_and_reports_a_failed_one(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.markets["swapgg"] = FakeMarket("swapgg", error=ServiceUnavailable("swapgg: down"))
    code, out, err = run(capsys, "balance", "--sandbox")
    assert code == 1
    assert "12.345" in out
    assert "failed swapgg: swapgg: down" in err


def test_balance_json(capsys: pytest.CaptureFixture[str], fakes: Fakes) -> None:
    code, out, _ = run(capsys, "balance", "--sandbox", "--json")
    assert code == 0
    data = strict_json(out)
    assert data["balances"]["market_tm"]["available"] == {"amount": "12.345", "currency": "USD"}
    assert data["failures"] == {}


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
    (listed,) = strict_json(out)["trades"]["market_tm"]
    assert listed["status"] == "sent"
    assert listed["created_at"] == "2024-05-01T12:00:00+00:00"
    assert "raw" not in listed


def test_no_trades_says_so(capsys: pytest.CaptureFixture[str], fakes: Fakes) -> None:
    code, out, _ = run(capsys, "trades", "--sandbox")
    assert code == 0
    assert out == "no active trades on 2 markets\n"


# entry points


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "skinmarkets", "vendors", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "market_tm" in {row["vendor"] for row in strict_json(done.stdout)}


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "compare" in capsys.readouterr().out


def test_arbitrage_with_every_market_down_says_nothing_is_known_and_exits_1(
    capsys: pytest.CaptureFixture[str], fakes: Fakes
) -> None:
    fakes.opportunities = ArbitrageResult(  # type: ignore[assignment]
        currency="USD",
        opportunities=(),
        failures={"market_tm": "market_tm: prices: the site is down"},
        skipped={"mannco": "no whole price list"},
        not_listed=(),
        answered=(),
    )
    code, out, err = run(capsys, "arbitrage", "--sandbox")
    assert code == 1
    assert "no market answered" in out
    assert "the site is down" in out + err
