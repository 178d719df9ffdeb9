"""The source registry: which outlet a web domain or a printed name belongs to.

The registry is data (``data/sources.csv``, extended by a ``sources.csv`` in the user's
``data_dir``). Readers use it to say who published a document (``by_domain``) and what
kind of source it is (wire agency, state media, think tank ...).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from crosscheck.config import data_files
from crosscheck.errors import ConfigError

__all__ = ["KINDS", "Source", "SourceRegistry"]

KINDS: tuple[str, ...] = (
    "government",
    "international_media",
    "international_organisation",
    "national_media",
    "regional_media",
    "social_media",
    "state_media",
    "think_tank",
    "wire_agency",
)
COLUMNS = ("domain", "name", "country", "kind")
REGISTRY_FILE = "sources.csv"


@dataclass(frozen=True)
class Source:
    """One outlet (or agency, ministry, platform) at one web domain."""

    domain: str
    name: str
    country: str | None
    kind: str
    aliases: tuple[str, ...] = field(default=())

    @property
    def id(self) -> str:
        """A stable id from the name, shared by every domain of the same outlet."""
        return "src_" + re.sub(r"[^a-z0-9]+", "_", self.name.lower()).strip("_")


def _norm_name(name: str) -> str:
    return " ".join(name.casefold().split())


def host_of(url_or_domain: str) -> str:
    """The lower-case host of a URL or bare domain (no scheme, port, path, ``www.``)."""
    raw = url_or_domain.strip()
    if "://" not in raw:
        raw = "//" + raw
    try:
        host = urlsplit(raw).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


class SourceRegistry:
    """Outlets by domain and by name (case-insensitive, aliases included)."""

    def __init__(self, sources: Iterable[Source] = ()) -> None:
        self._by_domain: dict[str, Source] = {}
        self._by_name: dict[str, Source] = {}
        for source in sources:
            self.add(source)

    def add(self, source: Source) -> None:
        """Add or replace the row for ``source.domain``; a name keeps pointing at its first row."""
        old = self._by_domain.get(source.domain)
        self._by_domain[source.domain] = source
        if old is not None:
            for key, value in list(self._by_name.items()):
                if value is old:
                    self._by_name[key] = source
        for name in (source.name, *source.aliases):
            self._by_name.setdefault(_norm_name(name), source)

    @classmethod
    def load(cls, *, data_dir: str | None = None) -> SourceRegistry:
        """The shipped registry, extended (and overridden by domain) by the user's ``sources.csv``."""
        registry = cls()
        for path in data_files(REGISTRY_FILE, data_dir=data_dir):
            for source in read_sources_csv(path):
                registry.add(source)
        return registry

    def __len__(self) -> int:
        return len(self._by_domain)

    def __iter__(self) -> Iterator[Source]:
        return iter(self._by_domain.values())

    def by_domain(self, url_or_domain: str | None) -> Source | None:
        """The source of a URL or domain; ``edition.cnn.com`` falls back to ``cnn.com``."""
        if not url_or_domain:
            return None
        host = host_of(url_or_domain)
        labels = host.split(".")
        for start in range(len(labels) - 1):
            found = self._by_domain.get(".".join(labels[start:]))
            if found is not None:
                return found
        return None

    def by_name(self, name: str | None) -> Source | None:
        """The source printed as ``name`` (its name or an alias, any case)."""
        if not name:
            return None
        return self._by_name.get(_norm_name(name))


def read_sources_csv(path: Path) -> list[Source]:
    """Rows of a registry file; ``#`` lines are comments. Bad rows raise ConfigError naming the line."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read the source registry ({err})") from err
    numbered = [(n, line) for n, line in enumerate(raw.splitlines(), 1) if line.strip() and not line.startswith("#")]
    if not numbered:
        return []
    header_line, header_text = numbered[0]
    header = [h.strip().lower() for h in next(csv.reader([header_text]))]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ConfigError(
            f"{path}:{header_line}: source registry lacks column(s) {', '.join(missing)}; "
            f"the header must be {','.join(COLUMNS)}[,aliases]"
        )
    sources = []
    for lineno, line in numbered[1:]:
        row = next(csv.reader([line]))
        values = dict(zip(header, (v.strip() for v in row), strict=False))
        domain = host_of(values.get("domain", ""))
        name = values.get("name", "")
        kind = values.get("kind", "")
        if not domain or not name:
            raise ConfigError(f"{path}:{lineno}: a source needs a domain and a name")
        if kind not in KINDS:
            raise ConfigError(f"{path}:{lineno}: unknown kind {kind!r}; use one of {', '.join(KINDS)}")
        aliases = tuple(a.strip() for a in values.get("aliases", "").split("|") if a.strip())
        sources.append(Source(domain, name, values.get("country") or None, kind, aliases))
    return sources
