"""Secret: a credential that never prints itself."""

from __future__ import annotations

import hashlib
import hmac
import threading

from skinmarkets.errors import ConfigurationError

__all__ = ["Secret", "register_secret", "scrub"]


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


class _SecretRegistry:
    """Every credential value in use in this process, so any log line or message can be scrubbed.

    It lives here, not in ``_http``, so that error messages built from a vendor's words (which
    may echo the key back) can be scrubbed without importing ``requests``.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()

    def add(self, secret: Secret) -> None:
        value = secret.reveal()
        if len(value) >= 4:  # a shorter string would scrub ordinary words
            with self._lock:
                self._values.add(value)

    def scrub(self, text: str) -> str:
        with self._lock:
            values = sorted(self._values, key=len, reverse=True)
        for value in values:
            if value in text:
                text = text.replace(value, "***")
        return text


_SECRETS = _SecretRegistry()


def register_secret(secret: Secret) -> None:
    """Make sure ``secret`` is scrubbed from every log record and error message."""
    _SECRETS.add(secret)


def scrub(text: str) -> str:
    """``text`` with every registered secret replaced by ``***``."""
    return _SECRETS.scrub(text)
