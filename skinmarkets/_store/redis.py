"""The Redis store: one server shared by every host of a fleet (extra ``skinmarkets[redis]``).

Each step is one Lua script, so it is atomic on the server, and takes its time from the
server's own clock (``TIME``): hosts whose clocks disagree still share one window. Keys start
with ``skinmarkets:`` and expire by themselves (rate-limit keys after an hour unused, journal
entries after the retention, cache entries after their ``ttl``: one string key per entry,
``skinmarkets:cache:{vendor|origin|namespace}:<key>``, read in one script that also renews the
hits of a sliding cache).
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from skinmarkets import errors
from skinmarkets._http.urls import shown_url
from skinmarkets._ratelimit import RateLimit
from skinmarkets._seconds import Seconds
from skinmarkets._secret import Secret, register_secret
from skinmarkets._store.base import (
    Cache,
    Store,
    cache_failed,
    cache_namespace,
    unavailable,
)
from skinmarkets._store.journal import ClaimOutcome, JournalRecord, StoredJournal
from skinmarkets._store.limiter import SLOT_LEASE, LimiterCache, StoredLimiter
from skinmarkets._writes import WriteJournal

__all__ = ["RedisCache", "RedisStore"]

DEFAULT_RETENTION_DAYS = 30
_PREFIX = "skinmarkets:"
_RATE_TTL = 3600  # seconds a rate-limit key lives unused

_NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) + tonumber(t[2]) / 1000000 "

# Releases first: ARGV from ``first`` on are pairs (token, seconds since its answer); a slot
# still in flight becomes a stamp dated back to its answer.
_RELEASES = """
local function release(first)
  for i = first, #ARGV, 2 do
    if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
      redis.call('ZADD', KEYS[2], now - tonumber(ARGV[i + 1]), 'r' .. ARGV[i])
    end
  end
end
"""

# KEYS: slots (zset token -> lease end), stamps (zset -> release time), defer (string)
# ARGV: requests, per_seconds, lease, token, then the releases riding along (see _RELEASES)
_TAKE = (
    _NOW
    + _RELEASES
    + """
release(5)
local per = tonumber(ARGV[2])
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES')
for i = 1, #dead, 2 do redis.call('ZADD', KEYS[2], dead[i + 1], 'd' .. dead[i]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - per)
local until_ = tonumber(redis.call('GET', KEYS[3]) or '0')
if until_ > now then return {0, tostring(until_ - now)} end
if redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
  redis.call('EXPIRE', KEYS[1], %(ttl)d) redis.call('EXPIRE', KEYS[2], %(ttl)d)
  return {1, '0'}
end
local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if #oldest > 0 then return {0, tostring(tonumber(oldest[2]) + per - now)} end
return {0, '-1'}
""".replace("%(ttl)d", str(_RATE_TTL))
)

# KEYS: slots, stamps. ARGV: the releases (see _RELEASES).
_RELEASE = (
    _NOW
    + _RELEASES
    + """
release(1)
redis.call('EXPIRE', KEYS[2], %(ttl)d)
return 1
""".replace("%(ttl)d", str(_RATE_TTL))
)

_DEFER = (
    _NOW
    + """
local until_ = now + tonumber(ARGV[1])
local old = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > old then redis.call('SET', KEYS[1], tostring(until_), 'EX', %(ttl)d) end
return 1
""".replace("%(ttl)d", str(_RATE_TTL))
)

# KEYS: the entry (hash). ARGV: target, lease, retention seconds.
_CLAIM = (
    _NOW
    + """
local e = redis.call('HMGET', KEYS[1], 'state', 'target', 'result', 'lease_until')
if not e[1] then
  redis.call('HSET', KEYS[1], 'state', 'in_flight', 'target', ARGV[1],
             'lease_until', tostring(now + tonumber(ARGV[2])))
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
  return {'new', ARGV[1], false}
end
if e[2] ~= ARGV[1] then return {'mismatch', e[2], false} end
if e[1] == 'done' then return {'done', e[2], e[3]} end
if e[1] == 'in_flight' and tonumber(e[4]) > now then return {'in_flight', e[2], false} end
redis.call('HSET', KEYS[1], 'state', 'in_flight', 'lease_until', tostring(now + tonumber(ARGV[2])))
return {'ambiguous', e[2], false}
"""
)

# KEYS: the entry, the purchase index key (or the entry again), the listing's index key (or the
# entry again). ARGV: state, target, result, listing, lease, retention, custom_id, has result,
# has listing.
_PUT = (
    _NOW
    + """
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'target', ARGV[2],
           'lease_until', tostring(now + tonumber(ARGV[5])))
