"""One exception tree. Every message says what was wrong, where, and what to do."""

from __future__ import annotations


class CrosscheckError(Exception):
    """Base of every error crosscheck raises on purpose."""


class InputError(CrosscheckError):
    """An input (file, line, field, URL) cannot be read. ``where`` names it."""

    def __init__(self, where: str, reason: str, hint: str = "") -> None:
        self.where = where
        self.reason = reason
        self.hint = hint
        msg = f"{where}: {reason}"
        if hint:
            msg += f" ({hint})"
        super().__init__(msg)


class FetchError(InputError):
    """A URL could not be fetched (unreachable, too large, refused address)."""


class ConfigError(CrosscheckError):
    """A setting or data file is wrong; the message names the setting or file."""


class StorageError(CrosscheckError):
    """The database cannot be opened or written."""


class NotFound(CrosscheckError):
    """A named record (claim, document, place, actor) is not in the ledger."""
