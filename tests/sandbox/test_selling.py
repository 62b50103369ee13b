"""The selling side (``Seller``) through the real adapters: inventory, sell, reprice, delist,
a third-party buyer (``sb.sell_to_buyer``), and faults on the seller's writes.

SkinsBack has no selling side (its adapter is no ``Seller``), so it is not here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets.sandbox import Sandbox

SELLERS = ("market_tm", "swapgg", "mannco")
NAMES = {
    "market_tm": "AK-47 | Redline (Field-Tested)",
    "swapgg": "AWP | Asiimov (Field-Tested)",
    "mannco": "Team Captain",
}
CURRENCY = {"market_tm": "USD", "swapgg": "EUR", "mannco": "USD"}


def money(vendor: str, amount: str) -> sm.Money:
    return sm.Money(amount, CURRENCY[vendor])


def own_assets(market: Any) -> list[str | None]:
    return [x.asset_id for x in market.my_inventory()]


@pytest.mark.parametrize("vendor", SELLERS)
def test_a_listed_item_is_offered_to_buyers_and_a_buyer_pays_the_seller_net_of_the_fee(
    sb: Sandbox, vendor: str
) -> None:
    market: Any = sb.connect(vendor)
    asset = sb.give_item(vendor, NAMES[vendor])
    before = sb.balance_of(vendor)

    listing = market.sell(asset, money(vendor, "50.00"))

    (mine,) = market.my_listings()
    assert mine.asset_id == asset and mine.price == money(vendor, "50.00")
    offered = [x for x in market.list_for_sale(NAMES[vendor]) if x.asset_id == asset]
    assert [x.price for x in offered] == [money(vendor, "50.00")]  # other buyers see it

    credited = sb.sell_to_buyer(vendor, listing)

    assert credited == money(vendor, "47.50")  # 5 % sale fee
    assert sb.balance_of(vendor) == before + credited
    assert market.my_listings() == []
    # Sold items disappear: off the market, not back in the inventory.
    assert asset not in [o.asset_id for o in sb.state.listings(vendor, NAMES[vendor])]
    assert asset not in own_assets(market)
    with pytest.raises(ValueError, match=r"no listing .* of the account"):
        sb.sell_to_buyer(vendor, listing)


@pytest.mark.parametrize("vendor", SELLERS)
def test_reprice_changes_what_buyers_pay(sb: Sandbox, vendor: str) -> None:
    market: Any = sb.connect(vendor)
    listing = market.sell(sb.give_item(vendor, NAMES[vendor]), money(vendor, "50.00"))

    market.reprice(listing.id, money(vendor, "44.40"))

    (mine,) = market.my_listings()
    assert mine.price == money(vendor, "44.40")
    assert sb.sell_to_buyer(vendor, mine) == money(vendor, "42.18")  # 44.40 - 2.22


@pytest.mark.parametrize("vendor", ["market_tm", "swapgg"])
def test_delist_puts_the_item_back_into_the_inventory(sb: Sandbox, vendor: str) -> None:
    market: Any = sb.connect(vendor)
    asset = sb.give_item(vendor, NAMES[vendor])
    listing = market.sell(asset, money(vendor, "50.00"))

    market.delist(listing.id)

    assert market.my_listings() == []
    assert asset in own_assets(market)
    assert asset not in [o.asset_id for o in sb.state.listings(vendor, NAMES[vendor])]


def test_mannco_cannot_delist_and_the_listing_stays(sb: Sandbox) -> None:
    market: Any = sb.connect("mannco")
    listing = market.sell(sb.give_item("mannco", NAMES["mannco"]), money("mannco", "9.00"))
    with pytest.raises(errors.NotSupported):
        market.delist(listing.id)
    assert [x.asset_id for x in market.my_listings()] == [listing.asset_id]


def test_market_tm_remove_all_from_sale(sb: Sandbox) -> None:
    market: Any = sb.connect("market_tm")
    for _ in range(2):
        market.sell(sb.give_item("market_tm", NAMES["market_tm"]), money("market_tm", "20"))
    assert market.remove_all_from_sale() == 2
    assert market.my_listings() == [] and len(market.my_inventory()) == 2


def test_market_tm_sells_what_was_bought_and_accepted(sb: Sandbox) -> None:
    market: Any = sb.connect("market_tm")
    bought = market.list_for_sale("Spectrum 2 Case")[0]
    market.buy(bought)
    assert market.my_inventory() == []  # still with TM's bot
    (trade,) = market.withdraw()
    sb.accept(trade)
    (item,) = market.my_inventory()
    assert item.asset_id == bought.asset_id and item.market_hash_name == "Spectrum 2 Case"
    market.sell(item.asset_id, money("market_tm", "1.50"))
    assert [x.asset_id for x in market.my_listings()] == [bought.asset_id]


@pytest.mark.parametrize("vendor", ["swapgg", "mannco"])
def test_on_site_vendors_sell_what_was_bought_without_withdrawing(sb: Sandbox, vendor: str) -> None:
    market: Any = sb.connect(vendor)
    bought = market.list_for_sale(NAMES[vendor])[0]
    market.buy(bought)
    (item,) = market.my_inventory()
    assert item.asset_id == bought.asset_id
    market.sell(item.asset_id, money(vendor, "99.00"))
    assert market.withdraw() == []  # on sale, not held: nothing to withdraw


@pytest.mark.parametrize("vendor", SELLERS)
def test_selling_an_item_the_account_does_not_hold_is_refused(sb: Sandbox, vendor: str) -> None:
    market: Any = sb.connect(vendor)
    with pytest.raises(errors.ItemUnavailable):
        market.sell("31999999999", money(vendor, "5.00"))


@pytest.mark.parametrize("vendor", SELLERS)
@pytest.mark.parametrize(("fault", "listed"), [("garbled", True), ("http_502", False)])
def test_sell_whose_answer_is_lost_is_looked_up_in_the_listings(
    sb: Sandbox, vendor: str, fault: str, listed: bool
) -> None:
    market: Any = sb.connect(vendor)
    asset = sb.give_item(vendor, NAMES[vendor])
    sb.fail_next(vendor, "sell", fault)

    if listed:  # the vendor listed it: the lookup finds the listing
        assert market.sell(asset, money(vendor, "50.00")).asset_id == asset
    else:
        with pytest.raises(errors.OutcomeUnknown):
            market.sell(asset, money(vendor, "50.00"))

    assert [x.asset_id for x in market.my_listings()] == ([asset] if listed else [])


def test_give_item_refuses_what_the_vendor_cannot_sell(sb: Sandbox) -> None:
    with pytest.raises(ValueError, match="sells nothing"):
        sb.give_item("skinsback", NAMES["market_tm"])
    with pytest.raises(ValueError, match="no item"):
        sb.give_item("swapgg", "No Such Item")


def test_the_fee_is_rounded_to_the_cent(sb: Sandbox) -> None:
    market: Any = sb.connect("market_tm")
    listing = market.sell(sb.give_item("market_tm", NAMES["market_tm"]), money("market_tm", "1.01"))
    assert sb.sell_to_buyer("market_tm", listing.id).amount == Decimal("0.96")  # fee 0.0505


def test_buying_the_accounts_own_listing_sells_it_like_any_buyer(sb: Sandbox) -> None:
    market: Any = sb.connect("swapgg")
    asset = sb.give_item("swapgg", NAMES["swapgg"])
    market.sell(asset, money("swapgg", "10.00"))
    before = sb.balance_of("swapgg")
    (own,) = [x for x in market.list_for_sale(NAMES["swapgg"]) if x.asset_id == asset]

    market.buy(own)

    assert sb.balance_of("swapgg") == before - money("swapgg", "0.50")  # paid 10, credited 9.50
    assert market.my_listings() == []
    assert [x.asset_id for x in market.my_inventory()] == [asset]  # bought back