if ARGV[8] == '1' then redis.call('HSET', KEYS[1], 'result', ARGV[3])
else redis.call('HDEL', KEYS[1], 'result') end
if ARGV[9] == '1' then redis.call('HSET', KEYS[1], 'listing', ARGV[4]) end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[6]))
if KEYS[2] ~= KEYS[1] then redis.call('SET', KEYS[2], ARGV[7], 'EX', tonumber(ARGV[6])) end
if KEYS[3] ~= KEYS[1] then redis.call('SET', KEYS[3], ARGV[7], 'EX', tonumber(ARGV[6])) end
return 1
"""
)


# KEYS: the entries. ARGV: ttl seconds, "1" to renew each hit (a sliding cache).
# One value per key, or false (nil) for a key that is not there.
_CACHE_GET = """
local out = {}
for i, key in ipairs(KEYS) do
  local value = redis.call('GET', key)
  if value and ARGV[2] == '1' then redis.call('EXPIRE', key, tonumber(ARGV[1])) end
  out[i] = value
end
return out
"""

#: Keys per cache script call or pipeline.
_CACHE_CHUNK = 1000


def _shown(url: str) -> str:
    """The URL with any password (and user) masked: its user info, and a ``password=`` in its
    query (redis-py takes one there too)."""
    text = shown_url(url)
    base, mark, query = text.partition("?")
    pairs = parse_qsl(query, keep_blank_values=True)
    if not mark or not any(name.lower() == "password" for name, _ in pairs):
        return text
    masked = [(name, "***" if name.lower() == "password" else value) for name, value in pairs]
    return f"{base}?{urlencode(masked, safe='*')}"


class RedisStore(Store):
    """Limiters and journals on a Redis server."""

    def __init__(self, client: Any, name: str, retention_days: int) -> None:
        self.name = name
        self._client = client
        self._retention = retention_days * 86400
        self._take = client.register_script(_TAKE)
        self._release = client.register_script(_RELEASE)
        self._defer = client.register_script(_DEFER)
        self._claim = client.register_script(_CLAIM)
        self._put = client.register_script(_PUT)
        self.cache_get = client.register_script(_CACHE_GET)
        # the release round trip is taken off the request path
        self._limiters = LimiterCache(self, self.name, batched_release=True)

    @classmethod
    def open(cls, url: str, *, vendor: str) -> RedisStore:
        """Connect and PING; anything that fails is ``ConfigurationError`` (password masked).

        ``?retention_days=N`` in the URL sets how long journal entries are kept (default 30).
        """
        shown = _shown(url)
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises on a port that is no number 0-65535
        except ValueError:
            raise errors.ConfigurationError(
                f"{vendor}: store {shown} has a bad host or port; write "
                "redis://[:password@]host:port/db",
                vendor=vendor,
            ) from None
        query = dict(parse_qsl(parts.query))
        for secret in (parts.password, *(v for k, v in query.items() if k.lower() == "password")):
            if secret:
                register_secret(Secret(secret))
        retention = query.pop("retention_days", str(DEFAULT_RETENTION_DAYS))
        if not (retention.isascii() and retention.isdigit()) or int(retention) < 1:
            raise errors.ConfigurationError(
                f"{vendor}: store {shown}: retention_days must be a whole number of days >= 1",
                vendor=vendor,
            )
        try:
            import redis
        except ImportError:
            raise errors.ConfigurationError(
                f"{vendor}: the store {shown} needs the Redis client: "
                "pip install 'skinmarkets[redis]'",
                vendor=vendor,
            ) from None
        clean = urlunsplit(parts._replace(query=urlencode(query)))
        try:
            client = redis.Redis.from_url(
                clean, socket_timeout=5, socket_connect_timeout=5, health_check_interval=30
            )
            client.ping()
        except Exception as exc:  # redis-py's own errors, a bad URL: all a configuration problem
            raise errors.ConfigurationError(
                f"{vendor}: cannot reach the store {shown} ({type(exc).__name__}); check that "
                "the Redis server runs and the URL is redis://[:password@]host:port/db, or "
                "use store='memory' or an SQLite file (store='/path/store.sqlite3')",
                vendor=vendor,
            ) from None
        return cls(client, shown, int(retention))

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------------ rate limit

    def limiter(
        self,
        vendor: str,
        credential_hash: str,
        limit: RateLimit,
        *,
        slot_lease: Seconds = SLOT_LEASE,
    ) -> StoredLimiter:
        return self._limiters.get(vendor, credential_hash, limit, slot_lease)

    @staticmethod
    def _rate_keys(key: str) -> list[str]:
        base = f"{_PREFIX}rate:{{{key}}}"  # one hash slot: a script's keys on one cluster node
        return [base + ":slots", base + ":stamps", base + ":defer"]

    def take_slot(
        self,
        key: str,
        limit: RateLimit,
        lease: Seconds,
        releases: Sequence[tuple[str, Seconds]] = (),  # (token, seconds ago)
    ) -> tuple[str | None, Seconds]:
        token = uuid.uuid4().hex
        args: list[object] = [limit.requests, repr(limit.per_seconds), repr(lease), token]
        for released, ago in releases:
            args += [released, repr(ago)]
        try:
            granted, wait = self._take(keys=self._rate_keys(key), args=args)
        except Exception as exc:
            raise unavailable(self, "taking a rate-limit slot", exc) from None
        return (token, 0.0) if int(granted) == 1 else (None, Seconds(wait))

    def release_slots(
        self,
        key: str,
        releases: Sequence[tuple[str, Seconds]],  # (token, seconds ago)
    ) -> None:
        args: list[object] = []
        for token, ago in releases:
            args += [token, repr(ago)]
        self._release(keys=self._rate_keys(key)[:2], args=args)

    def release_slot(self, key: str, token: str) -> None:
        """One slot's request is over, now."""
        self.release_slots(key, [(token, 0.0)])

    def defer(self, key: str, seconds: Seconds) -> None:
        self._defer(keys=[self._rate_keys(key)[2]], args=[repr(seconds)])

    # ------------------------------------------------------------------ journal

    def journal(
        self,
        vendor: str,
        origin: str,
        credential_hash: str,
        *,
        lease: Seconds,
    ) -> WriteJournal:
        return StoredJournal(self, self.name, vendor, f"{vendor}|{origin}|{credential_hash}", lease)

    @staticmethod
    def _entry(key: str, custom_id: str) -> str:
        return f"{_PREFIX}journal:{{{key}}}:{custom_id}"

    @staticmethod
    def _index(key: str, purchase_id: str) -> str:
        return f"{_PREFIX}journal:{{{key}}}:purchase:{purchase_id}"

    def claim(
        self,
        key: str,
        custom_id: str,
        target: str,
        lease: Seconds,
    ) -> ClaimOutcome:
        kind, known, result = self._claim(
            keys=[self._entry(key, custom_id)], args=[target, repr(lease), self._retention]
        )
        text = result.decode("utf-8") if isinstance(result, bytes) else None
        return _text(kind), _text(known), text  # type: ignore[return-value]

    def put(self, key: str, custom_id: str, record: JournalRecord, lease: Seconds) -> None:
        entry = self._entry(key, custom_id)
        index = self._index(key, record.result_id) if record.result_id else entry
        # listing_of finds a listing by its own id too (as SQLite and memory do)
        listing_id = json.loads(record.listing).get("id") if record.listing is not None else None
        by_listing = self._index(key, str(listing_id)) if listing_id else entry
        self._put(
            keys=[entry, index, by_listing],
            args=[
                record.state,
                record.target,
                record.result or "",
                record.listing or "",
                repr(lease),
                self._retention,
                custom_id,
                "1" if record.result is not None else "0",
                "1" if record.listing is not None else "0",
            ],
        )

    def delete(self, key: str, custom_id: str) -> None:
        self._client.delete(self._entry(key, custom_id))

    def listing_of(self, key: str, purchase_id: str) -> str | None:
        custom_id = self._client.get(self._index(key, purchase_id))
        if custom_id is None:
            return None
        listing = self._client.hget(self._entry(key, _text(custom_id)), "listing")
        return _text(listing) if listing is not None else None

    # ------------------------------------------------------------------ caches

    def cache(
        self,
        vendor: str,
        origin: str,
        namespace: str,
        *,
        ttl: Seconds | None = None,
        sliding: bool = True,
    ) -> Cache:
        """The cache of (vendor, origin, namespace): one key per entry, expiring by itself;
        ``ttl`` defaults to the store's retention (``?retention_days=``, 30 days)."""
        return RedisCache(
            self,
            cache_namespace(vendor, origin, namespace),
            Seconds(self._retention) if ttl is None else ttl,
            sliding=sliding,
        )

    @property
    def client(self) -> Any:
        """The ``redis.Redis`` client (for the caches)."""
        return self._client


