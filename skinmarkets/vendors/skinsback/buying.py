"""SkinsBack buying: ``buy``, ``buy_many`` (market_batch_buy), ``get_purchase`` and the lookups.

SkinsBack takes both a price cap (``max_price``) and an idempotency key (``custom_id``: "a
duplicate is rejected with code 7"), and finds purchases by ``custom_ids`` (market_getinfo). So:
the cap is sent (and checked here first, so a listing dearer than the cap is refused without a
request), a ``custom_id`` is always sent, and a lost answer is settled by looking it up. A mixin
of :class:`~skinmarkets.vendors.skinsback.adapter.Skinsback`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

import attrs

from skinmarkets import _checks, errors
from skinmarkets._writes import WriteJournal, is_ambiguous, target_of, write_once
from skinmarkets.models import Listing, Purchase
from skinmarkets.money import Money
from skinmarkets.protocol import Capabilities
from skinmarkets.vendors.skinsback import units, wire
from skinmarkets.vendors.skinsback.checks import TradeUrl, check_custom_id
from skinmarkets.vendors.skinsback.client import SkinsbackClient
from skinmarkets.vendors.skinsback.errors import refusal

VENDOR = "skinsback"


@attrs.frozen
class BatchOrder:
    """One item of ``buy_many``: the listing, its cap (default its price) and its custom_id."""

    listing: Listing
    max_price: Money | None = None
    custom_id: str | None = None


@attrs.frozen
class BatchItemResult:
    """The outcome of one item of ``buy_many``: ``purchase`` or ``error``, never both."""

    listing: Listing
    custom_id: str
    purchase: Purchase | None = None
    error: errors.SkinMarketsError | None = None

    @property
    def ok(self) -> bool:
        """True when the item was bought."""
        return self.purchase is not None


def purchase_from(
    market: str, info: wire.BuyInfo, *, custom_id: str | None, listing: Listing | None = None
) -> Purchase:
    """A shared ``Purchase`` from one SkinsBack purchase record.

    ``price`` is ``balance_debited_sum`` ("Store this amount, not item.price"), the item's price
    only when the record has none.
    """
    item = info.item
    amount: Decimal | None = info.balance_debited_sum
    if amount is None and item is not None:
        amount = item.price
    if amount is None and listing is not None:
        amount = listing.price.amount
    name = item.name if item is not None and item.name else None
    if name is None and listing is not None:
        name = listing.market_hash_name
    created = datetime.fromtimestamp(info.date, tz=UTC) if info.date else datetime.now(tz=UTC)
    return Purchase(
        market=market,
        id=info.buy_id,
        custom_id=info.custom_id or custom_id,
        market_hash_name=name or "",
        price=units.money(amount if amount is not None else Decimal(0)),
        status=units.offer_status(
            info.offer_status, in_hold=bool(info.in_hold), has_offer=bool(info.tradeofferid)
        ),
        trade_offer_id=info.tradeofferid or None,
        created_at=created,
        raw=info.raw,
    )


class Buying:
    """``buy``, ``buy_many``, ``get_purchase`` of the SkinsBack adapter."""

    # Provided by Skinsback (set in its __init__).
    _journal: WriteJournal  # the store's write journal (skinmarkets._store)
    client: SkinsbackClient
    capabilities: Capabilities
    name: str
    _trade_url: TradeUrl | None

    def _recipient(self, operation: str) -> TradeUrl:
        if self._trade_url is None:
            raise errors.ConfigurationError(
                f"{VENDOR}: {operation} needs trade_url (SkinsBack sends the item straight to a "
                "Steam trade URL): connect with trade_url='https://steamcommunity.com/"
                "tradeoffer/new/?partner=…&token=…'",
                vendor=VENDOR,
                operation=operation,
            )
        return self._trade_url

    def _cap(self, listing: object, max_price: object, operation: str) -> tuple[Listing, Money]:
        return _checks.check_buy(
            VENDOR,
            self.name,
            listing,
            max_price,
            currencies=self.capabilities.currencies,
            operation=operation,
        )

    def buy(
        self,
        listing: Listing,
        *,
        max_price: Money | None = None,
        custom_id: str | None = None,
    ) -> Purchase:
        """Buy one listing (market_buy) and have it sent to ``trade_url``; never above the cap.

        ``max_price`` (default the listing's price) is checked here and sent, rounded down to the
        cent. ``custom_id`` (uuid4 hex when not given) is sent: SkinsBack refuses a second
        purchase with it (code 7), and then the existing purchase is returned
        (``DuplicateCustomId`` with the id when it cannot be read yet). Goes through the one
        write flow (:mod:`skinmarkets._writes`): sent once, never retried; an answer that is
        neither an understood success nor a well-formed refusal (timeout, reset, 5xx, a garbled
        body, ``status`` missing) is looked up by ``custom_id`` (market_getinfo); found ->
        returned, else ``OutcomeUnknown``. ``price`` is ``balance_debited_sum``, what SkinsBack
        really took.
        """
        operation = "buy"
        listing, cap = self._cap(listing, max_price, operation)
        custom_id = check_custom_id(custom_id, operation)
        recipient = self._recipient(operation)

        def send() -> Purchase:
            info = self.client.market_buy(
                partner=recipient.partner,
                token=recipient.token,
                id=listing.id,
                max_price=units.money_text(cap),
                custom_id=custom_id,
            )
            return purchase_from(self.name, info, custom_id=custom_id, listing=listing)

        return write_once(
            vendor=VENDOR,
            operation=operation,
            send=send,
            lookup=lambda: self._found(custom_id, listing),
            custom_id=custom_id,
            journal=self._journal,
            target=target_of(listing),
            listing=listing,
            advice=f"Call get_purchase({custom_id!r}) later, or buy again with the same "
            "custom_id (it looks the purchase up and never re-sends)",
        )

    def _found(self, custom_id: str, listing: Listing | None) -> Purchase | None:
        """The purchase SkinsBack knows by ``custom_id``, or None."""
        found = self._lookup([custom_id]).get(custom_id)
        if found is None:
            return None
        return purchase_from(self.name, found, custom_id=custom_id, listing=listing)

    def _lookup(self, custom_ids: Sequence[str]) -> dict[str, wire.BuyInfo]:
        """The purchases of these ``custom_ids`` that SkinsBack knows ("offer_not_found": none)."""
        try:
            found = self.client.market_getinfo_many(custom_ids=list(custom_ids))
        except errors.ItemUnavailable:
            return {}
        wanted = set(custom_ids)
        result: dict[str, wire.BuyInfo] = {}
        for info in found.items:
            if info.custom_id in wanted:
                result[info.custom_id] = info
            elif len(custom_ids) == 1 and info.custom_id is None:
                result[custom_ids[0]] = info  # asked for one id: the answer is its purchase
        return result

    def get_purchase(self, custom_id: str) -> Purchase:
        """The purchase made with ``custom_id`` (market_getinfo); ``ItemUnavailable`` if none."""
        custom_id = check_custom_id(custom_id, "get_purchase") if custom_id is not None else ""
        if not custom_id:
            raise _checks.invalid(VENDOR, "get_purchase", "custom_id is required")
        found = self._lookup([custom_id]).get(custom_id)
        if found is None:
            raise errors.ItemUnavailable(
                f"no purchase has custom_id {custom_id!r}",
                vendor=VENDOR,
                operation="get_purchase",
                code="offer_not_found",
            )
        return purchase_from(self.name, found, custom_id=custom_id)

    def buy_many(self, orders: Sequence[Listing | BatchOrder]) -> list[BatchItemResult]:
        """Buy several listings in one request (market_batch_buy), all sent to ``trade_url``.

        Each order is a ``Listing`` (capped at its price) or a :class:`BatchOrder`. Every item is
        checked before anything is sent, gets a ``custom_id`` and its cap. A batch can partly
        succeed: the result holds one :class:`BatchItemResult` per order, in order, with the
        ``Purchase`` or the error of that item. The write rules of ``buy`` hold per item: a
        ``custom_id`` already done returns its purchase and one already ambiguous is looked up,
        neither is sent again; one that names another listing is ``DuplicateCustomId``. Items the
        answer does not settle (every item when the answer is lost or not understood) are looked
        up by ``custom_id``; those still not found carry ``OutcomeUnknown``. A well-formed
        refusal of the whole request (bad signature, rate limit) is raised: nothing was bought.
        """
        operation = "buy_many"
        if not isinstance(orders, list | tuple):
            raise TypeError(
                f"{VENDOR}: {operation} takes a list of Listing or BatchOrder, got "
                f"{type(orders).__name__} {orders!r:.60}"
            )
        prepared: list[tuple[Listing, Money, str]] = []
        for order in orders:
            if isinstance(order, BatchOrder):
                listing, cap = self._cap(order.listing, order.max_price, operation)
                custom_id = check_custom_id(order.custom_id, operation)
            else:
                listing, cap = self._cap(order, None, operation)
                custom_id = check_custom_id(None, operation)
            prepared.append((listing, cap, custom_id))
        if len({c for _, _, c in prepared}) != len(prepared):
            raise _checks.invalid(VENDOR, operation, "every order needs its own custom_id")
        if not prepared:
            return []
        recipient = self._recipient(operation)
        journal = self._journal
        listings = {custom_id: listing for listing, _, custom_id in prepared}
        outcomes: dict[str, Purchase | errors.SkinMarketsError] = {}
        to_send: list[tuple[Listing, Money, str]] = []
        to_look: list[str] = []  # ambiguous before this call: looked up, never sent again
        for listing, cap, custom_id in prepared:
            try:
                claim = journal.claim(custom_id, target_of(listing), operation=operation)
            except errors.SkinMarketsError as refused:  # another listing's id, or under way
                outcomes[custom_id] = refused
                continue
            if claim.kind == "done" and isinstance(claim.result, Purchase):
                outcomes[custom_id] = claim.result
            elif claim.kind == "new":
                journal.settle(custom_id, "in_flight", target_of(listing), listing=listing)
                to_send.append((listing, cap, custom_id))
            else:
                to_look.append(custom_id)
        exists: set[str] = set()  # the vendor said "custom_id already exists"
        if to_send:
            exists = self._send_batch(recipient, to_send, listings, outcomes, to_look)
        self._settle_batch(
            [c for _, _, c in to_send if c not in outcomes] + to_look, listings, outcomes, exists
        )
        return [
            BatchItemResult(
                listing=listing,
                custom_id=custom_id,
                purchase=outcome if isinstance(outcome, Purchase) else None,
                error=outcome if isinstance(outcome, errors.SkinMarketsError) else None,
            )
            for listing, _, custom_id in prepared
            for outcome in (outcomes[custom_id],)
        ]

    def _send_batch(
        self,
        recipient: TradeUrl,
        to_send: list[tuple[Listing, Money, str]],
        listings: dict[str, Listing],
        outcomes: dict[str, Purchase | errors.SkinMarketsError],
        to_look: list[str],
    ) -> set[str]:
        """Send the batch once; fill ``outcomes`` from an understood answer. Returns the
        custom_ids the vendor said exist already."""
        journal = self._journal
        items = [
            {"id": listing.id, "max_price": units.money_text(cap), "custom_id": custom_id}
            for listing, cap, custom_id in to_send
        ]
        try:
            answer = self.client.market_batch_buy(
                partner=recipient.partner, token=recipient.token, items=items
            )
        except BaseException as failure:
            if is_ambiguous(failure):
                return set()  # every item is looked up
            for listing, _, custom_id in to_send:
                if isinstance(failure, errors.SkinMarketsError):
                    journal.release(custom_id)  # a refusal of the whole request
                else:  # interrupted: it may have been sent
                    journal.settle(custom_id, "ambiguous", target_of(listing))
            for custom_id in to_look:
                journal.settle(custom_id, "ambiguous", target_of(listings[custom_id]))
            raise
        by_id = {listing.id: custom_id for listing, _, custom_id in to_send}
        sent = {custom_id for _, _, custom_id in to_send}
        for info in answer.purchased:
            key = info.custom_id or by_id.get(info.item.id if info.item and info.item.id else "")
            if key in sent:
                outcomes[key] = purchase_from(self.name, info, custom_id=key, listing=listings[key])
                journal.settle(key, "done", target_of(listings[key]), outcomes[key])
        exists: set[str] = set()
        for entry in answer.unavailable:
            key, error = self._unavailable(entry, by_id)
            if key is None or key not in sent or key in outcomes:
                continue
            if isinstance(error, errors.DuplicateCustomId):
                exists.add(key)  # looked up below
                continue
            outcomes[key] = error
            journal.release(key)  # refused for this item: nothing bought, the id is free
        return exists

    def _settle_batch(
        self,
        unsettled: list[str],
        listings: dict[str, Listing],
        outcomes: dict[str, Purchase | errors.SkinMarketsError],
        exists: set[str],
    ) -> None:
        """Look the unsettled items up in one request: the purchase, else the item's error."""
        if not unsettled:
            return
        journal = self._journal
        try:
            found = self._lookup(unsettled)
            looked = "not found by custom_id"
        except Exception as exc:  # a failed lookup proves nothing either way
            found, looked = {}, f"the lookup failed ({type(exc).__name__})"
        for custom_id in unsettled:
            listing, record = listings[custom_id], found.get(custom_id)
            if record is not None:
                purchase = purchase_from(self.name, record, custom_id=custom_id, listing=listing)
                outcomes[custom_id] = purchase
                journal.settle(custom_id, "done", target_of(listing), purchase)
                continue
            journal.settle(custom_id, "ambiguous", target_of(listing))
            error_class = errors.DuplicateCustomId if custom_id in exists else errors.OutcomeUnknown
            outcomes[custom_id] = error_class(
                f"the outcome of {listing.id!r} is unknown ({looked}); call "
                f"get_purchase({custom_id!r}) later, or buy_many again with the same custom_id "
                "(it looks it up and never re-sends)",
                custom_id=custom_id,
                vendor=VENDOR,
                operation="buy_many",
            )

    @staticmethod
    def _unavailable(
        entry: object, by_id: dict[str, str]
    ) -> tuple[str | None, errors.SkinMarketsError]:
        """One ``unavailable`` entry (an id, or an object with id/custom_id and a reason)."""
        if isinstance(entry, dict):
            raw_id, custom_id = entry.get("id"), entry.get("custom_id")
            code = entry.get("error_code")
            reason = entry.get("error_message") or entry.get("reason") or entry.get("error")
        else:
            raw_id, custom_id, code, reason = entry, None, None, None
        key = custom_id if isinstance(custom_id, str) else None
        if key is None and isinstance(raw_id, str | int) and not isinstance(raw_id, bool):
            key = by_id.get(str(raw_id))
        error = refusal(
            "market_batch_buy",
            code=code if isinstance(code, int | str) and not isinstance(code, bool) else None,
            message=reason if isinstance(reason, str) else "skin_unavailable",
            raw=entry if isinstance(entry, dict) else {"unavailable": entry},
        )
        return key, error
