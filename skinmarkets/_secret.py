"""Secret: a credential that never prints itself."""

from __future__ import annotations

import hashlib

from skinmarkets.errors import ConfigurationError


class Secret:
    """Holds a credential; ``repr``/``str`` show only ``Secret('***')``.

    Read the value with :meth:`reveal` at the one place that puts it on the wire.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
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
        return self._value == other._value

    def __hash__(self) -> int:
        return hash(self.fingerprint())

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled; pass the credential again where needed")
