"""A new vendor is one folder plus one entry point (docs/architecture.md, issue 15).

The test writes a tiny vendor package to a scratch folder, registers it with an entry point
(a ``*.dist-info`` folder beside it, as ``pip install`` would make), and uses it through the
public API only: found by ``sm.vendors()``, connected by ``sm.connect``, listed by the CLI and
its ``config_example`` shown in the CLI's setup help, its prices read through the shared
transport and client, its errors worded by the shared error tree, compared and arbitraged with
its own fees. Nothing of skinmarkets is edited for it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import responses

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets.cli import main
from skinmarkets.cli._markets import setup_help
from skinmarkets.compare import Fees
from skinmarkets.config import CONFIG_EXAMPLE
from tests.compare_support import NOW, FakeMarket

VENDOR_PACKAGE = '''
"""Tiny Market: a vendor in one folder (tests/test_new_vendor.py writes it)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import attrs

from skinmarkets import errors
from skinmarkets._adapter import Adapter
from skinmarkets._client import VendorClient
from skinmarkets._http import HeaderKeyAuth, HttpAnswer
from skinmarkets._ratelimit import RateLimit
from skinmarkets._secret import Secret
from skinmarkets._wire import make_converter
from skinmarkets.compare import Fees
from skinmarkets.models import PriceQuote
from skinmarkets.money import Money
from skinmarkets.protocol import Capabilities

VENDOR = "tiny"


@attrs.frozen
class Price:
    name: str
    ask: Decimal


converter = make_converter(__name__)


def read_envelope(answer: HttpAnswer, operation: str) -> Any:
    """{"ok": true, "data": ...} is a success; {"ok": false, "error": "..."} a refusal."""
    body = answer.data if isinstance(answer.data, dict) else {}
    if answer.status < 400 and body.get("ok") is True:
        return body.get("data")
    raise errors.APIError(
        str(body.get("error") or f"HTTP {answer.status}"),
        vendor=VENDOR,
        operation=operation,
        http_status=answer.status,
        raw=answer.raw,
    )


class TinyClient(VendorClient):
    vendor = VENDOR
    converter = converter
    prefix = "/api"

    def prices(self) -> list[Price]:
        return self.typed_list(Price, "GET", "/prices", operation="prices")


class Tiny(Adapter):
    """Tiny Market behind the protocol (read-only: prices and a balance)."""

    vendor = VENDOR
    name = VENDOR
    fees = Fees(Decimal("0.01"), 0)
    # Tiny Market takes one credential, its API key.
    config_example = """
[[markets]]
vendor = "tiny"
api_key_env = "TINY_KEY"        # option api_key, read from the environment variable TINY_KEY
"""
    capabilities = Capabilities(
        price_list=True,
        purchase_lookup=False,
        server_side_max_price=False,
        idempotent_buy=False,
        delivery="bot_withdraw",
        currencies=frozenset({"USD"}),
        requests_per_second=2.0,
        seller=True,
    )

    def __init__(self, *, api_key: str | Secret | None = None, base_url: str | None = None,
                 store: object = None) -> None:
        key = Secret.required(api_key, option="api_key", vendor=VENDOR)
        self._open(key, default_base_url="https://tiny.example", limit=RateLimit(2, 1.0),
                   base_url=base_url, ws_url=None, timeout=None, deadline=None,
                   max_retries=None, session=None, proxy=None, store=store, lease=None)
        auth = HeaderKeyAuth("X-Key", key)
        self.client = TinyClient(self._transport(auth=auth, read_envelope=read_envelope))

    def prices(self, *, app_id: int | None = None) -> list[PriceQuote]:
        now = datetime.now(UTC)
        return [
            PriceQuote(self.name, p.name, Money(p.ask, "USD"), None, None, now)
            for p in self.client.prices()
        ]

    def list_for_sale(self, market_hash_name: str, *, limit: int = 50) -> list[Any]:
        return []

    def buy(self, listing: Any, *, max_price: Any = None, custom_id: Any = None) -> Any:
        raise errors.NotSupported("buying", vendor=VENDOR, operation="buy")

    def balance(self) -> Any:
        raise errors.NotSupported("no balance", vendor=VENDOR, operation="balance")

    def active_trades(self) -> list[Any]:
        return []

    def withdraw(self, purchases: Any = None) -> list[Any]:
        return []
