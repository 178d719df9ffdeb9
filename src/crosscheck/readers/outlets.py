"""Who published a document: the registry by URL domain, else the printed or declared name."""

from __future__ import annotations

from crosscheck.records import Document
from crosscheck.sources import Source, SourceRegistry

__all__ = ["set_outlet"]


def set_outlet(doc: Document, registry: SourceRegistry, *, fallback_url: str | None = None) -> Document:
    """Fill ``doc.outlet*`` in place and return it.

    Order: the registry entry for the document's URL domain (or ``fallback_url``, e.g. a feed's
    own address), then the registry entry named like ``doc.outlet`` (a page's site name or a
    corpus's outlet field), then ``doc.outlet`` as given. The byline is left as printed.
    """
    source: Source | None = registry.by_domain(doc.url) or registry.by_domain(fallback_url)
    if source is None and doc.outlet:
        source = registry.by_name(doc.outlet)
    if source is not None:
        doc.outlet = source.name
        doc.outlet_id = source.id
        doc.outlet_country = source.country
        doc.outlet_kind = source.kind
    return doc
