"""Secret: a credential that never prints itself; the registry that scrubs secrets everywhere.

Every credential (and every token got with one) is registered (:func:`register_secret`) and
then scrubbed, whatever its length:

- from free text (log records, error messages, a body kept as text in an error's ``raw``): a
  secret of 4 characters or more wherever it appears; a shorter one only where it stands as a
  whole token (``key=abc&`` yes, ``abcde`` no), as replacing it inside words would clobber them;
- from decoded JSON (:func:`scrub_data`, :func:`scrub_raw`): a string equal to a secret (any
  length) becomes ``***``; a string containing one of 4 characters or more has it replaced; in
  keys and values, through every dict and list. In an error's ``raw`` the values under sensitive
  names (``SENSITIVE_NAMES``: ``jwt``, ``token``, ``key`` ...) are masked as well.

The data a client reads from an answer (:func:`scrub_data`) is scrubbed more narrowly, as a
client must read it back unharmed: only credentials registered ``from_answers`` (an API key, a
client secret; not a token the vendor issues, like Mannco's JWT, nor a value a call sets and the
vendor echoes, like Market TM's ``set-trade-token``), only those of 8 characters or more (every
real key is; a short value such as a numeric shop id can equal a price or an item id), and a
string is scrubbed where it equals one or holds one as a whole token (not inside a longer run of
letters and digits, so the id ``123456`` never loses a ``1234``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote, quote_plus

from skinmarkets import errors
from skinmarkets.errors import ConfigurationError

__all__ = [
    "MASK",
    "SENSITIVE_NAMES",
    "Secret",
    "is_sensitive_name",
    "may_hold_secret",
    "register_secret",
    "scrub",
    "scrub_data",
    "scrub_raw",
]

T = TypeVar("T")


class Secret:
    """Holds a credential; ``repr``/``str`` show only ``Secret('***')``.

    Read the value with :meth:`reveal` at the one place that puts it on the wire.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            # Message without the value: it may be the credential itself.
            raise TypeError(f"a Secret holds a str, got {type(value).__name__}")
        self._value = value

    @classmethod
    def required(cls, value: object, *, option: str, vendor: str) -> Secret:
        """Wrap ``value`` or raise ``ConfigurationError`` when it is missing, blank or not a str."""
        if isinstance(value, Secret):
            value = value.reveal()
        if value is None:
            raise ConfigurationError(
                f"{vendor}: missing credential {option!r}: pass "
                f"sm.connect({vendor!r}, {option}=...)",
                vendor=vendor,
            )
        if not isinstance(value, str):
            raise ConfigurationError(
                f"{vendor}: credential {option!r} must be a str, got {type(value).__name__}",
                vendor=vendor,
            )
        if not value.strip():
            raise ConfigurationError(
                f"{vendor}: credential {option!r} is blank: pass the key from your account page",
                vendor=vendor,
            )
        return cls(value.strip())

    def reveal(self) -> str:
        """The credential itself; only for putting it on the wire."""
        return self._value

    def fingerprint(self) -> str:
        """A stable, non-reversible id of the credential (for keying shared state)."""
        return hashlib.sha256(self._value.encode("utf-8")).hexdigest()

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode("utf-8"), other._value.encode("utf-8"))

    def __hash__(self) -> int:
        return hash(self.fingerprint())

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled; pass the credential again where needed")


#: Parameter, header and JSON key names whose values are never logged nor kept in an error's
#: ``raw`` (compared lower-cased, without a PHP ``[]`` suffix).
SENSITIVE_NAMES = frozenset(
    {
        "key",
        "api_key",
        "apikey",
        "x-api-key",
        "authorization",
        "token",
        "access_token",
        "refresh_token",
        "sign",
        "secret",
        "client_secret",
        "x-client-secret",
        "pay_pass",
        "password",
        "old_password",
        "new_password",
        "to",
        "steam-api-key",
        "jwt",
        "proxy",
    }
)

#: What a scrubbed secret is replaced with.
MASK = "***"

