"""crosscheck: a ledger of attributed, grounded claims from conflict news."""

from __future__ import annotations

from crosscheck.errors import ConfigError, CrosscheckError, FetchError, InputError, NotFound, StorageError
from crosscheck.records import Actor, Analysis, Claim, Document, Entity, Interval, Place, Quantity, Relation

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Analysis",
    "Claim",
    "ConfigError",
    "CrosscheckError",
    "Document",
    "Entity",
    "FetchError",
    "InputError",
    "Interval",
    "NotFound",
    "Place",
    "Quantity",
    "Relation",
    "StorageError",
    "__version__",
]
