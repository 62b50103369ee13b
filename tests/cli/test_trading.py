"""The trading commands, in-process against the real sandbox (a 127.0.0.1 server started by each
command): ``listings``, ``buy`` and its confirmation, ``withdraw``, ``inventory``, ``sell``,
``history``, paper trading kept in the state file, ``sandbox reset``, and every misuse as one
line with exit code 2.

Each test has its own HOME, state and config folders and working directory; the state file is
``$XDG_STATE_HOME/skinmarkets/sandbox.json`` there."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from skinmarkets.cli import _one_market, main
from skinmarkets.cli._gather import INTERRUPTED, Gathered
from skinmarkets.sandbox._sandbox import Sandbox
from tests.cli.conftest import REDLINE


class Keyboard(io.StringIO):
    """A stdin that says it is a terminal: what the user types at the prompt."""

    def isatty(self) -> bool:
        return True


@attrs.frozen
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        """The one JSON envelope on stdout, refusing any JSON float."""

        def no_float(value: str) -> Decimal:
            raise AssertionError(f"a JSON float in the output: {value}")

        data = json.loads(self.out, parse_float=no_float)
        assert set(data) == {"result", "failures", "skipped"}
        return data


def cli(*argv: str, stdin: io.StringIO | None = None) -> Ran:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=stdin or io.StringIO())
    ran = Ran(code, out.getvalue(), err.getvalue())
    assert "Traceback" not in ran.out + ran.err
    return ran


def cheapest(market: str, name: str = REDLINE) -> dict[str, Any]:
    """The cheapest sandbox listing of ``name`` on ``market``, as ``listings --json`` gives it."""
    ran = cli("--sandbox", "--json", "listings", name, "--market", market, "--limit", "1")
    assert ran.code == 0, ran.err
    (listing,) = ran.json()["result"][market]
    return listing  # type: ignore[no-any-return]


def buy_args(listing: dict[str, Any], market: str, *extra: str) -> list[str]:
    return [
        "--sandbox",
        "buy",
        listing["id"],
        "--market",
        market,
        "--name",
        listing["market_hash_name"],
        *extra,
    ]


def available(market: str) -> str:
    ran = cli("--sandbox", "--json", "balance", "--market", market)
    amount: str = ran.json()["result"][market]["available"]["amount"]
    return amount


# listings


def test_listings_shows_every_market_cheapest_first_and_how_to_buy(paper: Path) -> None:
    ran = cli("--sandbox", "listings", REDLINE, "--limit", "2")
    assert ran.code == 0
    lines = ran.out.splitlines()
    assert lines[0].split() == ["MARKET", "LISTING", "PRICE", "CURRENCY", "FLOAT", "PHASE", "QTY"]
    rows = [line.split() for line in lines[2:]]
    assert [r[0] for r in rows] == ["market_tm"] * 2 + ["swapgg"] * 2 + ["skinsback"] * 2 + [
        "mannco"
    ] * 2
    tm_prices = [Decimal(r[2]) for r in rows if r[0] == "market_tm"]
    assert tm_prices == sorted(tm_prices)
    assert "to buy one: skinmarkets --sandbox buy " in ran.err
    assert "--name 'AK-47 | Redline (Field-Tested)' --max-price" in ran.err


def test_listings_json_is_the_envelope_keyed_by_market_with_exact_prices(paper: Path) -> None:
    ran = cli("--sandbox", "--json", "listings", REDLINE, "--limit", "1")
    data = ran.json()
    assert ran.code == 0
    assert list(data["result"]) == ["market_tm", "swapgg", "skinsback", "mannco"]
    (tm,) = data["result"]["market_tm"]
    assert tm["price"] == {"amount": "12.030", "currency": "USD"}
    assert tm["market_hash_name"] == REDLINE and "raw" not in tm
    assert data["failures"] == {} and data["skipped"] == {}


def test_listings_of_an_item_nobody_lists_says_so(paper: Path) -> None:
    ran = cli("--sandbox", "listings", "No Such Item")
    assert ran.code == 0
    assert ran.out.strip() == "no offers for No Such Item on 4 markets"


# buy


def test_buy_with_yes_buys_and_the_next_run_sees_the_purchase(paper: Path) -> None:
    listing = cheapest("market_tm")
    ran = cli(*buy_args(listing, "market_tm", "--max-price", "12.50", "--yes", "--json"))
    assert ran.code == 0, ran.err
    result = ran.json()["result"]
    assert result["outcome"] == "bought"
    assert result["purchase"]["price"] == {"amount": "12.030", "currency": "USD"}
    assert result["custom_id"] == result["purchase"]["custom_id"]
    assert paper.is_file()
    assert available("market_tm") == "487.97"  # 500.00 - 12.03, in a later command
    assert listing["id"] not in [x["id"] for x in _all_listings("market_tm")]


def _all_listings(market: str) -> list[dict[str, Any]]:
    ran = cli("--sandbox", "--json", "listings", REDLINE, "--market", market)
    found: list[dict[str, Any]] = ran.json()["result"][market]
    return found


def test_buy_shows_what_it_buys_and_asks_and_y_buys(paper: Path) -> None:
    listing = cheapest("swapgg")
    ran = cli(*buy_args(listing, "swapgg", "--max-price", "13EUR"), stdin=Keyboard("y\n"))
    assert ran.code == 0, ran.err
    assert f"item       {REDLINE}" in ran.err
    assert f"listing    {listing['id']}" in ran.err
    assert "price      12.90 EUR (never more than 13 EUR)" in ran.err
    assert "custom id  " in ran.err
    assert "Buy it? [y/N] " in ran.err
    assert ran.out.splitlines()[2].split()[:2] == ["swapgg", listing["id"]]
    assert available("swapgg") == "487.10"


@pytest.mark.parametrize("typed", ["n\n", "\n", "", "maybe\n"], ids=["n", "enter", "eof", "other"])
def test_buy_declined_at_the_prompt_buys_nothing_and_exits_1(paper: Path, typed: str) -> None:
    listing = cheapest("market_tm")
    ran = cli(
        *buy_args(listing, "market_tm", "--max-price", "12.50", "--json"), stdin=Keyboard(typed)
    )
    assert ran.code == 1
    assert ran.json()["result"]["outcome"] == "declined"
    assert "not bought" in ran.err
    assert available("market_tm") == "500.00"


def test_buy_without_a_terminal_and_without_yes_refuses_before_asking_anything(
    paper: Path,
) -> None:
    ran = cli(
        "--sandbox",
        "buy",
        "700000001",
        "--market",
        "market_tm",
        "--name",
        REDLINE,
        "--max-price",
        "20",
        stdin=io.StringIO("y\n"),
    )
    assert ran.code == 2
    assert ran.out == ""
    assert ran.err == (
        "error: buy asks for confirmation, and stdin is not a terminal: nothing was done; "
        "add --yes to buy without asking\n"
    )
    assert not paper.exists()  # not even the sandbox was started


def test_the_same_custom_id_never_buys_twice(paper: Path) -> None:
    listing = cheapest("market_tm")
    args = buy_args(listing, "market_tm", "--max-price", "12.50", "--custom-id", "order-7", "--yes")
    first = cli(*args, "--json")
    second = cli(*args, "--json")
    assert first.code == second.code == 0
    assert first.json()["result"]["outcome"] == "bought"
    again = second.json()["result"]
    assert again["outcome"] == "already_bought"
    assert again["purchase"]["id"] == first.json()["result"]["purchase"]["id"]
    assert "nothing was sent again" in second.err
    assert available("market_tm") == "487.97"  # paid once


def test_a_custom_id_of_another_item_is_refused(paper: Path) -> None:
    listing = cheapest("market_tm")
    cli(*buy_args(listing, "market_tm", "--max-price", "13", "--custom-id", "x1", "--yes"))
    other = cheapest("market_tm", "AWP | Asiimov (Field-Tested)")
    ran = cli(*buy_args(other, "market_tm", "--max-price", "200", "--custom-id", "x1", "--yes"))
    assert ran.code == 1
    assert "custom id x1 already names a purchase of 'AK-47 | Redline" in ran.err
    assert available("market_tm") == "487.97"


def test_a_listing_dearer_than_max_price_is_not_bought(paper: Path) -> None:
    listing = cheapest("market_tm")
    ran = cli(*buy_args(listing, "market_tm", "--max-price", "12.02", "--yes"))
    assert ran.code == 1
    assert (
        f"error: market_tm: listing {listing['id']} costs 12.030 USD, more than --max-price "
        "12.02 USD: nothing was bought"
    ) in ran.err
    assert available("market_tm") == "500.00"


def test_a_listing_that_is_gone_is_not_found_and_says_where_to_look(paper: Path) -> None:
    ran = cli(
        "--sandbox",
        "buy",
        "999",
        "--market",
        "swapgg",
        "--name",
        REDLINE,
        "--max-price",
        "20",
        "--yes",
    )
    assert ran.code == 1
    assert "error: swapgg: no listing 999 among the 200 cheapest offers" in ran.err
    assert (
        "see: skinmarkets --sandbox listings 'AK-47 | Redline (Field-Tested)' --market swapgg"
    ) in ran.err
    assert available("swapgg") == "500.00"


@pytest.mark.parametrize("text", ["4,00", "-1", "0", "0.00", "abc", "1e3", "NaN", "12.5 dollars"])
def test_a_bad_max_price_is_one_line_and_exit_2(paper: Path, text: str) -> None:
    ran = cli(
        "--sandbox",
        "buy",
        "1",
        "--market",
        "swapgg",
        "--name",
        REDLINE,
        "--max-price",
        text,
        "--yes",
    )
    assert ran.code == 2
    assert ran.out == ""
    (line,) = ran.err.splitlines()
    assert line.startswith(f"error: argument --max-price: {text!r} is not an amount: ")
    assert not paper.exists()


def test_a_max_price_in_another_currency_is_refused_not_converted(paper: Path) -> None:
    listing = cheapest("swapgg")
    ran = cli(*buy_args(listing, "swapgg", "--max-price", "13.00usd", "--yes"))
    assert ran.code == 2
    assert ran.err.splitlines()[-1] == (
        "error: --max-price 13.00usd is in USD but the price is in EUR: write it in EUR (e.g. "
        "--max-price 13.00EUR); skinmarkets never converts a price cap"
    )
    assert available("swapgg") == "500.00"


@pytest.mark.parametrize(
    ("markets", "message"),
    [
        (
            [],
            "error: buy needs exactly one --market: the market to buy on (e.g. --market market_tm)",
        ),
        (["--market", "swapgg", "--market", "mannco"], "error: buy needs exactly one --market"),
        (
            ["--market", "swapg"],
            'error: no market named "swapg" in the sandbox; did you mean "swapgg"?',
        ),
    ],
    ids=["none", "two", "unknown"],
)
def test_buy_needs_one_known_market(paper: Path, markets: list[str], message: str) -> None:
    ran = cli("--sandbox", "buy", "1", "--name", REDLINE, "--max-price", "5", "--yes", *markets)
    assert ran.code == 2
    assert ran.err.startswith(message)
    assert len(ran.err.splitlines()) == 1


def test_buy_needs_the_name_and_the_max_price(paper: Path) -> None:
    ran = cli("--sandbox", "buy", "1", "--market", "swapgg", "--yes")
    assert ran.code == 2
    assert "the following arguments are required: --name, --max-price" in ran.err


def _fail_on_start(
    monkeypatch: pytest.MonkeyPatch, vendor: str, operation: str, fault: str
) -> None:
    """Every sandbox the CLI starts fails the next ``operation`` on ``vendor`` with ``fault``."""
    start: Callable[[Sandbox], Sandbox] = Sandbox.start

    def start_failing(self: Sandbox) -> Sandbox:
        started = start(self)
        started.fail_next(vendor, operation, fault)
        return started

    monkeypatch.setattr(Sandbox, "start", start_failing)


def test_an_unknown_outcome_names_the_custom_id_and_how_to_settle_it(
    paper: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = cheapest("market_tm")
    _fail_on_start(monkeypatch, "market_tm", "buy", "http_502")  # no answer, nothing found
    ran = cli(*buy_args(listing, "market_tm", "--max-price", "12.50", "--yes", "--json"))
    assert ran.code == 1
    data = ran.json()
    assert data["result"]["outcome"] == "unknown" and data["result"]["purchase"] is None
    custom_id = data["result"]["custom_id"]
    assert custom_id in data["failures"]["market_tm"]
    assert f"the purchase may or may not have been made (custom id {custom_id})" in ran.err
    assert (
        f"skinmarkets --sandbox buy {listing['id']} --market market_tm --name "
        f"'{REDLINE}' --max-price 12.50 --custom-id {custom_id}"
    ) in ran.err


def test_a_refused_purchase_is_exit_1_with_the_markets_reason(
    paper: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = cheapest("swapgg")
    _fail_on_start(monkeypatch, "swapgg", "buy", "rate_limit")
    ran = cli(*buy_args(listing, "swapgg", "--max-price", "13", "--yes", "--json"))
    assert ran.code == 1
    data = ran.json()
    assert data["result"]["outcome"] == "failed"
    assert "swapgg" in data["failures"]
    assert "may or may not" not in ran.err  # a refusal is an answer: nothing happened


def test_ctrl_c_while_buying_says_the_outcome_is_unknown_and_exits_130(
    paper: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = cheapest("market_tm")
    real_gather = _one_market.gather

    def gather(calls: Any, output: Any, **kw: Any) -> Any:
        if kw.get("what") == " buy":  # Ctrl-C arrives while the purchase is awaited
            return Gathered(answers={}, failures={"market_tm": INTERRUPTED}, interrupted=True)
        return real_gather(calls, output, **kw)

    monkeypatch.setattr(_one_market, "gather", gather)
    ran = cli(*buy_args(listing, "market_tm", "--max-price", "13", "--yes", "--custom-id", "c-1"))
    assert ran.code == 130
    assert "the purchase may or may not have been made (custom id c-1)" in ran.err
    assert "--custom-id c-1" in ran.err.splitlines()[-2]


# withdraw, trades, history


def test_withdraw_sends_what_was_bought_and_trades_shows_it_later(paper: Path) -> None:
    cli(*buy_args(cheapest("market_tm"), "market_tm", "--max-price", "13", "--yes"))
    ran = cli("--sandbox", "--json", "withdraw")
    assert ran.code == 0
    result = ran.json()["result"]
    (trade,) = result["market_tm"]
    assert trade["status"] == "sent" and trade["direction"] == "incoming"
    assert result["swapgg"] == [] and result["mannco"] == []
    waiting = cli("--sandbox", "--json", "trades").json()["result"]["market_tm"]
    assert [t["id"] for t in waiting] == [trade["id"]]
    again = cli("--sandbox", "withdraw", "--market", "mannco")
    assert (again.code, again.out.strip()) == (0, "nothing to withdraw on 1 market")


def test_history_lists_purchases_and_skips_markets_without_one(paper: Path) -> None:
    cli(
        *buy_args(
            cheapest("market_tm"), "market_tm", "--max-price", "13", "--yes", "--custom-id", "h-1"
        )
    )
    ran = cli("--sandbox", "--json", "history", "--since", "1")
    assert ran.code == 0
    data = ran.json()
    (entry,) = data["result"]["market_tm"]
    assert entry["kind"] == "purchase" and entry["custom_id"] == "h-1"
    assert entry["market_hash_name"] == REDLINE
    assert data["result"]["mannco"] == []  # Mannco's history: its bot trades, none yet
    assert data["skipped"] == {
        "skinsback": "the skinsback adapter keeps no purchase history",
        "swapgg": "the swapgg adapter keeps no purchase history",
    }


def test_history_since_days_or_a_date_includes_a_purchase_made_since(paper: Path) -> None:
    cli(*buy_args(cheapest("market_tm"), "market_tm", "--max-price", "13", "--yes"))
    ran = cli("--sandbox", "history", "--market", "market_tm", "--since", "2000-01-01")
    assert ran.code == 0 and REDLINE in ran.out
    one_day = cli("--sandbox", "history", "--market", "market_tm", "--since", "1")
    assert one_day.code == 0 and REDLINE in one_day.out


@pytest.mark.parametrize("text", ["0", "-3", "2024-13-01", "yesterday", "2999-01-01"])
def test_a_bad_since_is_one_line_and_exit_2(paper: Path, text: str) -> None:
    ran = cli("--sandbox", "history", "--since", text)
    assert ran.code == 2
    (line,) = ran.err.splitlines()
    assert line.startswith(f"error: argument --since: {text!r}")


def test_history_on_markets_without_one_says_so_and_exits_1(paper: Path) -> None:
    ran = cli("--sandbox", "history", "--market", "swapgg")
    assert ran.code == 1
    assert "skipped swapgg: the swapgg adapter keeps no purchase history" in ran.err


# inventory and sell


def test_a_bought_item_can_be_sold_and_then_shows_as_on_sale(paper: Path) -> None:
    cli(*buy_args(cheapest("swapgg"), "swapgg", "--max-price", "13", "--yes"))
    owned = cli("--sandbox", "--json", "inventory").json()
    assert owned["skipped"] == {
        "skinsback": "skinsback has no selling side in skinmarkets (see: skinmarkets vendors)"
    }
    (item,) = owned["result"]["swapgg"]["inventory"]
    ran = cli(
        "--sandbox",
        "--json",
        "sell",
        item["asset_id"],
        "--market",
        "swapgg",
        "--price",
        "20.00",
        "--yes",
    )
    assert ran.code == 0, ran.err
    result = ran.json()["result"]
    assert result["outcome"] == "listed"
    assert result["listing"]["price"] == {"amount": "20.00", "currency": "EUR"}
    after = cli("--sandbox", "--json", "inventory", "--market", "swapgg").json()["result"]
    assert after["swapgg"]["inventory"] == []
    assert [x["asset_id"] for x in after["swapgg"]["on_sale"]] == [item["asset_id"]]


def test_sell_asks_first_and_no_keeps_the_item(paper: Path) -> None:
    cli(*buy_args(cheapest("swapgg"), "swapgg", "--max-price", "13", "--yes"))
    (item,) = cli("--sandbox", "--json", "inventory", "--market", "swapgg").json()["result"][
        "swapgg"
    ]["inventory"]
    ran = cli(
        "--sandbox",
        "sell",
        item["asset_id"],
        "--market",
        "swapgg",
        "--price",
        "20",
        stdin=Keyboard("no\n"),
    )
    assert ran.code == 1
    assert "price      20 EUR (the market suggests 12.90 EUR)" in ran.err
    assert "Put it on sale? [y/N] " in ran.err
    after = cli("--sandbox", "--json", "inventory", "--market", "swapgg").json()["result"]
    assert after["swapgg"]["on_sale"] == []


def test_sell_on_a_market_that_does_not_sell_is_exit_2(paper: Path) -> None:
    ran = cli("--sandbox", "sell", "123", "--market", "skinsback", "--price", "5", "--yes")
    assert ran.code == 2
    assert ran.err == (
        "error: cannot sell on skinsback: skinsback has no selling side in skinmarkets (see: "
        "skinmarkets vendors)\n"
    )


def test_sell_of_an_item_not_in_the_inventory_is_not_found(paper: Path) -> None:
    ran = cli("--sandbox", "sell", "123", "--market", "mannco", "--price", "5", "--yes")
    assert ran.code == 1
    assert "error: mannco: no item 123 in the inventory you can sell from (0 items there)" in (
        ran.err
    )


# the state file


def test_sandbox_reset_starts_paper_trading_afresh(paper: Path) -> None:
    cli(*buy_args(cheapest("market_tm"), "market_tm", "--max-price", "13", "--yes"))
    assert available("market_tm") == "487.97"
    ran = cli("sandbox", "reset")
    assert ran.code == 0
    assert ran.out.strip() == (
        f"sandbox state reset: deleted {paper}; the next --sandbox run starts afresh"
    )
    assert not paper.exists()
    assert available("market_tm") == "500.00"
    again = cli("--json", "sandbox", "reset")
    assert again.json()["result"] == {"path": str(paper), "deleted": False}


def test_a_corrupt_state_file_is_exit_2_suggesting_reset_and_is_left_alone(paper: Path) -> None:
    paper.parent.mkdir(parents=True)
    paper.write_text('{"format": "skinmarkets-sandbox-state", "version": 1, "acc', "utf-8")
    ran = cli("--sandbox", "balance")
    assert ran.code == 2
    assert ran.out == ""
    assert ran.err == (
        f"error: sandbox state file '{paper}' cannot be loaded: it is not JSON; to start paper "
        "trading afresh, run: skinmarkets sandbox reset\n"
    )
    assert paper.read_text("utf-8").endswith('"acc')
    assert cli("sandbox", "reset").code == 0
    assert cli("--sandbox", "balance").code == 0


def test_a_foreign_file_named_by_sandbox_state_is_never_deleted(
    paper: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "notes.json"
    mine.write_text('{"todo": ["buy milk"]}', "utf-8")
    ran = cli("--sandbox-state", str(mine), "balance")
    assert ran.code == 2
    assert "it is not a skinmarkets sandbox state" in ran.err
    assert "name another --sandbox-state file" in ran.err
    reset = cli("--sandbox-state", str(mine), "sandbox", "reset")
    assert reset.code == 2
    assert "does not look like a skinmarkets sandbox state; it was left as it is" in reset.err
    assert mine.read_text("utf-8") == '{"todo": ["buy milk"]}'


def test_sandbox_state_names_the_file_and_implies_sandbox(paper: Path, tmp_path: Path) -> None:
    state = tmp_path / "elsewhere" / "paper.json"
    listing = cheapest("mannco", "Team Captain")
    ran = cli(
        "--sandbox-state",
        str(state),
        "buy",
        listing["id"],
        "--market",
        "mannco",
        "--name",
        "Team Captain",
        "--max-price",
        "8",
        "--yes",
    )
    assert ran.code == 0, ran.err
    assert state.is_file() and not paper.exists()
    balance = cli("--json", "balance", "--sandbox-state", str(state), "--market", "mannco")
    assert balance.json()["result"]["mannco"]["available"]["amount"] == "492.55"


def test_reading_commands_never_write_the_state_file(paper: Path) -> None:
    for argv in (["balance"], ["trades"], ["history"], ["inventory"], ["listings", REDLINE]):
        assert cli("--sandbox", *argv).code == 0
    assert not paper.exists()