#: Secrets shorter than this are scrubbed from free text only where they stand as a whole token:
#: replacing every "abc" inside other words would clobber ordinary text.
_WHOLE_TOKEN_BELOW = 4
#: Secrets shorter than this are left in the data a client reads (see the module docstring).
_IN_ANSWERS_FROM = 8

#: The characters a JSON encoder may write escaped (``\\"``, ``\\\\``, ``\\/``, control and
#: non-ASCII characters); every other character of a decoded string stands literally in the text.
_ESCAPABLE = re.compile(r'["\\/]|[^\x20-\x7e]')
#: ``\\u0020``-``\\u007f``: a printable ASCII character escaped for no reason (Go escapes ``<``,
#: ``>``, ``&`` so): the text can then not be searched literally.
_ESCAPED_ASCII = re.compile(r"\\u00[2-7][0-9a-fA-F]")
_ESCAPED_ASCII_BYTES = re.compile(rb"\\u00[2-7][0-9a-fA-F]")
#: ``"name": "value"`` in a body that is not JSON (cut off, or JSON-like text).
_NAMED_STRING = re.compile(r'("([^"\\]{1,40})"\s*:\s*")((?:[^"\\]|\\.)*)(")')


def _alternation(values: Iterable[str]) -> str | None:
    ordered = sorted(values, key=len, reverse=True)  # the longest first where two overlap
    return "|".join(re.escape(value) for value in ordered) if ordered else None


def _spellings(values: Iterable[str]) -> set[str]:
    """``values`` and the percent-encoded spellings a URL gives them: a query string
    (``p@ss w/+`` -> ``p%40ss+w%2F%2B``, which urllib3 logs) and a path segment. ``replace``:
    a lone surrogate (from an environment variable that is not UTF-8) must not raise here."""
    return {
        spelled
        for v in values
        for spelled in (v, quote_plus(v, errors="replace"), quote(v, safe="", errors="replace"))
    }


def is_sensitive_name(name: str) -> bool:
    """True when values under ``name`` (a parameter, header or JSON key) are never shown."""
    return name.lower().rstrip("[]") in SENSITIVE_NAMES