'''

BASE = "https://tiny.test"
AK = "AK-47 | Redline (Field-Tested)"


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The package and its entry point, importable from a scratch folder."""
    (tmp_path / "tinymarket").mkdir()
    (tmp_path / "tinymarket" / "__init__.py").write_text(VENDOR_PACKAGE, encoding="utf-8")
    info = tmp_path / "tinymarket-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tinymarket\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[skinmarkets.vendors]\ntiny = tinymarket:Tiny\n")
    monkeypatch.syspath_prepend(str(tmp_path))


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A vendor registered by an entry point whose module is not there."""
    info = tmp_path / "brokenmarket-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: brokenmarket\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[skinmarkets.vendors]\nbroken = nomodule:Broken\n")
    monkeypatch.syspath_prepend(str(tmp_path))


def _prices(body: object, status: int = 200) -> None:
    text = body if isinstance(body, str) else json.dumps(body)
    responses.add(
        responses.GET,
        f"{BASE}/api/prices",
        body=text,
        status=status,
        content_type="application/json",
    )


@pytest.mark.usefixtures("tiny")
def test_the_vendor_is_found_and_connected_through_its_entry_point_alone() -> None:
    assert "tiny" in sm.vendors()
    market = sm.connect("tiny", api_key="tiny-key-0123456789", base_url=BASE, store="memory")
    assert isinstance(market, sm.Marketplace)
    assert repr(market) == "Tiny(name='tiny')"
    assert "tiny-key-0123456789" not in repr(market.client)
    with market:
        pass
    with pytest.raises(errors.ConfigurationError, match="tiny: unknown option"):
        sm.connect("tiny", api_key="k", colour="red")


@pytest.mark.usefixtures("tiny")
@responses.activate
def test_its_answers_are_typed_and_its_errors_worded_by_the_shared_flows() -> None:
    market = sm.connect("tiny", api_key="tiny-key-0123456789", base_url=BASE, store="memory")
    _prices(f'{{"ok": true, "data": [{{"name": "{AK}", "ask": 1.10}}]}}')
    (quote,) = market.prices()
    assert quote.lowest_ask == sm.Money(Decimal("1.10"), "USD")
    assert str(quote.lowest_ask.amount) == "1.10"  # parse_float=Decimal: no float on the way

    _prices({"ok": True, "data": [{"name": AK, "ask": "cheap"}]})
    with pytest.raises(errors.UnexpectedResponse) as shape:
        market.prices()
    assert str(shape.value).startswith("tiny: prices: the answer does not have the documented")
    assert shape.value.raw == [{"name": AK, "ask": "cheap"}]

    _prices({"ok": False, "error": "key tiny-key-0123456789 is banned"}, status=403)
    with pytest.raises(errors.APIError) as refused:
        market.prices()
    assert str(refused.value) == "tiny: prices: key *** is banned"


@pytest.mark.usefixtures("tiny")
@responses.activate
def test_it_is_compared_and_arbitraged_with_its_own_fees() -> None:
    market = sm.connect("tiny", api_key="tiny-key-0123456789", base_url=BASE, store="memory")
    _prices({"ok": True, "data": [{"name": AK, "ask": "5.00"}]})
    other = FakeMarket("other", {AK: ("4.00", "4.80")})
    table = sm.compare([market, other], [AK], now=lambda: NOW)
    assert set(table.rows[AK]) == {"tiny", "other"}

    found = sm.arbitrage([market, other], comparison=table, fees={"other": Fees(Decimal(0), 0)})
    # buy on other at 4.00, list on tiny just under 5.00 (4.95), minus tiny's own 1 % fee
    undercut = [o for o in found if o.sell_market == "tiny"]
    assert [(o.buy_market, o.profit.amount) for o in undercut] == [("other", Decimal("0.9005"))]


@pytest.mark.usefixtures("tiny")
def test_the_cli_lists_it_with_its_capabilities(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vendors", "--json"]) == 0
    listed = {row["vendor"]: row for row in json.loads(capsys.readouterr().out)["result"]}
    assert listed["tiny"]["capabilities"]["requests_per_second"] == "2"


@pytest.mark.usefixtures("tiny")
def test_the_setup_help_shows_its_config_example_after_the_built_ins() -> None:
    shown = setup_help()
    table = '    [[markets]]\n    vendor = "tiny"\n    api_key_env = "TINY_KEY"'
    assert table in shown
    assert shown.index('vendor = "skinsback"') < shown.index(table) < shown.index('"mannco"')
    assert "tiny" not in CONFIG_EXAMPLE  # the built-ins' example stays as it was


@pytest.mark.usefixtures("tiny", "broken")
def test_a_vendor_that_fails_to_load_is_left_out_of_the_setup_help() -> None:
    assert "broken" in sm.vendors()
    shown = setup_help()
    assert 'vendor = "tiny"' in shown
    assert "broken" not in shown