class RedisCache(Cache):
    """One cache on a Redis server: ``skinmarkets:cache:{name}:<key>`` -> value, with a TTL.

    The name is the key's hash tag, so every entry of a cache is on one cluster node and one
    script reads many. Expiry is the server's (``EX``), renewed on a hit of a sliding cache.
    """

    def __init__(
        self,
        store: RedisStore,
        name: str,
        ttl: Seconds,
        *,
        sliding: bool = True,
    ) -> None:
        self.name = name
        self.ttl = ttl
        self.sliding = sliding
        self._store = store
        self._seconds = max(1, math.ceil(ttl))
        self._prefix = f"{_PREFIX}cache:{{{name}}}:"

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        try:
            for start in range(0, len(wanted), _CACHE_CHUNK):
                chunk = wanted[start : start + _CACHE_CHUNK]
                values = self._store.cache_get(
                    keys=[self._prefix + key for key in chunk],
                    args=[self._seconds, "1" if self.sliding else "0"],
                )
                for key, value in zip(chunk, values, strict=True):
                    if value is not None:
                        found[key] = _text(value)
        except Exception as exc:  # redis-py's own errors: the store failed
            raise cache_failed(self._store.name, self.name, "reading", exc) from None
        return found

    def put_many(self, entries: Mapping[str, str]) -> None:
        items = list(entries.items())
        try:
            for start in range(0, len(items), _CACHE_CHUNK):
                pipe = self._store.client.pipeline(transaction=False)
                for key, value in items[start : start + _CACHE_CHUNK]:
                    pipe.set(self._prefix + key, value, ex=self._seconds)
                pipe.execute()
        except Exception as exc:
            raise cache_failed(self._store.name, self.name, "writing", exc) from None


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
