"""Names -> Mannco item ids, each resolved once and kept in the store.

No search by name exists (mannco-api.md §16): a name is resolved with GET
/item/details/{game}-{slug}, one request per game tried. Catalogue ids never change (§16 [3p:py]
"Cache forever; catalogue IDs don't change"), so every id resolved is kept, looked up in this
order:

1. this market object's dict;
2. the store's cache ``item_ids`` (``store=``; sliding, the store's retention: see
   :class:`skinmarkets._store.Cache`), so a restart resolves nothing again;
3. Mannco, a few names at a time (``threads.WORKERS``), every request paced by the limiter.

A name Mannco does not have (every game tried answered "not found", or its slug led to another
item) is kept in the cache ``item_ids_absent`` for :data:`ABSENT_TTL_SECONDS` (one day, not
renewed): a comparison of 10,000 names asks again at most daily for those Mannco lacks, and an
item Mannco adds is seen within a day. Only ``prices(names=…)`` skips names found there; an
explicit ``resolve_item_id`` (``list_for_sale``, buy orders) always asks Mannco about a name
with no id.

Cache keys are ``<game>:<casefolded name>``, values item ids (``""`` in the absent cache). A
store that fails while reading is logged and the names are resolved over the network; one that
fails while writing is logged and the ids stay in this object's dict.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence

from skinmarkets import _checks, errors
from skinmarkets._parallel import WORKERS, settled
from skinmarkets._seconds import Seconds
from skinmarkets._store import Cache, SharedState
from skinmarkets.vendors.mannco import units
from skinmarkets.vendors.mannco.checks import check_name
from skinmarkets.vendors.mannco.client import ManncoClient

__all__ = [
    "ABSENT_NAMESPACE",
    "ABSENT_TTL_SECONDS",
    "FOUND_NAMESPACE",
    "ItemIds",
    "cache_key",
    "games",
    "slug",
]

VENDOR = "mannco"

#: The store's cache of resolved ids (ttl: the store's retention, renewed on every read).
FOUND_NAMESPACE = "item_ids"
#: The store's cache of (game, name) pairs Mannco does not have.
ABSENT_NAMESPACE = "item_ids_absent"
#: How long "Mannco does not have this name in this game" is believed (not renewed on reads).
ABSENT_TTL_SECONDS: Seconds = 86400.0

log = logging.getLogger("skinmarkets.mannco")

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")

#: What one name's resolution found: the item id and its game (None, None when no game has it),
#: and the games that answered "not here".
Outcome = tuple[str | None, int | None, tuple[int, ...]]


def slug(name: str) -> str:
    """Mannco's URL slug of a name (§16: lower case, non-alphanumerics -> "-")."""
    return _NOT_ALNUM.sub("-", name.casefold()).strip("-")


def cache_key(game: int, name: str) -> str:
    """The key of (game, name) in the store's caches."""
    return f"{game}:{name.casefold()}"


def games(app_id: object, operation: str) -> tuple[int, ...]:
    """The games a name is looked for in: ``app_id``'s, else all four in ``units.GAMES``."""
    if app_id is None:
        return units.GAMES
    return (_checks.check_count(VENDOR, app_id, "app_id", operation),)