class _Rules:
    """The registered values, compiled for scrubbing; rebuilt whenever one is added."""

    __slots__ = (
        "_encoded_for_owner",
        "_for_owner",
        "every",
        "in_answers",
        "long",
        "long_in_answers",
        "owners",
        "runs",
        "short",
    )

    def __init__(
        self,
        every: frozenset[str],
        in_answers: frozenset[str],
        owners: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self.every = every
        self.owners = dict(owners or {})  # value -> the vendors it is sent to
        self.in_answers = frozenset(v for v in in_answers if len(v) >= _IN_ANSWERS_FROM)
        # Free text (a log line, a message) may hold a value as a URL spells it.
        spelled = _spellings(every)
        long = _alternation(v for v in spelled if len(v) >= _WHOLE_TOKEN_BELOW)
        short = _alternation(v for v in spelled if len(v) < _WHOLE_TOKEN_BELOW)
        long_in_answers = _alternation(self.in_answers)
        self.long = re.compile(long) if long else None
        self.short = re.compile(rf"(?<!\w)(?:{short})(?!\w)") if short else None
        self.long_in_answers = (
            re.compile(rf"(?<![0-9A-Za-z])(?:{long_in_answers})(?![0-9A-Za-z])")
            if long_in_answers
            else None
        )
        # Per value scrubbed from answers: the pieces that stand literally in any JSON text that
        # holds it (see may_hold_secret).
        self.runs = {v: tuple(r for r in _ESCAPABLE.split(v) if r) for v in self.in_answers}
        self._for_owner: dict[str | None, tuple[tuple[str, ...], ...]] = {}
        self._encoded_for_owner: dict[str | None, tuple[tuple[bytes, ...], ...]] = {}

    def runs_for(self, owner: str | None) -> tuple[tuple[str, ...], ...]:
        """The runs of the values an answer from ``owner`` may hold: those sent to it, and those
        whose owner is not known (scanned in every answer). ``None``: every value."""
        known = self._for_owner.get(owner)
        if known is None:
            known = self._for_owner[owner] = tuple(
                runs
                for value, runs in self.runs.items()
                if owner is None or not self.owners.get(value) or owner in self.owners[value]
            )
        return known

    def encoded_runs_for(self, owner: str | None) -> tuple[tuple[bytes, ...], ...]:
        """:meth:`runs_for` as ASCII bytes, to search a UTF-8 body before it is decoded."""
        known = self._encoded_for_owner.get(owner)
        if known is None:
            known = self._encoded_for_owner[owner] = tuple(
                tuple(run.encode("ascii") for run in runs) for runs in self.runs_for(owner)
            )
        return known


#: How many issued tokens (``from_answers=False``) stay registered; older ones have expired.
_ISSUED_KEPT = 256


class _SecretRegistry:
    """Every credential value in use in this process, so any log line or message can be scrubbed.

    It lives here, not in ``_http``, so that errors (whose messages and ``raw`` may echo the key
    back) can be scrubbed without importing ``requests``. Values of any length are kept; how a
    short one is scrubbed is told in the module docstring.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._every: set[str] = set()
        self._in_answers: set[str] = set()
        # Values a client reads back (tokens the vendor issues, one per connect or refresh), in
        # the order they came: only the newest _ISSUED_KEPT are kept, so a stream that
        # reconnects all day does not grow the scrub patterns without end. An older one has
        # long expired (each lives minutes).
        self._issued: dict[str, None] = {}
        self._owners: dict[str, frozenset[str]] = {}
        self.rules = _Rules(frozenset(), frozenset())

    def add(self, secret: Secret, *, from_answers: bool = True, owner: str | None = None) -> None:
        value = secret.reveal()
        if not value:
            return
        with self._lock:
            known = value in self._every and (not from_answers or value in self._in_answers)
            owned = owner is None or owner in self._owners.get(value, frozenset())
            if known and owned:
                return
            if owner is not None:
                self._owners[value] = self._owners.get(value, frozenset()) | {owner}
            self._every.add(value)
            if from_answers:
                self._in_answers.add(value)
            else:
                self._issued[value] = None
                while len(self._issued) > _ISSUED_KEPT:
                    oldest = next(iter(self._issued))
                    del self._issued[oldest]
                    if oldest not in self._in_answers:
                        self._every.discard(oldest)
            self.rules = _Rules(frozenset(self._every), frozenset(self._in_answers), self._owners)

    def scrub(self, text: str) -> str:
        rules = self.rules
        if rules.long is not None:
            text = rules.long.sub(MASK, text)
        if rules.short is not None:
            text = rules.short.sub(MASK, text)
        return text


_SECRETS = _SecretRegistry()


def register_secret(secret: Secret, *, from_answers: bool = True, owner: str | None = None) -> None:
    """Make sure ``secret`` is scrubbed from every log record, error message and error ``raw``.

    ``from_answers`` (the default): also replaced in the data of every vendor answer (when 8
    characters or more), for a credential no client reads back (an API key, a client secret).
    Pass False for a value a client does read back from an answer: a token the vendor issues
    (Mannco's JWT comes back in every login answer) or a value a call sets and the vendor echoes.

    ``owner``: a vendor the value is sent to (a transport claims the secrets of its auth). A
    vendor can echo only what it was sent, so :func:`may_hold_secret` looks for a claimed value
    in that vendor's answers only; a value nobody claimed is looked for in every answer. It
    saves a pass over a large price list per other market's credential (about 18 ms each on
    Market TM's 37 MB export). Scrubbing itself is not narrowed.
    """
    _SECRETS.add(secret, from_answers=from_answers, owner=owner)


def scrub(text: str) -> str:
    """``text`` with every registered secret replaced by ``***`` (a short one as a whole token)."""
    return _SECRETS.scrub(text)


def may_hold_secret(json_text: str | bytes, owner: str | None = None) -> bool:
    """False when no secret scrubbed from answers can be in what ``json_text`` decodes to.

    ``json_text`` may be the UTF-8 bytes of the text: the pieces searched are printable ASCII,
    which UTF-8 writes as the same bytes and uses for nothing else.

    A quick test that spares walking a large answer (a 13 MB price export) for nothing: each
    piece of a secret that no JSON encoder escapes must then stand literally in the text.
    ``owner``: the vendor that sent the answer; only the values sent to it (and those nobody
    claimed) are looked for (see :func:`register_secret`).
    """
    rules = _SECRETS.rules
    if not rules.in_answers:
        return False
    candidates = rules.runs_for(owner)
    if not candidates:
        return False
    # "u00" first: "\\u" is common in non-ASCII exports and slows a search that starts with it
    if isinstance(json_text, bytes):
        if _ESCAPED_ASCII_BYTES.search(json_text):
            return True
        encoded = rules.encoded_runs_for(owner)
        return any(all(run in json_text for run in runs) for runs in encoded)
    if _ESCAPED_ASCII.search(json_text):
        return True
    return any(all(run in json_text for run in runs) for runs in candidates)


def scrub_data(data: T) -> T:
    """Decoded JSON as a client may read it: the credentials scrubbed from answers replaced.

    Which ones and where is told in the module docstring; keys and values, through every dict
    and list. Nothing else changes. A container without one is returned as is (the same object),
    so parsing a large answer makes no copy.
    """
    rules = _SECRETS.rules
    if not rules.in_answers:
        return data
    values, bounded = rules.in_answers, rules.long_in_answers

    def scrubbed(text: str) -> str:
        if text in values:
            return MASK
        if bounded is not None and bounded.search(text):
            return bounded.sub(MASK, text)
        return text

    result: T = _walked(data, scrubbed, names=False)
    return result


def scrub_raw(raw: Any) -> Any:
    """An error's ``raw`` safe to keep, log and pickle: every registered secret scrubbed, and
    values under sensitive names (``SENSITIVE_NAMES``: ``jwt``, ``token``, ``key`` ...) masked.

    In decoded JSON, keys and values through every dict and list, a string equal to a registered
    secret (any length) becomes ``***`` and any other string is scrubbed as free text (a secret
    of 4 characters or more wherever it is, a shorter one as a whole token); a body kept as text
    is scrubbed as free text, and its ``"name": "value"`` pairs under sensitive names masked.
    """
    if raw is None:
        return None
    if isinstance(raw, str):
        return _NAMED_STRING.sub(_masked_pair, scrub(raw))
    values = _SECRETS.rules.every

    def scrubbed(text: str) -> str:
        return MASK if text in values else scrub(text)

    return _walked(raw, scrubbed, names=True)


def _masked_pair(match: re.Match[str]) -> str:
    if not is_sensitive_name(match.group(2)):
        return match.group(0)
    return f"{match.group(1)}{MASK}{match.group(4)}"


def _walked(value: Any, scrubbed: Callable[[str], str], *, names: bool) -> Any:
    try:
        return _walk(value, scrubbed, names)
    except RecursionError:  # absurdly deep nesting: keep nothing of it rather than risk a leak
        return MASK


def _walk(value: Any, scrubbed: Callable[[str], str], names: bool) -> Any:
    if isinstance(value, str):
        return scrubbed(value)
    if isinstance(value, Mapping):
        out: dict[Any, Any] = {}
        changed = False
        for key, item in value.items():
            new_key = scrubbed(key) if isinstance(key, str) else key
            if names and item is not None and isinstance(key, str) and is_sensitive_name(key):
                new_item: Any = MASK
            else:
                new_item = _walk(item, scrubbed, names)
            changed = changed or new_key != key or new_item is not item
            out[new_key] = new_item
        return out if changed else value
    if isinstance(value, list | tuple):
        items = [_walk(item, scrubbed, names) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return items if isinstance(value, list) else tuple(items)
    return value


def _reset_secrets() -> None:
    """Forget every registered secret (tests only: each test starts with none)."""
    global _SECRETS
    _SECRETS = _SecretRegistry()


errors.use_scrubbers(scrub, scrub_raw)  # every error scrubs itself with these (see errors)