class ItemIds:
    """The item ids one Mannco market object knows, backed by the store's caches."""

    def __init__(self, client: ManncoClient, shared: SharedState) -> None:
        self._client = client
        self._store_name = shared.store.name
        #: (casefolded name, game) -> item id.
        self.by_name: dict[tuple[str, int], str] = {}
        #: item id -> the name it was resolved from (for prices() and events()).
        self.names: dict[str, str] = {}
        self._found = shared.cache(FOUND_NAMESPACE)
        self._absent = shared.cache(ABSENT_NAMESPACE, ttl=ABSENT_TTL_SECONDS, sliding=False)

    def item_id(self, market_hash_name: object, *, app_id: object = None) -> str:
        """The item id of a name (the adapter's ``resolve_item_id``): in ``app_id``'s game, or
        the first of ``units.GAMES`` that has it; ``ItemUnavailable`` when none has it."""
        name = check_name(market_hash_name, "resolve_item_id")
        tried = games(app_id, "resolve_item_id")
        item = self.resolve(name, tried)
        if item is not None:
            return item
        raise errors.ItemUnavailable(
            f"{VENDOR}: no item named {name!r} on Mannco.store (tried games "
            f"{', '.join(map(str, tried))}); check the name or pass app_id",
            vendor=VENDOR,
            operation="resolve_item_id",
            code="unknown_name",
        )

    def resolve(self, name: str, games: Sequence[int]) -> str | None:
        """The item id of ``name`` in the first of ``games`` that has it, or None.

        The absent cache is not consulted: an explicit lookup asks Mannco about a name with no
        known id (and records what it learns).
        """
        return self.resolve_many([name], games, skip_absent=False).get(name)

    def resolve_many(
        self,
        names: Sequence[str],
        games: Sequence[int],
        *,
        skip_absent: bool,
        workers: int = WORKERS,
    ) -> dict[str, str]:
        """name -> item id for the ``names`` (checked, distinct) that Mannco has.

        This object's dict, then one read of the store's cache for all names, then (with
        ``skip_absent``) one read of the absent cache, then Mannco for the rest, ``workers``
        names at a time. What Mannco answered is written to the store even when a later
        request fails; that failure is then raised.
        """
        result: dict[str, str] = {}
        todo: list[str] = []
        for name in names:
            known = self._known(name, games)
            if known is not None:
                result[name] = known
            else:
                todo.append(name)
        if todo:
            todo = self._from_cache(todo, games, result)
        asks: list[tuple[str, tuple[int, ...]]] = [(name, tuple(games)) for name in todo]
        if asks and skip_absent:
            absent = self._read(self._absent, (cache_key(g, n) for n, _ in asks for g in games))
            asks = [
                (name, left)
                for name, tried in asks
                if (left := tuple(g for g in tried if cache_key(g, name) not in absent))
            ]
        done, error = settled(lambda ask: self._ask(*ask), asks, workers=workers)
        found: dict[str, str] = {}
        gone: dict[str, str] = {}
        for (name, _), (item, game, missing) in done:
            if item is not None and game is not None:
                self._remember(name, game, item)
                result[name] = item
                found[cache_key(game, name)] = item
            gone.update({cache_key(g, name): "" for g in missing})
        self._write(self._found, found)
        self._write(self._absent, gone)
        if error is not None:
            raise error
        return result

    def _known(self, name: str, games: Sequence[int]) -> str | None:
        key = name.casefold()
        for game in games:
            item = self.by_name.get((key, game))
            if item is not None:
                return item
        return None

    def _from_cache(
        self, names: list[str], games: Sequence[int], result: dict[str, str]
    ) -> list[str]:
        """Fill ``result`` from the store's cache; the names it does not hold."""
        stored = self._read(self._found, (cache_key(g, n) for n in names for g in games))
        rest: list[str] = []
        for name in names:
            hit = next(((g, stored[k]) for g in games if (k := cache_key(g, name)) in stored), None)
            if hit is None or not hit[1]:
                rest.append(name)
                continue
            self._remember(name, hit[0], hit[1])
            result[name] = hit[1]
        return rest

    def _remember(self, name: str, game: int, item: str) -> None:
        self.by_name[(name.casefold(), game)] = item
        self.names[item] = name

    def _ask(self, name: str, games: tuple[int, ...]) -> Outcome:
        """Mannco's answer for ``name``: GET /item/details/{game}-{slug} per game, in order."""
        missing: list[int] = []
        for game in games:
            try:
                info = self._client.item_details(f"{game}-{slug(name)}").informations
            except errors.ItemUnavailable:  # "Item not found" / 404
                missing.append(game)
                continue
            except errors.InvalidRequest:  # a refusal, not a "not found": not remembered
                continue
            if slug(info.name.rstrip(";")) != slug(name):
                missing.append(game)  # the slug led to another item: never buy the wrong thing
                continue
            return info.id, info.game or game, tuple(missing)
        return None, None, tuple(missing)

    def _read(self, cache: Cache, keys: Iterable[str]) -> dict[str, str]:
        try:
            return cache.get_many(keys)
        except Exception as exc:  # any store's failure: resolve over the network instead
            log.warning(
                "%s: the store %s failed while reading the item id cache %s (%s); resolving "
                "the names with Mannco instead",
                VENDOR,
                self._store_name,
                cache.name,
                type(exc).__name__,
            )
            return {}

    def _write(self, cache: Cache, entries: Mapping[str, str]) -> None:
        if not entries:
            return
        try:
            cache.put_many(entries)
        except Exception as exc:  # the ids stay known to this object
            log.warning(
                "%s: the store %s failed while writing %d entries to the item id cache %s (%s)",
                VENDOR,
                self._store_name,
                len(entries),
                cache.name,
                type(exc).__name__,
            )
